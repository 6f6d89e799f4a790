package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"github.com/godoo/godoo/models"
)

var (
	_ models.AuthFeed    = (*Store)(nil)
	_ models.AuthSettler = (*Store)(nil)
)

// authChannel is the channel the triggers of migration 0005_auth_changes
// notify.
const authChannel = "godoo_auth"

// Listener settings: reconnect soon after a loss, and ping now and then so
// that a connection that died silently is noticed.
const (
	minReconnect = 100 * time.Millisecond
	maxReconnect = 10 * time.Second
	pingEvery    = 15 * time.Second
)

// listenerPrefix starts the application_name of every LISTEN connection,
// by which godoo_feed_pending (migration 0015_feed_acks) finds them.
const listenerPrefix = "godoo-listen-"

// ackPayload starts the payload of godoo_feed_barrier's notices.
const ackPayload = "ack "

// watch is one LISTEN connection on one database.
type watch struct {
	name string
	l    *pq.Listener
	dial *listenDialer
	acks *acker
}

// close ends the watch. The listener's Close waits for its lock, which a
// ping without answer holds: close returns at once, and the watch ends
// with AuthFeedClosed.
func (w *watch) close() {
	w.dial.close()
	go func() { _ = w.l.Close() }()
}

// errWatchClosed refuses the connections a closed watch's listener still
// tries to make.
var errWatchClosed = errors.New("pgstore: the watch is closed")

// listenDialer makes the connections of one watch's listener, and closes
// the last one and refuses any more once the watch is closed. The
// listener's own Close misses a connection being dialed or started when
// it is called: the listener then keeps that connection, LISTENing, for
// the life of the process (lib/pq v1.10.9), and every commit that settles
// the database (SettleAuth) waits its full bound for a listener that will
// never acknowledge.
type listenDialer struct {
	// dialing, a test hook, is called before each dial; the function it
	// returns is called with the dial's outcome.
	dialing func() (dialed func(error))

	mu     sync.Mutex
	closed bool
	conn   net.Conn // the last connection made
}

func (d *listenDialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

func (d *listenDialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return d.DialContext(ctx, network, address)
}

// DialContext dials as pq's own dialer does (a net.Dialer's defaults).
func (d *listenDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if d.dialing != nil {
		dialed := d.dialing()
		c, err := d.dial(ctx, network, address)
		dialed(err)
		return c, err
	}
	return d.dial(ctx, network, address)
}

func (d *listenDialer) dial(ctx context.Context, network, address string) (net.Conn, error) {
	if d.isClosed() {
		return nil, errWatchClosed
	}
	var nd net.Dialer
	c, err := nd.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		_ = c.Close()
		return nil, errWatchClosed
	}
	d.conn = c
	return c, nil
}

func (d *listenDialer) isClosed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closed
}

// close closes the last connection and refuses the next ones.
func (d *listenDialer) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	if d.conn != nil {
		_ = d.conn.Close()
	}
}

// WatchAuth LISTENs on the database's godoo_auth channel on a connection of
// its own, to the listen DSN (WithListen) when one is set: a pooler in
// transaction mode cannot carry LISTEN. The watch ends when the database's
// pool is closed (drop, rename, duplicate) or the store is closed.
func (s *Store) WatchAuth(name string, on func(models.AuthEvent)) (stop func()) {
	events := make(chan pq.ListenerEventType, 16)
	app := listenerPrefix + randomID()
	conn := maps.Clone(s.listen)
	conn["application_name"] = app
	dial := &listenDialer{dialing: s.listenDialing}
	l := pq.NewDialListener(dial, conn.withDB(name), minReconnect, maxReconnect, func(ev pq.ListenerEventType, _ error) {
		select { // never block the listener; a lost event is followed by others
		case events <- ev:
		default:
		}
	})
	w := &watch{name: name, l: l, dial: dial, acks: newAcker(s, name, app)}
	s.mu.Lock()
	if s.pools.Err() != nil {
		s.mu.Unlock()
		dial.close()
		_ = l.Close()
		go on(models.AuthFeedClosed)
		return func() {}
	}
	s.watches[w] = true
	s.mu.Unlock()
	go w.acks.run()
	go s.runWatch(w, events, on)
	return w.close
}

