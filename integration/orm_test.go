package integration_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestORM covers the model methods, domains and access rules that scripts use
// beyond plain CRUD, over both protocols on every store.
func TestORM(t *testing.T) {
	eachStore(t, services.Config{ListDB: true}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			t.Run("methods", func(t *testing.T) { testORMMethods(t, e, c) })
			t.Run("x2many commands", func(t *testing.T) { testX2manyCommands(t, e, c) })
			t.Run("hierarchy", func(t *testing.T) { testHierarchy(t, e, c) })
			t.Run("read_group", func(t *testing.T) { testReadGroup(t, e, c) })
			t.Run("introspection", func(t *testing.T) { testIntrospection(t, e, c) })
			t.Run("record rules", func(t *testing.T) { testRecordRules(t, e, c) })
		})
	})
}

func ids(t *testing.T, v any) []int64 {
	t.Helper()
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("want a list of ids, got %#v", v)
	}
	out := make([]int64, len(l))
	for i, x := range l {
		out[i] = x.(int64)
	}
	return out
}

func testORMMethods(t *testing.T, e *env, c caller) {
	p := c.protocol()
	id := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Orig " + p, "email": "o@example.com", "company_type": "company"}}, nil)
	rec := e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{"is_company", "company_type"}}, nil).([]any)[0].(map[string]any)
	equal(t, "company_type inverse", rec["is_company"], true)
	equal(t, "company_type", rec["company_type"], "company")

	copies := ids(t, e.mustKw(t, c, "res.partner", "copy", []any{[]any{id}, map[string]any{"email": "copy@example.com"}}, nil))
	if len(copies) != 1 {
		t.Fatalf("copy returned %v, want one id (Odoo 18 returns a list)", copies)
	}
	cp := e.mustKw(t, c, "res.partner", "read", []any{copies, []any{"name", "email", "is_company"}}, nil).([]any)[0].(map[string]any)
	equal(t, "copy name", cp["name"], "Orig "+p+" (copy)")
	equal(t, "copy default", cp["email"], "copy@example.com")
	equal(t, "copy keeps values", cp["is_company"], true)

	nc := e.mustKw(t, c, "res.partner", "name_create", []any{"Named " + p}, nil).([]any)
	equal(t, "name_create name", nc[1], "Named "+p)

	def := e.mustKw(t, c, "res.partner", "default_get", []any{[]any{"active", "type", "name"}}, nil).(map[string]any)
	equal(t, "default_get", def, map[string]any{"active": true, "type": "contact"})

	ns := e.mustKw(t, c, "res.partner", "name_search", []any{"Named " + p}, nil).([]any)
	equal(t, "name_search", ns, []any{[]any{nc[0], "Named " + p}})

	equal(t, "has_access", e.mustKw(t, c, "res.partner", "has_access", []any{[]any{}, "write"}, nil), true)
	if p == "jsonrpc" { // None, which XML-RPC cannot carry (see TestMethodEdges)
		equal(t, "check_access", e.mustKw(t, c, "res.partner", "check_access", []any{[]any{id}, "read"}, nil), nil)
	}
	equal(t, "check_access_rights", e.mustKw(t, c, "res.partner", "check_access_rights", []any{"unlink"}, map[string]any{"raise_exception": false}), true)
	equal(t, "exists", e.mustKw(t, c, "res.partner", "exists", []any{[]any{id, int64(999999)}}, nil), []any{id})

	demo, _ := c.call(t, "common", "login", e.db, "demo", "demo")
	v, f := c.call(t, "object", "execute_kw", e.db, demo, "demo", "res.users", "has_access", []any{[]any{}, "create"})
	if f != nil {
		t.Fatal(f)
	}
	equal(t, "demo may not create users", v, false)
	_, f = c.call(t, "object", "execute_kw", e.db, demo, "demo", "res.users", "check_access", []any{[]any{}, "create"})
	wantFault(t, c, f, 4, "You are not allowed to create 'User' (res.users) records.")

	e.mustKw(t, c, "res.partner", "unlink", []any{append([]any{id, nc[0]}, toAny(copies)...)}, nil)
}

