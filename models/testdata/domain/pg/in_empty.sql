(t0.active = ? AND FALSE)
-- args: []interface {}{true}
