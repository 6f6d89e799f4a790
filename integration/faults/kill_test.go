package faults_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	_ "modernc.org/sqlite" // the test checks the SQLite file itself
)

// Load of the kill test: killClients stream creates until killAfter of
// them were acknowledged in all, then the process is killed; no client
// makes more than maxCreates calls.
const (
	killClients = 4
	killAfter   = 40
	maxCreates  = 2000
)

// sent is what one client sent: the names it created, with the id of those
// acknowledged, and the one whose answer never came.
type sent struct {
	acked    map[string]int64
	inFlight string
	err      error // a failure that is not the kill: the test fails
}

// TestKillDuringWrites: godoo serve is killed (SIGKILL) while clients
// stream creates; after a restart, every acknowledged record is there, with
// everything its call wrote, and nothing else is, not even in part. Each
// create writes a company and two contacts in one call, so a half-written
// call would show as a company without its contacts, or contacts without
// their company.
func TestKillDuringWrites(t *testing.T) {
	eachStore(t, func(t *testing.T, st store) {
		const db = "faults"
		createDB(t, st, db)
		p := serve(t, st)

		ctx := context.Background()
		results := make([]sent, killClients)
		acked := make(chan struct{}, killClients*maxCreates)
		var wg sync.WaitGroup
		for c := range results {
			wg.Add(1)
			go func(c int, out *sent) {
				defer wg.Done()
				out.acked = map[string]int64{}
				client := newClient()
				defer client.CloseIdleConnections()
				for i := range maxCreates {
					name := fmt.Sprintf("kill %d-%d", c, i)
					v, err := kw(ctx, client, p.base, db, adminPassword, "res.partner", "create", []any{company(name)}, nil)
					if err != nil {
						if isAnswer(err) {
							out.err = err
						} else {
							out.inFlight = name // no answer: the kill came first
						}
						return
					}
					created, ok := id(v)
					if !ok {
						out.err = fmt.Errorf("create answered %#v", v)
						return
					}
					out.acked[name] = created
					acked <- struct{}{}
				}
			}(c, &results[c])
		}
		// Kill once killAfter creates were acknowledged, or when every
		// client has stopped (at its first failure) before that: the
		// checks below then say why.
		stopped := make(chan struct{})
		go func() { wg.Wait(); close(stopped) }()
	wait:
		for n := 0; n < killAfter; n++ {
			select {
			case <-acked:
			case <-stopped:
				break wait
			}
		}
		state := p.signal(syscall.SIGKILL)
		<-stopped
		if ws, ok := state.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("godoo serve ended with %v, not by the kill", state)
		}
		ackedNames, inFlight := map[string]int64{}, map[string]bool{}
		for c, r := range results {
			if r.err != nil {
				t.Fatalf("client %d failed before the kill: %v", c, r.err)
			}
			for n, id := range r.acked {
				ackedNames[n] = id
			}
			if r.inFlight != "" {
				inFlight[r.inFlight] = true
			}
		}
		if len(ackedNames) < killAfter {
			t.Fatalf("%d creates acknowledged before the kill, want at least %d", len(ackedNames), killAfter)
		}
		if st.dir != "" {
			checkSQLite(t, filepath.Join(st.dir, "db", db+".sqlite"))
		}

		p = serve(t, st)
		found := companies(t, p, db)
		for name, id := range ackedNames {
			r, ok := found[name]
			switch {
			case !ok:
				t.Errorf("acknowledged %q (id %d) is missing after the restart", name, id)
			case r.id != id:
				t.Errorf("acknowledged %q had id %d, the restarted server has %d", name, id, r.id)
			}
		}
		lost := 0
		for name, r := range found {
			if _, ok := ackedNames[name]; !ok && !inFlight[name] {
				t.Errorf("%q exists, but no client sent it", name)
			}
			if len(r.contacts) != 2 || r.contacts[0] != name+" / a" || r.contacts[1] != name+" / b" {
				t.Errorf("%q is half-written: its contacts are %q", name, r.contacts)
			}
			if r.orphan {
				t.Errorf("%q: a contact without its company", name)
			}
		}
		for name := range inFlight {
			if _, ok := found[name]; !ok {
				lost++
			}
		}
		t.Logf("%s: %d creates acknowledged; of %d without answer, %d were committed and %d not",
			st.name, len(ackedNames), len(inFlight), len(inFlight)-lost, lost)

		// The restarted server writes as before.
		v, err := kw(ctx, newClient(), p.base, db, adminPassword, "res.partner", "create", []any{company("kill after")}, nil)
		if _, ok := id(v); err != nil || !ok {
			t.Errorf("create after the restart: %v, %v", v, err)
		}
		if state := p.signal(syscall.SIGTERM); !state.Success() {
			t.Errorf("the restarted server ended with %v", state)
		}
	})
}

// company is the values of a create that writes three records: a company
// and two contacts.
func company(name string) map[string]any {
	return map[string]any{"name": name, "is_company": true, "email": "kill@example.com",
		"child_ids": []any{
			[]any{0, 0, map[string]any{"name": name + " / a"}},
			[]any{0, 0, map[string]any{"name": name + " / b"}},
		}}
}

// written is a company as the restarted server has it.
type written struct {
	id       int64
	contacts []string // names, sorted
	orphan   bool     // a contact of this name's company has no parent
}

// companies reads every record the kill test made, by company name.
func companies(t *testing.T, p *proc, db string) map[string]*written {
	t.Helper()
	v, err := kw(context.Background(), newClient(), p.base, db, adminPassword, "res.partner", "search_read",
		[]any{[]any{[]any{"name", "=like", "kill %"}}},
		map[string]any{"fields": []any{"name", "is_company", "parent_id"}, "order": "name, id", "context": map[string]any{"active_test": false}})
	if err != nil {
		t.Fatalf("search_read after the restart: %v", err)
	}
	rows, _ := v.([]any)
	out := map[string]*written{}
	byID := map[int64]string{}
	for _, row := range rows {
		r := row.(map[string]any)
		if r["is_company"] == true {
			name := r["name"].(string)
			if out[name] != nil {
				t.Errorf("%q was written twice", name)
			}
			n, _ := id(r["id"])
			out[name] = &written{id: n}
			byID[n] = name
		}
	}
	for _, row := range rows {
		r := row.(map[string]any)
		if r["is_company"] == true {
			continue
		}
		name := r["name"].(string)
		parent, _ := r["parent_id"].([]any)
		company, _, _ := strings.Cut(name, " / ")
		var pid int64
		if len(parent) > 0 {
			pid, _ = id(parent[0])
		}
		if pid == 0 || byID[pid] != company {
			if out[company] == nil {
				out[company] = &written{}
			}
			out[company].orphan = true
			continue
		}
		out[company].contacts = append(out[company].contacts, name)
	}
	return out
}

// checkSQLite runs SQLite's own check of a database file that a killed
// process was writing.
func checkSQLite(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var verdict string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&verdict); err != nil || verdict != "ok" {
		t.Errorf("integrity_check of %s after the kill: %q, %v", path, verdict, err)
	}
}
