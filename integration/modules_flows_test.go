package integration_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/services"
)

// flowsPendingFile is the ratchet of TestModulesFlowsOdoo18, kept as
// pendingFile is: the flow's cases godoo does not answer as Odoo yet.
const flowsPendingFile = "testdata/modules/flows_pending.txt"

const flowsPendingHeader = `# The cases of the recorded Odoo 18 modules flow (odoo18-modules/flows.json)
# that godoo does not answer as Odoo yet, per store. TestModulesFlowsOdoo18
# fails when a case not listed here differs and when a listed case matches:
# remove it, the list only shrinks. Regenerate after a fix with
#   go test ./integration -run TestModulesFlowsOdoo18 -update-conformance
`

// flowModules are the modules the flow's database was recorded with.
var flowModules = []string{"contacts", "sale_management"}

// TestModulesFlowsOdoo18 replays the flow recorded on an Odoo 18 with
// sale_management installed (a partner and its chatter, products, a sales
// order through its states, an attachment, uom, ir.cron and module reads)
// in order over XML-RPC on a fresh such database of each store, normalises
// each answer as the recording's README says and compares it exactly
// (results, faults, key order), against the ratchet of flowsPendingFile.
// The flags are TestConformanceOdoo18's.
func TestModulesFlowsOdoo18(t *testing.T) {
	corp := loadFlowsOrSkip(t)
	r := newRatchet(t, flowsPendingFile, flowsPendingHeader, nil)
	r.replayEachStore(t, corp, replayFlows)
}

// loadFlowsOrSkip reads flows.json as a corpus of one area whose cases
// all run as admin, or skips where the recording is absent.
func loadFlowsOrSkip(t *testing.T) *corpus {
	t.Helper()
	path := filepath.Join(modulesCorpusDir(), "flows.json")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("the modules recording is not at %s: %v", modulesCorpusDir(), err)
	}
	cases, err := loadCases(path, "flows")
	if err != nil {
		t.Fatal(err)
	}
	c := &corpus{dir: modulesCorpusDir(), total: len(cases), areas: []string{"flows"}, cases: cases,
		seed: seedData{roles: map[string]roleUser{"admin": {login: "admin", password: adminPassword}}}}
	c.addCaseSymbols()
	return c
}

// replayFlows makes a database with the flow's modules (a copy of the
// run's template for them) on store and replays the flow in order.
func replayFlows(t *testing.T, corp *corpus, store models.Store) []outcome {
	t.Helper()
	// The server's clock is the replay's, so that dates near "today" map
	// to <today> even across midnight.
	today := time.Now().UTC()
	// Odoo keeps attachments in its filestore, where the recording's
	// store_fname points.
	set := newSet(store, services.Config{MasterPassword: masterPassword, Now: func() time.Time { return today },
		FilestoreDir: t.TempDir()})
	db := uniqueName("flows_")
	ctx := context.Background()
	copied := createFromModulesTemplate(t, store, set, db, false, flowModules)
	if !copied {
		if err := set.Database.Create(ctx, db, services.CreateOptions{AdminLogin: "admin", AdminPassword: adminPassword,
			Modules: flowModules}); err != nil {
			t.Fatalf("create database: %v", err)
		}
	}
	itest.DropWhenDone(t, store, set, db, copied)
	srv := serveReplay(t, set)
	w := newWire(srv.URL, db)
	uid, ok := w.login("admin", adminPassword).(int64)
	if !ok {
		t.Fatal("admin cannot log in to the new database")
	}
	admin := adminSession{w: w, uid: uid, password: adminPassword}
	ids := newIDSpace()
	if err := loadXMLIDs(admin, ids); err != nil {
		t.Fatalf("godoo's xml ids cannot be read: %v", err)
	}
	fields := &godooFields{admin: admin, cache: map[string]map[string][2]string{}}
	loadMaxIDs(admin, modelsOf(corp, fields.relations), ids)
	r := &replay{corpus: corp, ids: ids, fields: fields, db: db, uids: map[string]any{"admin": uid},
		today:  today,
		answer: func(c *confCase, req *object) (answer, error) { return w.send(c, req, corp.seed.roles) }}
	outcomes := make([]outcome, 0, len(corp.cases))
	for _, c := range corp.cases {
		outcomes = append(outcomes, r.run(c))
	}
	return outcomes
}
