(t0.active = ? AND ((NOT t0.email ILIKE ?) OR t0.email IS NULL))
-- args: []interface {}{true, "%spam%"}
