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
			t.Run("field groups", func(t *testing.T) { testFieldGroups(t, e, c) })
			t.Run("web_search_read and web_read", func(t *testing.T) { testWebRead(t, e, c) })
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

// A field with groups (res.partner.signup_type, for Access Rights managers
// as in Odoo's auth_signup) is hidden from fields_get and from a read of all
// fields for other users, and naming it is an AccessError; admin sees it.
func testFieldGroups(t *testing.T, e *env, c caller) {
	p := c.protocol()
	demo, _ := c.call(t, "common", "login", e.db, "demo", "demo")
	asDemo := func(method string, args []any, kwargs map[string]any) (any, *faultInfo) {
		if kwargs == nil {
			return c.call(t, "object", "execute_kw", e.db, demo, "demo", "res.partner", method, args)
		}
		return c.call(t, "object", "execute_kw", e.db, demo, "demo", "res.partner", method, args, kwargs)
	}
	denied := func(op string) string {
		return "You do not have enough rights to access the field \"signup_type\" on Contact (res.partner). " +
			"Please contact your system administrator.\n\nOperation: " + op
	}
	id := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Signup " + p, "signup_type": "signup"}}, nil).(int64)
	defer e.mustKw(t, c, "res.partner", "unlink", []any{[]any{id}}, nil)

	// Admin (an Access Rights manager) sees and uses the field.
	fg := e.mustKw(t, c, "res.partner", "fields_get", []any{[]any{"signup_type"}, []any{"type", "string"}}, nil)
	equal(t, "admin fields_get", fg, map[string]any{"signup_type": map[string]any{"type": "char", "string": "Signup Token Type"}})
	rec := e.mustKw(t, c, "res.partner", "read", []any{[]any{id}}, nil).([]any)[0].(map[string]any)
	equal(t, "admin default read", rec["signup_type"], "signup")
	found := e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"signup_type", "=", "signup"}, []any{"id", "=", id}}}, map[string]any{"order": "signup_type"})
	equal(t, "admin search on the field", found, []any{id})

	// An internal user does not see it.
	v, f := asDemo("fields_get", []any{}, map[string]any{"attributes": []any{"type"}})
	if f != nil {
		t.Fatal(f)
	}
	all := v.(map[string]any)
	if _, ok := all["signup_type"]; ok || all["name"] == nil {
		t.Errorf("demo fields_get: signup_type listed or name missing: %v", all["signup_type"])
	}
	v, f = asDemo("fields_get", []any{[]any{"signup_type"}}, nil)
	if f != nil {
		t.Fatal(f)
	}
	equal(t, "demo fields_get of the field", v, map[string]any{})
	v, f = asDemo("read", []any{[]any{id}}, nil)
	if f != nil {
		t.Fatal(f)
	}
	r := v.([]any)[0].(map[string]any)
	if _, ok := r["signup_type"]; ok || r["name"] != "Signup "+p {
		t.Errorf("demo default read = %v", r)
	}
	v, f = asDemo("search_read", []any{[]any{[]any{"id", "=", id}}}, nil)
	if f != nil {
		t.Fatal(f)
	}
	if _, ok := v.([]any)[0].(map[string]any)["signup_type"]; ok {
		t.Error("demo default search_read returns signup_type")
	}
	_, f = asDemo("read", []any{[]any{id}, []any{"name", "signup_type"}}, nil)
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("read"))
	_, f = asDemo("search_read", []any{[]any{}}, map[string]any{"fields": []any{"signup_type"}, "limit": int64(1)})
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("read"))
	_, f = asDemo("search", []any{[]any{[]any{"signup_type", "=", "signup"}}}, nil)
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("read"))
	_, f = asDemo("search", []any{[]any{}}, map[string]any{"order": "signup_type desc"})
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("read"))
	_, f = asDemo("read_group", []any{[]any{}, []any{}, []any{"signup_type"}}, nil)
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("read"))
	_, f = asDemo("write", []any{[]any{id}, map[string]any{"signup_type": "reset"}}, nil)
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("write"))
	_, f = asDemo("create", []any{map[string]any{"name": "Demo signup " + p, "signup_type": "x"}}, nil)
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("write"))
	equal(t, "refused create rolled back", e.count(t, "res.partner", []any{[]any{"name", "=", "Demo signup " + p}}), int64(0))

	// The field's value is untouched, and copy (which never copies it, as
	// copy=False) works for the internal user.
	v, f = asDemo("copy", []any{[]any{id}}, nil)
	if f != nil {
		t.Fatal(f)
	}
	cp := v.([]any)[0]
	got := e.mustKw(t, c, "res.partner", "read", []any{[]any{id, cp}, []any{"signup_type"}}, nil).([]any)
	equal(t, "after refusals", got[0].(map[string]any)["signup_type"], "signup")
	equal(t, "copy leaves it out", got[1].(map[string]any)["signup_type"], false)
	e.mustKw(t, c, "res.partner", "unlink", []any{[]any{cp}}, nil)
}

