(t0.active = ? AND t0.create_date > ?)
-- args: []interface {}{true, "2024-01-31 23:59:59"}
