package integration_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
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
			t.Run("active_test", func(t *testing.T) { testChecklistActive(t, e, c) })
			t.Run("methods", func(t *testing.T) { testChecklistMethods(t, e, c) })
			t.Run("order of users", func(t *testing.T) { testUsersOrder(t, e, c) })
			t.Run("read_group order and paging", func(t *testing.T) { testReadGroupOrder(t, e, c) })
			t.Run("context tz and lang", func(t *testing.T) { testContextTZ(t, e, c) })
			t.Run("value and write formats", func(t *testing.T) { testChecklistFormats(t, e, c) })
			t.Run("access rules", func(t *testing.T) { testChecklistAccess(t, e, c) })
			t.Run("implied groups", func(t *testing.T) { testImpliedGroups(t, e, c) })
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

	// A required field left empty (a company without a partner gets one,
	// as in Odoo; a tag has no name but the one given).
	_, f = e.kw(t, c, "res.partner.category", "create", []any{map[string]any{"color": int64(2)}}, nil)
	wantExact(t, c, f, 2, "odoo.exceptions.ValidationError", "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n"+
		"- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n"+
		"Model: Partner Tags (res.partner.category)\nField: Name (name)\n")
	// A unique constraint with its declared message.
	_, f = e.kw(t, c, "res.users", "create", []any{map[string]any{"login": "admin", "name": "Second admin"}}, nil)
	wantExact(t, c, f, 2, "odoo.exceptions.ValidationError", "The operation cannot be completed: You can not have two users with the same login!")
	e.mustKw(t, c, "res.partner", "unlink", []any{[]any{id}}, nil)
}

// A field with groups (ir.actions.server.code, for Settings users as in
// Odoo 18 base) is hidden from fields_get and from a read of all fields for
// other users who may use the model (here an internal user given access to
// server actions by an access line), and naming it is an AccessError; admin
// sees it.
func testFieldGroups(t *testing.T, e *env, c caller) {
	p := c.protocol()
	ref := func(xmlid string) any {
		return e.mustKw(t, c, "ir.model.data", "check_object_reference", []any{"base", xmlid}, nil).([]any)[1]
	}
	model := "ir.actions.server"
	acl := e.mustKw(t, c, "ir.model.access", "create", []any{map[string]any{"name": "server actions for users " + p,
		"model_id": ref("model_ir_actions_server"), "group_id": ref("group_user"),
		"perm_read": true, "perm_write": true, "perm_create": true, "perm_unlink": true}}, nil).(int64)
	defer e.mustKw(t, c, "ir.model.access", "unlink", []any{[]any{acl}}, nil)
	demo, _ := c.call(t, "common", "login", e.db, "demo", "demo")
	asDemo := func(method string, args []any, kwargs map[string]any) (any, *faultInfo) {
		if kwargs == nil {
			return c.call(t, "object", "execute_kw", e.db, demo, "demo", model, method, args)
		}
		return c.call(t, "object", "execute_kw", e.db, demo, "demo", model, method, args, kwargs)
	}
	denied := func(op string) string {
		return "You do not have enough rights to access the field \"code\" on Server Actions (ir.actions.server). " +
			"Please contact your system administrator.\n\nOperation: " + op
	}
	partnerModel := ref("model_res_partner")
	name := "Groups " + p
	id := e.mustKw(t, c, model, "create", []any{map[string]any{"name": name, "model_id": partnerModel, "state": "code", "code": "x = 1"}}, nil).(int64)
	defer e.mustKw(t, c, model, "unlink", []any{[]any{id}}, nil)

	// Admin (a Settings user) sees and uses the field.
	fg := e.mustKw(t, c, model, "fields_get", []any{[]any{"code"}, []any{"type", "string"}}, nil)
	equal(t, "admin fields_get", fg, map[string]any{"code": map[string]any{"type": "text", "string": "Python Code"}})
	rec := e.mustKw(t, c, model, "read", []any{[]any{id}}, nil).([]any)[0].(map[string]any)
	equal(t, "admin default read", rec["code"], "x = 1")
	found := e.mustKw(t, c, model, "search", []any{[]any{[]any{"code", "=", "x = 1"}, []any{"id", "=", id}}}, map[string]any{"order": "code"})
	equal(t, "admin search on the field", found, []any{id})

	// An internal user does not see it.
	v, f := asDemo("fields_get", []any{}, map[string]any{"attributes": []any{"type"}})
	if f != nil {
		t.Fatal(f)
	}
	all := v.(map[string]any)
	if _, ok := all["code"]; ok || all["name"] == nil {
		t.Errorf("demo fields_get: code listed or name missing: %v", all["code"])
	}
	v, f = asDemo("fields_get", []any{[]any{"code"}}, nil)
	if f != nil {
		t.Fatal(f)
	}
	equal(t, "demo fields_get of the field", v, map[string]any{})
	v, f = asDemo("read", []any{[]any{id}}, nil)
	if f != nil {
		t.Fatal(f)
	}
	r := v.([]any)[0].(map[string]any)
	if _, ok := r["code"]; ok || r["name"] != name {
		t.Errorf("demo default read = %v", r)
	}
	v, f = asDemo("search_read", []any{[]any{[]any{"id", "=", id}}}, nil)
	if f != nil {
		t.Fatal(f)
	}
	if _, ok := v.([]any)[0].(map[string]any)["code"]; ok {
		t.Error("demo default search_read returns code")
	}
	_, f = asDemo("read", []any{[]any{id}, []any{"name", "code"}}, nil)
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("read"))
	_, f = asDemo("search_read", []any{[]any{}}, map[string]any{"fields": []any{"code"}, "limit": int64(1)})
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("read"))
	_, f = asDemo("search", []any{[]any{[]any{"code", "=", "x = 1"}}}, nil)
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("read"))
	_, f = asDemo("search", []any{[]any{}}, map[string]any{"order": "code desc"})
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("read"))
	_, f = asDemo("read_group", []any{[]any{}, []any{}, []any{"code"}}, nil)
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("read"))
	_, f = asDemo("write", []any{[]any{id}, map[string]any{"code": "x = 2"}}, nil)
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("write"))
	_, f = asDemo("create", []any{map[string]any{"name": "Demo " + name, "model_id": partnerModel, "code": "x = 3"}}, nil)
	wantExact(t, c, f, 4, "odoo.exceptions.AccessError", denied("write"))
	equal(t, "refused create rolled back", e.count(t, model, []any{[]any{"name", "=", "Demo " + name}}), int64(0))

	// The field's value is untouched, and the internal user may still write
	// the fields it may see.
	if _, f = asDemo("write", []any{[]any{id}, map[string]any{"name": name + " renamed"}}, nil); f != nil {
		t.Fatal(f)
	}
	got := e.mustKw(t, c, model, "read", []any{[]any{id}, []any{"name", "code"}}, nil).([]any)[0].(map[string]any)
	equal(t, "after refusals", got, map[string]any{"id": id, "name": name + " renamed", "code": "x = 1"})
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
	wantExact(t, c, f, 1, "builtins.ValueError", "not enough values to unpack (expected 3, got 2)")
	_, f = e.kw(t, c, "res.partner", "search", []any{[]any{"name"}}, nil)
	wantFault(t, c, f, 1, "too many values to unpack (expected 3)")
	_, f = e.kw(t, c, "res.partner", "search", []any{[]any{[]any{"name", "ILIKE", "ck anna"}}}, nil)
	wantExact(t, c, f, 1, "builtins.ValueError", "Invalid leaf ('name', 'ILIKE', 'ck anna')")
}