func testX2manyCommands(t *testing.T, e *env, c caller) {
	p := c.protocol()
	tag := func(name string) int64 {
		return e.mustKw(t, c, "res.partner.category", "create", []any{map[string]any{"name": name + " " + p}}, nil).(int64)
	}
	a, b := tag("A"), tag("B")
	id := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Tagged " + p,
		"category_id": []any{[]any{int64(6), int64(0), []any{a}}, []any{int64(0), int64(0), map[string]any{"name": "New " + p}}}}}, nil)
	read := func() []int64 {
		r := e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{"category_id"}}, nil).([]any)[0].(map[string]any)
		got := ids(t, r["category_id"])
		sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
		return got
	}
	if got := read(); len(got) != 2 || got[0] != a {
		t.Fatalf("after 6 and 0: %v", got)
	}
	created := read()[1]
	e.mustKw(t, c, "res.partner", "write", []any{[]any{id}, map[string]any{"category_id": []any{[]any{int64(4), b, int64(0)}, []any{int64(3), a, int64(0)}}}}, nil)
	equal(t, "after 4 and 3", read(), []int64{b, created})
	e.mustKw(t, c, "res.partner", "write", []any{[]any{id}, map[string]any{"category_id": []any{[]any{int64(1), created, map[string]any{"name": "Renamed " + p}}}}}, nil)
	names := e.mustKw(t, c, "res.partner.category", "read", []any{[]any{created}, []any{"name"}}, nil).([]any)[0].(map[string]any)
	equal(t, "command 1 updates", names["name"], "Renamed "+p)
	e.mustKw(t, c, "res.partner", "write", []any{[]any{id}, map[string]any{"category_id": []any{[]any{int64(2), created, int64(0)}}}}, nil)
	equal(t, "command 2 deletes", e.count(t, "res.partner.category", []any{[]any{"id", "=", created}}), int64(0))
	e.mustKw(t, c, "res.partner", "write", []any{[]any{id}, map[string]any{"category_id": []any{[]any{int64(5), int64(0), int64(0)}}}}, nil)
	equal(t, "command 5 clears", read(), []int64{})
	e.mustKw(t, c, "res.partner", "write", []any{[]any{id}, map[string]any{"category_id": []any{a, b}}}, nil)
	equal(t, "plain id list sets", read(), []int64{a, b})
	found := e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"category_id", "in", []any{b}}}}, nil)
	equal(t, "search on many2many", found, []any{id})
	found = e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"category_id.name", "=", "A " + p}}}, nil)
	equal(t, "dotted path through many2many", found, []any{id})

	// one2many commands create and unlink children with the inverse set.
	parent := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "O2M " + p, "is_company": true,
		"child_ids": []any{[]any{int64(0), int64(0), map[string]any{"name": "Kid 1 " + p}}, []any{int64(0), false, map[string]any{"name": "Kid 2 " + p}}}}}, nil)
	kids := ids(t, e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"parent_id", "=", parent}}}, map[string]any{"order": "id"}))
	if len(kids) != 2 {
		t.Fatalf("one2many create made %v", kids)
	}
	e.mustKw(t, c, "res.partner", "write", []any{[]any{parent}, map[string]any{"child_ids": []any{[]any{int64(3), kids[0], int64(0)}}}}, nil)
	equal(t, "one2many unlink keeps the record without parent",
		e.mustKw(t, c, "res.partner", "read", []any{[]any{kids[0]}, []any{"parent_id"}}, nil).([]any)[0].(map[string]any)["parent_id"], false)
	// Odoo passes over a command it does not know.
	before := e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{"category_id"}}, nil)
	if _, f := e.kw(t, c, "res.partner", "write", []any{[]any{id}, map[string]any{"category_id": []any{[]any{int64(9), int64(0), int64(0)}}}}, nil); f != nil {
		t.Errorf("an unknown x2many command: %v", f)
	}
	equal(t, "tags after an unknown command", e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{"category_id"}}, nil), before)
}

