(t0.active = ? AND (t0.name LIKE ? OR (NOT t0.color > ?)))
-- args: []interface {}{true, "%A%", 3}
