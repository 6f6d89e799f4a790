t0.active = ?
-- args: []interface {}{true}