func testHierarchy(t *testing.T, e *env, c caller) {
	p := c.protocol()
	root := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Root " + p, "is_company": true}}, nil).(int64)
	mid := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Mid " + p, "parent_id": root}}, nil).(int64)
	leaf := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Leaf " + p, "parent_id": mid}}, nil).(int64)
	got := ids(t, e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"id", "child_of", root}}}, map[string]any{"order": "id"}))
	equal(t, "child_of", got, []int64{root, mid, leaf})
	got = ids(t, e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"id", "parent_of", []any{leaf}}}}, map[string]any{"order": "id"}))
	equal(t, "parent_of", got, []int64{root, mid, leaf})
	got = ids(t, e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"parent_id", "child_of", "Root " + p}}}, map[string]any{"order": "id"}))
	equal(t, "child_of by name on the parent field", got, []int64{root, mid, leaf})
	rec := e.mustKw(t, c, "res.partner", "read", []any{[]any{leaf}, []any{"commercial_partner_id", "display_name"}}, nil).([]any)[0].(map[string]any)
	equal(t, "commercial partner", rec["commercial_partner_id"].([]any)[0], root)
	_, f := e.kw(t, c, "res.country", "search", []any{[]any{[]any{"id", "child_of", int64(1)}}}, nil)
	wantFault(t, c, f, 1, "has no parent_id hierarchy")
}

func testReadGroup(t *testing.T, e *env, c caller) {
	groups := e.mustKw(t, c, "res.partner", "read_group", []any{[]any{[]any{"is_company", "=", true}}, []any{"color:sum"}, []any{"country_id"}}, nil).([]any)
	if len(groups) == 0 {
		t.Fatal("no groups")
	}
	var total int64
	for _, g := range groups {
		gm := g.(map[string]any)
		n, ok := gm["country_id_count"].(int64)
		if !ok {
			t.Fatalf("lazy group without country_id_count: %#v", gm)
		}
		total += n
		if _, ok := gm["__domain"].([]any); !ok {
			t.Errorf("group without __domain: %#v", gm)
		}
		if v := gm["country_id"]; v != false {
			if pair, ok := v.([]any); !ok || len(pair) != 2 {
				t.Errorf("many2one group value %#v", v)
			}
		}
		// __domain selects exactly the group.
		n2 := e.mustKw(t, c, "res.partner", "search_count", []any{gm["__domain"]}, nil)
		equal(t, "count of the group's __domain", n2, n)
	}
	equal(t, "sum of counts", total, e.mustKw(t, c, "res.partner", "search_count", []any{[]any{[]any{"is_company", "=", true}}}, nil))

	flat := e.mustKw(t, c, "res.partner", "read_group", []any{[]any{}, []any{}, []any{"is_company", "create_date:month"}}, map[string]any{"lazy": false}).([]any)
	for _, g := range flat {
		gm := g.(map[string]any)
		if _, ok := gm["__count"].(int64); !ok {
			t.Fatalf("non-lazy group without __count: %#v", gm)
		}
		label, _ := gm["create_date:month"].(string)
		if len(strings.Fields(label)) != 2 {
			t.Errorf("month label %q, want like \"January 2024\"", label)
		}
	}
	_, f := e.kw(t, c, "res.partner", "read_group", []any{[]any{}, []any{}, []any{"nope"}}, nil)
	wantFault(t, c, f, 1, "Invalid field")

	// A NUMERIC sum keeps all its digits (here 16), as Odoo's.
	cur := ids(t, e.mustKw(t, c, "res.currency", "search", []any{[]any{}}, map[string]any{"limit": int64(1)}))[0]
	var rates []any
	for i, rate := range []float64{1234567890123.45, 1.0} {
		rates = append(rates, e.mustKw(t, c, "res.currency.rate", "create", []any{map[string]any{
			"currency_id": cur, "name": fmt.Sprintf("2001-01-0%d", i+1), "rate": rate}}, nil))
	}
	sums := e.mustKw(t, c, "res.currency.rate", "read_group", []any{[]any{[]any{"id", "in", rates}}, []any{"rate:sum"}, []any{"currency_id"}}, nil).([]any)
	if len(sums) != 1 {
		t.Fatalf("rate groups: %v", sums)
	}
	equal(t, "long NUMERIC sum", sums[0].(map[string]any)["rate"], 1234567890124.45)
	e.mustKw(t, c, "res.currency.rate", "unlink", []any{rates}, nil)
}

