package integration_test

import (
	"flag"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
)

// The replay's flags, for whoever works on conformance: go test
// ./integration -run TestConformanceOdoo18 -update-conformance, or
// -conformance-show '^read\.' with -v.
var (
	updateConformance = flag.Bool("update-conformance", false,
		"rewrite "+pendingFile+" with the cases that differ in this run")
	showConformance = flag.String("conformance-show", "",
		"log request, expectation and answer of the cases whose id matches this regular expression")
)

// maxReported bounds the regressions reported in full per store.
const maxReported = 20

// TestConformanceOdoo18 replays the recorded Odoo 18 corpus against godoo on
// every store and compares each answer with Odoo's, after the corpus's
// normalisation: results, fault codes and texts, JSON-RPC error envelopes,
// the order of records and the key order of every dict. Differences are
// held to the ratchet of testdata/conformance (see conformance_ratchet_test.go).
func TestConformanceOdoo18(t *testing.T) {
	corp := loadCorpusOrSkip(t)
	exemptions, err := readDifferences(differencesFile)
	if err != nil {
		t.Fatal(err)
	}
	r := newRatchet(t, pendingFile, pendingHeader, exemptions)
	r.replayEachStore(t, corp, replayStore)
}

// replayEachStore replays corp with replay on every store and checks the
// outcomes against the ratchet, then rewrites it when asked to. The
// stores replay at the same time: each has its own database and server,
// and the corpus is only read.
func (r *ratchet) replayEachStore(t *testing.T, corp *corpus, replay func(*testing.T, *corpus, models.Store) []outcome) {
	t.Helper()
	itest.ForStores(t, func(t *testing.T, name string, store models.Store) {
		outcomes := replay(t, corp, store)
		t.Log(summary(name, corp, outcomes))
		r.check(t, name, outcomes)
	})
	r.finish(t)
}

// ratchet holds a replay's differing cases to a pending list, per store:
// a case outside the list that differs is a regression, a listed case that
// matches must leave the list (-update-conformance rewrites it), and
// -conformance-show logs the cases it names.
type ratchet struct {
	file, header string
	pending      pendingList
	exemptions   map[string][]exemption
	show         *regexp.Regexp
	mu           sync.Mutex // guards updated: the stores' replays check at the same time
	updated      pendingList
}

func newRatchet(t *testing.T, file, header string, exemptions map[string][]exemption) *ratchet {
	t.Helper()
	pending, err := readPending(file)
	if err != nil {
		t.Fatal(err)
	}
	r := &ratchet{file: file, header: header, pending: pending, exemptions: exemptions, updated: pendingList{}}
	if *showConformance != "" {
		if r.show, err = regexp.Compile(*showConformance); err != nil {
			t.Fatalf("-conformance-show: %v", err)
		}
	}
	for k, v := range pending {
		r.updated[k] = v
	}
	return r
}

// check compares one store's outcomes with the list.
func (r *ratchet) check(t *testing.T, store string, outcomes []outcome) {
	t.Helper()
	pending := r.pending[store]
	differing := map[string]bool{}
	var regressions []outcome
	var nowMatching []string
	for _, o := range outcomes {
		if r.show != nil && r.show.MatchString(o.c.ID) {
			t.Log(o.report())
		}
		if reason, ok := exempt(r.exemptions, store, o.c.ID); ok {
			if !o.matched() {
				t.Logf("%s differs on purpose: %s", o.c.ID, reason)
			}
			continue
		}
		switch {
		case o.matched() && pending[o.c.ID]:
			nowMatching = append(nowMatching, o.c.ID)
		case !o.matched():
			differing[o.c.ID] = true
			if !pending[o.c.ID] {
				regressions = append(regressions, o)
			}
		}
	}
	if *updateConformance {
		r.mu.Lock()
		r.updated[store] = differing
		r.mu.Unlock()
		return
	}
	for i, o := range regressions {
		if i == maxReported {
			var rest []string
			for _, reg := range regressions[i:] {
				rest = append(rest, reg.c.ID)
			}
			t.Errorf("%d more cases differ that %s does not list: %s", len(rest), r.file, strings.Join(rest, " "))
			break
		}
		t.Errorf("regression (not in %s): %s", r.file, o.report())
	}
	if len(nowMatching) > 0 {
		t.Errorf("remove %d now-matching cases from %s (or run with -update-conformance): %s",
			len(nowMatching), r.file, strings.Join(nowMatching, " "))
	}
}

// finish rewrites the list under -update-conformance.
func (r *ratchet) finish(t *testing.T) {
	t.Helper()
	if !*updateConformance {
		return
	}
	if err := writePending(r.file, r.header, r.updated); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", r.file)
}

// replayStore seeds a fresh database on store and replays every case in
// order.
func replayStore(t *testing.T, corp *corpus, store models.Store) []outcome {
	base, db := startConformanceServer(t, store)
	w := newWire(base, db)
	uid, ok := w.login("admin", confAdminPassword).(int64)
	if !ok {
		t.Fatal("admin cannot log in to the new database")
	}
	admin := adminSession{w: w, uid: uid, password: confAdminPassword}
	ids := newIDSpace()
	if err := loadXMLIDs(admin, ids); err != nil {
		t.Logf("godoo's xml ids cannot be read, so no @module.name resolves: %v", err)
	}
	fields := &godooFields{admin: admin, cache: map[string]map[string][2]string{}}
	if failed := seed(admin, corp.seed.records, ids); len(failed) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "%d of %d seed records failed; their symbols stay unbound:", len(failed), len(corp.seed.records))
		for _, f := range failed {
			b.WriteString("\n  " + f.String())
		}
		t.Log(b.String())
	}
	loadMaxIDs(admin, modelsOf(corp, fields.relations), ids)
	r := &replay{corpus: corp, ids: ids, fields: fields, db: db, uids: map[string]any{},
		answer: func(c *confCase, req *object) (answer, error) { return w.send(c, req, corp.seed.roles) }}
	if key, err := admin.kw("res.users.apikeys", "generate", []any{"rpc", "conformance", false}, nil); err != nil {
		t.Logf("no API key for admin, <apikey> stays unresolved: %v", err)
	} else if s, ok := key.(string); ok {
		r.apikey = s
	}
	// Each role logs in once, before the cases: over RPC for its uid, on
	// the web for its session.
	for _, role := range sortedKeys(corp.seed.roles) {
		u := corp.seed.roles[role]
		if r.uids[role] = w.login(u.login, u.password); r.uids[role] == nil {
			t.Logf("role %s (%s) cannot log in: its <uid> and web session stay unresolved", role, u.login)
			continue
		}
		if _, err := w.session(role, u, false); err != nil {
			t.Logf("role %s has no web session: %v", role, err)
		}
	}
	outcomes := make([]outcome, 0, len(corp.cases))
	for _, c := range corp.cases {
		outcomes = append(outcomes, r.run(c))
	}
	return outcomes
}
