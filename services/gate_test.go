package services

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/sqlitestore"
)

// TestGateOrder checks that calls waiting at a full gate pass in the order
// they arrived, and that a waiting call whose context ends leaves the queue
// without taking a place.
func TestGateOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := make(gate, 1)
		if err := g.enter(context.Background()); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var order []int
		cancelled, cancel := context.WithCancel(context.Background())
		errs := make(chan error, 1)
		for i := range 6 {
			if i == 3 {
				go func() { errs <- g.enter(cancelled) }()
				synctest.Wait()
				continue
			}
			go func() {
				if err := g.enter(context.Background()); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				g.leave()
			}()
			synctest.Wait() // the call is queued before the next arrives
		}
		cancel()
		if err := <-errs; !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled wait: %v", err)
		}
		g.leave()
		synctest.Wait()
		want := []int{0, 1, 2, 4, 5}
		if len(order) != len(want) {
			t.Fatalf("passed %v, want %v", order, want)
		}
		for i := range want {
			if order[i] != want[i] {
				t.Fatalf("passed %v, want %v", order, want)
			}
		}
		if len(g) != 0 {
			t.Fatalf("%d places still taken", len(g))
		}
	})
}

// TestRunGated checks that calls are admitted to a database only as many
// at a time as its pool has connections: with every place taken, a call
// waits at the gate and gives up when its context ends, without having
// touched the database.
func TestRunGated(t *testing.T) {
	set, db := testDatabase(t, "gated", sqlitestore.WithMaxOpenConns(2))
	ctx := context.Background()
	g := set.core.gates.of(db)
	if cap(g) != 2 {
		t.Fatalf("gate of %d places, want the pool's 2", cap(g))
	}
	release := make(chan struct{})
	inside := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := set.core.run(ctx, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
				inside <- struct{}{}
				<-release
				return nil, nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	<-inside
	<-inside
	waits := db.DB.Stats().WaitCount
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	ran := false
	_, err := set.core.run(short, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
		ran = true
		return nil, nil
	})
	if !errors.Is(err, context.DeadlineExceeded) || ran {
		t.Fatalf("third call with the gate full: ran=%v err=%v, want it refused by its context", ran, err)
	}
	// It waited at the gate, not in database/sql's pool, which hands
	// connections to its waiters in random order.
	if n := db.DB.Stats().WaitCount - waits; n != 0 {
		t.Fatalf("the third call waited %d times for a pool connection", n)
	}
	close(release)
	wg.Wait()
	if _, err := set.core.run(ctx, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
		return nil, nil
	}); err != nil {
		t.Fatalf("call after the others left: %v", err)
	}
}

// TestRunHooksOutsideGate checks that a call's commit hooks, which may wait
// for the change's notice, run after the call has left the gate.
func TestRunHooksOutsideGate(t *testing.T) {
	set, db := testDatabase(t, "hooks", sqlitestore.WithMaxOpenConns(1))
	ctx := context.Background()
	g := set.core.gates.of(db)
	taken := -1
	if _, err := set.core.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		env.OnCommit(func() { taken = len(g) })
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	if taken != 0 {
		t.Fatalf("the hook ran with %d gate places taken, want 0", taken)
	}
}

// TestRunPanicLeavesGate checks that a call whose method panics gives its
// place in the gate back, so that panics cannot use the places up.
func TestRunPanicLeavesGate(t *testing.T) {
	set, db := testDatabase(t, "panics", sqlitestore.WithMaxOpenConns(1))
	ctx := context.Background()
	g := set.core.gates.of(db)
	for range 3 {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the method's panic did not come through")
				}
			}()
			_, _ = set.core.run(ctx, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
				panic("method bug")
			})
		}()
		if len(g) != 0 {
			t.Fatalf("%d places taken after a panicking call", len(g))
		}
	}
}

// TestGateQueueLength checks the count of calls waiting at a gate, which
// the metrics report as the database's queue length: a call counts while
// it waits, not once it is in nor once it gave up.
func TestGateQueueLength(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := &queue{g: make(gate, 1)}
		if err := q.enter(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n := q.waiting.Load(); n != 0 {
			t.Fatalf("%d waiting with the only place taken by a call that did not wait", n)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 2)
		go func() { done <- q.enter(ctx) }()
		go func() { done <- q.enter(ctx) }()
		synctest.Wait()
		if n := q.waiting.Load(); n != 2 {
			t.Fatalf("%d waiting, want 2", n)
		}
		cancel()
		for range 2 {
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatal(err)
			}
		}
		if n := q.waiting.Load(); n != 0 {
			t.Fatalf("%d waiting after both gave up, want 0", n)
		}
		q.leave()
	})
}