func testIntrospection(t *testing.T, e *env, c caller) {
	models := e.mustKw(t, c, "ir.model", "search_read", []any{[]any{[]any{"model", "=", "res.partner"}}}, map[string]any{"fields": []any{"model", "name"}}).([]any)
	if len(models) != 1 {
		t.Fatalf("ir.model res.partner: %v", models)
	}
	fields := e.mustKw(t, c, "ir.model.fields", "search_read", []any{[]any{[]any{"model", "=", "res.partner"}, []any{"name", "=", "parent_id"}}}, map[string]any{"fields": []any{"ttype", "relation"}}).([]any)
	if len(fields) != 1 {
		t.Fatalf("ir.model.fields parent_id: %v", fields)
	}
	equal(t, "ttype", fields[0].(map[string]any)["ttype"], "many2one")
	ref := e.mustKw(t, c, "ir.model.data", "check_object_reference", []any{"base", "user_admin"}, nil)
	equal(t, "check_object_reference", ref, []any{"res.users", int64(2)})
	_, f := e.kw(t, c, "ir.model.data", "check_object_reference", []any{"base", "nope"}, nil)
	wantFault(t, c, f, 1, "External ID not found in the system: base.nope")
	equal(t, "ir.model.access.check", e.mustKw(t, c, "ir.model.access", "check", []any{"res.partner", "write"}, nil), true)
	fg := e.mustKw(t, c, "res.partner", "fields_get", []any{[]any{"parent_id", "company_type"}, []any{"type", "relation", "selection"}}, nil).(map[string]any)
	equal(t, "fields_get many2one", fg["parent_id"], map[string]any{"type": "many2one", "relation": "res.partner"})
	equal(t, "fields_get selection", fg["company_type"], map[string]any{"type": "selection", "selection": []any{[]any{"person", "Individual"}, []any{"company", "Company"}}})
	for _, xid := range []string{"main_company", "user_root", "user_admin", "partner_admin", "group_user", "group_system", "group_erp_manager", "group_portal", "group_public"} {
		if _, f := e.kw(t, c, "ir.model.data", "check_object_reference", []any{"base", xid}, nil); f != nil {
			t.Errorf("base.%s: %v", xid, f)
		}
	}
}

