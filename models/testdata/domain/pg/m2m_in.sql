(t0.active = ? AND t0.id IN (SELECT r.uid FROM res_groups_users_rel r JOIN res_groups t1 ON t1.id = r.gid WHERE t1.id IN (?)))
-- args: []interface {}{true, 1}
