package models

import "testing"

// TestSelfWrite: a write runs past the access rights only when it changes
// nothing but the caller's own preferences, as Odoo's res.users.write.
func TestSelfWrite(t *testing.T) {
	users := &Model{Name: "res.users", Hooks: Hooks{SelfWritable: []string{"signature", "tz", "email"}}}
	partners := &Model{Name: "res.partner"}
	env := &Env{UID: 7}
	for _, c := range []struct {
		name string
		m    *Model
		ids  []int64
		vals any
		want bool
	}{
		{"own preferences", users, []int64{7}, map[string]any{"signature": "<p>x</p>", "tz": "Europe/Berlin"}, true},
		{"context field", users, []int64{7}, map[string]any{"context_x": 1}, true},
		{"nothing to write", users, []int64{7}, map[string]any{}, true},
		{"own login", users, []int64{7}, map[string]any{"login": "x"}, false},
		{"preference and groups", users, []int64{7}, map[string]any{"tz": "UTC", "groups_id": []any{}}, false},
		{"another user", users, []int64{8}, map[string]any{"tz": "UTC"}, false},
		{"self and another", users, []int64{7, 8}, map[string]any{"tz": "UTC"}, false},
		{"no ids", users, nil, map[string]any{"tz": "UTC"}, false},
		{"values not a dict", users, []int64{7}, []any{"tz"}, false},
		{"model without self-writable fields", partners, []int64{7}, map[string]any{"tz": "UTC"}, false},
	} {
		if got := c.m.selfWrite(env, c.ids, Args{"vals": c.vals}); got != c.want {
			t.Errorf("%s: selfWrite = %v, want %v", c.name, got, c.want)
		}
	}
}
