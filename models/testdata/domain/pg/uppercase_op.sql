(t0.active = ? AND t0.name ILIKE ?)
-- args: []interface {}{true, "%a%"}
