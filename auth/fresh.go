package auth

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// The credential rows of a database (users, native keys by key id, header
// keys by hash) are cached in memory so that a warm check costs no database
// work. A cached row is trusted only while nothing that could change it was
// committed since it was read, in any process:
//
//   - on PostgreSQL, triggers send a notice on channel godoo_auth in every
//     transaction that changes credentials, and each process LISTENs on it
//     (models.AuthFeed). A notice, a reconnection or a lost connection moves
//     the database's generation, which empties its cache; while the listener
//     is not connected, nothing is cached and every check reads the rows;
//   - on SQLite, the same triggers bump a one-row counter, read before each
//     check (one in-process read of one row).
//
// A process that commits such a change also moves its own generation at
// commit, and then waits until every other process listening on the
// database has handled the change's notice (models.AuthSettler: on
// PostgreSQL, acknowledgements written by each listener, migration
// 0015_feed_acks): a revocation then holds at the very next request, in
// this process and in the others, however loaded they are.

// feedWait bounds how long a committing process whose feed cannot
// acknowledge waits for its listener to be up, and then for its own notice.
const feedWait = 200 * time.Millisecond

// settleWait bounds how long a committing process waits for the other
// processes to acknowledge its change. A process that has not handled it
// by then is stuck or cut off from the database server; the commit is
// logged and answered.
const settleWait = 2 * time.Second

// rowTTL bounds the life of a cached row even when no notice came, in case a
// notice was lost without the connection being seen to drop.
const rowTTL = time.Minute

// maxRows bounds each database's cache; it is emptied when full.
const maxRows = 200000

// feed is what this process knows of one database's notices.
type feed struct {
	up   atomic.Bool
	gen  atomic.Uint64 // moves on every notice, reconnection or loss
	seen atomic.Uint64 // notices received
	mu   sync.Mutex
	wake chan struct{} // closed and replaced at every notice
}

func newFeed() *feed {
	f := &feed{wake: make(chan struct{})}
	f.gen.Store(generations.Add(1))
	return f
}

// generations numbers the generations of every feed of the process, so that
// a feed started again after its watch ended never reuses a number under
// which rows were cached before.
var generations atomic.Uint64

func (f *feed) on(ev models.AuthEvent) {
	switch ev {
	case models.AuthFeedUp:
		f.gen.Store(generations.Add(1))
		f.up.Store(true)
	case models.AuthFeedDown, models.AuthFeedClosed:
		f.up.Store(false)
		f.gen.Store(generations.Add(1))
	case models.AuthChanged:
		f.gen.Store(generations.Add(1))
		f.seen.Add(1)
	}
	f.mu.Lock()
	close(f.wake)
	f.wake = make(chan struct{})
	f.mu.Unlock()
}

// waitSeen waits until more than n notices were received (true), the feed
// is down, or d passed.
func (f *feed) waitSeen(n uint64, d time.Duration) bool {
	return f.wait(d, func() bool { return !f.up.Load() || f.seen.Load() > n }) && f.seen.Load() > n
}

// waitUp waits until the feed is up or d passed.
func (f *feed) waitUp(d time.Duration) { f.wait(d, f.up.Load) }

// wait waits until done reports true (then returns true) or d passed.
func (f *feed) wait(d time.Duration, done func() bool) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		wake := f.wake
		f.mu.Unlock()
		if done() {
			return true
		}
		select {
		case <-wake:
		case <-deadline.C:
			return done()
		}
	}
}

// dbRows are the cached credential rows of one database at one generation.
type dbRows struct {
	gen    uint64
	born   time.Time
	local  uint64 // the process's own generation at birth
	native map[string][]models.NativeKey
	header map[string]headerRow
	users  map[int64]userRow
	n      int
	// indexes, once loaded (in the background, after the rows were
	// emptied), holds the key id of every native key of an active user, so
	// that a key id never seen before is refused without a read.
	indexes  map[string]bool
	indexing bool
}

type headerRow struct {
	key   models.HeaderKey
	found bool
}

type userRow struct {
	user  models.UserCredentials
	found bool
}

// rowCache holds the dbRows of every database.
type rowCache struct {
	mu  sync.Mutex
	dbs map[string]*dbRows
	// local moves at every commit of this process that changed
	// credentials: it works even when the store has no feed.
	local map[string]uint64
	// marks remembers the generation counter read at a commit mark.
	marks map[string]markedGen
}

// rows returns the rows of dbname valid at generation gen, emptied when the
// generation moved, the process committed a change, or they grew old. The
// caller holds c.mu.
func (c *rowCache) rows(dbname string, gen uint64, now time.Time) *dbRows {
	r := c.dbs[dbname]
	if r == nil || r.gen != gen || r.local != c.local[dbname] || now.Sub(r.born) > rowTTL || r.n > maxRows {
		r = &dbRows{gen: gen, born: now, local: c.local[dbname], native: map[string][]models.NativeKey{},
			header: map[string]headerRow{}, users: map[int64]userRow{}}
		if c.dbs == nil {
			c.dbs = map[string]*dbRows{}
		}
		c.dbs[dbname] = r
	}
	return r
}

