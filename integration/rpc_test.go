package integration_test

import (
	"regexp"
	"strings"
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestRPC runs the end-to-end scenarios through XML-RPC (kolo) and JSON-RPC
// (plain HTTP) on every store.
func TestRPC(t *testing.T) {
	eachStore(t, services.Config{ListDB: true}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			t.Run("common", func(t *testing.T) { testCommon(t, e, c) })
			t.Run("object", func(t *testing.T) { testObject(t, e, c) })
			t.Run("faults", func(t *testing.T) { testFaults(t, e, c) })
			t.Run("marshalling", func(t *testing.T) { testMarshalling(t, e, c) })
		})
	})
}

func testCommon(t *testing.T, e *env, c caller) {
	v, f := c.call(t, "common", "version")
	if f != nil {
		t.Fatalf("version: %v", f)
	}
	info := v.(map[string]any)
	equal(t, "server_version", info["server_version"], "18.0")
	equal(t, "server_serie", info["server_serie"], "18.0")
	equal(t, "protocol_version", info["protocol_version"], int64(1))
	// kolo reads an empty <string> as nil, so the edition is checked apart.
	vi := info["server_version_info"].([]any)
	equal(t, "server_version_info", vi[:5], []any{int64(18), int64(0), int64(0), "final", int64(0)})
	if vi[5] != "" && vi[5] != nil {
		t.Errorf("edition = %#v, want empty", vi[5])
	}

	uid, f := c.call(t, "common", "login", e.db, "admin", adminPassword)
	equal(t, "login uid", uid, int64(2))
	if f != nil {
		t.Fatal(f)
	}
	uid, _ = c.call(t, "common", "authenticate", e.db, "admin", adminPassword, map[string]any{})
	equal(t, "authenticate uid", uid, int64(2))
	uid, f = c.call(t, "common", "login", e.db, "admin", "wrong")
	if f != nil {
		t.Fatalf("a wrong password must not be a fault: %v", f)
	}
	equal(t, "login with a wrong password", uid, false)
	uid, _ = c.call(t, "common", "login", e.db, "nobody", "x")
	equal(t, "login of an unknown user", uid, false)
	// The demo user logs in with its own password.
	uid, _ = c.call(t, "common", "login", e.db, "demo", "demo")
	if n, ok := uid.(int64); !ok || n <= 2 {
		t.Errorf("demo login = %v", uid)
	}

	_, f = c.call(t, "common", "login", "no_such_db", "admin", adminPassword)
	wantFault(t, c, f, 1, "does not exist")
	if c.protocol() == "xmlrpc" && !strings.HasPrefix(f.String, "Traceback (most recent call last):") {
		t.Errorf("unknown database fault is not a traceback: %q", f.String)
	}
	_, f = c.call(t, "common", "nope")
	wantFault(t, c, f, 1, "Method not found: nope")

	v, _ = c.call(t, "common", "about")
	equal(t, "about", v, "See http://openerp.com")
	v, _ = c.call(t, "common", "about", true)
	equal(t, "about(True)", v, []any{"See http://openerp.com", "18.0"})
}

