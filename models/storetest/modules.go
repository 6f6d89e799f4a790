package storetest

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/modules"
)

// InTx runs fn in a transaction of a test's database as uid, committed
// when fn returns nil.
type InTx = func(uid int64, fn func(env *models.Env) error) error

// Modules makes db a database with base and the modules names (with what
// they depend on) installed, and returns its registry and a function that
// runs fn in a transaction as uid.
func Modules(tb testing.TB, s models.Store, db *bun.DB, names ...string) (*models.Registry, InTx) {
	tb.Helper()
	r, all := modulesRegistry(tb, names)
	install(tb, s, db, r, all)
	return r, inTxOf(s, db, r)
}

// Installed is a Template of a database with base and some modules
// installed, as Modules makes it: installing sale costs several seconds
// per store, which a package's tests pay once per process and store kind
// this way. The registry its copies are served with is built once too.
type Installed struct {
	*Template

	names []string
	mu    sync.Mutex
	r     *models.Registry
	all   []string
}

// InstalledModules is the Installed template of base and the modules
// names, with what they depend on. Declare it once per test package (a
// package variable), so that its tests share it.
func InstalledModules(names ...string) *Installed {
	m := &Installed{names: names}
	m.Template = &Template{Prepare: func(tb testing.TB, s models.Store, db *bun.DB) {
		tb.Helper()
		r, all := m.registry(tb)
		install(tb, s, db, r, all)
	}}
	return m
}

// registry builds the template's registry the first time it is asked,
// and returns it with the modules it registers. A test that fails to
// build it leaves it unbuilt for the next to try and fail the same way.
func (m *Installed) registry(tb testing.TB) (*models.Registry, []string) {
	tb.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.r == nil {
		r, all := modulesRegistry(tb, m.names)
		m.r, m.all = r, all
	}
	return m.r, m.all
}

// EachInstalled is EachFrom of the template m, giving fn the registry of
// its modules and a function running transactions on the test's copy.
func EachInstalled[T TB[T]](t T, m *Installed, fn func(t T, s models.Store, db *bun.DB, r *models.Registry, inTx InTx)) {
	t.Helper()
	EachFrom(t, m.Template, func(t T, s models.Store, db *bun.DB) {
		t.Helper()
		r, _ := m.registry(t)
		fn(t, s, db, r, inTxOf(s, db, r))
	})
}

// modulesRegistry is a registry of base and the modules names with what
// they depend on, which it returns too.
func modulesRegistry(tb testing.TB, names []string) (*models.Registry, []string) {
	tb.Helper()
	c := modules.Known()
	all, err := c.ToInstall(nil, names)
	if err != nil {
		tb.Fatal(err)
	}
	r := models.NewRegistry()
	if err := c.Register(r, all); err != nil {
		tb.Fatal(err)
	}
	return r, all
}

// install migrates db, makes the schema of r and installs base and the
// modules all in one transaction.
func install(tb testing.TB, s models.Store, db *bun.DB, r *models.Registry, all []string) {
	tb.Helper()
	ctx := context.Background()
	Migrate(tb, s, db)
	if _, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil {
		tb.Fatal(err)
	}
	if err := inTxOf(s, db, r)(models.SuperuserID, func(env *models.Env) error {
		if err := base.Install(ctx, env, base.Options{}); err != nil {
			return err
		}
		return modules.Known().Install(ctx, env, all)
	}); err != nil {
		tb.Fatal(err)
	}
}

// inTxOf is the InTx of db served with r.
func inTxOf(s models.Store, db *bun.DB, r *models.Registry) InTx {
	return func(uid int64, fn func(env *models.Env) error) error {
		return db.RunInTx(context.Background(), &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
			return fn(models.NewEnv(tx, s.Dialect(), r, s.Classify, uid, time.Now()))
		})
	}
}
