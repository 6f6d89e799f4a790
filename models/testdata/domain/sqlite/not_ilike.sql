(t0.active = ? AND ((NOT t0.email LIKE ?) OR t0.email IS NULL))
-- args: []interface {}{true, "%spam%"}
