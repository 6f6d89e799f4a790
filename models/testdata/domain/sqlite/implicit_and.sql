(t0.active = ? AND (t0.is_company = ? AND t0.city LIKE ?))
-- args: []interface {}{true, true, "%brussels%"}
