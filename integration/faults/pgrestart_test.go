package faults_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godoo/godoo/integration/privatepg"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// Load of the restart test: restartClients call without pause, each at
// most maxRestartCalls times.
const (
	restartClients  = 4
	maxRestartCalls = 200000
	// poolSize is the store's connections per database.
	poolSize = 4
	// settleCalls bounds the calls, counted from the server's start, that
	// may still fail: each pooled connection that died with the server
	// fails at most once before the pool drops it, the maintenance pool
	// (4 connections) likewise, and each client may have had a call on
	// its way when the server came back. Past these, every call succeeds.
	settleCalls = poolSize + 4 + restartClients
	// recoveredCalls is how many calls each client must make after the
	// start, all but the first few succeeding, before the test ends.
	recoveredCalls = 50
)

// Phases of the restart test, as the clients see them when a call starts
// and when it ends.
const (
	phaseUp      int32 = iota // the server has run since the test began
	phaseOutage               // stopped, or reachable on its socket only
	phaseRestart              // started again
)

// recorder is the store with its feed's events copied to the test.
type recorder struct {
	*pgstore.Store
	events chan models.AuthEvent
}

func (r *recorder) WatchAuth(name string, on func(models.AuthEvent)) func() {
	return r.Store.WatchAuth(name, func(ev models.AuthEvent) {
		on(ev)
		select {
		case r.events <- ev:
		default: // never hold the feed up; the test reads long before
		}
	})
}

// until waits for event want, skipping the others.
func (r *recorder) until(t *testing.T, want models.AuthEvent) {
	t.Helper()
	guard := time.After(readyGuard)
	for {
		select {
		case ev := <-r.events:
			if ev == want {
				return
			}
		case <-guard:
			t.Fatalf("the feed did not report event %d within %s", want, readyGuard)
		}
	}
}

// outcome is one call of the load.
type outcome struct {
	start, end int32 // the phases when the call started and ended
	seq        int64 // among the calls started after the restart, from 0; -1 before
	err        error
}

// tally lets the test wait for the load to reach a point.
type tally struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced at every call
	ok      [3][restartClients]int
	failed  [3]int
}

func (ty *tally) add(client int, o outcome) {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	if o.err == nil && o.start == o.end {
		ty.ok[o.end][client]++
	} else if o.err != nil {
		ty.failed[o.end]++
	}
	close(ty.changed)
	ty.changed = make(chan struct{})
}

// wait waits until cond, called under the lock, holds.
func (ty *tally) wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	guard := time.After(readyGuard)
	for {
		ty.mu.Lock()
		done, changed := cond(), ty.changed
		ty.mu.Unlock()
		if done {
			return
		}
		select {
		case <-changed:
		case <-guard:
			t.Fatalf("the load did not reach %q within %s", what, readyGuard)
		}
	}
}

// eachClient reports whether every client made at least n successful
// calls wholly within phase.
func (ty *tally) eachClient(phase int32, n int) func() bool {
	return func() bool {
		for _, k := range ty.ok[phase] {
			if k < n {
				return false
			}
		}
		return true
	}
}