// stamp is a point in a database's history: rows read after it may be
// cached under it, and are dropped if anything moved since.
type stamp struct {
	fresh bool // false: do not cache (the feed is down)
	gen   uint64
	local uint64
}

// fresh returns the current stamp of dbname: the feed's generation on
// stores with a feed, the counter read from the database otherwise.
func (a *Authenticator) fresh(ctx context.Context, db bun.IDB, dbname string) (stamp, error) {
	a.rows.mu.Lock()
	local := a.rows.local[dbname]
	a.rows.mu.Unlock()
	if a.Uncached {
		return stamp{local: local}, nil
	}
	if a.Feed != nil {
		f := a.feedOf(dbname)
		if !f.up.Load() {
			return stamp{}, nil
		}
		return stamp{fresh: true, gen: f.gen.Load(), local: local}, nil
	}
	// Without a feed: the generation counter, read again only when
	// something was committed since it was last read.
	var mark models.CommitMark
	marked := false
	if a.Marks != nil {
		mark, marked = a.Marks.CommitMark(dbname)
		if marked {
			a.rows.mu.Lock()
			last, ok := a.rows.marks[dbname]
			a.rows.mu.Unlock()
			if ok && last.mark == mark {
				return stamp{fresh: true, gen: last.gen, local: local}, nil
			}
		}
	}
	g, err := models.AuthGeneration(ctx, db)
	if err != nil {
		return stamp{}, err
	}
	if marked {
		// The mark was taken before the read: if anything commits after
		// it, the mark moves and the counter is read again.
		a.rows.mu.Lock()
		if a.rows.marks == nil {
			a.rows.marks = map[string]markedGen{}
		}
		a.rows.marks[dbname] = markedGen{mark: mark, gen: uint64(g)}
		a.rows.mu.Unlock()
	}
	return stamp{fresh: true, gen: uint64(g), local: local}, nil
}

// markedGen is the generation counter of a database as read at a commit
// mark.
type markedGen struct {
	mark models.CommitMark
	gen  uint64
}

// Generation identifies the state of a database's credentials and access
// rules as this process knows it: it changes at every committed change to
// them (see migrations 0005 and 0007), made by any process.
type Generation struct{ gen, local uint64 }

// Generation returns the current Generation of dbname; ok is false when it
// cannot be known now (the feed is down), and nothing should be cached.
func (a *Authenticator) Generation(ctx context.Context, db bun.IDB, dbname string) (Generation, bool, error) {
	st, err := a.fresh(ctx, db, dbname)
	if err != nil || !st.fresh {
		return Generation{}, false, err
	}
	return Generation{st.gen, st.local}, true, nil
}

// feedOf returns the feed of dbname, starting to watch it on first use and
// again after the store ended a watch.
func (a *Authenticator) feedOf(dbname string) *feed {
	a.feedMu.Lock()
	f := a.feeds[dbname]
	if f == nil {
		f = newFeed()
		if a.feeds == nil {
			a.feeds = map[string]*feed{}
		}
		a.feeds[dbname] = f
		a.feedMu.Unlock()
		a.Feed.WatchAuth(dbname, func(ev models.AuthEvent) {
			f.on(ev)
			if ev == models.AuthFeedClosed {
				a.feedMu.Lock()
				if a.feeds[dbname] == f {
					delete(a.feeds, dbname)
				}
				a.feedMu.Unlock()
			}
		})
		return f
	}
	a.feedMu.Unlock()
	return f
}

// cachedNative returns the cached key rows of index, if st is still current.
func (a *Authenticator) cachedNative(dbname string, st stamp, index string) ([]models.NativeKey, bool) {
	if !st.fresh {
		return nil, false
	}
	a.rows.mu.Lock()
	defer a.rows.mu.Unlock()
	ks, ok := a.rows.rows(dbname, st.gen, a.Now()).native[index]
	return ks, ok
}

func (a *Authenticator) putNative(dbname string, st stamp, index string, ks []models.NativeKey) {
	a.put(dbname, st, func(r *dbRows) { r.native[index] = ks })
}

func (a *Authenticator) cachedHeader(dbname string, st stamp, ref string) (headerRow, bool) {
	if !st.fresh {
		return headerRow{}, false
	}
	a.rows.mu.Lock()
	defer a.rows.mu.Unlock()
	h, ok := a.rows.rows(dbname, st.gen, a.Now()).header[ref]
	return h, ok
}

