(t0.active = ? AND (t0.name LIKE ? OR t0.color <= ?))
-- args: []interface {}{true, "%A%", 3}
