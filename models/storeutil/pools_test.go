package storeutil_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite"

	"github.com/godoo/godoo/models/storeutil"
)

var errClosed = errors.New("test store is closed")

// memory connects to a private in-memory SQLite database and counts the
// connections made.
func memory(n *atomic.Int32) storeutil.Connect {
	return func(context.Context, string) (*bun.DB, error) {
		n.Add(1)
		sqldb, err := sql.Open("sqlite", ":memory:")
		if err != nil {
			return nil, err
		}
		return bun.NewDB(sqldb, sqlitedialect.New()), nil
	}
}

// TestOpenConnectsOnce checks that concurrent first opens of one name make
// one pool, which later opens return.
func TestOpenConnectsOnce(t *testing.T) {
	p := storeutil.NewPools(errClosed)
	var n atomic.Int32
	connect := memory(&n)
	var wg sync.WaitGroup
	got := make([]*bun.DB, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := p.Open(context.Background(), "a", connect)
			if err != nil {
				t.Error(err)
			}
			got[i] = db
		}()
	}
	wg.Wait()
	if n.Load() != 1 {
		t.Fatalf("connected %d times, want 1", n.Load())
	}
	for _, db := range got {
		if db != got[0] {
			t.Fatal("opens returned different pools")
		}
	}
	if !p.IsOpen("a") || p.IsOpen("b") {
		t.Fatal("IsOpen wrong")
	}
	if db := p.Remove("a"); db != got[0] {
		t.Fatal("Remove did not return the pool")
	}
	_ = got[0].Close()
	if p.IsOpen("a") {
		t.Fatal("pool still open after Remove")
	}
	if _, err := p.Open(context.Background(), "a", connect); err != nil || n.Load() != 2 {
		t.Fatalf("reopen: %v, %d connections", err, n.Load())
	}
	if err := storeutil.CloseAll("test", p.Close()); err != nil {
		t.Fatal(err)
	}
}

// TestConnectError checks that a failed connection caches nothing.
func TestConnectError(t *testing.T) {
	p := storeutil.NewPools(errClosed)
	gone := errors.New("no such database")
	_, err := p.Open(context.Background(), "a", func(context.Context, string) (*bun.DB, error) { return nil, gone })
	if !errors.Is(err, gone) || p.IsOpen("a") {
		t.Fatalf("got %v, open %v", err, p.IsOpen("a"))
	}
}

// TestClosed checks that every method fails with the store's error after
// Close, and that a pool connected while the store closed is closed again.
func TestClosed(t *testing.T) {
	p := storeutil.NewPools(errClosed)
	var n atomic.Int32
	var late *bun.DB
	closing := func(ctx context.Context, name string) (*bun.DB, error) {
		db, err := memory(&n)(ctx, name)
		late = db
		p.Close() // the store closes while this pool is being opened
		return db, err
	}
	if _, err := p.Open(context.Background(), "a", closing); !errors.Is(err, errClosed) {
		t.Fatalf("open during close: %v", err)
	}
	if err := late.Ping(); err == nil {
		t.Fatal("the late pool was left open")
	}
	ctx := context.Background()
	if _, err := p.Cached("a"); !errors.Is(err, errClosed) {
		t.Errorf("Cached: %v", err)
	}
	if _, err := p.Lock(ctx, "a"); !errors.Is(err, errClosed) {
		t.Errorf("Lock: %v", err)
	}
	if err := p.Err(); !errors.Is(err, errClosed) {
		t.Errorf("Err: %v", err)
	}
}

// TestLock checks that a name's lock excludes a second holder, that a
// waiter gives up when its context ends, that several names are taken
// whatever their order, and that locks are forgotten once released.
func TestLock(t *testing.T) {
	p := storeutil.NewPools(errClosed)
	ctx := context.Background()
	unlock, err := p.Lock(ctx, "b", "a", "a")
	if err != nil {
		t.Fatal(err)
	}
	waitCtx, cancel := context.WithCancel(ctx)
	waiting := make(chan error)
	go func() {
		_, err := p.Lock(waitCtx, "a")
		waiting <- err
	}()
	if !storeutil.AwaitWaiters(p, "a", 2) {
		t.Fatal("the waiter never queued")
	}
	cancel()
	if err := <-waiting; !errors.Is(err, context.Canceled) {
		t.Fatalf("waiter: %v", err)
	}
	got := make(chan func())
	go func() {
		u, err := p.Lock(ctx, "a", "b")
		if err != nil {
			t.Error(err)
		}
		got <- u
	}()
	if !storeutil.AwaitWaiters(p, "a", 2) {
		t.Fatal("the second locker never queued")
	}
	unlock()
	(<-got)()
	if n := storeutil.Locks(p); n != 0 {
		t.Fatalf("%d locks remembered after release", n)
	}
	if _, err := p.Lock(waitCtx, "c"); !errors.Is(err, context.Canceled) {
		t.Fatalf("lock with an ended context: %v", err)
	}
}
