(t0.active = ? AND t0.id IN (SELECT t1.parent_id FROM res_partner t1 WHERE t1.parent_id IS NOT NULL AND (t1.active = ? AND t1.id IN (?))))
-- args: []interface {}{true, true, 5}