// Archived records are hidden from every searching method, shown by id.
func testChecklistActive(t *testing.T, e *env, c caller) {
	d := newChecklistData(t, e, c)
	p := d.p
	scope := []any{d.scope}
	equal(t, "search_count", e.mustKw(t, c, "res.partner", "search_count", []any{scope}, nil), int64(4))
	equal(t, "search_count active_test off", e.mustKw(t, c, "res.partner", "search_count", []any{scope},
		map[string]any{"context": map[string]any{"active_test": false}}), int64(5))
	sr := e.mustKw(t, c, "res.partner", "search_read", []any{[]any{d.scope, []any{"name", "=", "CK Gone " + p}}}, map[string]any{"fields": []any{"name"}})
	equal(t, "search_read", sr, []any{})
	sr = e.mustKw(t, c, "res.partner", "search_read", []any{[]any{d.scope, []any{"name", "=", "CK Gone " + p}}},
		map[string]any{"fields": []any{"name"}, "context": map[string]any{"active_test": false}})
	equal(t, "search_read active_test off", sr, []any{map[string]any{"id": d.gone, "name": "CK Gone " + p}})
	// name_search looks in complete names too: the archived company's
	// active contact is found by the company's name.
	orphan := []any{d.orphan, "CK Gone " + p + ", CK Orphan " + p}
	equal(t, "name_search", e.mustKw(t, c, "res.partner", "name_search", []any{"CK Gone " + p}, nil), []any{orphan})
	equal(t, "name_search active_test off", e.mustKw(t, c, "res.partner", "name_search", []any{"CK Gone " + p},
		map[string]any{"context": map[string]any{"active_test": false}}), []any{[]any{d.gone, "CK Gone " + p}, orphan})
	groups := e.mustKw(t, c, "res.partner", "read_group", []any{scope, []any{}, []any{"is_company"}}, nil).([]any)
	var n int64
	for _, g := range groups {
		n += g.(map[string]any)["is_company_count"].(int64)
	}
	equal(t, "read_group counts", n, int64(4))

	// By id, archived records are read, written and deleted.
	rec := e.mustKw(t, c, "res.partner", "read", []any{[]any{d.gone}, []any{"name", "active"}}, nil)
	equal(t, "read archived", rec, []any{map[string]any{"id": d.gone, "name": "CK Gone " + p, "active": false}})
	equal(t, "write archived", e.mustKw(t, c, "res.partner", "write", []any{[]any{d.gone}, map[string]any{"city": "Nowhere"}}, nil), true)
	tmp := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "CK Tmp " + p, "active": false}}, nil)
	equal(t, "unlink archived", e.mustKw(t, c, "res.partner", "unlink", []any{[]any{tmp}}, nil), true)
	equal(t, "unlinked", e.count(t, "res.partner", []any{[]any{"id", "=", tmp}}), int64(0))

	// x2many values leave archived lines out unless active_test is off.
	rec = e.mustKw(t, c, "res.partner", "read", []any{[]any{d.co}, []any{"category_id"}}, nil)
	equal(t, "x2many without archived", rec, []any{map[string]any{"id": d.co, "category_id": []any{d.tagA}}})
	rec = e.mustKw(t, c, "res.partner", "read", []any{[]any{d.co}, []any{"category_id"}}, map[string]any{"context": map[string]any{"active_test": false}})
	equal(t, "x2many with archived", rec, []any{map[string]any{"id": d.co, "category_id": []any{d.tagA, d.tagArch}}})
}

