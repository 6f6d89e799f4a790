package models

import (
	"slices"
	"strings"
)

// selfWrite reports whether a write of a's values on ids is a user
// changing their own preferences: the ids are the caller's own record alone
// and every value is of a field the model lets users write on themselves
// (Hooks.SelfWritable, or a context_* field). Odoo's res.users.write then
// writes as the superuser, past the access rights and rules that keep users
// from changing users.
func (m *Model) selfWrite(env *Env, ids []int64, a Args) bool {
	if len(m.SelfWritable) == 0 || len(ids) != 1 || ids[0] != env.UID {
		return false
	}
	vals, ok := a["vals"].(map[string]any)
	if !ok {
		return false
	}
	for k := range vals {
		if !slices.Contains(m.SelfWritable, k) && !strings.HasPrefix(k, "context_") {
			return false
		}
	}
	return true
}