func (s *Store) runWatch(w *watch, events <-chan pq.ListenerEventType, on func(models.AuthEvent)) {
	defer func() {
		s.mu.Lock()
		delete(s.watches, w)
		s.mu.Unlock()
		w.acks.stop()
		on(models.AuthFeedClosed)
	}()
	// Listen waits for the connection; Close (from closeWatches) ends the
	// wait with an error.
	if err := w.l.Listen(authChannel); err != nil {
		w.dial.close()
		_ = w.l.Close()
		return
	}
	// Events of the attempts before LISTEN took hold are over: only those
	// that follow count.
	for drained := false; !drained; {
		select {
		case <-events:
		default:
			drained = true
		}
	}
	on(models.AuthFeedUp)
	w.acks.up()
	var pinging atomic.Bool
	pingDone := make(chan error, 1)
	pingDown := false
	ping := time.NewTicker(s.feedPing)
	defer ping.Stop()
	for {
		select {
		case n, ok := <-w.l.Notify:
			if !ok {
				return
			}
			if n == nil {
				// Sent after a reconnection, once LISTEN is in place again:
				// notices of the gap are lost, so the cache starts over.
				pingDown = false
				on(models.AuthFeedUp)
				w.acks.up()
			} else if seq, ok := barrier(n.Extra); ok {
				// Every notice before it is handled: acknowledge.
				w.acks.ack(seq)
			} else {
				on(models.AuthChanged)
			}
		case ev := <-events:
			if ev == pq.ListenerEventDisconnected || ev == pq.ListenerEventConnectionAttemptFailed {
				on(models.AuthFeedDown)
			}
		case <-ping.C:
			// One ping at a time, answered on pingDone; one still without
			// answer at the next tick marks the feed down (notices may be
			// lost) until a ping is answered or pq reconnects.
			if pinging.CompareAndSwap(false, true) {
				go func() { pingDone <- w.l.Ping(); pinging.Store(false) }()
			} else if !pingDown {
				pingDown = true
				on(models.AuthFeedDown)
			}
		case err := <-pingDone:
			switch {
			case err != nil && !pingDown:
				pingDown = true
				on(models.AuthFeedDown)
			case err == nil && pingDown:
				pingDown = false
				on(models.AuthFeedUp)
			}
		}
	}
}

// closeWatches ends the watches of name ("" for all).
func (s *Store) closeWatches(name string) {
	s.mu.Lock()
	var ws []*watch
	for w := range s.watches {
		if name == "" || w.name == name {
			ws = append(ws, w)
		}
	}
	s.mu.Unlock()
	// The drop or rename that called this must not wait for a listener
	// (it ends the database's sessions itself): close returns at once.
	for _, w := range ws {
		w.close()
	}
}

// Polling of SettleAuth: the acknowledgements of the other processes
// are rows, not notices, so the committer asks for them, soon at first
// (they usually take a few milliseconds), then less often.
const (
	settleFirstPoll = 2 * time.Millisecond
	settleMaxPoll   = 25 * time.Millisecond
)

// SettleAuth sends a barrier (godoo_feed_barrier) after the changes
// committed so far and waits until every LISTEN connection to the
// database, of any process, acknowledged it or a later one.
func (s *Store) SettleAuth(ctx context.Context, name string) error {
	db, err := s.Open(ctx, name)
	if err != nil {
		return err
	}
	var seq int64
	if err := db.QueryRowContext(ctx, "SELECT godoo_feed_barrier()").Scan(&seq); err != nil {
		return fmt.Errorf("pgstore: barrier on %s: %w", name, err)
	}
	for pause := settleFirstPoll; ; pause = min(2*pause, settleMaxPoll) {
		var pending int
		if err := db.QueryRowContext(ctx, "SELECT godoo_feed_pending(?)", seq).Scan(&pending); err != nil {
			return fmt.Errorf("pgstore: acknowledgements on %s: %w", name, err)
		}
		if pending == 0 {
			return nil
		}
		if s.settling != nil {
			s.settling(name, seq, pending)
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("pgstore: %d listeners of %s did not acknowledge barrier %d: %w", pending, name, seq, ctx.Err())
		case <-t.C:
		}
	}
}

