package database_test

import (
	"context"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestDB drives the db service (spec/protocol.md §1.4) over XML-RPC (kolo)
// and JSON-RPC on every store: the master password guards every protected
// method, and with it databases are created, copied, renamed and dropped.
func TestDB(t *testing.T) {
	itest.ForStores(t, func(t *testing.T, name string, store models.Store) {
		set, url := dbServe(t, store, services.Config{ListDB: true, MasterPassword: itest.MasterPassword})
		// fixture is a database that refused calls must leave as it is.
		fixture := itest.UniqueName("itdb_")
		dbCopyTemplate(t, store, set, fixture)
		for _, c := range []itest.Caller{itest.XMLCaller{Base: url}, itest.JSONCaller{Base: url}} {
			t.Run(c.Protocol(), func(t *testing.T) {
				t.Run("wrong master password", func(t *testing.T) { testDBWrongMaster(t, c, set, fixture) })
				t.Run("list_countries", func(t *testing.T) { testDBListCountries(t, c) })
				t.Run("no master password", func(t *testing.T) { testDBNoParams(t, c) })
				t.Run("lifecycle", func(t *testing.T) { testDBLifecycle(t, c, set) })
				t.Run("not supported", func(t *testing.T) { testDBUnsupported(t, c, fixture) })
				t.Run("dump and restore", func(t *testing.T) { testDBDumpRestore(t, c, set, store) })
				t.Run("change_admin_password", func(t *testing.T) { testDBChangeMaster(t, c, store) })
			})
		}
		// The filestore in a dump is the same on either protocol (the
		// dump's wire is tested above on both): one restore of it is
		// enough.
		t.Run("dump and restore a filestore", func(t *testing.T) { testDBDumpFilestore(t, itest.XMLCaller{Base: url}, store) })
		t.Run("list_db off", func(t *testing.T) {
			_, offURL := dbServe(t, store, services.Config{ListDB: false, MasterPassword: itest.MasterPassword})
			for _, c := range []itest.Caller{itest.XMLCaller{Base: offURL}, itest.JSONCaller{Base: offURL}} {
				t.Run(c.Protocol(), func(t *testing.T) { testDBListOff(t, c, set, fixture) })
			}
		})
	})
}

// dbCopyTemplate makes database name on store, without demo data, as a
// copy of the template (itest.CreateFromTemplate), or by creating it where
// there is none; its admin's password is itest.AdminPassword. It is
// dropped when the test ends. The tests of creation itself create over
// RPC; the others start from a copy, which costs a file copy instead of
// installing Odoo's models.
func dbCopyTemplate(t *testing.T, store models.Store, set *services.Set, name string) {
	t.Helper()
	dbDropLater(t, set, name)
	if itest.CreateFromTemplate(t, store, set, name, false) {
		return
	}
	if err := set.Database.Create(context.Background(), name, services.CreateOptions{AdminPassword: itest.AdminPassword, AdminLogin: "admin"}); err != nil {
		t.Fatal(err)
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
	set := itest.NewSet(store, cfg)
	dbStores.Store(set, store)
	h := godoorpc.NewHandler(set, opts)
	h.SetReady(true)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return set, srv.URL
}

// dbStores are the stores of the sets dbServeWith made, by set, for
// dbDropLater.
var dbStores sync.Map // *services.Set → models.Store

// dbDropLater drops name, if it exists, when the test ends; on PostgreSQL
// (the server of the tests), with the other test databases when the
// process's tests are done (itest.Main): every drop costs the server a
// checkpoint, which the drops made together share. The tests of dropping
// drop through the service themselves.
func dbDropLater(t *testing.T, set *services.Set, name string) {
	t.Cleanup(func() {
		ctx := context.Background()
		if s, ok := dbStores.Load(set); ok && s.(models.Store).Dialect() == "pg" {
			exists, err := s.(models.Store).Exists(ctx, name)
			if err != nil {
				t.Errorf("drop %s: %v", name, err)
				return
			}
			if !exists || storetest.DropLater(name) {
				return
			}
		}
		if _, err := set.Database.DropNoCheck(ctx, name); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
}

func dbExists(t *testing.T, c itest.Caller, name string) bool {
	t.Helper()
	return itest.MustDB(t, c, "db_exist", name) == true
}

func dbListed(t *testing.T, c itest.Caller, name string) bool {
	t.Helper()
	for _, n := range itest.MustDB(t, c, "list").([]any) {
		if n == name {
			return true
		}
	}
	return false
}

// dbLogin returns common.login's answer on db.
func dbLogin(t *testing.T, c itest.Caller, db, login, password string) any {
	t.Helper()
	v, f := c.Call(t, "common", "login", db, login, password)
	if f != nil {
		t.Fatalf("login on %s: unexpected fault %d: %s", db, f.Code, f.String)
	}
	return v
}

// wantAccessDenied checks the fault of a refused master password: code 3
// and, over XML-RPC, exactly Odoo's "Access Denied".
func wantAccessDenied(t *testing.T, c itest.Caller, f *itest.Fault) {
	t.Helper()
	itest.WantFault(t, c.Protocol(), f, 3, "Access Denied")
	if f != nil && c.Protocol() == "xmlrpc" && f.String != "Access Denied" {
		t.Errorf("faultString = %q, want exactly Access Denied", f.String)
	}
}

func testDBWrongMaster(t *testing.T, c itest.Caller, set *services.Set, fixture string) {
	fresh := itest.UniqueName("itdb_")
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
	for _, master := range []string{"wrong", "", strings.ToUpper(itest.MasterPassword), itest.MasterPassword + " "} {
		for _, call := range calls {
			_, f := c.Call(t, "db", call.method, call.args(master)...)
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
	if _, f := c.Call(t, "db", "list_countries", "hijacked-master"); f == nil {
		t.Error("a refused change_admin_password changed the master password")
	}
	itest.MustDB(t, c, "list_countries", itest.MasterPassword)
}

// testDBNoParams calls the functions that take the master password first
// without any parameter: Odoo's dispatch takes it by index, an
// IndexError of the parameters (a tuple on XML-RPC, a list on JSON-RPC).
// The others bind their parameters as usual.
func testDBNoParams(t *testing.T, c itest.Caller) {
	seq := "list"
	if c.Protocol() == "xmlrpc" {
		seq = "tuple"
	}
	for _, method := range []string{"list_countries", "create_database", "duplicate_database", "drop", "rename",
		"change_admin_password", "dump", "restore", "migrate_databases"} {
		t.Run(method, func(t *testing.T) {
			_, f := c.Call(t, "db", method)
			itest.WantExact(t, c.Protocol(), f, 1, "builtins.IndexError", seq+" index out of range")
		})
	}
	_, f := c.Call(t, "db", "db_exist")
	itest.WantExact(t, c.Protocol(), f, 1, "builtins.TypeError", "exp_db_exist() missing 1 required positional argument: 'db_name'")
}

func testDBListCountries(t *testing.T, c itest.Caller) {
	v := itest.MustDB(t, c, "list_countries", itest.MasterPassword)
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

func testDBLifecycle(t *testing.T, c itest.Caller, set *services.Set) {
	name, copyName, renamed := itest.UniqueName("itdb_"), itest.UniqueName("itdb_"), itest.UniqueName("itdb_")
	for _, n := range []string{name, copyName, renamed} {
		dbDropLater(t, set, n)
	}
	pw := "pw-" + name

	itest.Equal(t, "create_database", itest.MustDB(t, c, "create_database", itest.MasterPassword, name, false, "en_US", pw, "admin"), true)
	if !dbListed(t, c, name) {
		t.Fatalf("%s is not in db.list after create_database", name)
	}
	itest.Equal(t, "login in the new database", dbLogin(t, c, name, "admin", pw), int64(2))
	itest.Equal(t, "login with another password", dbLogin(t, c, name, "admin", itest.AdminPassword), false)
	// No demo data was asked for.
	itest.Equal(t, "demo login", dbLogin(t, c, name, "demo", "demo"), false)
	// Odoo answers fault 1 (odoo.service.db.DatabaseExists), godoo fault 2:
	// only the refusal is checked here.
	_, f := c.Call(t, "db", "create_database", itest.MasterPassword, name, false, "en_US", pw, "admin")
	if f == nil || !strings.Contains(f.String, "already exists") {
		t.Errorf("create_database of an existing name: %#v, want an \"already exists\" fault", f)
	}
	itest.Equal(t, "login after the refused create", dbLogin(t, c, name, "admin", pw), int64(2))

	itest.Equal(t, "duplicate_database", itest.MustDB(t, c, "duplicate_database", itest.MasterPassword, name, copyName), true)
	if !dbListed(t, c, name) || !dbListed(t, c, copyName) {
		t.Fatalf("after duplicate_database, db.list lacks %s or %s", name, copyName)
	}
	itest.Equal(t, "login in the copy", dbLogin(t, c, copyName, "admin", pw), int64(2))
	// As in Odoo, the copy gets its own database.uuid.
	if u, cu := dbUUID(t, c, name, pw), dbUUID(t, c, copyName, pw); u == "" || u == cu {
		t.Errorf("database.uuid of the original %q and of the copy %q, want two different ones", u, cu)
	}

	itest.Equal(t, "rename", itest.MustDB(t, c, "rename", itest.MasterPassword, copyName, renamed), true)
	if dbListed(t, c, copyName) || !dbListed(t, c, renamed) {
		t.Fatalf("after rename %s -> %s, db.list = %v", copyName, renamed, itest.MustDB(t, c, "list"))
	}
	itest.Equal(t, "login under the new name", dbLogin(t, c, renamed, "admin", pw), int64(2))
	_, f = c.Call(t, "common", "login", copyName, "admin", pw)
	itest.WantFault(t, c.Protocol(), f, 1, "does not exist")

	itest.Equal(t, "drop", itest.MustDB(t, c, "drop", itest.MasterPassword, renamed), true)
	if dbListed(t, c, renamed) || dbExists(t, c, renamed) {
		t.Errorf("%s still exists after drop", renamed)
	}
	itest.Equal(t, "drop of a missing database", itest.MustDB(t, c, "drop", itest.MasterPassword, renamed), false)
	itest.Equal(t, "drop", itest.MustDB(t, c, "drop", itest.MasterPassword, name), true)
	if dbListed(t, c, name) {
		t.Errorf("%s still listed after drop", name)
	}
	_, f = c.Call(t, "common", "login", name, "admin", pw)
	itest.WantFault(t, c.Protocol(), f, 1, "does not exist")
}

// dbUUID reads database.uuid as admin.
func dbUUID(t *testing.T, c itest.Caller, db, password string) string {
	t.Helper()
	v, f := c.Call(t, "object", "execute_kw", db, int64(2), password, "ir.config_parameter", "search_read",
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

func testDBUnsupported(t *testing.T, c itest.Caller, fixture string) {
	for method, args := range map[string][]any{
		"migrate_databases": {itest.MasterPassword, []any{fixture}},
	} {
		_, f := c.Call(t, "db", method, args...)
		itest.WantFault(t, c.Protocol(), f, 1, "not supported")
	}
}

// testDBChangeMaster runs change_admin_password on a server of its own, so
// that the other sub-tests keep their master password.
func testDBChangeMaster(t *testing.T, c itest.Caller, store models.Store) {
	var saved []string
	_, url := dbServe(t, store, services.Config{ListDB: true, MasterPassword: itest.MasterPassword,
		SaveMasterPassword: func(h string) error { saved = append(saved, h); return nil }})
	c = dbSameProtocol(c, url)
	const newMaster = "new-Master-2"
	itest.Equal(t, "change_admin_password", itest.MustDB(t, c, "change_admin_password", itest.MasterPassword, newMaster), true)
	_, f := c.Call(t, "db", "list_countries", itest.MasterPassword)
	wantAccessDenied(t, c, f)
	itest.MustDB(t, c, "list_countries", newMaster)

	// The new master password is saved hashed, and the hash is a master
	// password the next start accepts.
	if len(saved) != 1 || !strings.HasPrefix(saved[0], "$pbkdf2-sha512$") || strings.Contains(saved[0], newMaster) {
		t.Fatalf("saved master passwords = %q, want one $pbkdf2-sha512$ hash", saved)
	}
	if ok, _ := auth.VerifyPassword(newMaster, saved[0], 1); !ok {
		t.Fatal("the saved hash does not verify the new master password")
	}
	next := itest.NewSet(store, services.Config{ListDB: true, MasterPassword: saved[0]})
	if _, err := next.Database.ListCountries(context.Background(), newMaster); err != nil {
		t.Errorf("hashed master password refused the new password: %v", err)
	}
	if _, err := next.Database.ListCountries(context.Background(), itest.MasterPassword); err == nil {
		t.Error("hashed master password accepted the old password")
	}
}

func dbSameProtocol(c itest.Caller, url string) itest.Caller {
	if c.Protocol() == "xmlrpc" {
		return itest.XMLCaller{Base: url}
	}
	return itest.JSONCaller{Base: url}
}

// testDBListOff checks list_db = False: listing and every management
// method are refused even with the right master password (Odoo's
// check_db_management_enabled); the unguarded methods still answer.
func testDBListOff(t *testing.T, c itest.Caller, set *services.Set, fixture string) {
	fresh := itest.UniqueName("itdb_")
	dbDropLater(t, set, fresh)
	_, f := c.Call(t, "db", "list")
	wantAccessDenied(t, c, f)
	for method, args := range map[string][]any{
		"create_database":       {itest.MasterPassword, fresh, false, "en_US", "pw", "admin"},
		"duplicate_database":    {itest.MasterPassword, fixture, fresh},
		"drop":                  {itest.MasterPassword, fixture},
		"rename":                {itest.MasterPassword, fixture, fresh},
		"change_admin_password": {itest.MasterPassword, "hijacked-master"},
		"dump":                  {itest.MasterPassword, fixture, "zip"},
		"restore":               {itest.MasterPassword, fresh, "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="},
		"migrate_databases":     {itest.MasterPassword, []any{fixture}},
	} {
		_, f := c.Call(t, "db", method, args...)
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
	itest.MustDB(t, c, "list_countries", itest.MasterPassword)
	itest.Equal(t, "server_version", itest.MustDB(t, c, "server_version"), "18.0")
	if langs, ok := itest.MustDB(t, c, "list_lang").([]any); !ok || len(langs) == 0 {
		t.Error("list_lang is empty")
	}
}