func testObject(t *testing.T, e *env, c caller) {
	p := c.protocol()
	id := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "E2E " + p, "email": "e2e@example.com", "is_company": true}}, nil)
	pid, ok := id.(int64)
	if !ok {
		t.Fatalf("create with one dict returned %#v, want an int", id)
	}
	ids := e.mustKw(t, c, "res.partner", "create", []any{[]any{
		map[string]any{"name": "Child A " + p, "parent_id": pid},
		map[string]any{"name": "Child B " + p, "parent_id": pid},
	}}, nil)
	list, ok := ids.([]any)
	if !ok || len(list) != 2 {
		t.Fatalf("create with a list returned %#v, want two ids", ids)
	}
	recs := e.mustKw(t, c, "res.partner", "read", []any{[]any{list[0]}, []any{"name", "parent_id", "display_name", "email", "child_ids"}}, nil).([]any)
	rec := recs[0].(map[string]any)
	equal(t, "many2one", rec["parent_id"], []any{pid, "E2E " + p})
	equal(t, "display_name", rec["display_name"], "E2E "+p+", Child A "+p)
	equal(t, "empty char", rec["email"], false)
	equal(t, "id present", rec["id"], list[0])

	parent := e.mustKw(t, c, "res.partner", "read", []any{pid, []any{"child_ids"}}, nil).([]any)[0].(map[string]any)
	equal(t, "one2many", parent["child_ids"], list)

	found := e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"parent_id", "=", pid}}}, map[string]any{"order": "name desc"})
	equal(t, "search order", found, []any{list[1], list[0]})
	n := e.mustKw(t, c, "res.partner", "search_count", []any{[]any{"|", []any{"name", "ilike", "child a " + p}, []any{"name", "=", "Child B " + p}}}, nil)
	equal(t, "search_count with |", n, int64(2))
	sr := e.mustKw(t, c, "res.partner", "search_read", []any{[]any{[]any{"id", "in", list}}}, map[string]any{"fields": []any{"name"}, "limit": int64(1), "order": "id"})
	equal(t, "search_read", sr, []any{map[string]any{"id": list[0], "name": "Child A " + p}})

	equal(t, "write", e.mustKw(t, c, "res.partner", "write", []any{[]any{list[0]}, map[string]any{"name": "Renamed " + p}}, nil), true)
	// A bare integer is accepted where ids are expected.
	got := e.mustKw(t, c, "res.partner", "read", []any{list[0], []any{"name"}}, nil).([]any)[0].(map[string]any)
	equal(t, "name after write", got["name"], "Renamed "+p)

	// execute: positional arguments only.
	v, f := c.call(t, "object", "execute", e.db, int64(2), adminPassword, "res.partner", "search", []any{[]any{"id", "=", pid}}, int64(0), int64(5))
	if f != nil {
		t.Fatal(f)
	}
	equal(t, "execute search", v, []any{pid})

	// kwargs.context is applied: archived records appear with active_test off.
	e.mustKw(t, c, "res.partner", "write", []any{[]any{list[1]}, map[string]any{"active": false}}, nil)
	hidden := e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"parent_id", "=", pid}}}, nil)
	equal(t, "archived hidden", hidden, []any{list[0]})
	shown := e.mustKw(t, c, "res.partner", "search", []any{[]any{[]any{"parent_id", "=", pid}}}, map[string]any{"context": map[string]any{"active_test": false}, "order": "id"})
	equal(t, "archived shown with active_test off", shown, list)

	equal(t, "unlink", e.mustKw(t, c, "res.partner", "unlink", []any{list}, nil), true)
	equal(t, "gone", e.count(t, "res.partner", []any{[]any{"id", "in", list}}), int64(0))

	// Users: delegated name, groups, context_get.
	users := e.mustKw(t, c, "res.users", "read", []any{[]any{int64(2)}, []any{"login", "name", "partner_id"}}, nil).([]any)
	u := users[0].(map[string]any)
	equal(t, "admin login", u["login"], "admin")
	equal(t, "admin name", u["name"], "Administrator")
	ctx := e.mustKw(t, c, "res.users", "context_get", []any{}, nil).(map[string]any)
	equal(t, "context_get lang", ctx["lang"], "en_US")
	names := e.mustKw(t, c, "res.users", "search", []any{[]any{[]any{"name", "=", "Administrator"}}}, nil)
	equal(t, "search on a delegated field", names, []any{int64(2)})
}