func testRecordRules(t *testing.T, e *env, c caller) {
	p := c.protocol()
	demo, _ := c.call(t, "common", "login", e.db, "demo", "demo")
	mine := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Rule mine " + p, "ref": "rule-" + p}}, nil).(int64)
	other := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Rule other " + p, "ref": "hidden-" + p}}, nil).(int64)
	model := e.mustKw(t, c, "ir.model", "search", []any{[]any{[]any{"model", "=", "res.partner"}}}, nil).([]any)[0]
	userGroup := e.mustKw(t, c, "ir.model.data", "check_object_reference", []any{"base", "group_user"}, nil).([]any)[1]
	// A group rule for internal users: only partners whose ref does not start
	// with "hidden-". Demo is an internal user; admin is not restricted... but
	// admin is an internal user too, so the rule applies to both.
	rule := e.mustKw(t, c, "ir.rule", "create", []any{map[string]any{"name": "no hidden " + p, "model_id": model,
		"domain_force": `["|", ["ref", "=", false], ["ref", "not like", "hidden-"]]`, "groups": []any{[]any{int64(6), int64(0), []any{userGroup}}}}}, nil)
	defer e.mustKw(t, c, "ir.rule", "unlink", []any{[]any{rule}}, nil)
	v, f := c.call(t, "object", "execute_kw", e.db, demo, "demo", "res.partner", "search", []any{[]any{[]any{"id", "in", []any{mine, other}}}})
	if f != nil {
		t.Fatal(f)
	}
	equal(t, "rule hides a record from search", v, []any{mine})
	_, f = c.call(t, "object", "execute_kw", e.db, demo, "demo", "res.partner", "write", []any{[]any{other}, map[string]any{"name": "x"}})
	wantFault(t, c, f, 4, "Uh-oh! Looks like you have stumbled upon some top-secret records.")
	_, f = c.call(t, "object", "execute_kw", e.db, demo, "demo", "ir.rule", "create", []any{map[string]any{"name": "x", "model_id": model}})
	wantFault(t, c, f, 4, "You are not allowed to create 'Record Rule' (ir.rule) records.")
	_, f = e.kw(t, c, "ir.rule", "create", []any{map[string]any{"name": "bad", "model_id": model, "domain_force": "[('a','=',1)]"}}, nil)
	wantFault(t, c, f, 2, "godoo accepts JSON domains only")
	e.mustKw(t, c, "res.partner", "unlink", []any{[]any{mine}}, nil)

	// A global create rule: a record created outside it is refused and
	// rolled back, for admin too (only the superuser bypasses rules).
	catModel := e.mustKw(t, c, "ir.model", "search", []any{[]any{[]any{"model", "=", "res.partner.category"}}}, nil).([]any)[0]
	createRule := e.mustKw(t, c, "ir.rule", "create", []any{map[string]any{"name": "create rule " + p, "model_id": catModel,
		"domain_force": `[["name", "not like", "Forbidden"]]`, "perm_read": false, "perm_write": false, "perm_unlink": false}}, nil)
	defer e.mustKw(t, c, "ir.rule", "unlink", []any{[]any{createRule}}, nil)
	_, f = e.kw(t, c, "res.partner.category", "create", []any{map[string]any{"name": "Forbidden " + p}}, nil)
	wantFault(t, c, f, 4, "doesn't have 'create' access to")
	equal(t, "refused create rolled back", e.count(t, "res.partner.category", []any{[]any{"name", "=", "Forbidden " + p}}), int64(0))
	e.mustKw(t, c, "res.partner.category", "create", []any{map[string]any{"name": "Fine " + p}}, nil)
}

