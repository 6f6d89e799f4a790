package faults_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/godoo/godoo/integration/privatepg"
)

// Load of TestPgBouncer: clients per instance, and the rounds of calls
// each makes.
const (
	bouncerInstances = 3
	bouncerClients   = 2
	bouncerRounds    = 15
	// bouncerPool is PgBouncer's server connections per database: fewer
	// than the instances' pools, so that every server connection serves
	// the transactions of several clients in turn.
	bouncerPool = 3
)

// TestPgBouncer runs 3 godoo serve instances on one database through
// PgBouncer in transaction pooling mode, each with --db-listen-url
// straight to the server for its LISTEN feed. Clients spread over the
// instances create, write, read, search and delete at once, and none
// sees an error: nothing of godoo's relies on a session surviving from
// one transaction to the next (statements with parameters go in one
// exchange, locks are taken per transaction, LISTEN goes around the
// pooler). A key revoked through the pooler is then refused by every
// instance at its next call, which shows each feed is up.
func TestPgBouncer(t *testing.T) {
	pg := privatepg.Start(t)
	bouncer := privatepg.StartPgBouncer(pg, bouncerPool)
	const db = "bouncer"
	// The command line goes through the pooler alone: it does not LISTEN
	// (only serve does, on its own direct connection, since a pooler in
	// transaction mode cannot carry LISTEN, and PgBouncer fails on notices
	// that reach a connection no client holds).
	through := store{name: "pg", args: []string{"--db-url", bouncer.DSN("postgres")}}
	createDB(t, through, db)
	key := createKey(t, through, db, "bouncer-test")

	var procs []*proc
	for range bouncerInstances {
		procs = append(procs, serve(t, store{name: "pg", args: []string{"--db-url", bouncer.DSN("postgres"),
			"--db-listen-url", pg.DSN("postgres")}}))
	}
	ctx := context.Background()

	var wg sync.WaitGroup
	errs := make(chan error, bouncerInstances*bouncerClients*bouncerRounds)
	for i, p := range procs {
		for c := range bouncerClients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := newClient()
				do := func(method string, args []any, kwargs map[string]any) (any, error) {
					return call(ctx, client, p.base, "object", "execute_kw", db, 2, adminPassword, "res.partner", method, args, kwargs)
				}
				for r := range bouncerRounds {
					name := fmt.Sprintf("bouncer %d-%d-%d", i, c, r)
					id, err := do("create", []any{map[string]any{"name": name}}, nil)
					if err != nil {
						errs <- fmt.Errorf("create on instance %d: %w", i, err)
						return
					}
					steps := []struct {
						method string
						args   []any
						kwargs map[string]any
					}{
						{"write", []any{[]any{id}, map[string]any{"email": name + "@example.com"}}, nil},
						{"read", []any{[]any{id}, []any{"name", "email"}}, nil},
						{"search_read", []any{[]any{[]any{"name", "=", name}}}, map[string]any{"fields": []any{"email"}}},
						{"search_count", []any{[]any{[]any{"name", "like", "bouncer"}}}, nil},
						{"unlink", []any{[]any{id}}, nil},
					}
					for _, s := range steps {
						if _, err := do(s.method, s.args, s.kwargs); err != nil {
							errs <- fmt.Errorf("%s on instance %d: %w", s.method, i, err)
							return
						}
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	for i, p := range procs {
		if _, err := call(ctx, newClient(), p.base, "object", "execute_kw", db, 2, key, "res.partner", "search_count", []any{[]any{}}, nil); err != nil {
			t.Fatalf("a call with the key on instance %d: %v", i, err)
		}
	}
	godooOn(t, through, "apikey", "revoke", "--name", "bouncer-test", "--db", db)
	for i, p := range procs {
		if _, err := call(ctx, newClient(), p.base, "object", "execute_kw", db, 2, key, "res.partner", "search_count", []any{[]any{}}, nil); !isFault(err, "odoo.exceptions.AccessDenied") {
			t.Errorf("a call with the revoked key on instance %d = %v, want AccessDenied", i, err)
		}
	}
	if t.Failed() {
		t.Logf("pgbouncer's log:\n%s", bouncer.Log())
	}
}
