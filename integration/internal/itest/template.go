package itest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/models/storetest"
	"github.com/godoo/godoo/services"
)

// Every test database starts as a copy of a template, made once per run
// for each store kind, demo flag and hashing cost. Creating a database
// installs Odoo's 120 models and their data (about half a second of CPU);
// the suite makes hundreds, and on a busy two-core machine that alone took
// the package past go test's default ten minutes. A copy is a file copy on
// SQLite and CREATE DATABASE … TEMPLATE on PostgreSQL, and then gets its
// own identity (services.Database.RenewIdentity), as Odoo's copies do.
// The tests of creation itself (db.create_database, godoo db create, the
// benchmark) still create.

// templateKey tells templates apart: what a fresh database holds depends on
// the store kind, the demo data and the rounds its admin hash was made
// with.
type templateKey struct {
	dialect string
	demo    bool
	rounds  int
	// modules are the modules installed beyond base, comma-separated.
	modules string
}

// dbTemplate is one template, made on first use.
type dbTemplate struct {
	once sync.Once
	// name is the template database on PostgreSQL; path its file on SQLite.
	name, path string
	err        error
}

var templates = struct {
	mu   sync.Mutex
	m    map[templateKey]*dbTemplate
	dir  string // the SQLite templates' folder
	made []string
}{m: map[templateKey]*dbTemplate{}}

// Main runs the tests of a package (from its TestMain), then drops the
// PostgreSQL databases its tests copied from a template (together, see
// storetest.Run) and the templates this process made, removes its SQLite
// ones, and exits with the tests' status. Template names are random, so
// packages whose tests run at once (go test runs several binaries
// together) never share or drop each other's.
func Main(m *testing.M) {
	code := storetest.Run(m)
	dropTemplates()
	os.Exit(code)
}

// dropTemplates drops the templates this process made, and only those,
// and forgets them.
func dropTemplates() {
	templates.mu.Lock()
	defer templates.mu.Unlock()
	if dsn := DSN(); dsn != "" && len(templates.made) > 0 {
		if store, err := pgstore.New(dsn); err == nil {
			for _, name := range templates.made {
				if err := store.Drop(context.Background(), name); err != nil {
					fmt.Fprintf(os.Stderr, "itest: drop template %s: %v\n", name, err)
				}
			}
			_ = store.Close()
		}
	}
	if templates.dir != "" {
		_ = os.RemoveAll(templates.dir)
	}
	templates.m, templates.made, templates.dir = map[templateKey]*dbTemplate{}, nil, ""
}

// CreateFromTemplate makes database db on store as a copy of the template
// for its kind. It reports false when there is no template for this store
// (a PostgreSQL cluster of a test's own), so that the caller creates.
func CreateFromTemplate(t testing.TB, store models.Store, set *services.Set, db string, demo bool) bool {
	t.Helper()
	return CreateFromModulesTemplate(t, store, set, db, demo, nil)
}

// CreateFromModulesTemplate is CreateFromTemplate for a database with
// modules installed: its template installs them once per run.
func CreateFromModulesTemplate(t testing.TB, store models.Store, set *services.Set, db string, demo bool, modules []string) bool {
	t.Helper()
	ctx := context.Background()
	key := templateKey{dialect: store.Dialect(), demo: demo, rounds: set.Authenticator().Rounds,
		modules: strings.Join(modules, ",")}
	tpl := templateFor(key)
	tpl.once.Do(func() { tpl.err = makeTemplate(key, tpl) })
	if tpl.err != nil {
		t.Fatalf("template database: %v", tpl.err)
	}
	switch key.dialect {
	case "sqlite":
		files, ok := store.(interface{ Path(string) string })
		if !ok {
			return false
		}
		if err := storetest.CopyNewFile(tpl.path, files.Path(db)); err != nil {
			t.Fatalf("copy template: %v", err)
		}
	case "pg":
		if tpl.name == "" {
			return false
		}
		// A store on another cluster (TestReplica's, TestPgBouncer's)
		// does not see the template.
		if ok, err := store.Exists(ctx, tpl.name); err != nil || !ok {
			return false
		}
		if err := store.Duplicate(ctx, tpl.name, db); err != nil {
			t.Fatalf("copy template: %v", err)
		}
	default:
		return false
	}
	if err := set.Database.RenewIdentity(ctx, db); err != nil {
		t.Fatalf("identity of %s: %v", db, err)
	}
	return true
}

func templateFor(key templateKey) *dbTemplate {
	templates.mu.Lock()
	defer templates.mu.Unlock()
	tpl := templates.m[key]
	if tpl == nil {
		tpl = &dbTemplate{}
		templates.m[key] = tpl
	}
	return tpl
}

// makeTemplate creates the template of key with a store and services of
// its own, as NewEnvWith creates a database.
func makeTemplate(key templateKey, tpl *dbTemplate) error {
	ctx := context.Background()
	var store models.Store
	switch key.dialect {
	case "sqlite":
		templates.mu.Lock()
		if templates.dir == "" {
			dir, err := os.MkdirTemp("", "godoo-templates-")
			if err != nil {
				templates.mu.Unlock()
				return err
			}
			templates.dir = dir
		}
		dir := filepath.Join(templates.dir, fmt.Sprintf("demo%t-rounds%d-%s", key.demo, key.rounds, strings.ReplaceAll(key.modules, ",", "+")))
		templates.mu.Unlock()
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		s, err := sqlitestore.New(dir)
		if err != nil {
			return err
		}
		store = s
	case "pg":
		dsn := DSN()
		if dsn == "" {
			return nil
		}
		s, err := pgstore.New(dsn)
		if err != nil {
			return err
		}
		store = s
	default:
		return nil
	}
	defer store.Close()
	set := services.NewSet(store, services.Config{MasterPassword: MasterPassword})
	set.Authenticator().Rounds = key.rounds
	RegisterTestModel(set.Registry())
	name := UniqueName(fmt.Sprintf("it_tmpl_%d_", os.Getpid()))
	var modules []string
	if key.modules != "" {
		modules = strings.Split(key.modules, ",")
	}
	if err := set.Database.Create(ctx, name, services.CreateOptions{AdminPassword: AdminPassword, AdminLogin: "admin",
		Demo: key.demo, Modules: modules}); err != nil {
		return err
	}
	if key.dialect == "pg" {
		templates.mu.Lock()
		templates.made = append(templates.made, name)
		templates.mu.Unlock()
		tpl.name = name
		return nil
	}
	// VACUUM INTO writes one self-contained file, whatever the write-ahead
	// log still holds.
	db, err := store.Open(ctx, name)
	if err != nil {
		return err
	}
	tpl.path = filepath.Join(filepath.Dir(store.(*sqlitestore.Store).Path(name)), "template.db")
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tpl.path); err != nil {
		return err
	}
	return nil
}