// The method lines: paging, search_read, fields_get, name_search, name_get,
// display_name and lazy read_group.
func testChecklistMethods(t *testing.T, e *env, c caller) {
	d := newChecklistData(t, e, c)
	p := d.p
	scope := []any{d.scope}
	// "name desc, id", with offset and limit, positionally and by name.
	got := e.mustKw(t, c, "res.partner", "search", []any{scope, int64(1), int64(2), "name desc, id"}, nil)
	equal(t, "offset, limit, order", got, []any{d.co, d.bert})
	got = e.mustKw(t, c, "res.partner", "search", []any{scope}, map[string]any{"offset": int64(3), "order": "name desc, id"})
	equal(t, "offset without limit", got, []any{d.anna})

	// search_read is search then read; nothing found is [].
	sr := e.mustKw(t, c, "res.partner", "search_read", []any{scope, []any{"name", "email"}}, map[string]any{"order": "name"})
	found := e.mustKw(t, c, "res.partner", "search", []any{scope}, map[string]any{"order": "name"})
	equal(t, "search_read = search + read", sr, e.mustKw(t, c, "res.partner", "read", []any{found, []any{"name", "email"}}, nil))
	for _, r := range sr.([]any) {
		if _, ok := r.(map[string]any)["id"]; !ok {
			t.Errorf("search_read record without id: %v", r)
		}
	}
	equal(t, "search_read of nothing", e.mustKw(t, c, "res.partner", "search_read", []any{[]any{[]any{"id", "=", int64(0)}}}, nil), []any{})

	// fields_get describes each field with Odoo's keys.
	fg := e.mustKw(t, c, "res.partner", "fields_get", []any{[]any{"parent_id", "child_ids", "category_id", "type", "color", "company_type", "display_name", "name"}}, nil).(map[string]any)
	want := map[string]map[string]any{
		"parent_id": {"type": "many2one", "string": "Related Company", "relation": "res.partner", "required": false, "readonly": false,
			"store": true, "searchable": true, "sortable": true},
		"child_ids":   {"type": "one2many", "relation": "res.partner", "relation_field": "parent_id", "store": true, "searchable": true, "sortable": false},
		"category_id": {"type": "many2many", "relation": "res.partner.category", "store": true, "searchable": true, "sortable": false},
		"type": {"type": "selection", "selection": []any{[]any{"contact", "Contact"}, []any{"invoice", "Invoice Address"},
			[]any{"delivery", "Delivery Address"}, []any{"other", "Other Address"}}, "store": true, "sortable": true},
		"color":        {"type": "integer", "string": "Color Index", "store": true, "searchable": true, "sortable": true},
		"company_type": {"type": "selection", "store": false, "searchable": false, "sortable": false, "readonly": false},
		"display_name": {"type": "char", "store": false, "searchable": true, "sortable": false, "readonly": true},
		"name":         {"type": "char", "store": true, "required": false},
	}
	for name, keys := range want {
		desc, ok := fg[name].(map[string]any)
		if !ok {
			t.Errorf("fields_get without %s", name)
			continue
		}
		for _, k := range []string{"type", "string", "required", "readonly", "store", "searchable", "sortable"} {
			if _, ok := desc[k]; !ok {
				t.Errorf("fields_get %s without %q: %v", name, k, desc)
			}
		}
		for k, v := range keys {
			equal(t, "fields_get "+name+"."+k, desc[k], v)
		}
	}
	// Odoo 18's name has no help text.
	if h, ok := fg["name"].(map[string]any)["help"]; ok {
		t.Errorf("fields_get name has a help Odoo's has not: %v", h)
	}
	if _, ok := fg["color"].(map[string]any)["relation"]; ok {
		t.Errorf("fields_get color has a relation")
	}
	users := e.mustKw(t, c, "res.users", "fields_get", []any{[]any{"name", "password"}, []any{"store", "searchable", "sortable"}}, nil)
	equal(t, "fields_get of delegated and computed fields", users, map[string]any{
		"name":     map[string]any{"store": false, "searchable": true, "sortable": true},
		"password": map[string]any{"store": false, "searchable": false, "sortable": false}})

	// name_search: ilike by default, limit 100 by default, a domain second.
	vals := make([]any, 105)
	for i := range vals {
		vals[i] = map[string]any{"name": fmt.Sprintf("NS Bulk %s %03d", p, i)}
	}
	bulk := e.mustKw(t, c, "res.partner", "create", []any{vals}, nil)
	defer e.mustKw(t, c, "res.partner", "unlink", []any{bulk}, nil)
	equal(t, "name_search default limit", len(e.mustKw(t, c, "res.partner", "name_search", []any{"NS Bulk " + p}, nil).([]any)), 100)
	equal(t, "name_search limit", len(e.mustKw(t, c, "res.partner", "name_search", []any{"NS Bulk " + p}, map[string]any{"limit": int64(3)}).([]any)), 3)
	first := bulk.([]any)[7]
	equal(t, "name_search is ilike", e.mustKw(t, c, "res.partner", "name_search", []any{"ns bulk " + p + " 007"}, nil),
		[]any{[]any{first, "NS Bulk " + p + " 007"}})
	equal(t, "name_search domain", e.mustKw(t, c, "res.partner", "name_search", []any{"NS Bulk " + p, []any{[]any{"id", "=", first}}}, nil),
		[]any{[]any{first, "NS Bulk " + p + " 007"}})
	equal(t, "name_search operator", e.mustKw(t, c, "res.partner", "name_search", []any{"NS Bulk " + p + " 00", []any{}, "=like"}, nil), []any{})
	// res.partner's default order is its complete name's: "CK Bert" before
	// "CK Co ..., CK Anna".
	equal(t, "name_search default order", e.mustKw(t, c, "res.partner", "name_search", []any{"CK "}, map[string]any{"limit": int64(1),
		"args": []any{[]any{"id", "in", []any{d.anna, d.bert}}}}), []any{[]any{d.bert, "CK Bert " + p}})

	// name_get was removed in 17.3: 18 has no such method.
	_, f := e.kw(t, c, "res.partner", "name_get", []any{[]any{d.co}}, nil)
	wantExact(t, c, f, 1, "builtins.AttributeError", "The method 'res.partner.name_get' does not exist")

	// display_name is readable on every model the administrator may read.
	// Odoo's data grants no group the models of its machinery (mixins,
	// qweb, most wizards), nor does godoo's test model have a right: those
	// answer an AccessError, as in Odoo. Abstract models have no records
	// to search, in Odoo as in godoo.
	abstract := models.NewRegistry()
	if err := base.Register(abstract); err != nil {
		t.Fatal(err)
	}
	for _, m := range e.mustKw(t, c, "ir.model", "search_read", []any{[]any{}}, map[string]any{"fields": []any{"model"}}).([]any) {
		model := m.(map[string]any)["model"].(string)
		if am := abstract.Model(model); am != nil && am.Abstract {
			continue
		}
		v, f := e.kw(t, c, model, "search", []any{[]any{}}, map[string]any{"limit": int64(1), "context": map[string]any{"active_test": false}})
		if f != nil {
			if !strings.Contains(f.String, "You are not allowed to access") {
				t.Errorf("%s search: %v", model, f)
			}
			continue
		}
		if l := v.([]any); len(l) > 0 {
			r := e.mustKw(t, c, model, "read", []any{l, []any{"display_name"}}, nil).([]any)[0].(map[string]any)
			if s, ok := r["display_name"].(string); !ok || s == "" {
				t.Errorf("%s display_name = %#v", model, r["display_name"])
			}
		}
	}

	// Lazy read_group: one groupby level, the rest in __context.
	groups := e.mustKw(t, c, "res.partner", "read_group", []any{scope, []any{"color"}, []any{"is_company", "parent_id"}}, nil).([]any)
	for _, g := range groups {
		gm := g.(map[string]any)
		equal(t, "__context", gm["__context"], map[string]any{"group_by": []any{"parent_id"}})
		if _, ok := gm["is_company_count"]; !ok {
			t.Errorf("lazy group without is_company_count: %v", gm)
		}
		if _, ok := gm["parent_id"]; ok {
			t.Errorf("lazy group grouped on the second groupby: %v", gm)
		}
	}
	groups = e.mustKw(t, c, "res.partner", "read_group", []any{scope, []any{"color"}, []any{"parent_id"}}, map[string]any{"lazy": false, "orderby": "parent_id"}).([]any)
	for _, g := range groups {
		gm := g.(map[string]any)
		if _, ok := gm["__context"]; ok {
			t.Errorf("non-lazy group with __context: %v", gm)
		}
		if v := gm["parent_id"]; v != false {
			if pair, ok := v.([]any); !ok || len(pair) != 2 {
				t.Errorf("many2one group value %#v", v)
			}
		}
	}
}

