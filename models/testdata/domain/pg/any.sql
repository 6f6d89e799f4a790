(t0.active = ? AND (t0.parent_id IS NOT NULL AND t0.parent_id IN (SELECT t1.id FROM res_partner t1 WHERE t1.is_company = ?)))
-- args: []interface {}{true, true}
