package faults_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/godoo/godoo/integration/privatepg"
)

// TestReplica runs godoo serve with --db-replica-url in front of a real
// streaming replica (pg_basebackup -R of a private primary) and shows, on
// the primary's and the replica's own answers:
//   - reads are served by the replica: with its replay paused, a change
//     made on the primary is not seen, and it is once replay resumes;
//   - writes go to the primary, and the writer reads them at once
//     (read-your-writes) while the replica still lags, through the
//     instance that wrote and through another one;
//   - an API key revoked while the replica is paused is refused at the
//     next call, since credentials are read on the primary;
//   - read access taken away while the replica lags is refused once the
//     replica has replayed the change;
//   - with the replica stopped, reads go to the primary and /readyz says
//     so (200, status warn).
//
// The retry on the primary of a read-only call that writes is shown by
// services' TestReplicaRouting, which can declare such a method.
func TestReplica(t *testing.T) {
	pg := privatepg.Start(t)
	replica := privatepg.StartReplica(pg)
	const db = "replica"
	primaryOnly := store{name: "pg", args: []string{"--db-url", pg.DSN("postgres")}}
	createDB(t, primaryOnly, db)
	key := createKey(t, primaryOnly, db, "replica-test")

	withReplica := store{name: "pg", args: []string{"--db-url", pg.DSN("postgres"), "--db-replica-url", replica.DSN("postgres")}}
	p := serve(t, withReplica)
	// A second instance on the same primary and replica, for
	// read-your-writes across processes; its window is long enough that
	// no load on the machine makes the test outlast it.
	p2 := serve(t, store{name: "pg", args: append(withReplica.args, "--db-replica-read-your-writes", "600")})
	ctx := context.Background()
	client := newClient()
	prim, rep := privatepg.OpenDB(t, pg.DSN(db)), privatepg.OpenDB(t, replica.DSN(db))
	caughtUp := func() {
		t.Helper()
		var lsn string
		if err := prim.QueryRow("SELECT pg_current_wal_lsn()::text").Scan(&lsn); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(readyGuard)
		for {
			var done bool
			if err := rep.QueryRow("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", lsn).Scan(&done); err != nil {
				t.Fatal(err)
			}
			if done {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the replica did not replay %s within %s", lsn, readyGuard)
			}
			time.Sleep(pollEvery)
		}
	}
	exec := func(sqldb *sql.DB, q string) {
		t.Helper()
		if _, err := sqldb.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	kw := func(secret, model, method string, args []any, kwargs map[string]any) (any, error) {
		return call(ctx, client, p.base, "object", "execute_kw", db, 2, secret, model, method, args, kwargs)
	}
	nameOf := func(id int) string {
		t.Helper()
		res, err := kw(adminPassword, "res.partner", "read", []any{[]any{id}, []any{"name"}}, nil)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		return res.([]any)[0].(map[string]any)["name"].(string)
	}
	caughtUp()
	before := nameOf(1)

	// Reads come from the replica: paused, it does not see a change
	// committed on the primary behind godoo's back.
	exec(rep, "SELECT pg_wal_replay_pause()")
	exec(prim, "UPDATE res_partner SET name = 'Changed on the primary' WHERE id = 1")
	if got := nameOf(1); got != before {
		t.Errorf("with the replica paused, a read saw %q: it did not run on the replica", got)
	}
	exec(rep, "SELECT pg_wal_replay_resume()")
	caughtUp()
	if got := nameOf(1); got != "Changed on the primary" {
		t.Errorf("after replay, a read saw %q", got)
	}

	// Access taken away while the replica lags holds once it has replayed
	// the change (before admin writes through godoo, whose reads would
	// then stay on the primary): reads on the replica use no access cache, so rights read
	// from the lagging replica are never kept for the new generation.
	exec(rep, "SELECT pg_wal_replay_pause()")
	const partnerAccess = "FROM ir_model_access WHERE model_id = (SELECT id FROM ir_model WHERE model = 'res.partner')"
	exec(prim, "UPDATE ir_model_access SET perm_read = false WHERE id IN (SELECT id "+partnerAccess+")")
	// No godoo process made the change: wait until both have its notice.
	settled(t, prim)
	for range 3 {
		if _, err := kw(adminPassword, "res.partner", "read", []any{[]any{1}, []any{"name"}}, nil); err != nil {
			t.Fatalf("a read on the paused replica, which has not seen the access change: %v", err)
		}
	}
	exec(rep, "SELECT pg_wal_replay_resume()")
	caughtUp()
	if _, err := kw(adminPassword, "res.partner", "read", []any{[]any{1}, []any{"name"}}, nil); !isFault(err, "odoo.exceptions.AccessError") {
		t.Errorf("a read after the replica replayed the loss of read access = %v, want AccessError", err)
	}
	exec(prim, "UPDATE ir_model_access SET perm_read = true WHERE id IN (SELECT id "+partnerAccess+")")
	settled(t, prim)
	caughtUp()

	// Writes go to the primary, and the writer reads them at once.
	exec(rep, "SELECT pg_wal_replay_pause()")
	if _, err := kw(adminPassword, "res.partner", "create", []any{map[string]any{"name": "Written while paused"}}, nil); err != nil {
		t.Fatalf("create with the replica paused: %v", err)
	}
	n, err := kw(adminPassword, "res.partner", "search_count", []any{[]any{[]any{"name", "=", "Written while paused"}}}, nil)
	if err != nil || n != float64(1) {
		t.Errorf("read-your-writes: search_count = %v, %v; want 1", n, err)
	}
	// ... and so does the next call through another instance, which
	// learns from the primary that this user just wrote.
	n, err = call(ctx, client, p2.base, "object", "execute_kw", db, 2, adminPassword, "res.partner", "search_count",
		[]any{[]any{[]any{"name", "=", "Written while paused"}}}, nil)
	if err != nil || n != float64(1) {
		t.Errorf("read-your-writes through another instance: search_count = %v, %v; want 1", n, err)
	}
	var onReplica int
	if err := rep.QueryRow("SELECT count(*) FROM res_partner WHERE name = 'Written while paused'").Scan(&onReplica); err != nil || onReplica != 0 {
		t.Errorf("the paused replica has %d of the new partner (%v): the test does not show what it means to", onReplica, err)
	}

	// A key revoked while the replica lags is refused at the next call.
	if _, err := kw(key, "res.partner", "search_count", []any{[]any{}}, nil); err != nil {
		t.Fatalf("a call with the key: %v", err)
	}
	godoo(t, append([]string{"apikey", "revoke", "--name", "replica-test", "--db", db}, primaryOnly.args...)...)
	if _, err := kw(key, "res.partner", "search_count", []any{[]any{}}, nil); !isFault(err, "odoo.exceptions.AccessDenied") {
		t.Errorf("a call with the key revoked while the replica is paused = %v, want AccessDenied", err)
	}
	exec(rep, "SELECT pg_wal_replay_resume()")
	caughtUp()

	// With the replica stopped, reads go to the primary.
	replica.Stop()
	if got := nameOf(1); got != "Changed on the primary" {
		t.Errorf("with the replica stopped, a read saw %q", got)
	}
	resp, err := client.Get(p.base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"warn"`) || !strings.Contains(string(body), "replica") {
		t.Errorf("/readyz with the replica stopped = %d %s, want 200 with status warn naming the replica", resp.StatusCode, body)
	}
}

// createKey makes an API key named name for admin in database db of st
// with godoo apikey create, and returns it.
func createKey(t *testing.T, st store, db, name string) string {
	t.Helper()
	out := godooOn(t, st, "apikey", "create", "--user", "admin", "--name", name, "--db", db)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}
