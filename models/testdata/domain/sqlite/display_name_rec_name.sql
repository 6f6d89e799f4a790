(t0.active = ? AND t0.name = ?)
-- args: []interface {}{true, "VIP"}
