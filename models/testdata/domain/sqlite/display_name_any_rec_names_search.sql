(t0.active = ? AND (((godoo_lower(t0.complete_name) LIKE godoo_lower(?) OR godoo_lower(t0.email) LIKE godoo_lower(?)) OR godoo_lower(t0.ref) LIKE godoo_lower(?)) OR godoo_lower(t0.vat) LIKE godoo_lower(?)))
-- args: []interface {}{true, "%kraut%", "%kraut%", "%kraut%", "%kraut%"}
