// Package storeutil holds what godoo's stores share whatever their database
// engine: one bun pool per Odoo database name, opened lazily and cached,
// and a lock per name that serialises the opening and the administration
// (create, drop, rename, duplicate) of that name. The dialect-specific
// parts (how a database is found, connected to, created and dropped) stay
// in models/sqlitestore and models/pgstore.
package storeutil

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/uptrace/bun"
)

// Pools is a store's pools by database name and their name locks. It is
// safe for concurrent use. A store keeps the state it holds beside a pool
// (a WAL probe, a LISTEN watch) under a mutex of its own, taken before any
// method of Pools is called, so that Close, which marks the pools closed
// first, never misses what such a store adds meanwhile.
type Pools struct {
	// errClosed is returned by every method after Close.
	errClosed error

	mu     sync.Mutex
	closed bool
	pools  map[string]*bun.DB
	locks  map[string]*nameLock
}

// NewPools returns an empty set of pools whose methods fail with errClosed
// once it is closed.
func NewPools(errClosed error) *Pools {
	return &Pools{errClosed: errClosed, pools: map[string]*bun.DB{}, locks: map[string]*nameLock{}}
}

// Connect opens the pool of an existing database, or fails with the
// store's answer for one that does not exist.
type Connect func(ctx context.Context, name string) (*bun.DB, error)

// Open returns the pool of name, connecting under name's lock the first
// time, so that concurrent first calls open one pool.
func (p *Pools) Open(ctx context.Context, name string, connect Connect) (*bun.DB, error) {
	if db, err := p.Cached(name); db != nil || err != nil {
		return db, err
	}
	unlock, err := p.Lock(ctx, name)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return p.OpenLocked(ctx, name, connect)
}

// OpenLocked is Open for a caller that holds name's lock.
func (p *Pools) OpenLocked(ctx context.Context, name string, connect Connect) (*bun.DB, error) {
	if db, err := p.Cached(name); db != nil || err != nil {
		return db, err
	}
	db, err := connect(ctx, name)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		_ = db.Close()
		return nil, p.errClosed
	}
	p.pools[name] = db
	return db, nil
}

// Cached returns the pool of name if it is open, nil if not.
func (p *Pools) Cached(name string) (*bun.DB, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, p.errClosed
	}
	return p.pools[name], nil
}

// IsOpen reports whether name's pool is open and the pools are not closed.
func (p *Pools) IsOpen(name string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.closed && p.pools[name] != nil
}

// Err returns the closed error after Close, nil before.
func (p *Pools) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return p.errClosed
	}
	return nil
}

// Remove forgets the pool of name and returns it, nil when none was open;
// the caller closes it. The caller holds name's lock.
func (p *Pools) Remove(name string) *bun.DB {
	p.mu.Lock()
	defer p.mu.Unlock()
	db := p.pools[name]
	delete(p.pools, name)
	return db
}

// Close marks the pools closed and returns those that were open, for the
// caller to close (see CloseAll) in its own order among what else it holds.
func (p *Pools) Close() map[string]*bun.DB {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	pools := p.pools
	p.pools = map[string]*bun.DB{}
	return pools
}

// CloseAll closes pools and joins their errors, each prefixed with the
// store's name and the database's.
func CloseAll(store string, pools map[string]*bun.DB) error {
	var errs []error
	for name, db := range pools {
		if err := db.Close(); err != nil {
			errs = append(errs, fmt.Errorf("%s: close %s: %w", store, name, err))
		}
	}
	return errors.Join(errs...)
}