// TestPostgresRestart restarts godoo's PostgreSQL server under load. godoo
// serves again without being restarted; calls fail only from the stop to a
// few calls after the start (counted in calls, not time); its LISTEN feed
// goes down with the server and comes back; and a key revoked while godoo
// could not reach the server (the notice of it was lost) is refused once
// it can.
func TestPostgresRestart(t *testing.T) {
	if os.Getenv("GODOO_TEST_DSN") == "" {
		t.Skip("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
	}
	pg := privatepg.Start(t)
	ps, err := pgstore.New(pg.DSN("postgres"), pgstore.WithMaxOpenConns(poolSize))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ps.Close() })
	store := &recorder{Store: ps, events: make(chan models.AuthEvent, 1<<14)}
	set := services.NewSet(store, services.Config{})
	ctx := context.Background()
	const db = "faults"
	if err := set.Database.Create(ctx, db, services.CreateOptions{AdminPassword: adminPassword, AdminLogin: "admin"}); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, name := range []string{"load", "revoked in the outage", "revoked after"} {
		k, err := set.Database.CreateAPIKey(ctx, db, services.KeyOptions{Login: "admin", Name: name})
		if err != nil {
			t.Fatal(err)
		}
		keys[name] = k.Clear
	}
	h := rpc.NewHandler(set, rpc.Options{})
	h.SetReady(true)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	probe := newClient()
	keyCall := func(name string) error {
		_, err := kw(ctx, probe, srv.URL, db, keys[name], "res.users", "context_get", []any{}, nil)
		return err
	}
	for _, name := range []string{"revoked in the outage", "revoked after"} {
		if err := keyCall(name); err != nil {
			t.Fatalf("key %q before the restart: %v", name, err)
		}
	}
	store.until(t, models.AuthFeedUp)

	// The load: searches with a key and creates with the password, over
	// JSON-RPC, each client on its own connection.
	var phase atomic.Int32
	var afterStart atomic.Int64
	var stop atomic.Bool
	ty := &tally{changed: make(chan struct{})}
	outcomes := make([][]outcome, restartClients)
	var wg sync.WaitGroup
	for c := range restartClients {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			client := newClient()
			defer client.CloseIdleConnections()
			for i := 0; i < maxRestartCalls && !stop.Load(); i++ {
				o := outcome{start: phase.Load(), seq: -1}
				if o.start == phaseRestart {
					o.seq = afterStart.Add(1) - 1
				}
				if i%2 == 0 {
					_, o.err = kw(ctx, client, srv.URL, db, keys["load"], "res.partner", "search_read",
						[]any{[]any{[]any{"is_company", "=", true}}}, map[string]any{"fields": []any{"name"}, "limit": 5})
				} else {
					_, o.err = kw(ctx, client, srv.URL, db, adminPassword, "res.partner", "create",
						[]any{map[string]any{"name": fmt.Sprintf("restart %d-%d", c, i)}}, nil)
				}
				o.end = phase.Load()
				outcomes[c] = append(outcomes[c], o)
				ty.add(c, o)
			}
		}(c)
	}
	t.Cleanup(func() { stop.Store(true); wg.Wait() })
	ty.wait(t, "20 calls per client before the stop", ty.eachClient(phaseUp, 20))

	phase.Store(phaseOutage)
	pg.Stop()
	store.until(t, models.AuthFeedDown)
	ty.wait(t, "failures in the outage", func() bool { return ty.failed[phaseOutage] >= restartClients })
	// While godoo cannot reach the server, an administrator revokes a key
	// on its socket: no godoo process hears of it.
	pg.Start("listen_addresses=")
	admin, err := sql.Open("postgres", pg.SocketDSN(db))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := admin.ExecContext(ctx, "DELETE FROM res_users_apikeys WHERE name = 'revoked in the outage'"); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("revoked %d keys, want 1", n)
	}
	admin.Close()
	pg.Stop()
	pg.Start()
	phase.Store(phaseRestart)

	store.until(t, models.AuthFeedUp)
	ty.wait(t, "calls after the start", ty.eachClient(phaseRestart, recoveredCalls))
	if err := keyCall("revoked in the outage"); !isFault(err, "odoo.exceptions.AccessDenied") {
		t.Errorf("the key revoked in the outage, after it: %v, want AccessDenied", err)
	}
	// The feed listens again: a revocation made by hand now reaches godoo
	// as a notice.
	if err := keyCall("revoked after"); err != nil {
		t.Fatalf("a valid key after the restart: %v", err)
	}
	direct, err := sql.Open("postgres", pg.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if _, err := direct.ExecContext(ctx, "DELETE FROM res_users_apikeys WHERE name = 'revoked after'"); err != nil {
		t.Fatal(err)
	}
	store.until(t, models.AuthChanged)
	if err := keyCall("revoked after"); !isFault(err, "odoo.exceptions.AccessDenied") {
		t.Errorf("the key revoked after the restart: %v, want AccessDenied", err)
	}
	stop.Store(true)
	wg.Wait()

	var before, outage, settling, late int
	var lastSettling int64 = -1
	for c, calls := range outcomes {
		for _, o := range calls {
			switch {
			case o.err == nil:
			case o.end == phaseUp:
				before++
				t.Errorf("client %d: a call failed before the stop: %v", c, o.err)
			case o.start != phaseRestart:
				outage++
			case o.seq < settleCalls:
				settling++
				lastSettling = max(lastSettling, o.seq)
			default:
				late++
				t.Errorf("client %d: call %d after the start failed: %v", c, o.seq, o.err)
			}
		}
	}
	t.Logf("failed calls: %d before the stop, %d from the stop to the start, %d of the first %d after the start (the last was number %d), %d later; %d calls after the start",
		before, outage, settling, settleCalls, lastSettling, late, afterStart.Load())
}