// TestDomainSemantics checks Odoo's NULL and negation rules on real rows,
// over JSON-RPC on every store.
func TestDomainSemantics(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		parent := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "DS Parent", "is_company": true, "ref": "ds", "color": false}}, nil).(int64)
		withRef := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "DS With", "ref": "ds", "color": int64(0), "parent_id": parent, "email": "a_b@x"}}, nil).(int64)
		noRef := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "DS Without", "email": "aXb@x", "color": false}}, nil).(int64)
		archived := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "DS Archived", "active": false}}, nil).(int64)
		scope := []any{"id", "in", []any{parent, withRef, noRef, archived}}
		search := func(domain ...any) []int64 {
			t.Helper()
			got := ids(t, e.mustKw(t, c, "res.partner", "search", []any{append([]any{scope}, domain...)}, map[string]any{"order": "id"}))
			return got
		}
		cases := []struct {
			name   string
			domain []any
			want   []int64
		}{
			{"= False matches NULL only", []any{[]any{"ref", "=", false}}, []int64{noRef}},
			{"!= False matches set values", []any{[]any{"ref", "!=", false}}, []int64{parent, withRef}},
			{"!= value keeps NULL", []any{[]any{"ref", "!=", "ds"}}, []int64{noRef}},
			// Odoo 18 compares an empty number and zero alike (the recorded
			// domain.float_eq_zero and domain.float_eq_false agree).
			{"= 0 matches NULL too", []any{[]any{"color", "=", int64(0)}}, []int64{parent, withRef, noRef}},
			{"!= 0 drops NULL", []any{[]any{"color", "!=", int64(0)}}, []int64{}},
			{"< False matches nothing", []any{[]any{"color", "<", false}}, []int64{}},
			{"ilike '' matches all", []any{[]any{"email", "ilike", ""}}, []int64{parent, withRef, noRef}},
			{"not ilike '' matches NULL only", []any{[]any{"email", "not ilike", ""}}, []int64{parent}},
			{"like wildcard _", []any{[]any{"email", "like", "a_b"}}, []int64{withRef, noRef}},
			{"=ilike verbatim", []any{[]any{"email", "=ilike", "A_B@X"}}, []int64{withRef, noRef}},
			{"in [False, v]", []any{[]any{"ref", "in", []any{false, "nope"}}}, []int64{noRef}},
			{"not in [v] keeps NULL", []any{[]any{"ref", "not in", []any{"ds"}}}, []int64{noRef}},
			{"not in [False, v] drops NULL", []any{[]any{"ref", "not in", []any{false, "zzz"}}}, []int64{parent, withRef}},
			{"! = becomes != with NULL", []any{"!", []any{"ref", "=", "ds"}}, []int64{noRef}},
			{"dotted != excludes empty many2one", []any{[]any{"parent_id.name", "!=", "X"}}, []int64{withRef}},
			{"! dotted = includes empty many2one", []any{"!", []any{"parent_id.name", "=", "DS Parent"}}, []int64{parent, noRef}},
			{"not any includes empty many2one", []any{[]any{"parent_id", "not any", []any{[]any{"name", "=", "DS Parent"}}}}, []int64{parent, noRef}},
			{"| then implicit &", []any{"|", []any{"name", "=", "DS With"}, []any{"name", "=", "DS Without"}, []any{"ref", "=", "ds"}}, []int64{withRef}},
			{"<> alias", []any{[]any{"ref", "<>", "ds"}}, []int64{noRef}},
			{"top-level active disables the filter", []any{[]any{"active", "in", []any{true, false}}}, []int64{parent, withRef, noRef, archived}},
			{"x2many = False", []any{[]any{"child_ids", "=", false}}, []int64{withRef, noRef}},
			{"x2many != False", []any{[]any{"child_ids", "!=", false}}, []int64{parent}},
			{"child_of False matches nothing", []any{[]any{"id", "child_of", []any{}}}, []int64{}},
			{"date part of a datetime", []any{[]any{"create_date.year_number", "=", int64(time.Now().UTC().Year())}, []any{"ref", "=", "ds"}}, []int64{parent, withRef}},
			{"date part mismatch", []any{[]any{"create_date.year_number", "<", int64(2000)}}, []int64{}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) { equal(t, tc.name, search(tc.domain...), tc.want) })
		}
		_, f := e.kw(t, c, "res.partner", "search", []any{[]any{"|", []any{"name", "=", "x"}}}, nil)
		wantFault(t, c, f, 1, "syntactically not correct")
		_, f = e.kw(t, c, "res.partner", "search", []any{[]any{}, int64(0), int64(0), false, true}, nil)
		wantFault(t, c, f, 1, "positional arguments")
		_, f = e.kw(t, c, "res.partner", "create", []any{map[string]any{"name": "x", "type": "nope"}}, nil)
		wantFault(t, c, f, 1, "Wrong value for res.partner.type: 'nope'")
		v := e.mustKw(t, c, "res.partner", "create", []any{[]any{}}, nil)
		equal(t, "create([])", v, []any{})
		equal(t, "write([], vals)", e.mustKw(t, c, "res.partner", "write", []any{[]any{}, map[string]any{"name": "x"}}, nil), true)
		_, f = e.kw(t, c, "res.partner", "unlink", []any{[]any{int64(987654)}}, nil)
		wantFault(t, c, f, 2, "Record does not exist or has been deleted.\n(Record: res.partner(987654,), User: ")
		rec := e.mustKw(t, c, "res.partner", "read", []any{[]any{withRef}, []any{"parent_id"}}, map[string]any{"load": nil}).([]any)[0].(map[string]any)
		equal(t, "load=None gives bare ids", rec["parent_id"], parent)
		got := e.mustKw(t, c, "res.partner", "read", []any{[]any{noRef, int64(987654), withRef}, []any{"name"}}, nil).([]any)
		equal(t, "read keeps order, drops missing", []any{got[0].(map[string]any)["id"], got[1].(map[string]any)["id"]}, []any{noRef, withRef})
		n := e.mustKw(t, c, "res.partner", "search_count", []any{[]any{scope}}, map[string]any{"limit": int64(2)})
		equal(t, "search_count limit", n, int64(2))
	})
}

