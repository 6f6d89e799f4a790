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
	mu    sync.Mutex                 // guards dir and kinds, not the making
	dir   string                     // the templates' folder, removed by TestMain
	kinds map[string]*dbTemplateKind // each kind of database, by its key
}

// dbTemplateKind is the template of one kind of database, made once by
// the first test that needs it while tests needing another kind make
// theirs.
type dbTemplateKind struct {
	once sync.Once
	dir  string // the folder of its store
	path string // its file, once made
	err  error
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
	kind, err := dbTemplateOf(fmt.Sprintf("%q %q %d", login, password, rounds))
	if err != nil {
		t.Fatal(err)
	}
	kind.once.Do(func() { kind.path, kind.err = makeDBTemplate(kind.dir, login, password, rounds) })
	if kind.err != nil {
		t.Fatal(kind.err)
	}
	return kind.path
}

// dbTemplateOf returns the template of key, not yet made when it is new.
func dbTemplateOf(key string) (*dbTemplateKind, error) {
	dbTemplates.mu.Lock()
	defer dbTemplates.mu.Unlock()
	if kind, ok := dbTemplates.kinds[key]; ok {
		return kind, nil
	}
	if dbTemplates.dir == "" {
		dir, err := os.MkdirTemp("", "godoo-rpc-templates-")
		if err != nil {
			return nil, err
		}
		dbTemplates.dir, dbTemplates.kinds = dir, map[string]*dbTemplateKind{}
	}
	kind := &dbTemplateKind{dir: filepath.Join(dbTemplates.dir, fmt.Sprint(len(dbTemplates.kinds)))}
	dbTemplates.kinds[key] = kind
	return kind, nil
}

// makeDBTemplate creates the template database in a store of its own in
// dir and returns the file VACUUM INTO wrote of it: one self-contained
// file, whatever the write-ahead log of the database still holds.
func makeDBTemplate(dir, login, password string, rounds int) (string, error) {
	ctx := context.Background()
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", err
	}
	store, err := sqlitestore.New(dir)
	if err != nil {
		return "", err
	}
	defer store.Close()
	set := services.NewSet(store, services.Config{})
	set.Authenticator().Rounds = rounds
	if err := set.Database.Create(ctx, "template", services.CreateOptions{AdminLogin: login, AdminPassword: password}); err != nil {
		return "", err
	}
	db, err := store.Open(ctx, "template")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "copy.db")
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", path)
	return path, err
}