// res.users sorts by name (its partner's), then login, as Odoo's _order
// "name, login"; an order may name the fields it delegates.
func testUsersOrder(t *testing.T, e *env, c caller) {
	p := c.protocol()
	zed := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Order Zed " + p, "login": "a-order-" + p}}, nil)
	amy := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Order Amy " + p, "login": "z-order-" + p}}, nil)
	defer e.mustKw(t, c, "res.users", "unlink", []any{[]any{zed, amy}}, nil)
	mine := []any{[]any{"id", "in", []any{zed, amy}}}
	equal(t, "default order", e.mustKw(t, c, "res.users", "search", []any{mine}, nil), []any{amy, zed})
	equal(t, "name desc", e.mustKw(t, c, "res.users", "search", []any{mine}, map[string]any{"order": "name desc"}), []any{zed, amy})
	equal(t, "login", e.mustKw(t, c, "res.users", "search", []any{mine}, map[string]any{"order": "login"}), []any{zed, amy})
	// Ordering partners by their creator follows res.users' order too.
	equal(t, "many2one to users", e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"id", "=", int64(1)}}}, map[string]any{"order": "create_uid, id"}), []any{int64(1)})
}

// Value formats and write formats: empty values, one2many commands, the
// plain-list and False shortcuts, many2one False, unknown fields, and the
// CHECK constraint of res.partner.
func testChecklistFormats(t *testing.T, e *env, c caller) {
	d := newChecklistData(t, e, c)
	p := d.p
	read := func(id int64, fields ...string) map[string]any {
		t.Helper()
		f := make([]any, len(fields))
		for i, n := range fields {
			f[i] = n
		}
		return e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, f}, nil).([]any)[0].(map[string]any)
	}
	// Empty values: False, but 0 and 0.0 for numbers.
	e.mustKw(t, c, "res.partner", "write", []any{[]any{d.bert}, map[string]any{"type": false}}, nil)
	r := read(d.bert, "type", "email", "parent_id", "is_company", "category_id", "child_ids")
	equal(t, "empty values", r, map[string]any{"id": d.bert, "type": false, "email": false, "parent_id": false,
		"is_company": false, "category_id": []any{}, "child_ids": []any{}})
	r = read(d.co, "type", "is_company", "parent_id", "color")
	equal(t, "set values", r, map[string]any{"id": d.co, "type": "contact", "is_company": true, "parent_id": false, "color": int64(3)})
	g := e.mustKw(t, c, "res.groups", "search_read", []any{[]any{[]any{"name", "=", "Access Rights"}}}, map[string]any{"fields": []any{"api_key_duration"}}).([]any)
	// 0.0 on both protocols (JSON writes it as Python does: 0.0, not 0).
	equal(t, "unset float", g[0].(map[string]any)["api_key_duration"], float64(0))

	// one2many commands: 1 update, 4 link, 6 set, 5 clear, 2 delete.
	co := d.co
	w := func(vals map[string]any) { e.mustKw(t, c, "res.partner", "write", []any{[]any{co}, vals}, nil) }
	kids := func() []int64 { return ids(t, read(co, "child_ids")["child_ids"]) }
	w(map[string]any{"child_ids": []any{[]any{int64(1), d.anna, map[string]any{"city": "Updated " + p}}}})
	equal(t, "o2m 1 updates", read(d.anna, "city")["city"], "Updated "+p)
	w(map[string]any{"child_ids": []any{[]any{int64(4), d.bert, int64(0)}}})
	equal(t, "o2m 4 links", kids(), []int64{d.anna, d.bert})
	w(map[string]any{"child_ids": []any{[]any{int64(6), int64(0), []any{d.anna}}}})
	equal(t, "o2m 6 sets", kids(), []int64{d.anna})
	equal(t, "o2m 6 unlinks the rest", read(d.bert, "parent_id")["parent_id"], false)
	w(map[string]any{"child_ids": []any{[]any{int64(5), int64(0), int64(0)}}})
	equal(t, "o2m 5 clears", kids(), []int64{})
	equal(t, "o2m 5 keeps the records", read(d.anna, "parent_id")["parent_id"], false)
	w(map[string]any{"child_ids": []any{[]any{int64(0), int64(0), map[string]any{"name": "CK Line " + p}}}})
	line := kids()
	w(map[string]any{"child_ids": []any{[]any{int64(2), line[0], int64(0)}}})
	equal(t, "o2m 2 deletes", e.count(t, "res.partner", []any{[]any{"id", "=", line[0]}}), int64(0))
	w(map[string]any{"child_ids": []any{d.anna, d.bert}})
	equal(t, "o2m plain list sets", kids(), []int64{d.anna, d.bert})
	w(map[string]any{"child_ids": false})
	equal(t, "o2m False clears", kids(), []int64{})
	w(map[string]any{"category_id": false})
	equal(t, "m2m False clears", read(co, "category_id")["category_id"], []any{})

	// The same record twice in one write.
	equal(t, "write of a repeated id", e.mustKw(t, c, "res.partner", "write", []any{[]any{d.anna, d.anna}, map[string]any{"city": "Twice"}}, nil), true)

	// many2one: an id or False.
	e.mustKw(t, c, "res.partner", "write", []any{[]any{d.anna}, map[string]any{"parent_id": co}}, nil)
	equal(t, "m2o id", read(d.anna, "parent_id")["parent_id"], []any{co, "CK Co " + p})
	e.mustKw(t, c, "res.partner", "write", []any{[]any{d.anna}, map[string]any{"parent_id": false}}, nil)
	equal(t, "m2o False", read(d.anna, "parent_id")["parent_id"], false)

	// Unknown fields in values are a ValueError.
	_, f := e.kw(t, c, "res.partner", "write", []any{[]any{co}, map[string]any{"nope": int64(1)}}, nil)
	wantExact(t, c, f, 1, "builtins.ValueError", "Invalid field 'nope' on model 'res.partner'")
	_, f = e.kw(t, c, "res.partner", "create", []any{map[string]any{"name": "x", "nope": int64(1)}}, nil)
	wantExact(t, c, f, 1, "builtins.ValueError", "Invalid field 'nope' on model 'res.partner'")

	// res.partner's CHECK constraint: a contact needs a name, other
	// addresses do not.
	_, f = e.kw(t, c, "res.partner", "create", []any{map[string]any{"email": "noname@x"}}, nil)
	wantExact(t, c, f, 2, "odoo.exceptions.ValidationError", "The operation cannot be completed: Contacts require a name")
	_, f = e.kw(t, c, "res.partner", "write", []any{[]any{d.anna}, map[string]any{"name": false}}, nil)
	wantExact(t, c, f, 2, "odoo.exceptions.ValidationError", "The operation cannot be completed: Contacts require a name")
	equal(t, "refused write rolled back", read(d.anna, "name")["name"], "CK Anna "+p)
	// bert's type was emptied above: no longer a contact, it may lose its name.
	e.mustKw(t, c, "res.partner", "write", []any{[]any{d.bert}, map[string]any{"name": false}}, nil)
	addr := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"type": "invoice", "parent_id": co}}, nil)
	e.mustKw(t, c, "res.partner", "unlink", []any{[]any{addr}}, nil)
}

