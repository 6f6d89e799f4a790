(t0.active = ? AND t0.partner_latitude > ?)
-- args: []interface {}{true, 45}
