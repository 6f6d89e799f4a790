package services

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
)

// eachStore runs fn on a SQLite store of its own, then, when
// GODOO_TEST_DSN names a PostgreSQL server, on a store of that server,
// each as a subtest named after its store.
func eachStore(t *testing.T, fn func(t *testing.T, s models.Store)) {
	type store struct {
		name string
		open func(t *testing.T) models.Store
	}
	stores := []store{{"sqlite", func(t *testing.T) models.Store {
		s, err := sqlitestore.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}}}
	if dsn := os.Getenv("GODOO_TEST_DSN"); dsn != "" {
		stores = append(stores, store{"pg", func(t *testing.T) models.Store {
			s, err := pgstore.New(dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}})
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) { fn(t, st.open(t)) })
	}
}

// testAdminPassword is the administrator's password of moduleDB's
// databases.
const testAdminPassword = "x-admin-1"

// newTestSet is a process's services on s, hashing with few rounds.
func newTestSet(s models.Store) *Set {
	set := NewSet(s, Config{})
	set.core.auth.Rounds = 1000
	return set
}

// moduleDB makes a database on s, named prefix and a unique suffix, with
// names installed; t's end drops it.
func moduleDB(t *testing.T, s models.Store, prefix string, names ...string) (*Set, string) {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("%s%d", prefix, time.Now().UnixNano())
	set := newTestSet(s)
	if err := set.Database.Create(ctx, name, CreateOptions{AdminPassword: testAdminPassword}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Drop(context.Background(), name) })
	if err := set.Database.InstallModules(ctx, name, names); err != nil {
		t.Fatal(err)
	}
	return set, name
}

// adminCaller calls model methods on db as its administrator (uid 2)
// with password, failing t on any error.
func adminCaller(t *testing.T, set *Set, db, password string) func(model, method string, args ...any) any {
	return func(model, method string, args ...any) any {
		t.Helper()
		ctx := context.Background()
		id, err := set.Auth.Password(ctx, Credentials{DB: db, UID: 2, Password: password})
		var res any
		if err == nil {
			res, err = set.Object.Execute(ctx, id, model, method, args, nil)
		}
		if err != nil {
			t.Fatalf("%s.%s: %v", model, method, err)
		}
		return res
	}
}
