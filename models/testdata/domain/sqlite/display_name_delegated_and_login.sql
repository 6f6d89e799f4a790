(t0.active = ? AND ((t0.partner_id IS NOT NULL AND t0.partner_id IN (SELECT t1.id FROM res_partner t1 WHERE godoo_lower(t1.name) LIKE godoo_lower(?))) OR godoo_lower(t0.login) LIKE godoo_lower(?)))
-- args: []interface {}{true, "%ulla%", "%ulla%"}
