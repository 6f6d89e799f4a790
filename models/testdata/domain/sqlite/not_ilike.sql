(t0.active = ? AND ((NOT godoo_lower(t0.email) LIKE godoo_lower(?)) OR t0.email IS NULL))
-- args: []interface {}{true, "%spam%"}
