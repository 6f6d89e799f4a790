(t0.active IN (?, ?) OR t0.active IS NULL)
-- args: []interface {}{true, false}
