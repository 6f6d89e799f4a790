package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestDomainEdges checks domain terms whose meaning Odoo 18 fixes in ways
// that are easy to miss: ” compared as False, child_of including the
// records it starts from (also through the parent field itself and by
// name), and operators only in the case Odoo accepts.
func TestDomainEdges(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			ref := "de-" + c.protocol()
			create := func(vals map[string]any) int64 {
				vals["ref"] = ref
				return e.mustKw(t, c, "res.partner", "create", []any{vals}, nil).(int64)
			}
			top := create(map[string]any{"name": "Edge Top " + c.protocol(), "is_company": true, "email": "top@example.com"})
			mid := create(map[string]any{"name": "Edge Mid", "parent_id": top})
			low := create(map[string]any{"name": "Edge Low", "parent_id": mid, "email": "low@example.com"})
			other := create(map[string]any{"name": "Edge Other"})
			search := func(leaf ...any) any {
				return e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"ref", "=", ref}, leaf}}, map[string]any{"order": "id"})
			}
			cases := []struct {
				name string
				leaf []any
				want []int64
			}{
				{"= '' is = False", []any{"email", "=", ""}, []int64{mid, other}},
				{"!= '' is != False", []any{"email", "!=", ""}, []int64{top, low}},
				{"= False", []any{"email", "=", false}, []int64{mid, other}},
				{"child_of includes itself", []any{"id", "child_of", top}, []int64{top, mid, low}},
				{"child_of a list", []any{"id", "child_of", []any{mid, other}}, []int64{mid, low, other}},
				{"child_of through the parent field", []any{"parent_id", "child_of", top}, []int64{top, mid, low}},
				{"child_of by name", []any{"id", "child_of", "Edge Top " + c.protocol()}, []int64{top, mid, low}},
				{"parent_of includes itself", []any{"id", "parent_of", low}, []int64{top, mid, low}},
			}
			for _, tc := range cases {
				want := make([]any, len(tc.want))
				for i, id := range tc.want {
					want[i] = id
				}
				t.Run(tc.name, func(t *testing.T) { equal(t, tc.name, search(tc.leaf...), want) })
			}
			t.Run("an operator in capitals", func(t *testing.T) {
				_, f := e.kw(t, c, "res.partner", "search", []any{[]any{[]any{"name", "ILIKE", "edge"}}}, nil)
				wantFault(t, c, f, 1, "Invalid leaf ('name', 'ILIKE', 'edge')")
			})
		})
	})
}