// Access rules: an ACL row without group is everyone's; global rules are
// AND-ed, group rules OR-ed; rule-hidden records cannot be read or deleted.
func testChecklistAccess(t *testing.T, e *env, c caller) {
	p := c.protocol()
	demo, _ := c.call(t, "common", "login", e.db, "demo", "demo")
	as := func(model, method string, args ...any) (any, *faultInfo) {
		return c.call(t, "object", "execute_kw", e.db, demo, "demo", model, method, args)
	}
	// res.company has a read row for everyone (no group) and no other row
	// the demo user is in.
	v, f := as("res.company", "search_read", []any{}, []any{"name"})
	if f != nil {
		t.Fatalf("read through a group-less ACL row: %v", f)
	}
	if len(v.([]any)) == 0 {
		t.Error("no company read")
	}
	_, f = as("res.company", "write", []any{int64(1)}, map[string]any{"name": "x"})
	wantFault(t, c, f, 4, "You are not allowed to modify 'Companies' (res.company) records.")

	cat := func(name string) int64 {
		return e.mustKw(t, c, "res.partner.category", "create", []any{map[string]any{"name": name + " " + p}}, nil).(int64)
	}
	r1, r2, r3, r1x := cat("RC R1"), cat("RC R2"), cat("RC R3"), cat("RC R1X")
	all := []any{r1, r2, r3, r1x}
	defer e.mustKw(t, c, "res.partner.category", "unlink", []any{all}, nil) // after the rules are gone
	model := e.mustKw(t, c, "ir.model", "search", []any{[]any{[]any{"model", "=", "res.partner.category"}}}, nil).([]any)[0]
	userGroup := e.mustKw(t, c, "ir.model.data", "check_object_reference", []any{"base", "group_user"}, nil).([]any)[1]
	rule := func(name, domain string, groups bool) any {
		vals := map[string]any{"name": name + " " + p, "model_id": model, "domain_force": domain}
		if groups {
			vals["groups"] = []any{[]any{int64(6), int64(0), []any{userGroup}}}
		}
		return e.mustKw(t, c, "ir.rule", "create", []any{vals}, nil)
	}
	rules := []any{
		rule("R1 for users", `[["name", "like", "RC R1"]]`, true),
		rule("R2 for users", `[["name", "like", "RC R2"]]`, true),
		rule("no X anywhere", `[["name", "not like", "X"]]`, false),
	}
	v, f = as("res.partner.category", "search", []any{[]any{"id", "in", all}}, int64(0), int64(0), "id")
	if f != nil {
		t.Fatal(f)
	}
	equal(t, "group rules OR-ed, AND-ed with the global one", v, []any{r1, r2})
	_, f = as("res.partner.category", "read", []any{r3}, []any{"name"})
	wantFault(t, c, f, 4, "Sorry, Marc Demo (id="+fmt.Sprint(demo)+") doesn't have 'read' access to:\n- Partner Tags (res.partner.category)")
	_, f = as("res.partner.category", "unlink", []any{r1x})
	wantFault(t, c, f, 4, "doesn't have 'unlink' access to:\n- Partner Tags (res.partner.category)")
	// Deleted and hidden ids together: still refused; deleted ones alone
	// read as nothing, for this user too.
	_, f = as("res.partner.category", "read", []any{r3, int64(999999)}, []any{"name"})
	wantFault(t, c, f, 4, "doesn't have 'read' access to")
	v, f = as("res.partner.category", "read", []any{int64(999999)}, []any{"name"})
	if f != nil {
		t.Fatal(f)
	}
	equal(t, "read of a deleted id", v, []any{})
	v, f = as("res.partner.category", "read", []any{int64(999999), r1}, []any{"name"})
	if f != nil {
		t.Fatal(f)
	}
	equal(t, "read of a deleted and a visible id", v, []any{map[string]any{"id": r1, "name": "RC R1 " + p}})
	_, f = as("res.partner.category", "unlink", []any{r3, int64(999999)})
	wantFault(t, c, f, 4, "Uh-oh! Looks like you have stumbled upon some top-secret records.")
	// The rules bind admin too (only the superuser escapes them): count once
	// they are gone.
	equal(t, "admin is bound by the rules", e.count(t, "res.partner.category", []any{[]any{"id", "in", all}}), int64(2))
	e.mustKw(t, c, "ir.rule", "unlink", []any{rules}, nil)
	equal(t, "nothing deleted", e.count(t, "res.partner.category", []any{[]any{"id", "in", all}}), int64(4))
}

