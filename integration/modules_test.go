package integration_test

import (
	"encoding/json"
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godoo/godoo/integration/internal/itest"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

var updateModulesFieldsGet = flag.Bool("update-modules-fields-get", false,
	"rewrite testdata/fields_get_modules.txt with the differences TestModulesFieldsGetOdoo18 finds, keeping the reasons given")

// modulesDiffFile lists the known differences between godoo's fields_get
// with sale_management installed and the recorded Odoo's, as
// fieldsGetDiffFile does for base.
const modulesDiffFile = "testdata/fields_get_modules.txt"

// modulesCorpusDir is the recording of an Odoo 18 with business modules
// installed, beside the base one.
func modulesCorpusDir() string {
	return filepath.Join(filepath.Dir(corpusDir()), "odoo18-modules")
}

// installModule installs module over XML-RPC as the recorded clients do:
// its ir.module.module id, then button_immediate_install.
func installModule(t *testing.T, e *env, c caller, module string) (any, *faultInfo) {
	t.Helper()
	ids := e.mustKw(t, c, "ir.module.module", "search", []any{[]any{[]any{"name", "=", module}}}, nil).([]any)
	if len(ids) != 1 {
		t.Fatalf("ir.module.module %s: ids %v", module, ids)
	}
	return e.kw(t, c, "ir.module.module", "button_immediate_install", []any{ids}, nil)
}

// TestModulesFieldsGetOdoo18 installs contacts and sale_management (with
// the 51 modules they bring) into a database over XML-RPC, on both
// stores, and compares fields_get of all 370 models of the modules
// recording with Odoo's: every difference must be listed with its reason
// in modulesDiffFile. It also checks what ir.module.module then shows.
func TestModulesFieldsGetOdoo18(t *testing.T) {
	dir := modulesCorpusDir()
	var recorded []struct {
		Model string `json:"model"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "model", "ir_model.json"))
	if err != nil {
		t.Skipf("the modules recording is not at %s: %v", dir, err)
	}
	if err := json.Unmarshal(data, &recorded); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]map[string]any{}
	order := map[string][]string{}
	for _, m := range recorded {
		// The recording keeps the models whose fields_get the modules
		// change; the others are as the base recording has them.
		data, err := os.ReadFile(filepath.Join(dir, "model", "fields", m.Model+".json"))
		if os.IsNotExist(err) {
			data, err = os.ReadFile(filepath.Join(corpusDir(), "model", "fields", m.Model+".json"))
		}
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]map[string]any
		if err := json.Unmarshal(data, &fields); err != nil {
			t.Fatal(err)
		}
		want[m.Model] = fields
		order[m.Model] = objectKeys(t, data)
	}
	if len(want) != 370 {
		t.Fatalf("%d models recorded, want 370", len(want))
	}
	listed, err := readFieldsGetDiffs(modulesDiffFile)
	if err != nil {
		t.Fatal(err)
	}
	// The stores' subtests run at the same time: found is written under mu.
	var mu sync.Mutex
	found := map[string]map[string]bool{}
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, ie *itest.Env) {
		e := wrapEnv(ie)
		c := xmlCaller{e.srv.URL}
		start := time.Now()
		for _, m := range []string{"contacts", "sale_management"} {
			if res, f := installModule(t, e, c, m); f != nil {
				t.Fatalf("install %s: %+v", m, f)
			} else if act, _ := res.(map[string]any); act["type"] != "ir.actions.act_url" {
				t.Errorf("install %s answered %v", m, res)
			}
		}
		t.Logf("contacts and sale_management installed in %s (%s)", time.Since(start).Round(time.Millisecond), e.name)
		n := e.mustKw(t, c, "ir.module.module", "search_count", []any{[]any{[]any{"state", "=", "installed"}}}, nil)
		if n != int64(53) {
			t.Errorf("%v modules installed, want Odoo's 53", n)
		}
		mods := e.mustKw(t, c, "ir.module.module", "search_read", []any{[]any{[]any{"name", "in", []any{"sale", "crm"}}}},
			map[string]any{"fields": []any{"name", "state", "latest_version"}, "order": "name"}).([]any)
		// crm is listed as Odoo lists it, though godoo cannot install it.
		if len(mods) != 2 || mods[0].(map[string]any)["state"] != "uninstalled" || mods[0].(map[string]any)["latest_version"] != false ||
			mods[1].(map[string]any)["state"] != "installed" || mods[1].(map[string]any)["latest_version"] != "18.0.1.2" {
			t.Errorf("crm and sale after the install: %v", mods)
		}
		// A second install of an installed module changes nothing.
		if _, f := installModule(t, e, c, "sale"); f != nil {
			t.Errorf("installing sale again: %+v", f)
		}
		want, order := withGodooGroupIDs(t, e, want, order, false, corpusDir(), dir)
		diffs := compareFieldsGet(t, e, want, order)
		mu.Lock()
		found[e.name] = diffs
		mu.Unlock()
		if !*updateModulesFieldsGet {
			checkListedDiffs(t, diffs, listed, modulesDiffFile)
		}
	})
	if *updateModulesFieldsGet {
		all := map[string]string{}
		for _, diffs := range found {
			for d := range diffs {
				all[d] = listed[d]
			}
		}
		if err := writeFieldsGetDiffs(modulesDiffFile, "TestModulesFieldsGetOdoo18", all); err != nil {
			t.Fatal(err)
		}
	}
}

// TestModuleInstallRefusals: a module needing one the database does not
// list is refused with Odoo's error and nothing is installed; uninstalling
// is refused with Odoo's error for modules it keeps; a user who is not an
// administrator may not install.
func TestModuleInstallRefusals(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		// uom needs base only; make it need a module nobody has.
		ids := e.mustKw(t, c, "ir.module.module", "search", []any{[]any{[]any{"name", "=", "uom"}}}, nil).([]any)
		e.mustKw(t, c, "ir.module.module.dependency", "create", []any{map[string]any{"module_id": ids[0], "name": "x_nowhere"}}, nil)
		_, f := installModule(t, e, c, "uom")
		if f == nil || !strings.Contains(f.String, "You try to install module 'uom' that depends on module 'x_nowhere'.\nBut the latter module is not available in your system.") {
			t.Fatalf("install with a missing dependency: %+v", f)
		}
		// Through another module that needs it.
		_, f = installModule(t, e, c, "analytic")
		if f == nil || !strings.Contains(f.String, "You try to install module 'uom' that depends on module 'x_nowhere'.") {
			t.Errorf("install of a module needing it: %+v", f)
		}
		if n := e.mustKw(t, c, "ir.module.module", "search_count", []any{[]any{[]any{"state", "=", "installed"}}}, nil); n != int64(2) {
			t.Errorf("%v modules installed after the refusals, want base and web", n)
		}
		if _, f := e.kw(t, c, "uom.uom", "search", []any{[]any{}}, nil); f == nil {
			t.Errorf("uom.uom is served after a refused install")
		}
		_, f = installModule(t, e, c, "utm")
		if f != nil {
			t.Fatalf("install utm: %+v", f)
		}
		utm := e.mustKw(t, c, "ir.module.module", "search", []any{[]any{[]any{"name", "=", "utm"}}}, nil).([]any)
		_, f = e.kw(t, c, "ir.module.module", "button_immediate_uninstall", []any{utm}, nil)
		if f == nil || !strings.Contains(f.String, "Those modules cannot be uninstalled: utm") {
			t.Errorf("uninstall: %+v", f)
		}
		crm := e.mustKw(t, c, "ir.module.module", "search", []any{[]any{[]any{"name", "=", "mail"}}}, nil).([]any)
		_, f = e.kw(t, c, "ir.module.module", "button_immediate_uninstall", []any{crm}, nil)
		if f == nil || !strings.Contains(f.String, "One or more of the selected modules have already been uninstalled") {
			t.Errorf("uninstall of a module not installed: %+v", f)
		}
		_, f = c.call(t, "object", "execute_kw", e.db, authLogin(t, c, e.db, "demo", "demo"), "demo", "ir.module.module", "button_immediate_install", []any{crm})
		if f == nil {
			t.Errorf("a user who is not an administrator installed a module")
		}
	})
}

// TestModuleInstallSeenByOtherServices: services that already serve a
// database (another godoo process) serve the models of a module installed
// through other services at their next call.
func TestModuleInstallSeenByOtherServices(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		other := newSet(e.store, services.Config{MasterPassword: masterPassword})
		h := godoorpc.NewHandler(other, godoorpc.Options{})
		h.SetReady(true)
		srv := httptest.NewServer(h)
		defer srv.Close()
		b := xmlCaller{srv.URL}
		if _, f := e.kw(t, b, "uom.uom", "search_count", []any{[]any{}}, nil); f == nil {
			t.Fatal("uom.uom is served before uom is installed")
		}
		if _, f := installModule(t, e, xmlCaller{e.srv.URL}, "uom"); f != nil {
			t.Fatalf("install uom: %+v", f)
		}
		id := e.mustKw(t, b, "uom.category", "create", []any{map[string]any{"name": "Length"}}, nil)
		got := e.mustKw(t, b, "uom.category", "read", []any{[]any{id}, []any{"name"}}, nil).([]any)
		if got[0].(map[string]any)["name"] != "Length" {
			t.Errorf("uom.category read through the other services: %v", got)
		}
		fields := e.mustKw(t, b, "res.partner", "fields_get", []any{[]any{"name"}}, nil).(map[string]any)
		if len(fields) != 1 {
			t.Errorf("res.partner fields_get: %v", fields)
		}
	})
}
