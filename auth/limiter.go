package auth

import (
	"context"
	"sync"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// limiter limits failed key attempts per source address ("ip:<addr>") and
// per key id ("key:<id>"): after `after` failures within `window`, further
// failures under that counter are no longer counted, audited or written
// until the window after the last counted one has passed, and keys imported
// from Odoo are derived one at a time for it.
//
// The counters live in the database (auth_key_failure, models.
// RecordKeyFailure), so every process sharing it counts toward the same
// limit. In front of them each process remembers only the lock-outs it
// learned from the database, until they end. A remembered lock-out never
// makes a key fail: a lock-out changes what a wrong key costs, never
// whether a right one passes. Nor can it let more attempts through: a
// process that does not know of a lock-out yet counts its next failure in
// the database, which refuses to count it and tells the process. So in one
// window at most `after` failures are counted per counter in total, and
// each process checks at most one more wrong key per counter (plus the ones
// already under way on other connections) before it learns of the
// lock-out; a wrong key costs at most one indexed read and a SHA-256, or a
// 6 000-round derivation for an Odoo key.
//
// A key refused from memory alone (a wrong checksum, a key id that does not
// exist, a row already known to be absent) costs nothing and is not
// counted: a write would be the dearest part of refusing it.
type limiter struct {
	after  int
	window time.Duration

	mu sync.Mutex
	// until holds the lock-outs this process learned, by database and
	// counter, with their end.
	until map[string]time.Time
	// counted is how many failures each database counted here since its
	// counters were last pruned.
	counted map[string]int
	// slots serialise the derivations of locked-out Odoo keys, per key id.
	slots map[string]*slot
}

// maxLimitEntries bounds the lock-outs a process remembers.
const maxLimitEntries = 100000

// pruneEvery is how many counted failures of a database pass between two
// deletions of its spent counters; it bounds the table to the counters of
// one window plus that many per process.
const pruneEvery = 1024

// failureWrite bounds a failure's bookkeeping, which runs even when the
// client has gone: a client that disconnects must not escape the count.
const failureWrite = 5 * time.Second

func newLimiter() *limiter { return &limiter{after: 5, window: time.Minute} }

// blocked reports whether this process knows counter key of dbname to be
// locked out at now.
func (l *limiter) blocked(dbname, key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	end, ok := l.until[dbname+"\x00"+key]
	return ok && now.Before(end)
}

// remember records a lock-out learned from the database. When full, it
// drops the lock-outs that ended; if those that last fill more than half the
// room, it forgets everything, which only costs a write each to learn them
// again.
func (l *limiter) remember(dbname, key string, end, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.until == nil {
		l.until = map[string]time.Time{}
	}
	if len(l.until) >= maxLimitEntries {
		for k, e := range l.until {
			if !now.Before(e) {
				delete(l.until, k)
			}
		}
		if len(l.until) > maxLimitEntries/2 {
			l.until = map[string]time.Time{}
		}
	}
	l.until[dbname+"\x00"+key] = end
}

// dueForPrune counts one failure of dbname and reports whether its spent
// counters should be deleted now.
func (l *limiter) dueForPrune(dbname string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counted == nil {
		l.counted = map[string]int{}
	}
	l.counted[dbname]++
	if l.counted[dbname] < pruneEvery {
		return false
	}
	l.counted[dbname] = 0
	return true
}

// forget drops what the limiter knows of a database that went away.
func (l *limiter) forget(dbname string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.until {
		if len(k) > len(dbname) && k[:len(dbname)] == dbname && k[len(dbname)] == 0 {
			delete(l.until, k)
		}
	}
	delete(l.counted, dbname)
	delete(l.counted, "login\x00"+dbname)
}

// slot is the turn of one key id's derivations while it is locked out.
type slot struct {
	turn  chan struct{}
	users int
}

// serial waits for the turn of key (or for ctx to end) and returns the
// function that passes it on. Derivations for a locked-out address or key
// id take turns per key id, so a flood of wrong Odoo keys costs at most one
// derivation at a time per key id and process, while the right key still
// passes after its turn.
func (l *limiter) serial(ctx context.Context, key string) (func(), error) {
	l.mu.Lock()
	if l.slots == nil {
		l.slots = map[string]*slot{}
	}
	s := l.slots[key]
	if s == nil {
		s = &slot{turn: make(chan struct{}, 1)}
		l.slots[key] = s
	}
	s.users++
	l.mu.Unlock()
	leave := func() {
		l.mu.Lock()
		s.users--
		if s.users == 0 && l.slots[key] == s {
			delete(l.slots, key)
		}
		l.mu.Unlock()
	}
	select {
	case s.turn <- struct{}{}:
		return func() { <-s.turn; leave() }, nil
	case <-ctx.Done():
		leave()
		return nil, ctx.Err()
	}
}

// keyBlocked reports whether this process knows the address or the key id
// (when index is not empty) to be locked out.
func (a *Authenticator) keyBlocked(dbname, ip, index string, now time.Time) bool {
	if a.limiter.blocked(dbname, "ip:"+ip, now) {
		return true
	}
	return index != "" && a.limiter.blocked(dbname, "key:"+index, now)
}

// keyFailed counts a failed key attempt from ip, and on key id index when
// it is not empty (a key id that exists), in the database, and reports
// whether it was counted: false when the address or the key id was locked
// out already. A locked-out attempt writes nothing, so a flood costs no I/O
// once it reached the limit.
func (a *Authenticator) keyFailed(ctx context.Context, db bun.IDB, dbname string, now time.Time, ip, index string) bool {
	if a.keyBlocked(dbname, ip, index, now) {
		return false
	}
	counters := []string{"ip:" + ip}
	if index != "" {
		counters = append(counters, "key:"+index)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), failureWrite)
	defer cancel()
	l := a.limiter
	counted := true
	for _, c := range counters {
		n, ok, until, err := models.RecordKeyFailure(ctx, db, c, now.UnixMilli(), l.window.Milliseconds(), l.after)
		if err != nil {
			a.Log.Warn("recording a failed key attempt failed", "db", dbname, "err", err)
			continue
		}
		if !ok {
			counted = false
		}
		if n >= int64(l.after) {
			l.remember(dbname, c, time.UnixMilli(until), now)
		}
		if !ok {
			continue
		}
		if l.dueForPrune(dbname) {
			if err := models.PruneKeyFailures(ctx, db, now.Add(-l.window).UnixMilli()); err != nil {
				a.Log.Warn("deleting spent key failure counters failed", "db", dbname, "err", err)
			}
		}
	}
	return counted
}
