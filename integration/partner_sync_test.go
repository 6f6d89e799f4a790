package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestPartnerFieldsSync checks, on both stores, what contacts take from the
// partners above them as Odoo 18 keeps it: a contact's address is its
// parent's (replacing its own), other address types keep theirs, a change
// of the company's address reaches its contacts but not theirs, the
// commercial fields (vat) reach every person under the commercial entity,
// and a company without address takes its first contact's.
func TestPartnerFieldsSync(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		p := uniqueName("")
		create := func(vals map[string]any) any {
			return e.mustKw(t, c, "res.partner", "create", []any{vals}, nil)
		}
		co := create(map[string]any{"name": "Co " + p, "is_company": true, "city": "Berlin", "zip": "10119", "vat": "DE123"})
		ann := create(map[string]any{"name": "Ann " + p, "parent_id": co, "city": "Hamburg"})
		inv := create(map[string]any{"name": "Inv " + p, "parent_id": co, "type": "invoice", "city": "Bremen"})
		branch := create(map[string]any{"name": "Branch " + p, "parent_id": co, "is_company": true})
		bob := create(map[string]any{"name": "Bob " + p, "parent_id": ann})
		bare := create(map[string]any{"name": "Bare " + p, "is_company": true})
		first := create(map[string]any{"name": "First " + p, "parent_id": bare, "city": "Lyon", "zip": "69002"})
		read := func(id any) map[string]any {
			r := e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{"city", "zip", "vat"}}, nil).([]any)[0].(map[string]any)
			delete(r, "id")
			return r
		}
		want := func(city, zip, vat any) map[string]any { return map[string]any{"city": city, "zip": zip, "vat": vat} }
		check := func(stage string, cases []struct {
			name string
			id   any
			want map[string]any
		}) {
			for _, tc := range cases {
				equal(t, stage+": "+tc.name, read(tc.id), tc.want)
			}
		}
		type row = struct {
			name string
			id   any
			want map[string]any
		}
		check("created", []row{
			{"contact takes the company's address and vat", ann, want("Berlin", "10119", "DE123")},
			{"invoice address keeps its own", inv, want("Bremen", false, "DE123")},
			{"a company under a company keeps its vat", branch, want("Berlin", "10119", false)},
			{"contact of a contact", bob, want("Berlin", "10119", "DE123")},
			{"first contact gives its address to a company without one", bare, want("Lyon", "69002", false)},
			{"first contact", first, want("Lyon", "69002", false)},
		})
		e.mustKw(t, c, "res.partner", "write", []any{[]any{co}, map[string]any{"city": "Munich", "vat": "DE456"}}, nil)
		check("company changed", []row{
			{"contact follows", ann, want("Munich", "10119", "DE456")},
			{"invoice address keeps its city", inv, want("Bremen", false, "DE456")},
			{"contact of a contact keeps its city, takes the vat", bob, want("Berlin", "10119", "DE456")},
			{"company under the company follows the address", branch, want("Munich", "10119", false)},
		})
		e.mustKw(t, c, "res.partner", "write", []any{[]any{inv}, map[string]any{"type": "contact"}}, nil)
		check("invoice address made a contact", []row{{"takes the address", inv, want("Munich", "10119", "DE456")}})
	})
}
