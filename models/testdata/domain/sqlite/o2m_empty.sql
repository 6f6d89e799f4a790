(t0.active = ? AND (NOT t0.id IN (SELECT t1.parent_id FROM res_partner t1 WHERE t1.parent_id IS NOT NULL AND t1.active = ?)))
-- args: []interface {}{true, true}
