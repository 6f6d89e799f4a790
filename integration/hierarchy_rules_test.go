package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestHierarchyRules checks what Odoo 18 does with the hierarchies of
// partners and tags: a write that makes a record its own ancestor is
// refused, with a UserError on a model that keeps a parent_path
// (res.partner.category) and res.partner's ValidationError, as is any
// write of a company's parent (res.company's UserError: the company
// hierarchy is fixed at creation), and nothing is written; a contact's defaults take its parent's company; an address
// without a name is named by its type after its parent's name.
func TestHierarchyRules(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			p := c.protocol()
			cat := func(name string, parent any) any {
				return e.mustKw(t, c, "res.partner.category", "create", []any{map[string]any{"name": name + " " + p, "parent_id": parent}}, nil)
			}
			top := cat("HR top", false)
			mid := cat("HR mid", top)
			low := cat("HR low", mid)
			company := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "HR Co " + p, "is_company": true}}, nil)
			contact := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "HR Contact " + p, "parent_id": company}}, nil)
			invoice := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"type": "invoice", "parent_id": company}}, nil)
			firm := func(name string, parent any) any {
				return e.mustKw(t, c, "res.company", "create", []any{map[string]any{"name": name + " " + p, "parent_id": parent}}, nil)
			}
			root := firm("HR root firm", false)
			branch, other := firm("HR branch firm", root), firm("HR other firm", false)

			refusals := []struct {
				name       string
				model      string
				id, parent any
				code       int
				exc, msg   string
			}{
				{"a tag under its grandchild", "res.partner.category", top, low, 2, "odoo.exceptions.UserError", "Recursion Detected."},
				{"a tag under itself", "res.partner.category", mid, mid, 2, "odoo.exceptions.UserError", "Recursion Detected."},
				{"a company under its contact", "res.partner", company, contact, 2, "odoo.exceptions.ValidationError",
					"You cannot create recursive Partner hierarchies."},
				{"a branch moved under another company", "res.company", branch, other, 2, "odoo.exceptions.UserError",
					"The company hierarchy cannot be changed."},
				{"a branch made a root", "res.company", branch, false, 2, "odoo.exceptions.UserError",
					"The company hierarchy cannot be changed."},
				{"a root put under another company", "res.company", root, other, 2, "odoo.exceptions.UserError",
					"The company hierarchy cannot be changed."},
			}
			for _, tc := range refusals {
				t.Run(tc.name, func(t *testing.T) {
					_, f := e.kw(t, c, tc.model, "write", []any{[]any{tc.id}, map[string]any{"parent_id": tc.parent}}, nil)
					wantExact(t, c, f, tc.code, tc.exc, tc.msg)
					got := e.mustKw(t, c, tc.model, "read", []any{[]any{tc.id}, []any{"parent_id"}}, nil).([]any)[0].(map[string]any)
					if got["parent_id"] == tc.parent || isPair(got["parent_id"], tc.parent) {
						t.Errorf("the refused write was kept: parent_id %v", got["parent_id"])
					}
				})
			}
			t.Run("a tag moved elsewhere in its tree", func(t *testing.T) {
				e.mustKw(t, c, "res.partner.category", "write", []any{[]any{low}, map[string]any{"parent_id": top}}, nil)
			})

			t.Run("a contact's defaults take its parent's company", func(t *testing.T) {
				got := e.mustKw(t, c, "res.partner", "default_get", []any{[]any{"name", "parent_id"}},
					map[string]any{"context": map[string]any{"default_parent_id": company, "default_name": "X"}}).(map[string]any)
				equal(t, "default_get", got, map[string]any{"name": "X", "parent_id": company, "company_id": false})
				got = e.mustKw(t, c, "res.partner", "default_get", []any{[]any{"name"}},
					map[string]any{"context": map[string]any{"default_parent_id": company, "default_name": "X"}}).(map[string]any)
				equal(t, "default_get without parent_id", got, map[string]any{"name": "X"})
			})

			t.Run("an address without a name", func(t *testing.T) {
				got := e.mustKw(t, c, "res.partner", "read", []any{[]any{invoice}, []any{"name", "display_name"}}, nil).([]any)[0].(map[string]any)
				equal(t, "display_name", got["display_name"], "HR Co "+p+", Invoice Address")
			})
		})
	})
}

// isPair tells a many2one value [id, name] of id.
func isPair(v, id any) bool {
	l, ok := v.([]any)
	return ok && len(l) == 2 && l[0] == id
}