// read_group's orderby, limit and offset (Odoo's test_orm read_group
// scenarios, on the fields our models have): many2one groups sort by the
// comodel's order, terms may be groupbys, __count or aggregates.
func testReadGroupOrder(t *testing.T, e *env, c caller) {
	p := c.protocol()
	country := func(code string) int64 {
		return e.mustKw(t, c, "res.country", "search", []any{[]any{[]any{"code", "=", code}}}, nil).([]any)[0].(int64)
	}
	ch, de := country("CH"), country("DE") // Switzerland has the smaller id
	vals := []any{
		map[string]any{"name": "RG 1 " + p, "country_id": ch, "color": int64(1)},
		map[string]any{"name": "RG 2 " + p, "country_id": ch, "color": int64(2)},
		map[string]any{"name": "RG 3 " + p, "country_id": de, "color": int64(10)},
	}
	created := e.mustKw(t, c, "res.partner", "create", []any{vals}, nil)
	defer e.mustKw(t, c, "res.partner", "unlink", []any{created}, nil)
	domain := []any{[]any{"id", "in", created}}
	groups := func(kwargs map[string]any) []any {
		t.Helper()
		gs := e.mustKw(t, c, "res.partner", "read_group", []any{domain, []any{"color"}, []any{"country_id"}}, kwargs).([]any)
		out := make([]any, len(gs))
		for i, g := range gs {
			gm := g.(map[string]any)
			out[i] = []any{gm["country_id"].([]any)[0], gm["country_id_count"], gm["color"]}
		}
		return out
	}
	chG, deG := []any{ch, int64(2), int64(3)}, []any{de, int64(1), int64(10)}
	equal(t, "default: by country name", groups(nil), []any{deG, chG})
	equal(t, "many2one desc", groups(map[string]any{"orderby": "country_id desc"}), []any{chG, deG})
	equal(t, "__count", groups(map[string]any{"orderby": "__count desc"}), []any{chG, deG})
	equal(t, "aggregate", groups(map[string]any{"orderby": "color:sum"}), []any{chG, deG})
	equal(t, "aggregated field", groups(map[string]any{"orderby": "color desc"}), []any{deG, chG})
	equal(t, "limit", groups(map[string]any{"limit": int64(1)}), []any{deG})
	equal(t, "offset", groups(map[string]any{"offset": int64(1)}), []any{chG})
	equal(t, "positional offset and limit", func() []any {
		gs := e.mustKw(t, c, "res.partner", "read_group", []any{domain, []any{"color"}, []any{"country_id"}, int64(1), int64(1), "country_id"}, nil).([]any)
		return []any{gs[0].(map[string]any)["country_id"].([]any)[0]}
	}(), []any{ch})
	_, f := e.kw(t, c, "res.partner", "read_group", []any{domain, []any{}, []any{"country_id"}}, map[string]any{"orderby": "name"})
	wantExact(t, c, f, 1, "builtins.ValueError", "Order term 'name' is not a valid aggregate nor valid groupby")
	// A date groupby orders by its period; each group's __domain finds its
	// records again.
	gs := e.mustKw(t, c, "res.partner", "read_group", []any{domain, []any{}, []any{"create_date:day"}},
		map[string]any{"lazy": false, "orderby": "create_date:day DESC"}).([]any)
	if len(gs) != 1 {
		t.Fatalf("one day, groups %v", gs)
	}
	equal(t, "__domain of the day", e.mustKw(t, c, "res.partner", "search_count", []any{gs[0].(map[string]any)["__domain"]}, nil), int64(3))
}

