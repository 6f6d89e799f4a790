(t0.active = ? AND t0.id IN (WITH RECURSIVE h(id) AS (SELECT id FROM res_partner WHERE godoo_lower(name) LIKE godoo_lower(?) UNION SELECT x.id FROM res_partner x JOIN h ON x.parent_id = h.id) SELECT id FROM h))
-- args: []interface {}{true, "%Azure%"}
