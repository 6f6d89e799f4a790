package services

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/models/storetest"
)

// Most tests of this package start from a database with the base models,
// many of the upgrade tests from one with sale too; creating one installs
// Odoo's 120 models and their data, and sale another few hundred records,
// seconds on a loaded machine. The tests copy a template instead: a
// database made once per process and store kind by Create and
// InstallModules, as the tests made each before. SQLite's is written whole
// into one file by VACUUM INTO and copied file to file; PostgreSQL's stays
// on the server, copied by CREATE DATABASE … TEMPLATE (the store's
// Duplicate) and dropped when the tests are done. Each copy then gets an
// identity of its own (RenewIdentity). The tests of creation itself still
// create.
var templates struct {
	mu   sync.Mutex
	made map[string]*dbTemplate // by store kind and modules
	dir  string                 // of SQLite's, removed by TestMain
}

// dbTemplate is one template database, made by the first test needing it.
type dbTemplate struct {
	once sync.Once
	path string // SQLite's file
	name string // PostgreSQL's database
	err  error
}

// TestMain drops PostgreSQL's templates and removes SQLite's when the tests
// are done.
func TestMain(m *testing.M) {
	code := storetest.Run(m)
	if templates.dir != "" {
		os.RemoveAll(templates.dir)
	}
	os.Exit(code)
}

// copyTemplate makes database name of set, whose store is SQLite's, as a
// copy of the template of base.
func copyTemplate(t testing.TB, set *Set, name string) {
	t.Helper()
	copyModuleTemplate(t, set, name)
}

// copyModuleTemplate makes database name of set as a copy of the template
// with base and modules installed, on set's store.
func copyModuleTemplate(t testing.TB, set *Set, name string, modules ...string) {
	t.Helper()
	ctx := context.Background()
	dialect := set.core.store.Dialect()
	key := dialect + ":" + strings.Join(modules, ",")
	templates.mu.Lock()
	if templates.made == nil {
		templates.made = map[string]*dbTemplate{}
	}
	tm := templates.made[key]
	if tm == nil {
		tm = &dbTemplate{}
		templates.made[key] = tm
	}
	templates.mu.Unlock()
	tm.once.Do(func() {
		if dialect == "pg" {
			tm.name, tm.err = makePGTemplate(modules)
		} else {
			tm.path, tm.err = makeSQLiteTemplate(modules)
		}
	})
	if tm.err != nil {
		t.Fatalf("template database of %s: %v", key, tm.err)
	}
	switch s := set.core.store.(type) {
	case *sqlitestore.Store:
		if err := storetest.CopyNewFile(tm.path, s.Path(name)); err != nil {
			t.Fatal(err)
		}
	case *pgstore.Store:
		if err := s.Duplicate(ctx, tm.name, name); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("no template for a store of %T", s)
	}
	if err := set.Database.RenewIdentity(ctx, name); err != nil {
		t.Fatal(err)
	}
}

// makeTemplateIn creates name on store with base and modules installed.
func makeTemplateIn(store models.Store, name string, modules []string) error {
	ctx := context.Background()
	set := newTestSet(store)
	if err := set.Database.Create(ctx, name, CreateOptions{AdminPassword: testAdminPassword}); err != nil {
		return err
	}
	if len(modules) == 0 {
		return nil
	}
	return set.Database.InstallModules(ctx, name, modules)
}

// makeSQLiteTemplate makes the SQLite template with modules and returns
// the path of its file.
func makeSQLiteTemplate(modules []string) (string, error) {
	ctx := context.Background()
	templates.mu.Lock()
	if templates.dir == "" {
		dir, err := os.MkdirTemp("", "godoo-services-template-")
		if err != nil {
			templates.mu.Unlock()
			return "", err
		}
		templates.dir = dir
	}
	templates.mu.Unlock()
	dir, err := os.MkdirTemp(templates.dir, "store-")
	if err != nil {
		return "", err
	}
	store, err := sqlitestore.New(dir)
	if err != nil {
		return "", err
	}
	defer store.Close()
	if err := makeTemplateIn(store, "template", modules); err != nil {
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

// makePGTemplate makes the PostgreSQL template with modules on the server
// of GODOO_TEST_DSN and returns its name. Its store is closed when it is
// made, so that no session holds it: CREATE DATABASE … TEMPLATE needs none.
func makePGTemplate(modules []string) (string, error) {
	store, err := pgstore.New(os.Getenv("GODOO_TEST_DSN"))
	if err != nil {
		return "", err
	}
	defer store.Close()
	name := storetest.Name()
	if !storetest.DropLater(name) {
		return "", models.UserErrorf("the template %s would outlive the tests: TestMain does not run them through storetest.Run", name)
	}
	return name, makeTemplateIn(store, name, modules)
}