// barrier reads the number of a godoo_feed_barrier notice; ok is false for
// the notices of changes.
func barrier(payload string) (n int64, ok bool) {
	rest, ok := strings.CutPrefix(payload, ackPayload)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	return n, err == nil
}

// randomID names a LISTEN connection, unique among the processes sharing
// the database server.
func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ackTimeout bounds one statement of an acker.
const ackTimeout = 5 * time.Second

// acker writes a watch's acknowledgements (godoo_feed_acks) on the
// database's pool, off the watch's goroutine: the watch goes on handling
// notices while one is written, and acknowledgements waiting behind it
// fold into the highest.
type acker struct {
	s    *Store
	name string
	app  string
	wake chan struct{} // one pending signal at most
	done chan struct{}
	once sync.Once

	mu      sync.Mutex
	seen    int64 // the highest barrier handled, not yet written
	started bool  // the watch is (again) up: prune and send a barrier
}

// errNoPool is write's error when the process has no pool of the database.
var errNoPool = errors.New("pgstore: no pool of the database to acknowledge on")

func newAcker(s *Store, name, app string) *acker {
	return &acker{s: s, name: name, app: app, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// ack records that every notice up to barrier n was handled.
func (a *acker) ack(n int64) {
	a.mu.Lock()
	a.seen = max(a.seen, n)
	a.mu.Unlock()
	a.signal()
}

// up records that the watch listens (again). A committer may have sent
// its barrier before LISTEN took hold, and this watch would never see it:
// the watch sends a barrier of its own, numbered after, whose
// acknowledgement releases such a committer.
func (a *acker) up() {
	a.mu.Lock()
	a.started = true
	a.mu.Unlock()
	a.signal()
}

func (a *acker) signal() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

func (a *acker) stop() { a.once.Do(func() { close(a.done) }) }

func (a *acker) run() {
	for {
		select {
		case <-a.done:
			return
		case <-a.wake:
		}
		a.flush()
	}
}

// flush writes what was recorded since the last write. What could not be
// written is kept, and written again at the next signal; until then a
// committer waits for this watch, bounded.
func (a *acker) flush() {
	a.mu.Lock()
	seen, started := a.seen, a.started
	a.seen, a.started = 0, false
	a.mu.Unlock()
	if err := a.write(seen, started); err != nil {
		a.mu.Lock()
		a.seen = max(a.seen, seen)
		a.started = a.started || started
		a.mu.Unlock()
	}
}

// write prunes, once the watch is up, the rows of listeners gone,
// acknowledges barrier seen (when not 0) and then, once the watch is up,
// sends a barrier. It needs the database's pool: without one (not opened
// yet, or closed for a while), nothing is written and the caller keeps the
// values for the next signal.
func (a *acker) write(seen int64, started bool) error {
	db, err := a.s.pools.Cached(a.name)
	if err != nil {
		return err
	}
	if db == nil {
		return errNoPool
	}
	ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
	defer cancel()
	if started {
		if _, err := db.ExecContext(ctx, `DELETE FROM godoo_feed_acks k WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
			WHERE a.datname = current_database() AND a.application_name = k.listener)`); err != nil {
			return err
		}
	}
	if seen > 0 {
		// A barrier above the sequence was never sent: any role may
		// notify godoo_auth, and an acknowledgement of one would count
		// every later barrier acknowledged. It is clamped to the last.
		if _, err := db.ExecContext(ctx, `INSERT INTO godoo_feed_acks (listener, seen, at)
			VALUES (?, LEAST(?, (SELECT last_value FROM godoo_feed_seq)), now())
			ON CONFLICT (listener) DO UPDATE SET seen = GREATEST(godoo_feed_acks.seen, EXCLUDED.seen), at = EXCLUDED.at`,
			a.app, seen); err != nil {
			return err
		}
	}
	if started {
		if _, err := db.ExecContext(ctx, "SELECT godoo_feed_barrier()"); err != nil {
			return err
		}
	}
	return nil
}
