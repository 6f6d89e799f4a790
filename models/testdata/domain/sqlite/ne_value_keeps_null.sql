(t0.active = ? AND (t0.email != ? OR t0.email IS NULL))
-- args: []interface {}{true, "x@y"}
