package integration_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

var updateFieldsGet = flag.Bool("update-fields-get", false,
	"rewrite testdata/fields_get_odoo18.txt with the differences TestFieldsGetOdoo18 finds, keeping the reasons given")

// fieldsGetDiffFile lists every known difference between godoo's fields_get
// and the recorded Odoo 18 one, one a line: "model field attribute", then
// " -- " and why godoo differs. The list only shrinks.
const fieldsGetDiffFile = "testdata/fields_get_odoo18.txt"

// unexplained is the reason -update-fields-get writes for a new
// difference, for its author to replace: the test refuses it.
const unexplained = "not explained yet"

// TestFieldsGetOdoo18 compares, on both stores, godoo's fields_get of every
// model of the recording (model/fields/<model>.json: every attribute but
// help) with Odoo's, as an administrator over JSON-RPC: fields, their
// attributes and values, and the order of both on the wire (fields in
// Odoo's order, attributes by name). Every difference must be listed in
// fieldsGetDiffFile with its reason, and every listed one must still be a
// difference, so that the list only shrinks.
func TestFieldsGetOdoo18(t *testing.T) {
	dir := filepath.Join(corpusDir(), "model")
	var recorded []struct {
		Model string `json:"model"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "ir_model.json"))
	if err != nil {
		t.Skipf("the Odoo 18 recording is not at %s (set GODOO_CONFORMANCE_DIR to its folder): %v", dir, err)
	}
	if err := json.Unmarshal(data, &recorded); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]map[string]any{}
	for _, m := range recorded {
		var fields map[string]map[string]any
		data, err := os.ReadFile(filepath.Join(dir, "fields", m.Model+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &fields); err != nil {
			t.Fatal(err)
		}
		want[m.Model] = fields
	}
	order := map[string][]string{} // the recorded order of each model's fields
	for _, m := range recorded {
		data, err := os.ReadFile(filepath.Join(dir, "fields", m.Model+".json"))
		if err != nil {
			t.Fatal(err)
		}
		order[m.Model] = objectKeys(t, data)
	}
	listed, err := readFieldsGetDiffs(fieldsGetDiffFile)
	if err != nil {
		t.Fatal(err)
	}
	// The stores' subtests run at the same time: found is written under mu.
	var mu sync.Mutex
	found := map[string]map[string]bool{}
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		want, order := withGodooGroupIDs(t, e, want, order, true, corpusDir())
		diffs := compareFieldsGet(t, e, want, order)
		mu.Lock()
		found[e.name] = diffs
		mu.Unlock()
		if !*updateFieldsGet {
			checkListedDiffs(t, diffs, listed, fieldsGetDiffFile)
		}
	})
	if *updateFieldsGet {
		all := map[string]string{}
		for _, diffs := range found {
			for d := range diffs {
				all[d] = listed[d]
			}
		}
		if err := writeFieldsGetDiffs(fieldsGetDiffFile, "TestFieldsGetOdoo18", all); err != nil {
			t.Fatal(err)
		}
	}
}

// compareFieldsGet compares e's fields_get of every model of want (as
// administrator over JSON-RPC) with want, and returns the differences:
// "model field attribute", "model field godoo-only", "model * fault". The
// fields common to both must come in order's order.
func compareFieldsGet(t *testing.T, e *env, want map[string]map[string]map[string]any, order map[string][]string) map[string]bool {
	c := jsonCaller{e.srv.URL}
	diffs := map[string]bool{}
	models, fields, matchModels, matchFields := 0, 0, 0, 0
	for _, name := range sortedKeys(want) {
		models++
		got := map[string]any{}
		v, f := e.kw(t, c, name, "fields_get", []any{}, nil)
		if f != nil {
			diffs[name+" * fault"] = true
		} else {
			got = v.(map[string]any)
		}
		if name == "ir.filters" {
			withoutUnrecordedModels(got, "model_id", want)
		}
		modelDiffs := 0
		for _, field := range sortedKeys(want[name]) {
			fields++
			d := fieldDiffs(want[name][field], got[field])
			for _, attr := range d {
				diffs[name+" "+field+" "+attr] = true
			}
			if len(d) == 0 {
				matchFields++
			}
			modelDiffs += len(d)
		}
		for field := range got {
			if want[name][field] == nil {
				diffs[name+" "+field+" godoo-only"] = true
				modelDiffs++
			}
		}
		if modelDiffs == 0 && f == nil {
			matchModels++
		}
		if f == nil {
			checkFieldsGetOrder(t, e, name, order[name])
		}
	}
	t.Logf("fields_get: %d of %d models match, %d of %d fields match (%s)", matchModels, models, matchFields, fields, e.name)
	return diffs
}

// withoutUnrecordedModels leaves out of the selection field of got,
// whose values are the models of godoo's registry (Odoo's
// _list_all_models: ir.filters' model_id), the models the recording has
// not: godoo's own (auth_api_key's, the tests' test.rpc). The fields of
// the recorded models only are compared.
func withoutUnrecordedModels(got map[string]any, field string, want map[string]map[string]map[string]any) {
	desc, _ := got[field].(map[string]any)
	sel, ok := desc["selection"].([]any)
	if !ok {
		return
	}
	kept := []any{}
	for _, o := range sel {
		if pair, ok := o.([]any); ok && len(pair) == 2 {
			if m, ok := pair[0].(string); ok && want[m] == nil {
				continue
			}
		}
		kept = append(kept, o)
	}
	c := make(map[string]any, len(desc))
	for k, v := range desc {
		c[k] = v
	}
	c["selection"] = kept
	got[field] = c
}

// checkListedDiffs fails for every difference file does not list with a
// reason, and for every listed one that is no longer found.
func checkListedDiffs(t *testing.T, diffs map[string]bool, listed map[string]string, file string) {
	t.Helper()
	for _, d := range sortedKeys(diffs) {
		if reason, ok := listed[d]; !ok {
			t.Errorf("%s differs from Odoo 18 and %s does not list it", d, file)
		} else if reason == unexplained {
			t.Errorf("%s: %s gives no reason for it", d, file)
		}
	}
	for _, d := range sortedKeys(listed) {
		if !diffs[d] {
			t.Errorf("%s now matches Odoo 18: remove it from %s", d, file)
		}
	}
}

// checkFieldsGetOrder checks the order of fields_get's answer on the wire:
// the fields common to godoo and Odoo in Odoo's order, and each field's
// attributes by name, as Odoo writes them.
func checkFieldsGetOrder(t *testing.T, e *env, model string, want []string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1, "params": map[string]any{
		"service": "object", "method": "execute_kw", "args": []any{e.db, 2, adminPassword, model, "fields_get", []any{}}}})
	resp := postJSON(t, e.srv.URL+"/jsonrpc", body)
	var envelope struct{ Result json.RawMessage }
	if err := json.Unmarshal(resp.body, &envelope); err != nil {
		t.Fatal(err)
	}
	got := objectKeys(t, envelope.Result)
	if common(got, want) != common(want, got) {
		t.Errorf("%s: fields_get's fields are in the order %v, Odoo's %v", model, got, want)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(envelope.Result, &fields); err != nil {
		t.Fatal(err)
	}
	for name, desc := range fields {
		if attrs := objectKeys(t, desc); !sort.StringsAreSorted(attrs) {
			t.Errorf("%s.%s: attributes in the order %v, not by name", model, name, attrs)
		}
	}
}

// common is the names of a that b has too, in a's order, as one string.
func common(a, b []string) string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return strings.Join(out, " ")
}

// objectKeys is the keys of a JSON object, in their order.
func objectKeys(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %.80s", data)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// fieldDiffs names the attributes of a field (or "missing" for the whole
// field) in which got differs from want; help is not compared.
func fieldDiffs(want map[string]any, got any) []string {
	g, ok := got.(map[string]any)
	if !ok {
		return []string{"missing"}
	}
	var out []string
	for _, k := range sortedKeys(want) {
		if k == "help" {
			continue
		}
		if gv, ok := g[k]; !ok {
			out = append(out, k+":missing")
		} else if !reflect.DeepEqual(jsonValue(gv), want[k]) {
			out = append(out, k)
		}
	}
	for _, k := range sortedKeys(g) {
		if _, ok := want[k]; !ok && k != "help" {
			out = append(out, k+":godoo-only")
		}
	}
	return out
}

// jsonValue is v as JSON decodes it, so that numbers compare as the
// recording's do.
func jsonValue(v any) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal(b, &out)
	return out
}

// readFieldsGetDiffs reads the listed differences with their reasons.
func readFieldsGetDiffs(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return map[string]string{}, nil
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		diff, reason, ok := strings.Cut(line, " -- ")
		if !ok || strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s: %q gives no reason after \" -- \"", path, line)
		}
		out[diff] = reason
	}
	return out, sc.Err()
}

// writeFieldsGetDiffs writes the differences, sorted, with their reasons;
// a new one gets a reason to replace.
func writeFieldsGetDiffs(path, test string, diffs map[string]string) error {
	var b strings.Builder
	b.WriteString("# Differences between godoo's fields_get and Odoo 18's (" + test + "): model field attribute -- reason.\n")
	for _, d := range sortedKeys(diffs) {
		reason := diffs[d]
		if reason == "" {
			reason = unexplained
		}
		b.WriteString(d + " -- " + reason + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
