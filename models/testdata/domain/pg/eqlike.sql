(t0.active = ? AND t0.name LIKE ?)
-- args: []interface {}{true, "A%"}
