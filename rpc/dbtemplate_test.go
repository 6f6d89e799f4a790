package rpc_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/models/storetest"
	"github.com/godoo/godoo/services"
)

// Most tests here need a database with an administrator, and creating one
// installs Odoo's models and their data: half a second of CPU, and
// seconds on a loaded machine. newDB creates each kind once per test
// process and gives every test a copy of its SQLite file with an identity
// of its own, as the integration tests' templates do.

var dbTemplates struct {
	mu  sync.Mutex
	dir string            // the templates' folder, removed by TestMain
	m   map[string]string // the file of each kind of database
}

// TestMain removes the template databases the tests made.
func TestMain(m *testing.M) {
	code := m.Run()
	if dbTemplates.dir != "" {
		os.RemoveAll(dbTemplates.dir)
	}
	os.Exit(code)
}

// newDB makes database name on store, as set.Database.Create with options
// o would (an administrator's login and password, nothing else), from the
// template of o and set's hashing rounds.
func newDB(t testing.TB, set *services.Set, store *sqlitestore.Store, name string, o services.CreateOptions) {
	t.Helper()
	if o.Demo || o.Lang != "" || o.CountryCode != "" || o.Phone != "" || len(o.Modules) > 0 || o.Progress != nil {
		t.Fatalf("newDB takes an administrator's login and password only: %+v", o)
	}
	rounds := set.Authenticator().Rounds
	if err := storetest.CopyNewFile(dbTemplate(t, o.AdminLogin, o.AdminPassword, rounds), store.Path(name)); err != nil {
		t.Fatal(err)
	}
	if err := set.Database.RenewIdentity(context.Background(), name); err != nil {
		t.Fatal(err)
	}
}

// dbTemplate returns the file of the template database with that
// administrator and hashing rounds, created on first use.
func dbTemplate(t testing.TB, login, password string, rounds int) string {
	t.Helper()
	dbTemplates.mu.Lock()
	defer dbTemplates.mu.Unlock()
	key := fmt.Sprintf("%q %q %d", login, password, rounds)
	if path, ok := dbTemplates.m[key]; ok {
		return path
	}
	if dbTemplates.dir == "" {
		dir, err := os.MkdirTemp("", "godoo-rpc-templates-")
		if err != nil {
			t.Fatal(err)
		}
		dbTemplates.dir, dbTemplates.m = dir, map[string]string{}
	}
	dir := filepath.Join(dbTemplates.dir, fmt.Sprint(len(dbTemplates.m)))
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	store, err := sqlitestore.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	set := services.NewSet(store, services.Config{})
	set.Authenticator().Rounds = rounds
	if err := set.Database.Create(context.Background(), "template", services.CreateOptions{AdminLogin: login, AdminPassword: password}); err != nil {
		t.Fatal(err)
	}
	path := store.Path("template")
	dbTemplates.m[key] = path
	return path
}
