(t0.active = ? AND t0.email IS NULL)
-- args: []interface {}{true}
