package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestDisplayNamesAndNameSearch checks, on both stores, the display names
// Odoo composes (a tag under its parents, archived ones included; a state
// with its country's code) and what
// name_search looks in: a partner's complete name, email and ref, a user's
// login, and a country's or state's code before the names that contain it.
func TestDisplayNamesAndNameSearch(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		p := uniqueName("")
		kw := func(model, method string, args []any, kwargs map[string]any) any {
			return e.mustKw(t, c, model, method, args, kwargs)
		}
		root := kw("res.partner.category", "create", []any{map[string]any{"name": "Root " + p, "active": false}}, nil)
		mid := kw("res.partner.category", "create", []any{map[string]any{"name": "Mid", "parent_id": root}}, nil)
		leaf := kw("res.partner.category", "create", []any{map[string]any{"name": "Leaf", "parent_id": mid}}, nil)
		country := kw("res.country", "create", []any{map[string]any{"name": "Qland " + p, "code": "QQ"}}, nil)
		islands := kw("res.country", "create", []any{map[string]any{"name": "QQ Islands " + p, "code": "QI"}}, nil)
		ca := kw("res.country.state", "create", []any{map[string]any{"name": "Calif " + p, "code": "CA", "country_id": country}}, nil)
		nc := kw("res.country.state", "create", []any{map[string]any{"name": "North Ca " + p, "code": "NC", "country_id": country}}, nil)
		aa := kw("res.country.state", "create", []any{map[string]any{"name": "Armed Ca " + p, "code": "AA", "country_id": country}}, nil)
		co := kw("res.partner", "create", []any{map[string]any{"name": "Zeta " + p, "is_company": true}}, nil)
		ann := kw("res.partner", "create", []any{map[string]any{"name": "Ann", "parent_id": co, "email": "ann-" + p + "@x.example", "ref": "REF-" + p}}, nil)
		login := "login-" + p
		user := kw("res.users", "create", []any{map[string]any{"name": "Ulla " + p, "login": login}}, nil)

		names := func(model string, id any) any {
			return kw(model, "read", []any{[]any{id}, []any{"display_name"}}, nil).([]any)[0].(map[string]any)["display_name"]
		}
		for _, tc := range []struct {
			name, model string
			id          any
			want        string
		}{
			{"tag under its parents", "res.partner.category", leaf, "Root " + p + " / Mid / Leaf"},
			{"state with its country's code", "res.country.state", ca, "Calif " + p + " (QQ)"},
		} {
			equal(t, tc.name, names(tc.model, tc.id), tc.want)
		}
		pair := func(model string, id any) []any { return []any{id, names(model, id)} }
		mine := []any{[]any{"country_id", "=", country}}
		for _, tc := range []struct {
			name, model, search string
			args                []any
			want                []any
		}{
			{"partner by complete name", "res.partner", "Zeta " + p + ", An", nil, []any{pair("res.partner", ann)}},
			{"partner by email", "res.partner", "ann-" + p, nil, []any{pair("res.partner", ann)}},
			{"partner by ref", "res.partner", "REF-" + p, nil, []any{pair("res.partner", ann)}},
			{"user by login", "res.users", login, nil, []any{pair("res.users", user)}},
			{"user by name", "res.users", "Ulla " + p, nil, []any{pair("res.users", user)}},
			{"country by code first, then by name", "res.country", "QQ", nil, []any{pair("res.country", country), pair("res.country", islands)}},
			{"state by code first, then by name in code order", "res.country.state", "CA", mine,
				[]any{pair("res.country.state", ca), pair("res.country.state", aa), pair("res.country.state", nc)}},
		} {
			kwargs := map[string]any{}
			if tc.args != nil {
				kwargs["args"] = tc.args
			}
			equal(t, tc.name, kw(tc.model, "name_search", []any{tc.search}, kwargs), tc.want)
		}
	})
}
