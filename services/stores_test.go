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
	"github.com/godoo/godoo/models/storetest"
)

// testStore is a store a test runs on, opened for that test.
type testStore struct {
	name string
	open func(t testing.TB) models.Store
}

// testStores are SQLite, and PostgreSQL when GODOO_TEST_DSN names one.
func testStores() []testStore {
	stores := []testStore{{"sqlite", func(t testing.TB) models.Store {
		s, err := sqlitestore.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}}}
	if dsn := os.Getenv("GODOO_TEST_DSN"); dsn != "" {
		stores = append(stores, testStore{"pg", func(t testing.TB) models.Store {
			s, err := pgstore.New(dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}})
	}
	return stores
}

// eachStore runs fn on each of testStores, as a subtest named after its
// store.
func eachStore(t *testing.T, fn func(t *testing.T, s models.Store)) {
	for _, st := range testStores() {
		t.Run(st.name, func(t *testing.T) { fn(t, st.open(t)) })
	}
}

// newTestSet is a process's services on s, hashing with few rounds.
func newTestSet(s models.Store) *Set {
	set := NewSet(s, Config{})
	set.core.auth.Rounds = 1000
	return set
}

// testAdminPassword is the administrator's password of createTestDB's
// databases.
const testAdminPassword = "x-admin-1"

// createTestDB makes, on s, a database named after prefix, a copy of the
// template of base (which Create made), dropped when the test ends, and
// returns it with a Set of its own.
func createTestDB(t testing.TB, s models.Store, prefix string) (*Set, string) {
	t.Helper()
	return moduleDB(t, s, prefix)
}

// moduleDB is createTestDB's database with names installed, a copy of the
// template that has them (which InstallModules made).
func moduleDB(t testing.TB, s models.Store, prefix string, names ...string) (*Set, string) {
	t.Helper()
	name := fmt.Sprintf("%s%d", prefix, time.Now().UnixNano())
	set := newTestSet(s)
	copyModuleTemplate(t, set, name, names...)
	t.Cleanup(func() {
		// On PostgreSQL, the drop (a checkpoint) waits for the end of
		// the tests, when storetest drops the databases together.
		if s.Dialect() == "pg" && storetest.DropLater(name) {
			return
		}
		_ = s.Drop(context.Background(), name)
	})
	return set, name
}

// adminCaller returns a function calling, through set, a model's method
// on database db as the administrator (uid 2) with password, and failing
// the test on an error.
func adminCaller(t testing.TB, set *Set, db, password string) func(model, method string, args ...any) any {
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
