(t0.active = ? AND ((t0.partner_id IS NOT NULL AND t0.partner_id IN (SELECT t1.id FROM res_partner t1 WHERE t1.name LIKE ?)) OR t0.login LIKE ?))
-- args: []interface {}{true, "%ulla%", "%ulla%"}
