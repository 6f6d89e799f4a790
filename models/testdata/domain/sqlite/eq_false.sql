(t0.active = ? AND (t0.email IS NULL OR t0.email = ?))
-- args: []interface {}{true, ""}
