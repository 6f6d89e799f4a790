(t0.active = ? AND t0.country_id IN (SELECT t1.id FROM res_country t1 WHERE godoo_lower(t1.name) LIKE godoo_lower(?)))
-- args: []interface {}{true, "%belg%"}
