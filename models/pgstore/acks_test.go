package pgstore_test

import (
	"context"
	"sync/atomic"
	"testing"

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