func testFaults(t *testing.T, e *env, c caller) {
	_, f := c.call(t, "object", "execute_kw", e.db, int64(2), "wrong", "res.partner", "search", []any{[]any{}})
	wantFault(t, c, f, 3, "Access Denied")
	if c.protocol() == "xmlrpc" && f.String != "Access Denied" {
		t.Errorf("faultString = %q, want exactly Access Denied", f.String)
	}
	_, f = e.kw(t, c, "res.nope", "search", []any{[]any{}}, nil)
	wantFault(t, c, f, 2, "Object res.nope doesn't exist")
	_, f = e.kw(t, c, "res.partner", "_search", []any{[]any{}}, nil)
	wantFault(t, c, f, 4, "Private methods (such as 'res.partner._search') cannot be called remotely.")
	_, f = e.kw(t, c, "res.partner", "init", []any{}, nil)
	wantFault(t, c, f, 4, "Private methods (such as 'res.partner.init') cannot be called remotely.")
	_, f = e.kw(t, c, "res.partner", "no_such_method", []any{}, nil)
	wantFault(t, c, f, 1, "The method 'res.partner.no_such_method' does not exist")
	_, f = e.kw(t, c, "res.partner", "_no_such_method", []any{}, nil)
	wantFault(t, c, f, 1, "The method 'res.partner._no_such_method' does not exist")
	_, f = e.kw(t, c, "res.nope", "_search", []any{[]any{}}, nil)
	wantFault(t, c, f, 2, "Object res.nope doesn't exist")
	_, f = e.kw(t, c, "test.rpc", "raise_user_error", []any{}, nil)
	wantFault(t, c, f, 2, "Nope, said the user error")
	if c.protocol() == "xmlrpc" && f.String != "Nope, said the user error" {
		t.Errorf("UserError faultString = %q, want the bare message", f.String)
	}
	_, f = e.kw(t, c, "test.rpc", "raise_validation_error", []any{}, nil)
	wantFault(t, c, f, 2, "The value must be positive")
	_, f = e.kw(t, c, "test.rpc", "raise_missing_error", []any{}, nil)
	wantFault(t, c, f, 2, "Record does not exist")
	_, f = e.kw(t, c, "test.rpc", "raise_access_error", []any{}, nil)
	wantFault(t, c, f, 4, "You are not allowed to do this")
	_, f = e.kw(t, c, "test.rpc", "raise_unexpected", []any{}, nil)
	wantFault(t, c, f, 1, "Internal server error")
	if c.protocol() == "xmlrpc" && !strings.HasPrefix(f.String, "Traceback (most recent call last):") {
		t.Errorf("unexpected error fault is not a traceback: %q", f.String)
	}
	if strings.Contains(f.String, "deadline") {
		t.Errorf("an internal error leaked its text to the client: %q", f.String)
	}
	_, f = e.kw(t, c, "test.rpc", "panic", []any{}, nil)
	wantFault(t, c, f, 1, "Internal server error")

	// Access rights: the demo user may not create users.
	demoUID, _ := c.call(t, "common", "login", e.db, "demo", "demo")
	_, f = c.call(t, "object", "execute_kw", e.db, demoUID, "demo", "res.users", "create", []any{map[string]any{"login": "x"}})
	wantFault(t, c, f, 4, "You are not allowed to create 'User' (res.users) records.")
	_, f = c.call(t, "object", "execute_kw", e.db, demoUID, "demo", "ir.config_parameter", "search", []any{[]any{}})
	wantFault(t, c, f, 4, "This operation is allowed for the following groups:\n\t- Administration/Settings")
	_, f = e.kw(t, c, "test.rpc", "guarded", []any{}, nil)
	wantFault(t, c, f, 4, "No group currently allows this operation.")

	// Constraint violations become Odoo's "operation cannot be completed".
	_, f = e.kw(t, c, "res.users", "create", []any{map[string]any{"login": "admin", "password": "x"}}, nil)
	wantFault(t, c, f, 2, "The operation cannot be completed: You can not have two users with the same login!")
	_, f = e.kw(t, c, "res.partner", "unlink", []any{[]any{int64(1)}}, nil)
	wantFault(t, c, f, 2, "another model requires the record being deleted. If possible, archive it instead.")
	_, f = e.kw(t, c, "res.partner.category", "create", []any{map[string]any{"color": int64(3)}}, nil)
	wantFault(t, c, f, 2, "Field: Name (name)")
	_, f = e.kw(t, c, "res.partner", "write", []any{[]any{int64(99999)}, map[string]any{"name": "x"}}, nil)
	wantFault(t, c, f, 2, "Record does not exist or has been deleted.")

	// Domain and argument errors are Python exceptions (fault 1).
	_, f = e.kw(t, c, "res.partner", "search", []any{[]any{[]any{"nope", "=", int64(1)}}}, nil)
	wantFault(t, c, f, 1, "Invalid field res.partner.nope in leaf")
	_, f = e.kw(t, c, "res.partner", "search", []any{[]any{[]any{"name", "~", "x"}}}, nil)
	wantFault(t, c, f, 1, "Invalid leaf")
	_, f = e.kw(t, c, "res.partner", "search", []any{[]any{}}, map[string]any{"order": "name; drop table res_partner"})
	wantFault(t, c, f, 2, `Invalid "order" specified`)
	_, f = e.kw(t, c, "res.partner", "read", []any{[]any{int64(1)}, []any{"nope"}}, nil)
	wantFault(t, c, f, 1, "Invalid field 'nope' on model 'res.partner'")
	_, f = e.kw(t, c, "res.partner", "search", []any{[]any{}}, map[string]any{"bogus": int64(1)})
	wantFault(t, c, f, 1, "search() got an unexpected keyword argument 'bogus'")

	// A failure after a write rolls the write back.
	before := e.count(t, "res.partner", []any{[]any{"name", "=", "must not survive"}})
	_, f = e.kw(t, c, "test.rpc", "create_then_fail", []any{}, nil)
	wantFault(t, c, f, 2, "failed after writing")
	equal(t, "rolled back", e.count(t, "res.partner", []any{[]any{"name", "=", "must not survive"}}), before)
}

var datetimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)

func testMarshalling(t *testing.T, e *env, c caller) {
	// None: a fault in XML-RPC, no "result" in JSON-RPC.
	v, f := e.kw(t, c, "test.rpc", "return_none", []any{}, nil)
	if c.protocol() == "xmlrpc" {
		wantFault(t, c, f, 1, "cannot marshal None unless allow_none is enabled")
	} else if f != nil || v != nil {
		t.Errorf("JSON-RPC None result = %v, %v", v, f)
	}
	v, f = e.kw(t, c, "test.rpc", "return_bigint", []any{}, nil)
	if c.protocol() == "xmlrpc" {
		wantFault(t, c, f, 1, "int exceeds XML-RPC limits")
	} else {
		equal(t, "JSON big int", v, int64(1)<<40)
	}
	v, f = e.kw(t, c, "test.rpc", "return_int_keys", []any{}, nil)
	if c.protocol() == "xmlrpc" {
		wantFault(t, c, f, 1, "dictionary key must be string")
	} else {
		equal(t, "JSON int keys are stringified", v, map[string]any{"1": "one"})
	}
	v, _ = e.kw(t, c, "test.rpc", "return_datetime", []any{}, nil)
	equal(t, "datetime result", v, "2024-02-03 04:05:06")

	// Dates are "YYYY-MM-DD HH:MM:SS" strings; empty values are false.
	recs := e.mustKw(t, c, "res.partner", "read", []any{[]any{int64(3)}, []any{"create_date", "website", "parent_id", "color", "image_1920"}}, nil).([]any)
	rec := recs[0].(map[string]any)
	if s, _ := rec["create_date"].(string); !datetimeRE.MatchString(s) {
		t.Errorf("create_date = %#v, want YYYY-MM-DD HH:MM:SS", rec["create_date"])
	}
	equal(t, "empty char", rec["website"], false)
	equal(t, "empty many2one", rec["parent_id"], false)
	equal(t, "unset integer", rec["color"], int64(0))
	equal(t, "empty binary", rec["image_1920"], false)

	// Binary values are base64 text; HTML is returned as given.
	const png = "iVBORw0KGgo="
	id := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Binary " + c.protocol(), "image_1920": png, "comment": "<p>a &amp; b</p>"}}, nil)
	rec = e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{"image_1920", "comment"}}, nil).([]any)[0].(map[string]any)
	equal(t, "binary", rec["image_1920"], png)
	equal(t, "html", rec["comment"], "<p>a &amp; b</p>")

	// Values round-trip: strings with markup, unicode, floats, nested lists.
	for _, val := range []any{"a <b> & c", "héllo wörld ✓", 1.5, []any{int64(1), "x", []any{true}}, map[string]any{"k": []any{}}} {
		got, f := e.kw(t, c, "test.rpc", "echo", []any{val}, nil)
		if f != nil {
			t.Errorf("echo %#v: %v", val, f)
			continue
		}
		equal(t, "echo", got, val)
	}
}
