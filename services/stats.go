package services

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Stats is what an operator watches of the services, read at once when the
// metrics are scraped: nothing here is counted on the path of a call
// beyond an atomic increment.
type Stats struct {
	// DBs are the databases this process has open, by name.
	DBs []DBStats
	// Credentials counts the checks of a password or key that found it
	// already verified (and skipped the key derivation), and the others.
	Credentials HitCount
	// Access counts the access rights and record rules found in the
	// access caches, and those read from the database.
	Access HitCount
}

// HitCount is the hits and misses of a cache since the process started.
type HitCount struct{ Hits, Misses uint64 }

// DBStats is one open database: its pool, the calls queued at its gate and
// the state of its feed of credential changes.
type DBStats struct {
	Name string
	Pool sql.DBStats
	// Queued is the number of calls waiting at the gate for a place.
	Queued int64
	// Feed is the state of the database's LISTEN feed: FeedNone on stores
	// without one (SQLite) or before the first check needed it.
	Feed FeedState
}

// FeedState is the state of a database's feed of credential changes.
type FeedState int

// The states of a feed.
const (
	FeedNone FeedState = iota
	FeedDown
	FeedUp
)

// Stats reads the services' figures now.
func (s *Set) Stats() Stats {
	c := s.core
	c.mu.Lock()
	pools := make(map[*bun.DB]string, len(c.names))
	for db, name := range c.names {
		pools[db] = name
	}
	c.mu.Unlock()
	var st Stats
	for db, name := range pools {
		d := DBStats{Name: name, Pool: db.DB.Stats(), Queued: c.gates.waiting(db)}
		if watched, up := c.auth.FeedState(name); watched {
			d.Feed = FeedDown
			if up {
				d.Feed = FeedUp
			}
		}
		st.DBs = append(st.DBs, d)
	}
	// A database reopened after its pool was closed has two entries
	// until forget: the figures of both add up under its name.
	slices.SortFunc(st.DBs, func(a, b DBStats) int { return strings.Compare(a.Name, b.Name) })
	st.Credentials.Hits, st.Credentials.Misses = c.auth.CheckCacheCounts()
	st.Access = HitCount{Hits: c.accessCounts.Hits.Load(), Misses: c.accessCounts.Misses.Load()}
	return st
}

// ErrNotReady is wrapped by Ready's refusals.
var ErrNotReady = errors.New("not ready")

// readyTimeout bounds one readiness check, so that a database server that
// stopped answering makes the check fail rather than hang.
const readyTimeout = 5 * time.Second

// Ready reports whether the process can serve every database of its store:
// the store lists them, each is open, answers and carries the current
// schema (opening one migrates it, as its first call would), and on a
// store with a feed of credential changes (PostgreSQL's LISTEN), each
// feed is up. The error says which check failed, without naming a
// database, since readiness probes are unauthenticated. A replica that
// does not answer leaves the process able to serve, its reads on the
// primary: the error then wraps ErrReplicaDown instead of ErrNotReady.
func (s *Set) Ready(ctx context.Context) error {
	c := s.core
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	names, err := c.store.List(ctx)
	if err != nil {
		return fmt.Errorf("%w: the database server does not answer", ErrNotReady)
	}
	for _, name := range names {
		db, err := c.open(ctx, name)
		if err != nil {
			return fmt.Errorf("%w: a database cannot be opened or migrated", ErrNotReady)
		}
		if err := db.PingContext(ctx); err != nil {
			return fmt.Errorf("%w: a database does not answer", ErrNotReady)
		}
		if c.auth.Feed != nil && !c.auth.WatchFeed(name, time.Second) {
			return fmt.Errorf("%w: the feed of credential changes is down", ErrNotReady)
		}
	}
	return c.readyReplicas(ctx, names)
}
