// Package storetest gives the tests of the engine and of declared models a
// new database on every store the machine has: SQLite always, PostgreSQL
// when GODOO_TEST_DSN names a server (the tests' convention; "private" is
// a cluster of the tests' own, see sharedpg). It is imported
// by tests only.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/migrations"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	// GODOO_TEST_DSN=private: the package's init joins the shared private
	// cluster before any test reads the variable.
	_ "github.com/godoo/godoo/models/storetest/sharedpg"
)

// TB is a test or a benchmark, whose subtests are of its own kind.
type TB[T any] interface {
	testing.TB
	Run(name string, fn func(T)) bool
}

// Each runs fn once per store, as a subtest named after its dialect, with a
// new empty database of that store, dropped when the test ends (on
// PostgreSQL, when the process's tests end if it runs them through Run). The
// PostgreSQL subtest is skipped, saying why, when GODOO_TEST_DSN is not set.
//
// In a test, the two subtests run at the same time and Each returns when
// both are done: the PostgreSQL one spends most of its time waiting for
// the server (its commits' flushes, the checkpoint that dropping a
// database costs), which the SQLite one fills. A benchmark's run one
// after the other, so that neither measures the other.
func Each[T TB[T]](t T, fn func(t T, s models.Store, db *bun.DB)) {
	t.Helper()
	each(t, func(t T, s models.Store, name string) *bun.DB {
		t.Helper()
		db, err := s.Create(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}, fn)
}

// each is Each with the databases made by create.
func each[T TB[T]](t T, create func(t T, s models.Store, name string) *bun.DB, fn func(t T, s models.Store, db *bun.DB)) {
	t.Helper()
	subtests := []func(){
		func() {
			t.Run("sqlite", func(t T) {
				s, err := sqlitestore.New(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				run(t, s, create, fn)
			})
		},
		func() {
			t.Run("pg", func(t T) {
				dsn := os.Getenv("GODOO_TEST_DSN")
				if dsn == "" {
					t.Skip("PostgreSQL not tested: GODOO_TEST_DSN is not set")
				}
				s, err := pgstore.New(dsn)
				if err != nil {
					t.Fatal(err)
				}
				run(t, s, create, fn)
			})
		},
	}
	if _, bench := any(t).(*testing.B); bench {
		for _, sub := range subtests {
			sub()
		}
		return
	}
	// t.Run may be called from several goroutines; each call returns
	// when its subtest is done.
	var wg sync.WaitGroup
	for _, sub := range subtests {
		wg.Go(sub)
	}
	wg.Wait()
}

func run[T TB[T]](t T, s models.Store, create func(t T, s models.Store, name string) *bun.DB, fn func(t T, s models.Store, db *bun.DB)) {
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	name := Name()
	db := create(t, s, name)
	t.Cleanup(func() {
		// The store's Close, which runs next, closes its connections.
		if s.Dialect() == "pg" && DropLater(name) {
			return
		}
		if err := s.Drop(context.Background(), name); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	fn(t, s, db)
}

// Base is a registry of the base models (models/base).
func Base(tb testing.TB) *models.Registry {
	tb.Helper()
	r := models.NewRegistry()
	if err := base.Register(r); err != nil {
		tb.Fatal(err)
	}
	return r
}

// Declare declares the models of the declaration sources on r, and checks
// the registry.
func Declare(tb testing.TB, r *models.Registry, sources ...string) {
	tb.Helper()
	for _, src := range sources {
		d, err := models.ParseDeclaration([]byte(src))
		if err != nil {
			tb.Fatal(err)
		}
		if err := r.Declare(d, nil); err != nil {
			tb.Fatal(err)
		}
	}
	if err := r.Check(); err != nil {
		tb.Fatal(err)
	}
}

// Migrate applies the numbered migrations to db, as services does before
// anything else when it opens a database.
func Migrate(tb testing.TB, s models.Store, db *bun.DB) {
	tb.Helper()
	if _, err := migrations.Apply(context.Background(), db, s.Dialect()); err != nil {
		tb.Fatal(err)
	}
}

// English makes en_US an active language of db, as every Odoo database
// has it: new partners take the user's language, which must be one.
// Databases that base.Install fills have it already.
func English(tb testing.TB, db *bun.DB) {
	tb.Helper()
	if _, err := db.ExecContext(context.Background(), "INSERT INTO res_lang (name, code, iso_code, url_code, active) VALUES (?, ?, ?, ?, ?)",
		"English (US)", "en_US", "en", "en", true); err != nil {
		tb.Fatal(err)
	}
}

// Name is a database name no other test or run uses.
func Name() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "godoo_storetest_" + hex.EncodeToString(b)
}

// Progress is a models.Progress that remembers what it was told, for the
// tests of long store operations.
type Progress struct{ Units, Done int64 }

// Total records the units of the operation.
func (p *Progress) Total(n int64) { p.Units = n }

// Add counts units done.
func (p *Progress) Add(n int64) { p.Done += n }
