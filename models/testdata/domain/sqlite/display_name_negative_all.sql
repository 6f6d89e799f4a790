(t0.active = ? AND (((((NOT godoo_lower(t0.complete_name) LIKE godoo_lower(?)) OR t0.complete_name IS NULL) AND ((NOT godoo_lower(t0.email) LIKE godoo_lower(?)) OR t0.email IS NULL)) AND ((NOT godoo_lower(t0.ref) LIKE godoo_lower(?)) OR t0.ref IS NULL)) AND ((NOT godoo_lower(t0.vat) LIKE godoo_lower(?)) OR t0.vat IS NULL)))
-- args: []interface {}{true, "%kraut%", "%kraut%", "%kraut%", "%kraut%"}
