(t0.active = ? AND (t0.parent_id IN (?) OR t0.parent_id IS NULL))
-- args: []interface {}{true, 1}
