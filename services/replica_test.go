package services

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
)

// TestReplicaRouting checks the choice of pool for each call on a real
// PostgreSQL server whose "replica" is the same server reached with
// default_transaction_read_only on, which refuses writes as a hot standby
// does (SQLSTATE 25006): read-only methods run there, writes on the
// primary, the reads of a user who wrote stay on the primary for the
// read-your-writes window, a read-only method that writes runs again on
// the primary in a transaction, and a replica that does not answer sends
// reads to the primary and makes Ready say so; the replica's access cache
// lives on the Set's clock. integration/faults's
// TestReplica does the same with a real streaming replica.
func TestReplicaRouting(t *testing.T) {
	dsn := os.Getenv("GODOO_TEST_DSN")
	if dsn == "" {
		t.Skip("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	name := fmt.Sprintf("replica_unit_%d", os.Getpid())
	ctx := context.Background()

	setup := func(t *testing.T, replica string) (*Set, *clock) {
		store, err := pgstore.New(dsn, pgstore.WithReplica(replica))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		clk := &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
		set := NewSet(store, Config{Now: clk.Now})
		set.core.auth.Rounds = 1000
		registerWhere(set.Registry())
		return set, clk
	}

	// The database, made once through a store without replica.
	maker, _ := setup(t, "")
	_ = maker.core.store.Drop(ctx, name)
	if err := maker.Database.Create(ctx, name, CreateOptions{AdminPassword: "x-admin-1"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = maker.core.store.Drop(context.Background(), name) })

	admin := auth.Identity{DB: name, UID: 2}
	where := func(t *testing.T, set *Set, method string) string {
		t.Helper()
		res, err := set.Object.Execute(ctx, admin, "x.where", method, nil, nil)
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		return res.(string)
	}

	t.Run("routing", func(t *testing.T) {
		set, clk := setup(t, dsn+sep+"default_transaction_read_only=on")
		if got := where(t, set, "search_count"); got != "replica" {
			t.Errorf("a read-only call ran on the %s, want the replica", got)
		}
		if got := where(t, set, "touch"); got != "primary" {
			t.Errorf("a write ran on the %s, want the primary", got)
		}
		if got := where(t, set, "search_count"); got != "primary" {
			t.Errorf("a read right after a write ran on the %s, want the primary (read-your-writes)", got)
		}
		clk.advance(DefaultReadYourWrites)
		if got := where(t, set, "search_count"); got != "replica" {
			t.Errorf("a read after the read-your-writes window ran on the %s, want the replica", got)
		}
		if got := where(t, set, "exists"); got != "primary" {
			t.Errorf("a read-only method that writes ended on the %s, want the primary", got)
		}
		// Ready checks every database of the shared server, some of them
		// other tests'; its replica check is readyReplicas.
		if err := set.core.readyReplicas(ctx, []string{name}); err != nil {
			t.Errorf("Ready with the replica up: %v", err)
		}
	})

	t.Run("read-your-writes across instances", func(t *testing.T) {
		writer, wclk := setup(t, dsn+sep+"default_transaction_read_only=on")
		reader, clk := setup(t, dsn+sep+"default_transaction_read_only=on")
		// Both an hour past the writes of the subtests before, which the
		// primary remembers too.
		wclk.advance(time.Hour)
		clk.advance(time.Hour)
		if got := where(t, writer, "touch"); got != "primary" {
			t.Fatalf("a write ran on the %s, want the primary", got)
		}
		if got := where(t, reader, "search_count"); got != "primary" {
			t.Errorf("a read through another instance right after a write ran on the %s, want the primary", got)
		}
		clk.advance(DefaultReadYourWrites)
		if got := where(t, reader, "search_count"); got != "replica" {
			t.Errorf("a read through another instance after the window ran on the %s, want the replica", got)
		}
	})

	t.Run("replica access cache on the clock", func(t *testing.T) {
		set, clk := setup(t, dsn+sep+"default_transaction_read_only=on")
		primary, err := set.core.open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		rdb, err := set.core.store.(models.ReplicaStore).OpenReplica(ctx, name)
		if err != nil || rdb == nil {
			t.Fatalf("the replica pool: %v", err)
		}
		if !set.core.auth.WatchFeed(name, 10*time.Second) {
			t.Fatal("the invalidation feed did not come up")
		}
		// This "replica" never replays (it is the primary), so its cache
		// never serves: the test looks at the entry kept for it.
		entry := func() *replicaAccess {
			set.core.replicaAccessCache(ctx, primary, rdb, name)
			set.core.mu.Lock()
			defer set.core.mu.Unlock()
			return set.core.rep.access[name]
		}
		first := entry()
		if first == nil {
			t.Fatal("no access cache kept for the replica")
		}
		clk.advance(accessTTL)
		if got := entry(); got != first {
			t.Error("the replica's access cache was renewed within its life")
		}
		clk.advance(time.Second)
		if got := entry(); got == first || got == nil {
			t.Error("the replica's access cache outlived its life on the Set's clock")
		}
	})

	t.Run("replica down", func(t *testing.T) {
		set, _ := setup(t, "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable")
		if got := where(t, set, "search_count"); got != "primary" {
			t.Errorf("a read with the replica down ran on the %s, want the primary", got)
		}
		if err := set.core.readyReplicas(ctx, []string{name}); !errors.Is(err, ErrReplicaDown) || errors.Is(err, ErrNotReady) {
			t.Errorf("Ready with the replica down = %v, want ErrReplicaDown", err)
		}
	})
}

// registerWhere adds x.where, whose methods answer on which server they
// ran: search_count (a name of the closed list of read-only methods),
// touch (a write) and exists (of the list too, but writes). Only the
// list's names go to the replica.
func registerWhere(reg *models.Registry) {
	m := &models.Model{Name: "x.where", Description: "Where", Table: "res_partner"}
	which := func(ctx context.Context, env *models.Env) (any, error) {
		var ro string
		if err := env.DB.QueryRowContext(ctx, "SHOW default_transaction_read_only").Scan(&ro); err != nil {
			return nil, err
		}
		if ro == "on" {
			return "replica", nil
		}
		return "primary", nil
	}
	m.AddMethod(&models.Method{Name: "search_count", ReadOnly: true, Fn: func(ctx context.Context, env *models.Env, _ *models.Model, _ []int64, _ models.Args) (any, error) {
		return which(ctx, env)
	}})
	m.AddMethod(&models.Method{Name: "touch", Fn: func(ctx context.Context, env *models.Env, _ *models.Model, _ []int64, _ models.Args) (any, error) {
		return which(ctx, env)
	}})
	m.AddMethod(&models.Method{Name: "exists", ReadOnly: true, Fn: func(ctx context.Context, env *models.Env, _ *models.Model, _ []int64, _ models.Args) (any, error) {
		if _, err := env.DB.ExecContext(ctx, "UPDATE res_partner SET name = name WHERE id = 1"); err != nil {
			return nil, err
		}
		return which(ctx, env)
	}})
	reg.Register(m)
}

// clock is a settable Config.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
