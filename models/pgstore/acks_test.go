package pgstore_test

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godoo/godoo/migrations"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
)

// ackDB creates a migrated database for acknowledged notices and opens
// it on every store in others too (a watch acknowledges on its store's
// pool of the database).
func ackDB(t *testing.T, s *pgstore.Store, others ...*pgstore.Store) string {
	t.Helper()
	ctx := context.Background()
	name := prefix(t) + "acks"
	db, err := s.Create(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.Apply(ctx, db, "pg"); err != nil {
		t.Fatal(err)
	}
	for _, o := range others {
		if _, err := o.Open(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	return name
}

// settle runs SettleAuth in the background, bounded by feedGuard.
func settle(s *pgstore.Store, name string) <-chan error {
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), feedGuard)
		defer cancel()
		done <- s.SettleAuth(ctx, name)
	}()
	return done
}

// TestSettleWaitsForEveryListener: a process that committed a change
// waits until the other process has handled its notice, held back here,
// and returns only after; a listener that left is not waited for.
func TestSettleWaitsForEveryListener(t *testing.T) {
	pending := make(chan int, 64)
	s1 := newStore(t, pgstore.WithSettling(func(_ string, _ int64, n int) {
		select {
		case pending <- n:
		default: // another poll comes soon
		}
	}))
	s2 := newStore(t)
	name := ackDB(t, s1, s2)

	own, stop1 := watch(t, s1, name)
	defer stop1()
	held := make(chan struct{})
	release := make(chan struct{})
	var handled atomic.Bool
	other := &feedEvents{t: t, ch: make(chan models.AuthEvent, 256)}
	stop2 := s2.WatchAuth(name, func(ev models.AuthEvent) {
		if ev == models.AuthChanged && !handled.Load() {
			held <- struct{}{}
			<-release
			handled.Store(true)
		}
		other.ch <- ev
	})
	defer stop2()
	own.until(models.AuthFeedUp)
	other.until(models.AuthFeedUp)
	// With nothing to handle, both listeners acknowledge at once.
	if err := <-settle(s1, name); err != nil {
		t.Fatalf("SettleAuth with nothing pending: %v", err)
	}

	// A change, committed by the first process.
	if _, err := rawDB(t, name).ExecContext(context.Background(), "SELECT pg_notify('godoo_auth', 'res_users')"); err != nil {
		t.Fatal(err)
	}
	<-held
	done := settle(s1, name)
	// The first process's own listener acknowledges; the held one cannot.
	for waiting := false; !waiting; {
		select {
		case err := <-done:
			t.Fatalf("SettleAuth returned (%v) while the other process still held the change", err)
		case n := <-pending:
			waiting = n == 1
		}
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("SettleAuth: %v", err)
	}
	if !handled.Load() {
		t.Fatal("SettleAuth returned before the other process handled the change")
	}

	// Once the other listener is gone, it is not waited for.
	stop2()
	other.until(models.AuthFeedClosed)
	if err := <-settle(s1, name); err != nil {
		t.Fatalf("SettleAuth after the other listener left: %v", err)
	}
}

// TestSettleConnectedListeners: a connection named as a listener that
// never acknowledges is waited for until the context ends; once it left,
// it is not, and the next watch to come up prunes its row.
func TestSettleConnectedListeners(t *testing.T) {
	pending := make(chan int, 64)
	s := newStore(t, pgstore.WithSettling(func(_ string, _ int64, n int) {
		select {
		case pending <- n:
		default:
		}
	}))
	name := ackDB(t, s)
	ctx := context.Background()
	const mute = "godoo-listen-mute"
	_, dsn, err := pgstore.ConnStrings(testDSN(t), name)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("postgres", dsn+" application_name="+mute)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if _, err := conn.ExecContext(ctx, "INSERT INTO godoo_feed_acks (listener, seen, at) VALUES ($1, 0, now())", mute); err != nil {
		t.Fatal(err)
	}

	wait, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.SettleAuth(wait, name) }()
	select {
	case err := <-done:
		t.Fatalf("SettleAuth returned (%v) while a listener had not acknowledged", err)
	case n := <-pending:
		if n != 1 {
			t.Errorf("%d listeners pending, want 1 (the mute one)", n)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("SettleAuth when its context ended = %v, want context.Canceled", err)
	}

	conn.Close()
	if err := <-settle(s, name); err != nil {
		t.Fatalf("SettleAuth once the mute listener left: %v", err)
	}
	// A watch comes up, now that the mute listener is gone: its first
	// acknowledgement follows the pruning.
	own, stop := watch(t, s, name)
	defer stop()
	own.until(models.AuthFeedUp)
	if err := <-settle(s, name); err != nil {
		t.Fatalf("SettleAuth with a watch: %v", err)
	}
	var rows int
	if err := rawDB(t, name).QueryRowContext(ctx, "SELECT count(*) FROM godoo_feed_acks WHERE listener = $1", mute).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 0 {
		t.Errorf("the row of the listener that left is still there")
	}
}

// TestAckAboveSequence: an acknowledgement of a barrier never sent (any
// role may notify godoo_auth) counts no later barrier acknowledged.
func TestAckAboveSequence(t *testing.T) {
	s := newStore(t)
	name := ackDB(t, s)
	own, stop := watch(t, s, name)
	defer stop()
	own.until(models.AuthFeedUp)
	ctx := context.Background()
	db := rawDB(t, name)
	if _, err := db.ExecContext(ctx, "SELECT pg_notify('godoo_auth', 'ack 9223372036854775807')"); err != nil {
		t.Fatal(err)
	}
	// The forged acknowledgement is handled before the barrier SettleAuth
	// sends after it.
	if err := <-settle(s, name); err != nil {
		t.Fatalf("SettleAuth: %v", err)
	}
	var pending int
	if err := db.QueryRowContext(ctx, "SELECT godoo_feed_pending((SELECT last_value FROM godoo_feed_seq) + 1)").Scan(&pending); err != nil {
		t.Fatal(err)
	}
	if pending != 1 {
		t.Errorf("listeners pending on the next barrier: %d, want 1 (the watch has not handled it)", pending)
	}
}

// TestWatchClosedWhileDialing: a watch stopped while its connection is
// being dialed leaves no listener behind. pq.Listener's Close alone misses
// that connection, which then LISTENs for the life of the process and
// makes every commit that settles the database wait its full bound.
func TestWatchClosedWhileDialing(t *testing.T) {
	entered := make(chan struct{}, 1)
	release := make(chan struct{})
	outcomes := make(chan error, 8)
	s := newStore(t, pgstore.WithListenDialing(func() func(error) {
		select {
		case entered <- struct{}{}:
			<-release // the first dial waits until the watch is stopped
		default:
		}
		return func(err error) { outcomes <- err }
	}))
	name := ackDB(t, s)
	events, stop := watch(t, s, name)
	select {
	case <-entered:
	case <-time.After(feedGuard):
		t.Fatal("the watch did not dial")
	}
	stop()
	events.until(models.AuthFeedClosed)
	close(release)
	select {
	case err := <-outcomes:
		if err == nil {
			t.Fatal("a dial that ended after the watch was stopped made a connection")
		}
	case <-time.After(feedGuard):
		t.Fatal("the held dial did not end")
	}
	if err := <-settle(s, name); err != nil {
		t.Errorf("a commit after the watch stopped: %v", err)
	}
}
