(t0.active = ? AND ((t0.partner_id IS NOT NULL AND t0.partner_id IN (SELECT t1.id FROM res_partner t1 WHERE t1.name ILIKE ?)) OR t0.login ILIKE ?))
-- args: []interface {}{true, "%ulla%", "%ulla%"}
