(t0.active = ? AND ((NOT t0.country_id IN (SELECT t1.id FROM res_country t1 WHERE t1.name = ?)) OR t0.country_id IS NULL))
-- args: []interface {}{true, "Belgium"}