func (a *Authenticator) putHeader(dbname string, st stamp, ref string, h headerRow) {
	a.put(dbname, st, func(r *dbRows) { r.header[ref] = h })
}

func (a *Authenticator) cachedUser(dbname string, st stamp, uid int64) (userRow, bool) {
	if !st.fresh {
		return userRow{}, false
	}
	a.rows.mu.Lock()
	defer a.rows.mu.Unlock()
	u, ok := a.rows.rows(dbname, st.gen, a.Now()).users[uid]
	return u, ok
}

func (a *Authenticator) putUser(dbname string, st stamp, uid int64, u userRow) {
	a.put(dbname, st, func(r *dbRows) { r.users[uid] = u })
}

// put stores a row read under st, unless something moved since st was
// taken: the row may then predate the change.
func (a *Authenticator) put(dbname string, st stamp, set func(*dbRows)) {
	if !st.fresh {
		return
	}
	a.rows.mu.Lock()
	defer a.rows.mu.Unlock()
	if a.rows.local[dbname] != st.local {
		return
	}
	if a.Feed != nil {
		a.feedMu.Lock()
		f := a.feeds[dbname]
		a.feedMu.Unlock()
		if f == nil || !f.up.Load() || f.gen.Load() != st.gen {
			return
		}
	}
	r := a.rows.rows(dbname, st.gen, a.Now())
	set(r)
	r.n++
}

// Changing is called inside a transaction that changes credentials of
// dbname, before it commits; the function it returns is called after the
// commit. That function empties this process's cache of dbname at once and,
// on stores with a feed, waits until every process sharing the database
// has handled the change (AuthSettler), or at least until the notice of
// the commit came back to this process.
func (a *Authenticator) Changing(dbname string) func() {
	settler, settles := a.Settler, a.Settler != nil
	if !settles {
		settler, settles = a.Feed.(models.AuthSettler)
	}
	var f *feed
	var seen uint64
	if a.Feed != nil && !settles {
		f = a.feedOf(dbname)
		f.waitUp(feedWait) // a process that just started (the command line)
		seen = f.seen.Load()
	}
	return func() {
		a.rows.mu.Lock()
		if a.rows.local == nil {
			a.rows.local = map[string]uint64{}
		}
		a.rows.local[dbname]++
		a.rows.mu.Unlock()
		if settles {
			a.settle(settler, dbname)
			return
		}
		if f != nil && f.up.Load() {
			f.waitSeen(seen, feedWait)
		}
	}
}

// settle waits, up to settleWait, until every process listening on dbname
// has handled what was committed; past that it logs and goes on.
func (a *Authenticator) settle(settler models.AuthSettler, dbname string) {
	ctx, cancel := context.WithTimeout(context.Background(), settleWait)
	defer cancel()
	if err := settler.SettleAuth(ctx, dbname); err != nil && a.Log != nil {
		a.Log.Warn("a committed change to credentials or access may reach other processes late",
			"db", dbname, "err", err)
	}
}

// maxIndexes bounds the set of key ids kept per database; beyond it, key ids
// never seen are looked up.
const maxIndexes = 1000000

// knownIndex reports whether index may be a native key id of dbname: false
// only when the set of all key ids is loaded for st and lacks it. It starts
// loading the set when it is missing.
func (a *Authenticator) knownIndex(db bun.IDB, dbname string, st stamp, index string) bool {
	if !st.fresh {
		return true
	}
	a.rows.mu.Lock()
	r := a.rows.rows(dbname, st.gen, a.Now())
	if r.indexes != nil {
		ok := r.indexes[index]
		a.rows.mu.Unlock()
		return ok
	}
	start := !r.indexing
	r.indexing = true
	a.rows.mu.Unlock()
	if start {
		a.spawn(func() { a.loadIndexes(db, dbname, st) })
	}
	return true
}

// spawn starts work that a check leaves to the background, through Spawn
// when it is set.
func (a *Authenticator) spawn(work func()) {
	if a.Spawn != nil {
		a.Spawn(work)
		return
	}
	go work()
}

// loadIndexes reads the set of key ids of dbname and keeps it if nothing
// moved since st.
func (a *Authenticator) loadIndexes(db bun.IDB, dbname string, st stamp) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	set, err := models.NativeKeyIndexes(ctx, db, maxIndexes)
	if err != nil || set == nil {
		return // gone, or too many: key ids are looked up one by one
	}
	a.put(dbname, st, func(r *dbRows) { r.indexes = set })
}

// forgetRows drops the cached rows of a database that went away.
func (a *Authenticator) forgetRows(dbname string) {
	a.rows.mu.Lock()
	delete(a.rows.dbs, dbname)
	delete(a.rows.marks, dbname)
	if a.rows.local == nil {
		a.rows.local = map[string]uint64{}
	}
	a.rows.local[dbname]++
	a.rows.mu.Unlock()
}
