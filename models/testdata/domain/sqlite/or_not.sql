(t0.active = ? AND ((t0.name LIKE ? AND t0.name GLOB ?) OR (t0.color <= ? OR t0.color IS NULL)))
-- args: []interface {}{true, "%A%", "*A*", 3}