// The context's tz groups datetimes by the user's days, as Odoo's
// read_group does; each group's __domain, in UTC, finds its records again.
// lang and tz are not echoed back, and an unknown tz is ignored.
func testContextTZ(t *testing.T, e *env, c caller) {
	p := c.protocol()
	id := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "TZ " + p}}, nil).(int64)
	defer e.mustKw(t, c, "res.partner", "unlink", []any{[]any{id}}, nil)
	rec := e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{"create_date"}},
		map[string]any{"context": map[string]any{"tz": "Europe/Brussels", "lang": "en_US"}}).([]any)[0].(map[string]any)
	if _, echoed := rec["context"]; echoed {
		t.Error("context echoed")
	}
	created, err := time.Parse("2006-01-02 15:04:05", rec["create_date"].(string))
	if err != nil {
		t.Fatalf("create_date %v is not UTC text: %v", rec["create_date"], err)
	}
	// A zone in which the record was created on another day than in UTC.
	zone := "Pacific/Kiritimati" // UTC+14
	if created.Hour() < 10 {
		zone = "Etc/GMT+12" // UTC-12
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Skipf("no zoneinfo for %s: %v", zone, err)
	}
	day := func(tz string) map[string]any {
		t.Helper()
		kw := map[string]any{"lazy": false}
		if tz != "" {
			kw["context"] = map[string]any{"tz": tz}
		}
		gs := e.mustKw(t, c, "res.partner", "read_group", []any{[]any{[]any{"id", "=", id}}, []any{}, []any{"create_date:day"}}, kw).([]any)
		if len(gs) != 1 {
			t.Fatalf("groups %v", gs)
		}
		return gs[0].(map[string]any)
	}
	g := day(zone)
	equal(t, "local day", g["create_date:day"], created.In(loc).Format("02 Jan 2006"))
	local := created.In(loc)
	start := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc).UTC()
	equal(t, "__domain in UTC", g["__domain"], []any{"&", []any{"id", "=", id}, "&",
		[]any{"create_date", ">=", start.Format("2006-01-02 15:04:05")},
		[]any{"create_date", "<", start.AddDate(0, 0, 1).Format("2006-01-02 15:04:05")}})
	equal(t, "__domain finds the record", e.mustKw(t, c, "res.partner", "search_count", []any{g["__domain"]}, nil), int64(1))
	equal(t, "UTC day", day("")["create_date:day"], created.Format("02 Jan 2006"))
	equal(t, "unknown tz is UTC", day("Mars/Olympus_Mons")["create_date:day"], created.Format("02 Jan 2006"))
	equal(t, "month in a zone", e.mustKw(t, c, "res.partner", "read_group", []any{[]any{[]any{"id", "=", id}}, []any{}, []any{"create_date:quarter"}},
		map[string]any{"context": map[string]any{"tz": zone}}).([]any)[0].(map[string]any)["create_date:quarter"],
		"Q"+fmt.Sprint((int(local.Month())-1)/3+1)+" "+local.Format("2006"))
}

