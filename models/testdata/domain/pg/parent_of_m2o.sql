(t0.active = ? AND t0.id IN (WITH RECURSIVE h(id) AS (SELECT id FROM res_partner WHERE id IN (?) UNION SELECT x.parent_id FROM res_partner x JOIN h ON x.id = h.id WHERE x.parent_id IS NOT NULL) SELECT id FROM h))
-- args: []interface {}{true, 7}
