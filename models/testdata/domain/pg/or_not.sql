(t0.active = ? AND (t0.name LIKE ? OR (t0.color <= ? OR t0.color IS NULL)))
-- args: []interface {}{true, "%A%", 3}
