package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestUserCopy checks, on both stores, that copying a user makes a new
// user with a partner of its own (made from the copied partner fields), its
// login and name marked as a copy's, as Odoo's res.users.copy; a login
// given as default is taken as it is.
func TestUserCopy(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		login := "copied-" + uniqueName("")
		u := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Ulla", "login": login, "ref": "REF-" + login}}, nil)
		fields := []any{"login", "name", "ref", "partner_id"}
		read := func(id any) map[string]any {
			return e.mustKw(t, c, "res.users", "read", []any{[]any{id}, fields}, map[string]any{"load": "_classic_write"}).([]any)[0].(map[string]any)
		}
		orig := read(u)
		for _, tc := range []struct {
			name         string
			def          map[string]any
			login, uname string
		}{
			{"marked as a copy", nil, login + " (copy)", "Ulla (copy)"},
			{"login given", map[string]any{"login": login + "-2"}, login + "-2", "Ulla (copy)"},
		} {
			kw := map[string]any{}
			if tc.def != nil {
				kw["default"] = tc.def
			}
			id := e.mustKw(t, c, "res.users", "copy", []any{[]any{u}}, kw).([]any)[0]
			got := read(id)
			equal(t, tc.name+": login", got["login"], tc.login)
			equal(t, tc.name+": name", got["name"], tc.uname)
			equal(t, tc.name+": ref", got["ref"], "REF-"+login)
			if got["partner_id"] == orig["partner_id"] {
				t.Errorf("%s: the copy shares the partner %v", tc.name, got["partner_id"])
			}
		}
	})
}
