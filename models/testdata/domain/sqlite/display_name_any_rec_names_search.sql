(t0.active = ? AND (((t0.complete_name LIKE ? OR t0.email LIKE ?) OR t0.ref LIKE ?) OR t0.vat LIKE ?))
-- args: []interface {}{true, "%kraut%", "%kraut%", "%kraut%", "%kraut%"}
