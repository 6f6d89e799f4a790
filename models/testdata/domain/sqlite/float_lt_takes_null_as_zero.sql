(t0.active = ? AND (t0.partner_latitude < ? OR t0.partner_latitude IS NULL))
-- args: []interface {}{true, 45}
