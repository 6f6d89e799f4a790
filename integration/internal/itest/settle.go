package itest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
)

// On PostgreSQL every godoo process learns of a committed change to
// credentials from a notice its listener receives (models.AuthFeed), each
// at its own pace. A process that commits a change waits until every
// listener acknowledged it (models.AuthSettler), but a change made behind
// godoo's back (SQL typed by hand) has no committer to wait. The harness
// therefore wraps every PostgreSQL store in a feedTap, which sees each
// listener's events, and Settle waits until every listener has handled
// one event that began after the change: from then on, no process can
// answer from rows cached before it. SQLite has no listeners: every check
// reads the change counter, so changes hold at once there.

// feedTap is a store whose auth feed the harness watches.
type feedTap struct {
	models.Store
	feed models.AuthFeed
}

var (
	_ models.AuthFeed    = (*feedTap)(nil)
	_ models.AuthSettler = (*feedTap)(nil)
)

// SettleAuth is the wrapped store's, so that committers wait as in
// production.
func (s *feedTap) SettleAuth(ctx context.Context, name string) error {
	if st, ok := s.feed.(models.AuthSettler); ok {
		return st.SettleAuth(ctx, name)
	}
	return nil
}

// listeners are the watches of every feedTap: two stores opened apart on
// one database are two processes, and Settle waits for both.
var listeners = struct {
	mu      sync.Mutex
	watches map[*tapWatch]bool
	moved   chan struct{} // closed and replaced at every handled event
}{watches: map[*tapWatch]bool{}, moved: make(chan struct{})}

// tapWatch is one listener, of one process, on one database.
type tapWatch struct {
	db string
	up bool // an AuthFeedUp began and no AuthFeedDown or AuthFeedClosed ended since
	// ready: the process handled an AuthFeedUp, and nothing took it down.
	ready bool
	// begun and done count the events whose handling began and ended.
	begun, done int
}

// TapFeed wraps store in a feedTap when it has an auth feed.
func TapFeed(store models.Store) models.Store {
	f, ok := store.(models.AuthFeed)
	if !ok {
		return store
	}
	return &feedTap{Store: store, feed: f}
}

// WatchAuth starts a watch of the wrapped store and counts its events
// around the process's own handling of each.
func (s *feedTap) WatchAuth(name string, on func(models.AuthEvent)) (stop func()) {
	w := &tapWatch{db: name}
	l := &listeners
	l.mu.Lock()
	l.watches[w] = true
	l.mu.Unlock()
	return s.feed.WatchAuth(name, func(ev models.AuthEvent) {
		l.mu.Lock()
		w.begun++
		if ev == models.AuthFeedUp {
			// Counted as up before the process sees it, so that Settle
			// waits for a watch whose rows may be about to be cached.
			w.up = true
		}
		l.mu.Unlock()
		on(ev)
		l.mu.Lock()
		w.done++
		switch ev {
		case models.AuthFeedUp:
			w.ready = true
		case models.AuthFeedDown:
			w.up, w.ready = false, false
		case models.AuthFeedClosed:
			w.up, w.ready = false, false
			delete(l.watches, w)
		}
		close(l.moved)
		l.moved = make(chan struct{})
		l.mu.Unlock()
	})
}

// settleGuard bounds the wait of Settle: a failure guard, far beyond the
// milliseconds a notice takes on a loaded machine.
const settleGuard = 30 * time.Second

