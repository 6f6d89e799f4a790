package integration_test

import (
	"testing"
	"time"

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
			t.Run("domains", func(t *testing.T) { testChecklistDomains(t, e, c) })
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

// checklistData is a small set of partners and tags for the domain, active
// test and method lines, named after the protocol so that both protocols
// can run on one database.
type checklistData struct {
	p                            string
	tagA, tagB, tagArch          int64
	co, anna, bert, gone, orphan int64
	scope                        []any // ("id", "in", all of them)
}

func newChecklistData(t *testing.T, e *env, c caller) *checklistData {
	t.Helper()
	d := &checklistData{p: c.protocol()}
	mk := func(model string, vals map[string]any) int64 {
		return e.mustKw(t, c, model, "create", []any{vals}, nil).(int64)
	}
	d.tagA = mk("res.partner.category", map[string]any{"name": "CK TagA " + d.p})
	d.tagB = mk("res.partner.category", map[string]any{"name": "CK TagB " + d.p})
	d.tagArch = mk("res.partner.category", map[string]any{"name": "CK TagArch " + d.p, "active": false})
	d.co = mk("res.partner", map[string]any{"name": "CK Co " + d.p, "is_company": true, "email": "co@x", "color": int64(3),
		"category_id": []any{d.tagA, d.tagArch}})
	d.anna = mk("res.partner", map[string]any{"name": "CK Anna " + d.p, "is_company": false, "parent_id": d.co,
		"email": "a%b@x", "color": int64(7), "category_id": []any{d.tagB}})
	d.bert = mk("res.partner", map[string]any{"name": "CK Bert " + d.p})
	d.gone = mk("res.partner", map[string]any{"name": "CK Gone " + d.p, "is_company": true, "active": false})
	d.orphan = mk("res.partner", map[string]any{"name": "CK Orphan " + d.p, "parent_id": d.gone})
	d.scope = []any{"id", "in", []any{d.co, d.anna, d.bert, d.gone, d.orphan}}
	t.Cleanup(func() {
		e.mustKw(t, c, "res.partner", "unlink", []any{[]any{d.orphan, d.anna, d.bert, d.gone, d.co}}, nil)
		e.mustKw(t, c, "res.partner.category", "unlink", []any{[]any{d.tagA, d.tagB, d.tagArch}}, nil)
	})
	return d
}

// search runs search on the data's scope plus domain, ordered by id.
func (d *checklistData) search(t *testing.T, e *env, c caller, kwargs map[string]any, domain ...any) []int64 {
	t.Helper()
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	kwargs["order"] = "id"
	return ids(t, e.mustKw(t, c, "res.partner", "search", []any{append([]any{d.scope}, domain...)}, kwargs))
}

// The domain lines of the checklist not covered by TestDomainSemantics.
func testChecklistDomains(t *testing.T, e *env, c caller) {
	d := newChecklistData(t, e, c)
	p := d.p
	all := []int64{d.co, d.anna, d.bert, d.orphan} // active ones
	today := time.Now().UTC().Format("2006-01-02")
	cases := []struct {
		name   string
		domain []any
		want   []int64
	}{
		{"TRUE_LEAF", []any{[]any{int64(1), "=", int64(1)}}, all},
		{"FALSE_LEAF", []any{[]any{int64(0), "=", int64(1)}}, []int64{}},
		{"[A, B] is & A B", []any{"&", []any{"color", "!=", false}, []any{"email", "ilike", "x"}}, []int64{d.co, d.anna}},
		{"[A, B] implicit", []any{[]any{"color", "!=", false}, []any{"email", "ilike", "x"}}, []int64{d.co, d.anna}},
		{"upper-case operator", []any{[]any{"name", "ILIKE", "ck anna"}}, []int64{d.anna}},
		{"boolean = False is NULL or false", []any{[]any{"is_company", "=", false}}, []int64{d.anna, d.bert, d.orphan}},
		{"boolean != False is true only", []any{[]any{"is_company", "!=", false}}, []int64{d.co}},
		{"< never matches NULL", []any{[]any{"email", "<", "b"}}, []int64{d.anna}},
		{"=? False is no filter", []any{[]any{"color", "=?", false}}, all},
		{"=? value is =", []any{[]any{"color", "=?", int64(3)}}, []int64{d.co}},
		{"% in a like value is a wildcard", []any{[]any{"email", "like", "c%@x"}}, []int64{d.co}},
		{"ilike False matches all", []any{[]any{"email", "ilike", false}}, all},
		{"not ilike keeps NULL", []any{[]any{"email", "not ilike", "co"}}, []int64{d.anna, d.bert, d.orphan}},
		{"=like is verbatim and case-sensitive", []any{[]any{"email", "=like", "CO@%"}}, []int64{}},
		{"=like pattern", []any{[]any{"email", "=like", "co@%"}}, []int64{d.co}},
		{"in [] matches nothing", []any{[]any{"color", "in", []any{}}}, []int64{}},
		{"not in [] matches all", []any{[]any{"color", "not in", []any{}}}, all},
		{"= list is in", []any{[]any{"color", "=", []any{int64(3), int64(7)}}}, []int64{d.co, d.anna}},
		{"datetime <= date is the end of the day", []any{[]any{"create_date", "<=", today}}, all},
		{"datetime < date is the start of the day", []any{[]any{"create_date", "<", today}}, []int64{}},
		{"datetime > date is the end of the day", []any{[]any{"create_date", ">", today}}, []int64{}},
		{"datetime >= date is the start of the day", []any{[]any{"create_date", ">=", today}}, all},
		{"many2one = name", []any{[]any{"parent_id", "=", "CK Co " + p}}, []int64{d.anna}},
		{"many2one ilike name", []any{[]any{"parent_id", "ilike", "ck co " + p}}, []int64{d.anna}},
		{"many2one != name keeps empty", []any{[]any{"parent_id", "!=", "CK Co " + p}}, []int64{d.co, d.bert, d.orphan}},
		{"many2one not ilike keeps empty", []any{[]any{"parent_id", "not ilike", "ck co"}}, []int64{d.co, d.bert, d.orphan}},
		{"many2one name finds archived", []any{[]any{"parent_id", "=", "CK Gone " + p}}, []int64{d.orphan}},
		{"x2many in: has any of", []any{[]any{"category_id", "in", []any{d.tagA, d.tagB}}}, []int64{d.co, d.anna}},
		{"x2many not in: has none", []any{[]any{"category_id", "not in", []any{d.tagB}}}, []int64{d.co, d.bert, d.orphan}},
		{"x2many = name", []any{[]any{"category_id", "=", "CK TagB " + p}}, []int64{d.anna}},
		{"path through many2one sees archived targets", []any{[]any{"parent_id.name", "=", "CK Gone " + p}}, []int64{d.orphan}},
		{"path through x2many ignores archived lines", []any{[]any{"category_id.name", "=", "CK TagArch " + p}}, []int64{}},
		{"any on many2one", []any{[]any{"parent_id", "any", []any{[]any{"email", "=", "co@x"}}}}, []int64{d.anna}},
		{"any on many2many", []any{[]any{"category_id", "any", []any{[]any{"name", "=", "CK TagA " + p}}}}, []int64{d.co}},
		{"not any on many2many", []any{[]any{"category_id", "not any", []any{[]any{"name", "=", "CK TagA " + p}}}}, []int64{d.anna, d.bert, d.orphan}},
		{"child_of includes the record", []any{[]any{"id", "child_of", d.co}}, []int64{d.co, d.anna}},
		{"child_of a list", []any{[]any{"id", "child_of", []any{d.co, d.bert}}}, []int64{d.co, d.anna, d.bert}},
		{"child_of a name", []any{[]any{"id", "child_of", "CK Co " + p}}, []int64{d.co, d.anna}},
		{"parent_of includes the record", []any{[]any{"id", "parent_of", d.anna}}, []int64{d.co, d.anna}},
		{"child_of False matches nothing", []any{[]any{"id", "child_of", false}}, []int64{}},
		{"[] is everything active", []any{}, all},
		{"a dotted active term keeps the filter", []any{[]any{"parent_id.active", "=", false}}, []int64{d.orphan}},
		{"an active term inside any keeps the filter", []any{[]any{"parent_id", "any", []any{[]any{"active", "=", false}}}}, []int64{d.orphan}},
		{"an active term under | lifts the filter", []any{"|", []any{"active", "=", false}, []any{"id", "=", d.co}}, []int64{d.co, d.gone}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { equal(t, tc.name, d.search(t, e, c, nil, tc.domain...), tc.want) })
	}
	// With active_test off, archived lines count in a path through x2many.
	got := d.search(t, e, c, map[string]any{"context": map[string]any{"active_test": false}},
		[]any{"category_id.name", "=", "CK TagArch " + p})
	equal(t, "path through x2many with active_test off", got, []int64{d.co})

	_, f := e.kw(t, c, "res.partner", "search", []any{[]any{[]any{"name", "="}}}, nil)
	wantExact(t, c, f, 1, "builtins.ValueError", "Invalid leaf ['name', '=']")
	_, f = e.kw(t, c, "res.partner", "search", []any{[]any{"name"}}, nil)
	wantFault(t, c, f, 1, "Invalid leaf")
}
