package services

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/uptrace/bun"
)

// Each database has a registry of its own: the declared one (the base
// models and those of a models path) extended with the database's custom
// models and fields (base.LoadExtension). It is kept per database at the
// registry version it was built from (godoo_registry_version, which the
// transaction that changes custom models moves) and trusted while the
// generation of the database's credential caches stays where it was when
// the version was read: the version's trigger moves that generation, and
// the generation reaches every process (PostgreSQL's notices, SQLite's
// counter) before its next request. So a call looks its registry up with
// an atomic load and a comparison; the version is read again only after
// the generation moved, and the registry rebuilt only when the version did.

// dbRegistry is a database's registry at one version, trusted while the
// generation is gen.
type dbRegistry struct {
	gen     auth.Generation
	fresh   bool // gen is known: false when the feed was down
	version int64
	reg     *models.Registry
}

// registries are the databases' registries of this process.
type registries struct {
	slots sync.Map // database name -> *atomic.Pointer[dbRegistry]
	// builds serialise each database's rebuilds, so that concurrent calls
	// after a change build its registry once, while other databases'
	// calls do not wait for its reads.
	builds sync.Map // database name -> *sync.Mutex
}

// buildLock is the lock of database name's rebuilds.
func (rs *registries) buildLock(name string) *sync.Mutex {
	l, _ := rs.builds.LoadOrStore(name, new(sync.Mutex))
	return l.(*sync.Mutex)
}

func (rs *registries) slot(name string) *atomic.Pointer[dbRegistry] {
	if s, ok := rs.slots.Load(name); ok {
		return s.(*atomic.Pointer[dbRegistry])
	}
	s, _ := rs.slots.LoadOrStore(name, new(atomic.Pointer[dbRegistry]))
	return s.(*atomic.Pointer[dbRegistry])
}

// forget drops the registry of a database that went away.
func (rs *registries) forget(name string) { rs.slots.Delete(name); rs.builds.Delete(name) }

// registryOf returns the registry of db's database (db may be a replica
// pool: the registry is its primary's). A pool the services did not open
// gets the declared registry.
func (c *core) registryOf(ctx context.Context, db *bun.DB) (*models.Registry, error) {
	primary, name, ok := c.primary(db)
	if !ok {
		return c.registry, nil
	}
	gen, fresh, err := c.auth.Generation(ctx, primary, name)
	if err != nil {
		return nil, err
	}
	slot := c.regs.slot(name)
	cur := slot.Load()
	if fresh && cur != nil && cur.fresh && cur.gen == gen {
		return cur.reg, nil
	}
	version, err := models.RegistryVersion(ctx, primary)
	if err != nil {
		return nil, err
	}
	if cur != nil && cur.version == version {
		slot.CompareAndSwap(cur, &dbRegistry{gen: gen, fresh: fresh, version: version, reg: cur.reg})
		return cur.reg, nil
	}
	build := c.regs.buildLock(name)
	build.Lock()
	defer build.Unlock()
	if now := slot.Load(); now != nil && now.version == version {
		return now.reg, nil // built by a call that waited before this one
	}
	declared, err := c.declaredFor(ctx, primary)
	if err != nil {
		return nil, err
	}
	reg, err := base.ExtendFor(ctx, primary, declared)
	if err != nil {
		if !models.IsExtensionError(err) {
			return nil, err // the database or the call failed: nothing is kept
		}
		// Rows the hooks would have refused (written by hand): the
		// declared models are still served, and the error is logged;
		// nothing is kept, so that the next call tries again.
		c.log.Error("the custom models of the database cannot be served", "db", name, "err", err)
		return declared, nil
	}
	slot.Store(&dbRegistry{gen: gen, fresh: fresh, version: version, reg: reg})
	return reg, nil
}

// DatabaseRegistry returns the registry database name is served with:
// the declared one extended with the database's custom models and fields.
func (s *Set) DatabaseRegistry(ctx context.Context, name string) (*models.Registry, error) {
	return s.core.registryNamed(ctx, name)
}

// registryNamed returns the registry of database name, opening it.
func (c *core) registryNamed(ctx context.Context, name string) (*models.Registry, error) {
	db, err := c.open(ctx, name)
	if err != nil {
		return nil, err
	}
	return c.registryOf(ctx, db)
}
