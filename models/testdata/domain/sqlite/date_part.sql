(t0.active = ? AND CAST(strftime('%m', t0.create_date) AS INTEGER) = ?)
-- args: []interface {}{true, 11}
