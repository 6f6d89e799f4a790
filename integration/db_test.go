package integration_test

import (
	"context"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestDB drives the db service (spec/protocol.md §1.4) over XML-RPC (kolo)
// and JSON-RPC on every store: the master password guards every protected
// method, and with it databases are created, copied, renamed and dropped.
func TestDB(t *testing.T) {
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			store := mk(t)
			t.Cleanup(func() { store.Close() })
			set, url := dbServe(t, store, services.Config{ListDB: true, MasterPassword: masterPassword})
			// fixture is a database that refused calls must leave as it is.
			fixture := uniqueName("itdb_")
			dbDropLater(t, set, fixture)
			if err := set.Database.Create(context.Background(), fixture, services.CreateOptions{AdminPassword: adminPassword, AdminLogin: "admin"}); err != nil {
				t.Fatal(err)
			}
			for _, c := range []caller{xmlCaller{url}, jsonCaller{url}} {
				t.Run(c.protocol(), func(t *testing.T) {
					t.Run("wrong master password", func(t *testing.T) { testDBWrongMaster(t, c, set, fixture) })
					t.Run("list_countries", func(t *testing.T) { testDBListCountries(t, c) })
					t.Run("no master password", func(t *testing.T) { testDBNoParams(t, c) })
					t.Run("lifecycle", func(t *testing.T) { testDBLifecycle(t, c, set) })
					t.Run("not supported", func(t *testing.T) { testDBUnsupported(t, c, fixture) })
					t.Run("dump and restore", func(t *testing.T) { testDBDumpRestore(t, c, set, store) })
					t.Run("dump and restore a filestore", func(t *testing.T) { testDBDumpFilestore(t, c, store) })
					t.Run("change_admin_password", func(t *testing.T) { testDBChangeMaster(t, c, store) })
				})
			}
			t.Run("list_db off", func(t *testing.T) {
				_, offURL := dbServe(t, store, services.Config{ListDB: false, MasterPassword: masterPassword})
				for _, c := range []caller{xmlCaller{offURL}, jsonCaller{offURL}} {
					t.Run(c.protocol(), func(t *testing.T) { testDBListOff(t, c, set, fixture) })
				}
			})
		})
	}
}

// dbServe starts a server of a new Set on store, without any database.
func dbServe(t *testing.T, store models.Store, cfg services.Config) (*services.Set, string) {
	t.Helper()
	return dbServeWith(t, store, cfg, godoorpc.Options{})
}

// dbServeWith is dbServe with the handler's options.
func dbServeWith(t *testing.T, store models.Store, cfg services.Config, opts godoorpc.Options) (*services.Set, string) {
	t.Helper()
	set := newSet(store, cfg)
	h := godoorpc.NewHandler(set, opts)
	h.SetReady(true)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return set, srv.URL
}

