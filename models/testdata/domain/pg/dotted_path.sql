(t0.active = ? AND (t0.country_id IS NOT NULL AND t0.country_id IN (SELECT t1.id FROM res_country t1 WHERE t1.code = ?)))
-- args: []interface {}{true, "BE"}
