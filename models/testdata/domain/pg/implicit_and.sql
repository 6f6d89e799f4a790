(t0.active = ? AND (t0.is_company = ? AND t0.city ILIKE ?))
-- args: []interface {}{true, true, "%brussels%"}