// web_search_read and web_read (Odoo 17+'s web API, 18's answers): a
// specification of fields, many2one values as {id, display_name} when asked
// for, x2many values as dicts, and the total count.
func testWebRead(t *testing.T, e *env, c caller) {
	p := c.protocol()
	tag := e.mustKw(t, c, "res.partner.category", "create", []any{map[string]any{"name": "Web tag " + p}}, nil).(int64)
	co := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Web Co " + p, "is_company": true,
		"email": "co@example.com", "category_id": []any{tag}}}, nil).(int64)
	anna := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Anna " + p, "parent_id": co}}, nil).(int64)
	bert := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Bert " + p, "parent_id": co, "email": "bert@example.com"}}, nil).(int64)
	defer e.mustKw(t, c, "res.partner", "unlink", []any{[]any{anna, bert, co}}, nil)
	defer e.mustKw(t, c, "res.partner.category", "unlink", []any{[]any{tag}}, nil)
	kids := []any{[]any{"parent_id", "=", co}}
	spec := map[string]any{"name": map[string]any{}, "email": map[string]any{},
		"parent_id": map[string]any{"fields": map[string]any{"display_name": map[string]any{}}}}
	parent := map[string]any{"id": co, "display_name": "Web Co " + p}
	wsr := func(kwargs map[string]any) any {
		return e.mustKw(t, c, "res.partner", "web_search_read", []any{kids, spec}, kwargs)
	}

	// A full page: the matching records are counted.
	equal(t, "first page", wsr(map[string]any{"order": "name", "limit": int64(1)}), map[string]any{"length": int64(2),
		"records": []any{map[string]any{"id": anna, "name": "Anna " + p, "email": false, "parent_id": parent}}})
	equal(t, "second page", wsr(map[string]any{"order": "name", "limit": int64(1), "offset": int64(1)}), map[string]any{"length": int64(2),
		"records": []any{map[string]any{"id": bert, "name": "Bert " + p, "email": "bert@example.com", "parent_id": parent}}})
	// Without a limit, or when count_limit is reached, length is what was read.
	got := wsr(map[string]any{"order": "name desc"}).(map[string]any)
	equal(t, "no limit length", got["length"], int64(2))
	equal(t, "order", []any{got["records"].([]any)[0].(map[string]any)["id"], got["records"].([]any)[1].(map[string]any)["id"]}, []any{bert, anna})
	equal(t, "count_limit reached", wsr(map[string]any{"limit": int64(1), "count_limit": int64(1)}).(map[string]any)["length"], int64(1))
	equal(t, "nothing found", e.mustKw(t, c, "res.partner", "web_search_read", []any{[]any{[]any{"id", "=", int64(0)}}, spec}, nil),
		map[string]any{"length": int64(0), "records": []any{}})

	// web_read: a many2one without "fields" is the bare id, with more
	// fields a dict of them; x2many lists become dicts with "fields", in
	// "order", and past "limit" only {"id": ...}.
	recs := e.mustKw(t, c, "res.partner", "web_read", []any{[]any{anna}, map[string]any{"parent_id": map[string]any{}}}, nil)
	equal(t, "bare many2one", recs, []any{map[string]any{"id": anna, "parent_id": co}})
	recs = e.mustKw(t, c, "res.partner", "web_read", []any{[]any{bert}, map[string]any{"parent_id": map[string]any{"fields": map[string]any{
		"display_name": map[string]any{}, "email": map[string]any{}, "category_id": map[string]any{}}}}}, nil)
	equal(t, "many2one with fields", recs, []any{map[string]any{"id": bert, "parent_id": map[string]any{
		"id": co, "display_name": "Web Co " + p, "email": "co@example.com", "category_id": []any{tag}}}})
	recs = e.mustKw(t, c, "res.partner", "web_read", []any{[]any{co}, map[string]any{
		"child_ids":   map[string]any{"fields": map[string]any{"name": map[string]any{}}, "order": "name desc"},
		"category_id": map[string]any{"fields": map[string]any{"display_name": map[string]any{}}},
		"user_ids":    map[string]any{}}}, nil)
	equal(t, "x2many with fields", recs, []any{map[string]any{"id": co,
		"child_ids":   []any{map[string]any{"id": bert, "name": "Bert " + p}, map[string]any{"id": anna, "name": "Anna " + p}},
		"category_id": []any{map[string]any{"id": tag, "display_name": "Web tag " + p}},
		"user_ids":    []any{}}})
	recs = e.mustKw(t, c, "res.partner", "web_read", []any{[]any{co}, map[string]any{
		"child_ids": map[string]any{"fields": map[string]any{"name": map[string]any{}}, "order": "name", "limit": int64(1)}}}, nil)
	equal(t, "x2many limit", recs, []any{map[string]any{"id": co,
		"child_ids": []any{map[string]any{"id": anna, "name": "Anna " + p}, map[string]any{"id": bert}}}})
	equal(t, "empty specification", e.mustKw(t, c, "res.partner", "web_read", []any{[]any{co}, map[string]any{}}, nil),
		[]any{map[string]any{"id": co}})
	_, f := e.kw(t, c, "res.partner", "web_read", []any{[]any{co}, map[string]any{"nope": map[string]any{}}}, nil)
	wantExact(t, c, f, 1, "builtins.ValueError", "Invalid field 'nope' on model 'res.partner'")
	_, f = e.kw(t, c, "res.partner", "web_search_read", []any{[]any{}}, nil)
	wantExact(t, c, f, 1, "builtins.TypeError", "Base.web_search_read() missing 1 required positional argument: 'specification'")
}
