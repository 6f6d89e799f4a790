(t0.active = ? AND (t0.is_company = ? AND godoo_lower(t0.city) LIKE godoo_lower(?)))
-- args: []interface {}{true, true, "%brussels%"}
