package storetest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
)

// Template is a state of a database many tests start from (base installed,
// say), made once per process and store kind by Prepare, and copied for
// each test by EachFrom: installing base costs seconds on a loaded
// machine, a copy a fraction of one. SQLite's template is written whole
// into one file by VACUUM INTO and copied file to file; PostgreSQL's stays
// on the server, copied by CREATE DATABASE … TEMPLATE (the store's
// Duplicate), and is dropped with the tests' databases when the tests are
// done (Run). Without Run, which alone removes templates, every test's
// database is prepared as a new one.
type Template struct {
	// Prepare makes the state in db, a new empty database of s.
	Prepare func(tb testing.TB, s models.Store, db *bun.DB)

	mu   sync.Mutex
	made map[string]*madeTemplate // by dialect
}

// madeTemplate is a Template on one store kind.
type madeTemplate struct {
	once sync.Once
	ok   bool   // made; false when Prepare failed the test making it
	path string // SQLite's file
	name string // PostgreSQL's database
}

// EachFrom is Each whose databases are copies of tpl, made with s's kind
// of store.
func EachFrom[T TB[T]](t T, tpl *Template, fn func(t T, s models.Store, db *bun.DB)) {
	t.Helper()
	each(t, func(t T, s models.Store, name string) *bun.DB {
		t.Helper()
		return tpl.copy(t, s, name)
	}, fn)
}

// copy makes database name on s as a copy of tpl, or, when tpl cannot be
// kept, as a new database prepared as tpl would be.
func (tpl *Template) copy(tb testing.TB, s models.Store, name string) *bun.DB {
	tb.Helper()
	ctx := context.Background()
	dialect := s.Dialect()
	if !keepsDrops() {
		db, err := s.Create(ctx, name)
		if err != nil {
			tb.Fatal(err)
		}
		tpl.Prepare(tb, s, db)
		return db
	}
	tpl.mu.Lock()
	if tpl.made == nil {
		tpl.made = map[string]*madeTemplate{}
	}
	m := tpl.made[dialect]
	if m == nil {
		m = &madeTemplate{}
		tpl.made[dialect] = m
	}
	tpl.mu.Unlock()
	m.once.Do(func() { tpl.make(tb, s, m) })
	if !m.ok {
		tb.Fatalf("the %s template database could not be made (see the first test using it)", dialect)
	}
	switch s := s.(type) {
	case *sqlitestore.Store:
		if err := CopyNewFile(m.path, s.Path(name)); err != nil {
			tb.Fatal(err)
		}
	case *pgstore.Store:
		if err := s.Duplicate(ctx, m.name, name); err != nil {
			tb.Fatal(err)
		}
	default:
		tb.Fatalf("no template for a store of %T", s)
	}
	db, err := s.Open(ctx, name)
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// make makes the template of tpl for the kind of s, with a store of its
// own, closed when it is made so that no session holds the database (as
// CREATE DATABASE … TEMPLATE needs).
func (tpl *Template) make(tb testing.TB, s models.Store, m *madeTemplate) {
	tb.Helper()
	ctx := context.Background()
	var own models.Store
	var err error
	name := Name()
	switch s.(type) {
	case *sqlitestore.Store:
		dir := tb.TempDir()
		own, err = sqlitestore.New(filepath.Join(dir, "store"))
		m.path = filepath.Join(os.TempDir(), name+".template.db")
		temporaryFiles.add(m.path)
	case *pgstore.Store:
		own, err = pgstore.New(os.Getenv("GODOO_TEST_DSN"))
		m.name = name
	default:
		tb.Fatalf("no template for a store of %T", s)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer own.Close()
	db, err := own.Create(ctx, name)
	if err != nil {
		tb.Fatal(err)
	}
	if m.name != "" {
		DropLater(name)
	}
	tpl.Prepare(tb, own, db)
	if m.path != "" {
		// VACUUM INTO writes one self-contained file, whatever the
		// write-ahead log still holds.
		if _, err := db.ExecContext(ctx, "VACUUM INTO ?", m.path); err != nil {
			tb.Fatal(err)
		}
	}
	m.ok = true
}

// keepsDrops reports whether the process runs its tests through Run, which
// drops the PostgreSQL templates and removes the SQLite ones when they end.
func keepsDrops() bool {
	drops.mu.Lock()
	defer drops.mu.Unlock()
	return drops.deferred
}

// temporaryFiles are the SQLite templates, removed by Run when the tests
// are done.
var temporaryFiles files

type files struct {
	mu    sync.Mutex
	paths []string
}

func (f *files) add(path string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.paths = append(f.paths, path)
}

// removeAll removes the files and forgets them.
func (f *files) removeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.paths {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			fmt.Fprintf(os.Stderr, "storetest: %v\n", err)
		}
	}
	f.paths = nil
}

// CopyNewFile copies src to a new file dst, readable by its owner only:
// a SQLite template to a test's database.
func CopyNewFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
