(t0.active = ? AND (t0.is_company IS NULL OR t0.is_company = ?))
-- args: []interface {}{true, false}