// dbDropLater drops name, if it exists, when the test ends.
func dbDropLater(t *testing.T, set *services.Set, name string) {
	t.Cleanup(func() {
		if _, err := set.Database.DropNoCheck(context.Background(), name); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
}

func dbMust(t *testing.T, c caller, method string, args ...any) any {
	t.Helper()
	v, f := c.call(t, "db", method, args...)
	if f != nil {
		t.Fatalf("db.%s: unexpected fault %d: %s", method, f.Code, f.String)
	}
	return v
}

func dbExists(t *testing.T, c caller, name string) bool {
	t.Helper()
	return dbMust(t, c, "db_exist", name) == true
}

func dbListed(t *testing.T, c caller, name string) bool {
	t.Helper()
	for _, n := range dbMust(t, c, "list").([]any) {
		if n == name {
			return true
		}
	}
	return false
}

// dbLogin returns common.login's answer on db.
func dbLogin(t *testing.T, c caller, db, login, password string) any {
	t.Helper()
	v, f := c.call(t, "common", "login", db, login, password)
	if f != nil {
		t.Fatalf("login on %s: unexpected fault %d: %s", db, f.Code, f.String)
	}
	return v
}

// wantAccessDenied checks the fault of a refused master password: code 3
// and, over XML-RPC, exactly Odoo's "Access Denied".
func wantAccessDenied(t *testing.T, c caller, f *faultInfo) {
	t.Helper()
	wantFault(t, c, f, 3, "Access Denied")
	if f != nil && c.protocol() == "xmlrpc" && f.String != "Access Denied" {
		t.Errorf("faultString = %q, want exactly Access Denied", f.String)
	}
}

func testDBWrongMaster(t *testing.T, c caller, set *services.Set, fixture string) {
	fresh := uniqueName("itdb_")
	dbDropLater(t, set, fresh)
	calls := []struct {
		method string
		args   func(master string) []any
	}{
		{"list_countries", func(m string) []any { return []any{m} }},
		{"create_database", func(m string) []any { return []any{m, fresh, false, "en_US", "pw", "admin"} }},
		{"duplicate_database", func(m string) []any { return []any{m, fixture, fresh} }},
		{"drop", func(m string) []any { return []any{m, fixture} }},
		{"rename", func(m string) []any { return []any{m, fixture, fresh} }},
		{"change_admin_password", func(m string) []any { return []any{m, "hijacked-master"} }},
		{"dump", func(m string) []any { return []any{m, fixture, "zip"} }},
		{"restore", func(m string) []any { return []any{m, fresh, "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="} }},
		{"migrate_databases", func(m string) []any { return []any{m, []any{fixture}} }},
	}
	for _, master := range []string{"wrong", "", strings.ToUpper(masterPassword), masterPassword + " "} {
		for _, call := range calls {
			_, f := c.call(t, "db", call.method, call.args(master)...)
			if f == nil {
				t.Errorf("db.%s with master password %q: no fault", call.method, master)
				continue
			}
			wantAccessDenied(t, c, f)
		}
	}
	// Nothing happened.
	if !dbExists(t, c, fixture) {
		t.Fatalf("%s is gone after refused calls", fixture)
	}
	if dbExists(t, c, fresh) {
		t.Errorf("%s was created by a refused call", fresh)
	}
	if _, f := c.call(t, "db", "list_countries", "hijacked-master"); f == nil {
		t.Error("a refused change_admin_password changed the master password")
	}
	dbMust(t, c, "list_countries", masterPassword)
}

// testDBNoParams calls the functions that take the master password first
// without any parameter: Odoo's dispatch takes it by index, an
// IndexError of the parameters (a tuple on XML-RPC, a list on JSON-RPC).
// The others bind their parameters as usual.
func testDBNoParams(t *testing.T, c caller) {
	seq := "list"
	if c.protocol() == "xmlrpc" {
		seq = "tuple"
	}
	for _, method := range []string{"list_countries", "create_database", "duplicate_database", "drop", "rename",
		"change_admin_password", "dump", "restore", "migrate_databases"} {
		t.Run(method, func(t *testing.T) {
			_, f := c.call(t, "db", method)
			wantExact(t, c, f, 1, "builtins.IndexError", seq+" index out of range")
		})
	}
	_, f := c.call(t, "db", "db_exist")
	wantExact(t, c, f, 1, "builtins.TypeError", "exp_db_exist() missing 1 required positional argument: 'db_name'")
}

func testDBListCountries(t *testing.T, c caller) {
	v := dbMust(t, c, "list_countries", masterPassword)
	list, ok := v.([]any)
	if !ok || len(list) < 2 {
		t.Fatalf("list_countries = %#v, want a list of pairs", v)
	}
	names := make([]string, len(list))
	found := false
	for i, e := range list {
		pair, ok := e.([]any)
		if !ok || len(pair) != 2 {
			t.Fatalf("list_countries[%d] = %#v, want [code, name]", i, e)
		}
		code, _ := pair[0].(string)
		name, _ := pair[1].(string)
		if len(code) != 2 || strings.ToLower(code) != code || name == "" {
			t.Errorf("list_countries[%d] = %#v, want a lower-case code and a name", i, e)
		}
		names[i] = name
		found = found || code == "be" && name == "Belgium"
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("list_countries is not sorted by name: %v", names)
	}
	if !found {
		t.Error(`list_countries lacks ["be", "Belgium"]`)
	}
}

func testDBLifecycle(t *testing.T, c caller, set *services.Set) {
	name, copyName, renamed := uniqueName("itdb_"), uniqueName("itdb_"), uniqueName("itdb_")
	for _, n := range []string{name, copyName, renamed} {
		dbDropLater(t, set, n)
	}
	pw := "pw-" + name

	equal(t, "create_database", dbMust(t, c, "create_database", masterPassword, name, false, "en_US", pw, "admin"), true)
	if !dbListed(t, c, name) {
		t.Fatalf("%s is not in db.list after create_database", name)
	}
	equal(t, "login in the new database", dbLogin(t, c, name, "admin", pw), int64(2))
	equal(t, "login with another password", dbLogin(t, c, name, "admin", adminPassword), false)
	// No demo data was asked for.
	equal(t, "demo login", dbLogin(t, c, name, "demo", "demo"), false)
	// Odoo answers fault 1 (odoo.service.db.DatabaseExists), godoo fault 2:
	// only the refusal is checked here.
	_, f := c.call(t, "db", "create_database", masterPassword, name, false, "en_US", pw, "admin")
	if f == nil || !strings.Contains(f.String, "already exists") {
		t.Errorf("create_database of an existing name: %#v, want an \"already exists\" fault", f)
	}
	equal(t, "login after the refused create", dbLogin(t, c, name, "admin", pw), int64(2))

	equal(t, "duplicate_database", dbMust(t, c, "duplicate_database", masterPassword, name, copyName), true)
	if !dbListed(t, c, name) || !dbListed(t, c, copyName) {
		t.Fatalf("after duplicate_database, db.list lacks %s or %s", name, copyName)
	}
	equal(t, "login in the copy", dbLogin(t, c, copyName, "admin", pw), int64(2))
	// As in Odoo, the copy gets its own database.uuid.
	if u, cu := dbUUID(t, c, name, pw), dbUUID(t, c, copyName, pw); u == "" || u == cu {
		t.Errorf("database.uuid of the original %q and of the copy %q, want two different ones", u, cu)
	}

	equal(t, "rename", dbMust(t, c, "rename", masterPassword, copyName, renamed), true)
	if dbListed(t, c, copyName) || !dbListed(t, c, renamed) {
		t.Fatalf("after rename %s -> %s, db.list = %v", copyName, renamed, dbMust(t, c, "list"))
	}
	equal(t, "login under the new name", dbLogin(t, c, renamed, "admin", pw), int64(2))
	_, f = c.call(t, "common", "login", copyName, "admin", pw)
	wantFault(t, c, f, 1, "does not exist")

	equal(t, "drop", dbMust(t, c, "drop", masterPassword, renamed), true)
	if dbListed(t, c, renamed) || dbExists(t, c, renamed) {
		t.Errorf("%s still exists after drop", renamed)
	}
	equal(t, "drop of a missing database", dbMust(t, c, "drop", masterPassword, renamed), false)
	equal(t, "drop", dbMust(t, c, "drop", masterPassword, name), true)
	if dbListed(t, c, name) {
		t.Errorf("%s still listed after drop", name)
	}
	_, f = c.call(t, "common", "login", name, "admin", pw)
	wantFault(t, c, f, 1, "does not exist")
}

// dbUUID reads database.uuid as admin.
func dbUUID(t *testing.T, c caller, db, password string) string {
	t.Helper()
	v, f := c.call(t, "object", "execute_kw", db, int64(2), password, "ir.config_parameter", "search_read",
		[]any{[]any{[]any{"key", "=", "database.uuid"}}}, map[string]any{"fields": []any{"value"}})
	if f != nil {
		t.Fatalf("read database.uuid of %s: %d %s", db, f.Code, f.String)
	}
	recs, _ := v.([]any)
	if len(recs) != 1 {
		t.Fatalf("database.uuid of %s: %#v", db, v)
	}
	s, _ := recs[0].(map[string]any)["value"].(string)
	return s
}

func testDBUnsupported(t *testing.T, c caller, fixture string) {
	for method, args := range map[string][]any{
		"migrate_databases": {masterPassword, []any{fixture}},
	} {
		_, f := c.call(t, "db", method, args...)
		wantFault(t, c, f, 1, "not supported")
	}
}

// testDBChangeMaster runs change_admin_password on a server of its own, so
// that the other sub-tests keep their master password.
func testDBChangeMaster(t *testing.T, c caller, store models.Store) {
	var saved []string
	_, url := dbServe(t, store, services.Config{ListDB: true, MasterPassword: masterPassword,
		SaveMasterPassword: func(h string) error { saved = append(saved, h); return nil }})
	c = dbSameProtocol(c, url)
	const newMaster = "new-Master-2"
	equal(t, "change_admin_password", dbMust(t, c, "change_admin_password", masterPassword, newMaster), true)
	_, f := c.call(t, "db", "list_countries", masterPassword)
	wantAccessDenied(t, c, f)
	dbMust(t, c, "list_countries", newMaster)

	// The new master password is saved hashed, and the hash is a master
	// password the next start accepts.
	if len(saved) != 1 || !strings.HasPrefix(saved[0], "$pbkdf2-sha512$") || strings.Contains(saved[0], newMaster) {
		t.Fatalf("saved master passwords = %q, want one $pbkdf2-sha512$ hash", saved)
	}
	if ok, _ := auth.VerifyPassword(newMaster, saved[0], 1); !ok {
		t.Fatal("the saved hash does not verify the new master password")
	}
	next := newSet(store, services.Config{ListDB: true, MasterPassword: saved[0]})
	if _, err := next.Database.ListCountries(newMaster); err != nil {
		t.Errorf("hashed master password refused the new password: %v", err)
	}
	if _, err := next.Database.ListCountries(masterPassword); err == nil {
		t.Error("hashed master password accepted the old password")
	}
}

func dbSameProtocol(c caller, url string) caller {
	if c.protocol() == "xmlrpc" {
		return xmlCaller{url}
	}
	return jsonCaller{url}
}

// testDBListOff checks list_db = False: listing and every management
// method are refused even with the right master password (Odoo's
// check_db_management_enabled); the unguarded methods still answer.
func testDBListOff(t *testing.T, c caller, set *services.Set, fixture string) {
	fresh := uniqueName("itdb_")
	dbDropLater(t, set, fresh)
	_, f := c.call(t, "db", "list")
	wantAccessDenied(t, c, f)
	for method, args := range map[string][]any{
		"create_database":       {masterPassword, fresh, false, "en_US", "pw", "admin"},
		"duplicate_database":    {masterPassword, fixture, fresh},
		"drop":                  {masterPassword, fixture},
		"rename":                {masterPassword, fixture, fresh},
		"change_admin_password": {masterPassword, "hijacked-master"},
		"dump":                  {masterPassword, fixture, "zip"},
		"restore":               {masterPassword, fresh, "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="},
		"migrate_databases":     {masterPassword, []any{fixture}},
	} {
		_, f := c.call(t, "db", method, args...)
		if f == nil {
			t.Errorf("db.%s with list_db off: no fault", method)
			continue
		}
		wantAccessDenied(t, c, f)
	}
	if !dbExists(t, c, fixture) || dbExists(t, c, fresh) {
		t.Error("a refused call changed the databases")
	}
	// The master password did not change, and the unguarded methods answer.
	dbMust(t, c, "list_countries", masterPassword)
	equal(t, "server_version", dbMust(t, c, "server_version"), "18.0")
	if langs, ok := dbMust(t, c, "list_lang").([]any); !ok || len(langs) == 0 {
		t.Error("list_lang is empty")
	}
}
