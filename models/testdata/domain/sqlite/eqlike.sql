(t0.active = ? AND (t0.name LIKE ? AND t0.name GLOB ?))
-- args: []interface {}{true, "A%", "A*"}