// Users hold the groups their groups imply, as Odoo writes them: a user
// made a Settings manager is an internal user too and may read contacts; a
// new user without groups is an internal user; share tells portal and public
// users from internal ones.
func testImpliedGroups(t *testing.T, e *env, c caller) {
	p := c.protocol()
	ref := func(xmlid string) int64 {
		return e.mustKw(t, c, "ir.model.data", "check_object_reference", []any{"base", xmlid}, nil).([]any)[1].(int64)
	}
	user, erp, system, portal := ref("group_user"), ref("group_erp_manager"), ref("group_system"), ref("group_portal")
	// As in Odoo's data, internal users have the technical features, and
	// Settings bypasses the sanitizing of HTML.
	noOne, sanitize := ref("group_no_one"), ref("group_sanitize_override")
	// New users get the groups of Odoo's template user: contacts and
	// exports too.
	contacts, export := ref("group_partner_manager"), ref("group_allow_export")
	groupsOf := func(uid any) map[string]any {
		r := e.mustKw(t, c, "res.users", "read", []any{[]any{uid}, []any{"groups_id", "share"}}, nil).([]any)[0].(map[string]any)
		got := ids(t, r["groups_id"])
		sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
		return map[string]any{"groups": got, "share": r["share"]}
	}
	sorted := func(l ...int64) []int64 { sort.Slice(l, func(i, j int) bool { return l[i] < l[j] }); return l }
	const pw = "Implied-Pw-1"
	boss := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Boss " + p, "login": "boss-" + p, "password": pw,
		"groups_id": []any{[]any{int64(6), int64(0), []any{system}}}}}, nil)
	plain := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Plain " + p, "login": "plain-" + p}}, nil)
	guest := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Guest " + p, "login": "guest-" + p,
		"groups_id": []any{[]any{int64(6), int64(0), []any{portal}}}}}, nil)
	defer e.mustKw(t, c, "res.users", "unlink", []any{[]any{boss, plain, guest}}, nil)
	equal(t, "Settings implies Access Rights and Internal User", groupsOf(boss), map[string]any{"groups": sorted(user, erp, system, noOne, sanitize), "share": false})
	equal(t, "default groups", groupsOf(plain), map[string]any{"groups": sorted(user, noOne, contacts, export), "share": false})
	equal(t, "portal user", groupsOf(guest), map[string]any{"groups": []int64{portal}, "share": true})
	if _, f := c.call(t, "object", "execute_kw", e.db, boss, pw, "res.partner", "search", []any{[]any{}}, map[string]any{"limit": int64(1)}); f != nil {
		t.Errorf("a Settings manager may not read contacts: %v", f)
	}
	// A group that comes to imply another gives it to its members.
	g := e.mustKw(t, c, "res.groups", "create", []any{map[string]any{"name": "Implying " + p, "users": []any{plain}}}, nil)
	defer e.mustKw(t, c, "res.groups", "unlink", []any{[]any{g}}, nil)
	e.mustKw(t, c, "res.groups", "write", []any{[]any{g}, map[string]any{"implied_ids": []any{[]any{int64(4), erp, int64(0)}}}}, nil)
	equal(t, "implied later", groupsOf(plain)["groups"], sorted(user, noOne, contacts, export, erp, g.(int64)))
}
