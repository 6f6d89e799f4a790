(t0.active = ? AND (((((NOT t0.complete_name LIKE ?) OR t0.complete_name IS NULL) AND ((NOT t0.email LIKE ?) OR t0.email IS NULL)) AND ((NOT t0.ref LIKE ?) OR t0.ref IS NULL)) AND ((NOT t0.vat LIKE ?) OR t0.vat IS NULL)))
-- args: []interface {}{true, "%kraut%", "%kraut%", "%kraut%", "%kraut%"}