// TestOdooRPCSuite ports the scenarios of Odoo's own RPC tests
// (odoo/addons/base/tests/test_xmlrpc.py) that apply to godoo's models, over
// both protocols on every store, plus the context rules they rely on.
func TestOdooRPCSuite(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			exec := func(model, method string, args ...any) (any, *faultInfo) {
				return c.call(t, "object", "execute", append([]any{e.db, int64(2), adminPassword, model, method}, args...)...)
			}
			// test_xmlrpc_ir_model_search, also with a falsy {} offset.
			for _, args := range [][]any{{[]any{}}, {[]any{}, map[string]any{}}} {
				v, f := exec("ir.model", "search", args...)
				if f != nil {
					t.Fatalf("ir.model search %v: %v", args, f)
				}
				if l, ok := v.([]any); !ok || len(l) == 0 {
					t.Errorf("ir.model search returned %#v", v)
				}
			}
			// test_xmlrpc_read_group and test_xmlrpc_name_search.
			if _, f := exec("res.partner", "read_group", []any{}, []any{"is_company", "color"}, []any{"parent_id"}); f != nil {
				t.Errorf("read_group: %v", f)
			}
			if v, f := exec("res.partner", "name_search", "admin"); f != nil {
				t.Errorf("name_search: %v", f)
			} else if l, _ := v.([]any); len(l) == 0 {
				t.Errorf("name_search admin found nothing")
			}
			// test_xmlrpc_html_field: html comes back exactly.
			html := "<p>Signature <b>bold</b> &amp; more</p>"
			id := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "HTML", "comment": html}}, nil)
			rec := e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{"comment"}}, nil).([]any)[0].(map[string]any)
			equal(t, "html", rec["comment"], html)
			// test_xmlrpc_frozendict_marshalling: context_get has lang and tz.
			ctx := e.mustKw(t, c, "res.users", "context_get", []any{}, nil).(map[string]any)
			equal(t, "context_get lang", ctx["lang"], "en_US")
			if _, ok := ctx["tz"]; !ok {
				t.Error("context_get without tz")
			}
			// TestExternalAPI.test_call_kw: kwargs with a context are accepted
			// and the context is not echoed back.
			rec = e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{"name"}}, map[string]any{"context": map[string]any{"lang": "en_US"}}).([]any)[0].(map[string]any)
			if _, echoed := rec["context"]; echoed {
				t.Error("context echoed in the result")
			}
			// bin_size gives a human size instead of the content.
			img := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Bin", "image_1920": "AAECAwQFBgc="}}, nil)
			rec = e.mustKw(t, c, "res.partner", "read", []any{[]any{img}, []any{"image_1920"}}, map[string]any{"context": map[string]any{"bin_size": true}}).([]any)[0].(map[string]any)
			equal(t, "bin_size", rec["image_1920"], "8.00 bytes")
			// allowed_company_ids outside the user's companies.
			_, f := e.kw(t, c, "res.partner", "search", []any{[]any{}}, map[string]any{"context": map[string]any{"allowed_company_ids": []any{int64(9999)}}})
			wantFault(t, c, f, 4, "Access to unauthorized or invalid companies.")
			if _, f := e.kw(t, c, "res.partner", "search", []any{[]any{}}, map[string]any{"context": map[string]any{"allowed_company_ids": []any{int64(1)}}}); f != nil {
				t.Errorf("own company refused: %v", f)
			}
			// Ordering by a many2one follows the comodel's order (name), not
			// ids: Switzerland (CH) has a smaller id than Germany (DE).
			country := func(code string) any {
				return e.mustKw(t, c, "res.country", "search", []any{[]any{[]any{"code", "=", code}}}, nil).([]any)[0]
			}
			ch := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Order CH", "country_id": country("CH")}}, nil)
			de := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Order DE", "country_id": country("DE")}}, nil)
			got := e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"id", "in", []any{ch, de}}}}, map[string]any{"order": "country_id"})
			equal(t, "order by many2one", got, []any{de, ch})
			got = e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"id", "in", []any{ch, de}}}}, map[string]any{"order": "country_id desc"})
			equal(t, "order by many2one desc", got, []any{ch, de})
			e.mustKw(t, c, "res.partner", "unlink", []any{[]any{ch, de}}, nil)
			e.mustKw(t, c, "res.partner", "unlink", []any{[]any{id, img}}, nil)
		})
	})
}

