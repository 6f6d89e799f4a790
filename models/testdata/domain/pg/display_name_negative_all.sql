(t0.active = ? AND (((((NOT t0.complete_name ILIKE ?) OR t0.complete_name IS NULL) AND ((NOT t0.email ILIKE ?) OR t0.email IS NULL)) AND ((NOT t0.ref ILIKE ?) OR t0.ref IS NULL)) AND ((NOT t0.vat ILIKE ?) OR t0.vat IS NULL)))
-- args: []interface {}{true, "%kraut%", "%kraut%", "%kraut%", "%kraut%"}
