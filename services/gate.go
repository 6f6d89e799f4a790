package services

import (
	"context"
	"sync"
	"sync/atomic"

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
	m sync.Map // *bun.DB -> *queue
}

// queue is a pool's gate with the count of calls waiting at it, which the
// metrics show as the database's queue length.
type queue struct {
	g       gate
	waiting atomic.Int64
}

// of returns db's gate, sized to its pool; nil when the pool is unbounded.
func (g *gates) of(db *bun.DB) gate {
	if q := g.queueOf(db); q != nil {
		return q.g
	}
	return nil
}

// queueOf returns db's queue; nil when the pool is unbounded.
func (g *gates) queueOf(db *bun.DB) *queue {
	if v, ok := g.m.Load(db); ok {
		return v.(*queue)
	}
	n := db.DB.Stats().MaxOpenConnections
	if n <= 0 {
		return nil
	}
	v, _ := g.m.LoadOrStore(db, &queue{g: make(gate, n)})
	return v.(*queue)
}

// waiting is the number of calls waiting at db's gate.
func (g *gates) waiting(db *bun.DB) int64 {
	if v, ok := g.m.Load(db); ok {
		return v.(*queue).waiting.Load()
	}
	return 0
}

// enter waits for a place in q, counted among the waiting while it waits.
func (q *queue) enter(ctx context.Context) error {
	if q == nil {
		return nil
	}
	return q.g.enterCounted(ctx, &q.waiting)
}

// leave frees the place taken by enter.
func (q *queue) leave() {
	if q != nil {
		q.g.leave()
	}
}

// forget drops the gates of pools that were closed.
func (g *gates) forget(dbs []*bun.DB) {
	for _, db := range dbs {
		g.m.Delete(db)
	}
}

// enter waits for a place, or for ctx to end.
func (g gate) enter(ctx context.Context) error { return g.enterCounted(ctx, nil) }

// enterCounted is enter, counting the call in waiting (when not nil) while
// it has to wait.
func (g gate) enterCounted(ctx context.Context, waiting *atomic.Int64) error {
	if g == nil {
		return nil
	}
	select {
	case g <- struct{}{}:
		return nil
	default:
	}
	if waiting != nil {
		waiting.Add(1)
		defer waiting.Add(-1)
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
