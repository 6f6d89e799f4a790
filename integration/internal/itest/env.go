package itest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/models/storetest"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// The passwords of every test database: its administrator's (uid 2,
// login admin) and the master password of the services.
const (
	AdminPassword  = "admin-Secret-1"
	MasterPassword = "master-Secret-1"
)

// DSNVariable names the environment variable that gives a PostgreSQL
// server to test on; without it, only SQLite is tested.
const DSNVariable = "GODOO_TEST_DSN"

// DSN is the PostgreSQL server to test on, or "" when there is none.
func DSN() string { return os.Getenv(DSNVariable) }

// Env is one running server on one store with one database.
type Env struct {
	Name  string // store name, for sub-test names
	Store models.Store
	Set   *services.Set
	Srv   *httptest.Server
	DB    string
	H     *godoorpc.Handler
}

// Stores lists the store constructors to run against, by name: "sqlite"
// always, "pg" when DSN is set.
func Stores(t testing.TB) map[string]func(t testing.TB) models.Store {
	out := map[string]func(t testing.TB) models.Store{
		"sqlite": func(t testing.TB) models.Store {
			s, err := sqlitestore.New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	if dsn := DSN(); dsn != "" {
		out["pg"] = func(t testing.TB) models.Store {
			s, err := pgstore.New(dsn)
			if err != nil {
				t.Fatal(err)
			}
			return TapFeed(s)
		}
	} else {
		t.Log(DSNVariable + " is not set: PostgreSQL is not tested")
	}
	return out
}

// UniqueName is prefix followed by eight random hexadecimal digits: the
// name of a database no other test, in this process or another, uses.
func UniqueName(prefix string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// TestRounds is the PBKDF2 round count of the password hashes the
// harness's servers make, instead of Odoo's 600 000: the suite logs in
// thousands of times, and at 600 000 rounds it spent nine tenths of its
// time in the derivation. The tests of hashing itself (the auth package,
// and the upgrades of old hashes) use real rounds.
const TestRounds = 1000

// NewSet is services.NewSet with TestRounds. Every server of a database
// must hash alike: a server at 600 000 rounds upgrades each cheap hash it
// verifies, so tests that need real rounds give them a database of their
// own (NewEnvWith).
func NewSet(store models.Store, cfg services.Config) *services.Set {
	set := services.NewSet(store, cfg)
	set.Authenticator().Rounds = TestRounds
	return set
}

// NewEnv starts a server on store with a fresh demo database. cfg and opts
// adjust the services and the handler.
func NewEnv(t *testing.T, name string, store models.Store, cfg services.Config, opts godoorpc.Options) *Env {
	t.Helper()
	if cfg.MasterPassword == "" {
		cfg.MasterPassword = MasterPassword
	}
	return NewEnvWith(t, name, store, NewSet(store, cfg), opts, true)
}

// NewRealEnv is NewEnv on e's store with services that hash at Odoo's
// 600 000 rounds, on a database of their own without demo data (each user
// costs a real derivation): for the tests of hash upgrades and of the
// rounds new passwords get.
func NewRealEnv(t *testing.T, e *Env, cfg services.Config, opts godoorpc.Options) *Env {
	t.Helper()
	if cfg.MasterPassword == "" {
		cfg.MasterPassword = MasterPassword
	}
	return NewEnvWith(t, e.Name, e.Store, services.NewSet(e.Store, cfg), opts, false)
}

// NewEnvWith is NewEnv with the services made by the caller, and demo data
// when demo is true. The server stops and the database is dropped when
// the test ends.
func NewEnvWith(t *testing.T, name string, store models.Store, set *services.Set, opts godoorpc.Options, demo bool) *Env {
	t.Helper()
	RegisterTestModel(set.Registry())
	db := UniqueName("it_")
	ctx := context.Background()
	copied := CreateFromTemplate(t, store, set, db, demo)
	if !copied {
		if err := set.Database.Create(ctx, db, services.CreateOptions{AdminPassword: AdminPassword, AdminLogin: "admin", Demo: demo}); err != nil {
			t.Fatalf("create database: %v", err)
		}
	}
	// A copy of a template is on the server of DSN.
	DropWhenDone(t, store, set, db, copied)
	h := godoorpc.NewHandler(set, opts)
	h.SetReady(true)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &Env{Name: name, Store: store, Set: set, Srv: srv, DB: db, H: h}
}

// DropWhenDone drops database db of set when the test ends. One on the
// PostgreSQL server of DSN (onDSN) is dropped with the others when the
// tests are done (Main), after its store closed its connections: each drop
// costs the server a checkpoint, which the tests then share. Cleanups run
// last first, so a server started after this call stops before the drop.
func DropWhenDone(t testing.TB, store models.Store, set *services.Set, db string, onDSN bool) {
	t.Cleanup(func() {
		if onDSN && store.Dialect() == "pg" && storetest.DropLater(db) {
			return
		}
		if _, err := set.Database.DropNoCheck(context.Background(), db); err != nil {
			t.Errorf("drop %s: %v", db, err)
		}
	})
}

// EachStore runs fn once per store, each with its own server and database
// (ForStores).
func EachStore(t *testing.T, cfg services.Config, opts godoorpc.Options, fn func(t *testing.T, e *Env)) {
	ForStores(t, func(t *testing.T, name string, store models.Store) {
		fn(t, NewEnv(t, name, store, cfg, opts))
	})
}

// ForStores runs fn once per store of Stores, as a subtest named after it,
// with a new store closed when the subtest ends. The stores' subtests run
// at the same time, and ForStores returns when both are done: they share
// nothing but the test's own values, and a PostgreSQL subtest spends most
// of its time waiting for the server (its commits' flushes, a new
// database's copy), which the SQLite one fills. So a value a subtest
// changes (a clock it moves, a log it reads back) is made inside fn, one
// per store, and a map both write is guarded by a mutex.
func ForStores(t *testing.T, fn func(t *testing.T, name string, store models.Store)) {
	forStores(t, true, fn)
}

// EachStoreInTurn is EachStore with the stores' subtests one after the
// other, for a test that measures the whole process (its allocations).
func EachStoreInTurn(t *testing.T, cfg services.Config, opts godoorpc.Options, fn func(t *testing.T, e *Env)) {
	forStores(t, false, func(t *testing.T, name string, store models.Store) {
		fn(t, NewEnv(t, name, store, cfg, opts))
	})
}

func forStores(t *testing.T, together bool, fn func(t *testing.T, name string, store models.Store)) {
	var wg sync.WaitGroup
	for name, mk := range Stores(t) {
		sub := func() {
			t.Run(name, func(t *testing.T) {
				store := mk(t)
				t.Cleanup(func() { store.Close() })
				fn(t, name, store)
			})
		}
		if !together {
			sub()
			continue
		}
		// t.Run may be called from several goroutines; each call
		// returns when its subtest is done.
		wg.Go(sub)
	}
	wg.Wait()
}
