package integration_test

import (
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestORMChecklist runs the lines of the checklist of spec/orm.md §10 that
// the other scenario tests leave out, over both protocols on every store.
func TestORMChecklist(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			t.Run("search count is a TypeError", func(t *testing.T) { testSearchCount(t, e, c) })
			t.Run("constraint messages", func(t *testing.T) { testConstraintMessages(t, e, c) })
		})
	})
}

// 17+: search(..., count=True) is a TypeError; search_count is the way.
func testSearchCount(t *testing.T, e *env, c caller) {
	_, f := e.kw(t, c, "res.partner", "search", []any{[]any{}}, map[string]any{"count": true})
	wantExact(t, c, f, 1, "builtins.TypeError", "BaseModel.search() got an unexpected keyword argument 'count'")
	// A 16-style client passing count as the fifth positional argument.
	_, f = e.kw(t, c, "res.partner", "search", []any{[]any{}, int64(0), int64(0), false, true}, nil)
	wantExact(t, c, f, 1, "builtins.TypeError", "BaseModel.search() takes from 2 to 5 positional arguments but 6 were given")
	n := e.mustKw(t, c, "res.partner", "search_count", []any{[]any{}}, nil)
	if v, ok := n.(int64); !ok || v == 0 {
		t.Errorf("search_count = %#v", n)
	}
}

// The database's integrity errors read the same on both stores, and as Odoo
// 18 words them (service/model.py _as_validation_error), trailing newline
// included: a broken foreign key names the model owning the constraint and
// the constraint, whether a record is still referenced or a reference points
// at nothing; a table that is no model's (a many2many link) is "Unknown".
func testConstraintMessages(t *testing.T, e *env, c caller) {
	const fk = "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n"
	_, f := e.kw(t, c, "res.partner", "create", []any{map[string]any{"name": "Nowhere", "country_id": int64(999999)}}, nil)
	wantExact(t, c, f, 2, "odoo.exceptions.ValidationError", fk+"Model: Contact (res.partner)\nConstraint: res_partner_country_id_fkey\n")
	equal(t, "refused create rolled back", e.count(t, "res.partner", []any{[]any{"name", "=", "Nowhere"}}), int64(0))

	id := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "FK " + c.protocol()}}, nil)
	_, f = e.kw(t, c, "res.partner", "write", []any{[]any{id}, map[string]any{"city": "x", "parent_id": int64(999999)}}, nil)
	wantExact(t, c, f, 2, "odoo.exceptions.ValidationError", fk+"Model: Contact (res.partner)\nConstraint: res_partner_parent_id_fkey\n")
	_, f = e.kw(t, c, "res.partner", "write", []any{[]any{id}, map[string]any{"category_id": []any{[]any{int64(4), int64(999999), int64(0)}}}}, nil)
	wantExact(t, c, f, 2, "odoo.exceptions.ValidationError", fk+"Model: Unknown (unknown)\nConstraint: res_partner_res_partner_category_rel_category_id_fkey\n")
	_, f = e.kw(t, c, "res.users", "create", []any{map[string]any{"login": "fk-" + c.protocol(), "partner_id": int64(999999)}}, nil)
	wantExact(t, c, f, 2, "odoo.exceptions.ValidationError", fk+"Model: User (res.users)\nConstraint: res_users_partner_id_fkey\n")

	// Deleting a record another model requires (ondelete restrict).
	company := e.mustKw(t, c, "res.company", "read", []any{[]any{int64(1)}, []any{"partner_id"}}, nil).([]any)[0].(map[string]any)
	_, f = e.kw(t, c, "res.partner", "unlink", []any{[]any{company["partner_id"].([]any)[0]}}, nil)
	wantExact(t, c, f, 2, "odoo.exceptions.ValidationError", fk+"Model: Companies (res.company)\nConstraint: res_company_partner_id_fkey\n")

	// A required field left empty.
	_, f = e.kw(t, c, "res.company", "create", []any{map[string]any{"name": "No partner"}}, nil)
	wantExact(t, c, f, 2, "odoo.exceptions.ValidationError", "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n"+
		"- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n"+
		"Model: Companies (res.company)\nField: Partner (partner_id)\n")
	// A unique constraint with its declared message.
	_, f = e.kw(t, c, "res.users", "create", []any{map[string]any{"login": "admin", "name": "Second admin"}}, nil)
	wantExact(t, c, f, 2, "odoo.exceptions.ValidationError", "The operation cannot be completed: You can not have two users with the same login!")
	e.mustKw(t, c, "res.partner", "unlink", []any{[]any{id}}, nil)
}
