package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestPartnerDefaultOrder checks, on both stores, that res.partner lists in
// Odoo's default order (complete_name, then the newest first), with the
// partners without a complete name last on SQLite as on PostgreSQL, and
// that search_fetch answers the same ids, and that an archived user's partner is archived with it, so that searches
// without active_test=False leave it out.
func TestPartnerDefaultOrder(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		ref := "ORD-" + uniqueName("")
		create := func(vals map[string]any) any {
			vals["ref"] = ref
			return e.mustKw(t, c, "res.partner", "create", []any{vals}, nil)
		}
		b := create(map[string]any{"name": "Bbb"})
		a1 := create(map[string]any{"name": "Aaa"})
		a2 := create(map[string]any{"name": "Aaa"})
		unnamed := create(map[string]any{"type": "invoice"})
		co := create(map[string]any{"name": "Zed", "is_company": true})
		contact := create(map[string]any{"name": "Aaron", "parent_id": co})
		mine := []any{[]any{"ref", "=", ref}}
		cases := []struct {
			name  string
			order any
			want  []any
		}{
			{"default order", nil, []any{a2, a1, b, co, contact, unnamed}},
			{"descending puts the unnamed first", "complete_name desc, id", []any{unnamed, contact, co, b, a1, a2}},
			{"explicit placement", "complete_name asc nulls first, id", []any{unnamed, a1, a2, b, co, contact}},
		}
		for _, tc := range cases {
			kw := map[string]any{}
			if tc.order != nil {
				kw["order"] = tc.order
			}
			equal(t, tc.name, e.mustKw(t, c, "res.partner", "search", []any{mine}, kw), tc.want)
			equal(t, "search_fetch, "+tc.name, e.mustKw(t, c, "res.partner", "search_fetch", []any{mine, []any{"name"}}, kw), tc.want)
		}

		login := "archived-" + uniqueName("")
		u := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Ari " + login, "login": login, "active": false}}, nil)
		pid := e.mustKw(t, c, "res.users", "read", []any{[]any{u}, []any{"partner_id"}}, map[string]any{"load": "_classic_write"}).([]any)[0].(map[string]any)["partner_id"]
		equal(t, "archived user's partner", e.mustKw(t, c, "res.partner", "search_count", []any{[]any{[]any{"id", "=", pid}}}, nil), int64(0))
		equal(t, "archived user's partner, archived", e.mustKw(t, c, "res.partner", "search_count",
			[]any{[]any{[]any{"id", "=", pid}, []any{"active", "=", false}}}, nil), int64(1))
	})
}
