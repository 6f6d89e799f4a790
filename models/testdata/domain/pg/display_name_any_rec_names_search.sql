(t0.active = ? AND (((t0.complete_name ILIKE ? OR t0.email ILIKE ?) OR t0.ref ILIKE ?) OR t0.vat ILIKE ?))
-- args: []interface {}{true, "%kraut%", "%kraut%", "%kraut%", "%kraut%"}