// Settle returns once every process listening on dbname has handled an
// event that began after Settle was called; the change the caller
// committed before is then seen everywhere. It sends a notice of its own so
// that every listener has an event to handle. On a store without listeners
// it returns at once.
func Settle(t *testing.T, store models.Store, dbname string) {
	t.Helper()
	if _, ok := store.(*feedTap); !ok {
		return
	}
	l := &listeners
	l.mu.Lock()
	pending := map[*tapWatch]int{}
	for w := range l.watches {
		if w.db == dbname && w.up {
			pending[w] = w.begun
		}
	}
	l.mu.Unlock()
	if len(pending) == 0 {
		return
	}
	ctx := context.Background()
	pool, err := store.Open(ctx, dbname)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.ExecContext(ctx, "SELECT pg_notify('godoo_auth', 'settle')"); err != nil {
		t.Fatal(err)
	}
	guard := time.NewTimer(settleGuard)
	defer guard.Stop()
	for {
		l.mu.Lock()
		for w, begun := range pending {
			// A watch that closed meanwhile has nothing cached any more.
			if w.done > begun || !l.watches[w] {
				delete(pending, w)
			}
		}
		moved := l.moved
		l.mu.Unlock()
		if len(pending) == 0 {
			return
		}
		select {
		case <-moved:
		case <-guard.C:
			t.Fatalf("%d listeners of %s handled no event within %v", len(pending), dbname, settleGuard)
		}
	}
}

// Settle is Settle on e's store and database.
func (e *Env) Settle(t *testing.T) {
	t.Helper()
	Settle(t, e.Store, e.DB)
}

// AwaitFeeds returns once every listener on dbname is up: from then on the
// processes cache what they read (a process whose listener is not up reads
// every check from the database).
func AwaitFeeds(t *testing.T, dbname string) {
	t.Helper()
	l := &listeners
	guard := time.NewTimer(settleGuard)
	defer guard.Stop()
	for {
		l.mu.Lock()
		waiting := 0
		for w := range l.watches {
			if w.db == dbname && !w.ready {
				waiting++
			}
		}
		moved := l.moved
		l.mu.Unlock()
		if waiting == 0 {
			return
		}
		select {
		case <-moved:
		case <-guard.C:
			t.Fatalf("%d listeners of %s are not up after %v", waiting, dbname, settleGuard)
		}
	}
}

// Background counts the work an Authenticator leaves to the background
// (auth.Authenticator.Spawn), so that a test can wait until it is done.
type Background struct {
	mu      sync.Mutex
	started int
	running int
	idle    chan struct{} // closed while nothing runs
}

// TrackBackground makes a's background work run through a new Background.
func TrackBackground(a *auth.Authenticator) *Background {
	b := &Background{idle: make(chan struct{})}
	close(b.idle)
	a.Spawn = func(work func()) {
		b.mu.Lock()
		b.started++
		if b.running == 0 {
			b.idle = make(chan struct{})
		}
		b.running++
		b.mu.Unlock()
		go func() {
			defer func() {
				b.mu.Lock()
				if b.running--; b.running == 0 {
					close(b.idle)
				}
				b.mu.Unlock()
			}()
			work()
		}()
	}
	return b
}

// Wait returns once no background work runs.
func (b *Background) Wait(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	idle := b.idle
	b.mu.Unlock()
	select {
	case <-idle:
	case <-time.After(settleGuard):
		t.Fatalf("background work still runs after %v", settleGuard)
	}
}

// Count is how much work was started.
func (b *Background) Count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.started
}

// HandSQL runs a statement on a database as an administrator typing SQL
// would. No godoo process made that change, so none waited for its notice:
// on a store with a feed (PostgreSQL) it reaches godoo's processes within
// the notice's delivery, not synchronously. HandSQL waits until every
// process has it (Settle) before it returns.
func HandSQL(t *testing.T, store models.Store, pool *bun.DB, dbname, q string, args ...any) {
	t.Helper()
	AwaitNotice(t, store, dbname, func() {
		if _, err := pool.ExecContext(context.Background(), q, args...); err != nil {
			t.Fatal(err)
		}
	})
}

// AwaitNotice runs change, which commits a change to credentials outside
// godoo, and waits until every process on dbname has it.
func AwaitNotice(t *testing.T, store models.Store, dbname string, change func()) {
	t.Helper()
	change()
	Settle(t, store, dbname)
}
