package services

import (
	"context"
	"sync"

	"github.com/uptrace/bun"
)

// gate admits as many calls at a time to a database as its pool has
// connections, in arrival order. database/sql hands a freed connection to
// a waiter picked at random, so under overload a call could wait for many
// turns while later ones pass, and the slowest calls grew far slower than
// the rest. Calls waiting here instead queue on a channel, whose waiters
// are served first come, first served. Work outside calls (credential
// checks, session look-ups) uses the same pool without queueing here, so a
// call past the gate may still wait briefly for a connection.
type gate chan struct{}

// gates keeps one gate per pool.
type gates struct {
	m sync.Map // *bun.DB -> gate
}

// of returns db's gate, sized to its pool; nil when the pool is unbounded.
func (g *gates) of(db *bun.DB) gate {
	if v, ok := g.m.Load(db); ok {
		return v.(gate)
	}
	n := db.DB.Stats().MaxOpenConnections
	if n <= 0 {
		return nil
	}
	v, _ := g.m.LoadOrStore(db, make(gate, n))
	return v.(gate)
}

// forget drops the gates of pools that were closed.
func (g *gates) forget(dbs []*bun.DB) {
	for _, db := range dbs {
		g.m.Delete(db)
	}
}

// enter waits for a place, or for ctx to end.
func (g gate) enter(ctx context.Context) error {
	if g == nil {
		return nil
	}
	select {
	case g <- struct{}{}:
		return nil
	default:
	}
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// leave frees the place taken by enter.
func (g gate) leave() {
	if g != nil {
		<-g
	}
}