// TestPortalUsers checks that portal users see what Odoo's base rules let
// them see: their own partner (and its contacts); among users, the
// internal ones and themselves (res_users_rule), though they may read only
// themselves (another user's name is its partner's, which the partner rule
// hides); and that internal users are not restricted by those rules.
func TestPortalUsers(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		portal := e.mustKw(t, c, "ir.model.data", "check_object_reference", []any{"base", "group_portal"}, nil).([]any)[1]
		const pw = "Portal-Pw-1"
		uid := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"login": "portal1", "name": "Portal One", "password": pw,
			"groups_id": []any{[]any{int64(6), int64(0), []any{portal}}}}}, nil).(int64)
		me := e.mustKw(t, c, "res.users", "read", []any{[]any{uid}, []any{"partner_id"}}, nil).([]any)[0].(map[string]any)["partner_id"].([]any)[0]
		as := func(model, method string, args ...any) (any, *faultInfo) {
			return c.call(t, "object", "execute_kw", e.db, uid, pw, model, method, args)
		}
		v, f := as("res.partner", "search", []any{})
		if f != nil {
			t.Fatal(f)
		}
		equal(t, "portal sees its own partner only", v, []any{me})
		v, f = as("res.users", "search", []any{})
		if f != nil {
			t.Fatal(f)
		}
		internal := e.mustKw(t, c, "res.users", "search", []any{[]any{[]any{"share", "=", false}}}, nil).([]any)
		if !slices.Contains(v.([]any), any(uid)) || len(v.([]any)) != len(internal)+1 {
			t.Errorf("portal sees users %v, want the internal ones %v and itself %d", v, internal, uid)
		}
		_, f = as("res.users", "read", []any{internal[0]}, []any{"name"})
		wantFault(t, c, f, 4, "top-secret records")
		_, f = as("res.partner", "read", []any{int64(1)}, []any{"name"})
		wantFault(t, c, f, 4, "doesn't have 'read' access to")
		_, f = as("res.partner", "create", []any{map[string]any{"name": "x"}})
		wantFault(t, c, f, 4, "You are not allowed to create 'Contact' (res.partner) records.")
		n := e.mustKw(t, c, "res.partner", "search_count", []any{[]any{}}, nil).(int64)
		if n < 3 {
			t.Errorf("an internal user is restricted by the portal rule: sees %d partners", n)
		}
	})
}
