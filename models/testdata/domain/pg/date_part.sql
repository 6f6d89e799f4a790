(t0.active = ? AND CAST(EXTRACT(MONTH FROM t0.create_date) AS INTEGER) = ?)
-- args: []interface {}{true, 11}
