package integration_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestReferenceDataOdoo18 compares, on both stores, the reference data of a
// new database with the recording's (model/data/*.json, res_groups.json,
// ir_rule.json): every recorded record is there under its external id, no
// other, with Odoo's values of the facts it carries; groups have Odoo's
// categories; db.list_lang lists Odoo's 92 languages. A few values are
// also checked literally, so that a recording read wrongly cannot hide a
// wrong install.
func TestReferenceDataOdoo18(t *testing.T) {
	dir := filepath.Join(corpusDir(), "model")
	if _, err := os.Stat(filepath.Join(dir, "data")); err != nil {
		t.Skipf("the Odoo 18 recording is not at %s (set GODOO_CONFORMANCE_DIR to its folder): %v", dir, err)
	}
	cases := []struct {
		model  string
		fields []string // compared as recorded; many2one by their display name
		count  int      // the recording's count, checked literally
	}{
		{"res.currency", []string{"name", "full_name", "symbol", "position", "rounding", "decimal_places", "active",
			"currency_unit_label", "currency_subunit_label", "iso_numeric"}, 169},
		{"res.country", []string{"name", "code", "phone_code", "address_format", "vat_label", "zip_required",
			"state_required", "name_position"}, 250},
		{"res.country.group", []string{"name"}, 6},
		{"res.country.state", []string{"name", "code"}, 1776},
		{"res.lang", []string{"name", "code", "iso_code", "url_code", "active", "direction", "date_format",
			"time_format", "week_start", "grouping", "decimal_point", "thousands_sep"}, 92},
		{"res.partner.title", []string{"name", "shortcut"}, 5},
		{"res.partner.industry", []string{"name", "full_name", "active"}, 21},
		{"res.bank", []string{"name", "bic"}, 1},
		{"ir.module.category", []string{"name", "parent_id", "sequence", "visible", "exclusive"}, 34},
	}
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		all := map[string]any{"context": map[string]any{"active_test": false}}
		byXMLID := map[string]map[string]map[string]any{} // model -> xml id -> values
		for _, tc := range cases {
			var recorded []map[string]any
			readRecording(t, filepath.Join(dir, "data", tc.model+".json"), &recorded)
			for i, r := range recorded {
				recorded[i] = normalize(r).(map[string]any) // numbers as the JSON-RPC client reads them
			}
			if len(recorded) != tc.count {
				t.Fatalf("the recording has %d %s, want %d", len(recorded), tc.model, tc.count)
			}
			got := e.recordsByXMLID(t, c, tc.model, tc.fields, all)
			byXMLID[tc.model] = got
			if n := e.count(t, tc.model, []any{}); n != int64(tc.count) {
				t.Errorf("%s: %d records, want %d", tc.model, n, tc.count)
			}
			for _, rec := range recorded {
				x, _ := rec["xmlid"].(string)
				if x == "" {
					x = strings.TrimPrefix(fmt.Sprint(rec["id"]), "@")
				}
				vals, ok := got[x]
				if !ok {
					t.Errorf("%s: no record %s", tc.model, x)
					continue
				}
				for _, f := range tc.fields {
					want, have := rec[f], vals[f]
					if pair, ok := want.([]any); ok && len(pair) == 2 {
						want = pair[1]
					}
					if pair, ok := have.([]any); ok && len(pair) == 2 {
						have = pair[1]
					}
					if !reflect.DeepEqual(have, want) {
						t.Errorf("%s %s.%s = %#v, want %#v", tc.model, x, f, have, want)
					}
				}
			}
		}
		// The recording names a country's currency and a state's country
		// by their codes.
		var countries []map[string]any
		readRecording(t, filepath.Join(dir, "data", "res.country.json"), &countries)
		gotCountries := e.recordsByXMLID(t, c, "res.country", []string{"currency_id", "country_group_ids", "state_ids"}, all)
		for _, rec := range countries {
			x := rec["xmlid"].(string)
			if cur, ok := gotCountries[x]["currency_id"].([]any); !ok || cur[1] != rec["currency"] {
				t.Errorf("res.country %s.currency_id = %v, want %v", x, gotCountries[x]["currency_id"], rec["currency"])
			}
			if n := len(gotCountries[x]["state_ids"].([]any)); n != len(rec["states"].([]any)) {
				t.Errorf("res.country %s has %d states, want %d", x, n, len(rec["states"].([]any)))
			}
			if n := len(gotCountries[x]["country_group_ids"].([]any)); n != len(rec["country_groups"].([]any)) {
				t.Errorf("res.country %s is in %d groups, want %d", x, n, len(rec["country_groups"].([]any)))
			}
		}
		// Literal facts.
		for _, s := range []struct {
			model, xmlid, field string
			want                any
		}{
			{"res.country", "base.be", "phone_code", int64(32)},
			{"res.country", "base.us", "state_required", true},
			{"res.currency", "base.EUR", "symbol", "€"},
			{"res.currency", "base.USD", "active", true},
			{"res.currency", "base.EUR", "active", false},
			{"res.currency", "base.JPY", "decimal_places", int64(0)},
			{"res.country.state", "base.state_us_5", "name", "California"},
			{"res.lang", "base.lang_en", "active", true},
			{"res.lang", "base.lang_fr", "active", false},
			{"res.partner.title", "base.res_partner_title_mister", "shortcut", "Mr."},
		} {
			if have := byXMLID[s.model][s.xmlid][s.field]; !reflect.DeepEqual(have, s.want) {
				t.Errorf("%s %s.%s = %#v, want %#v", s.model, s.xmlid, s.field, have, s.want)
			}
		}
		// Display names that name another reference record, as Odoo 18's.
		for _, d := range []struct{ model, xmlid, want string }{
			{"res.country.state", "base.state_us_5", "California (US)"},
			{"res.groups", "base.group_system", "Administration / Settings"},
			{"res.groups", "base.group_sanitize_override", "Bypass HTML Field Sanitize"},
		} {
			got := e.recordsByXMLID(t, c, d.model, []string{"display_name"}, nil)
			equal(t, d.xmlid+" display_name", got[d.xmlid]["display_name"], d.want)
		}
		e.checkGroupCategories(t, c, dir)
		e.checkFieldXMLIDs(t, c, dir)
		e.checkUIRecords(t, c, dir)
		checkListLang(t, e, dir)
	})
}

// recordsByXMLID reads every record of model that has an external id of
// base, by that id.
func (e *env) recordsByXMLID(t *testing.T, c caller, model string, fields []string, kwargs map[string]any) map[string]map[string]any {
	t.Helper()
	data := e.mustKw(t, c, "ir.model.data", "search_read", []any{[]any{[]any{"module", "=", "base"}, []any{"model", "=", model}}},
		map[string]any{"fields": []any{"name", "res_id"}}).([]any)
	names := map[int64]string{}
	for _, d := range data {
		row := d.(map[string]any)
		names[row["res_id"].(int64)] = "base." + row["name"].(string)
	}
	list := make([]any, len(fields))
	for i, f := range fields {
		list[i] = f
	}
	kw := map[string]any{"fields": list}
	for k, v := range kwargs {
		kw[k] = v
	}
	out := map[string]map[string]any{}
	for _, r := range e.mustKw(t, c, model, "search_read", []any{[]any{}}, kw).([]any) {
		row := r.(map[string]any)
		if x, ok := names[row["id"].(int64)]; ok {
			out[x] = row
		}
	}
	return out
}

// checkGroupCategories checks each group's category against
// res_groups.json.
func (e *env) checkGroupCategories(t *testing.T, c caller, dir string) {
	t.Helper()
	var groups []struct {
		XMLID        string  `json:"xmlid"`
		CategoryName *string `json:"category_name"`
	}
	readRecording(t, filepath.Join(dir, "res_groups.json"), &groups)
	got := e.recordsByXMLID(t, c, "res.groups", []string{"category_id"}, nil)
	for _, g := range groups {
		var want any = false
		if g.CategoryName != nil {
			want = *g.CategoryName
		}
		have := got[g.XMLID]["category_id"]
		if pair, ok := have.([]any); ok {
			have = pair[1]
		}
		if have != want {
			t.Errorf("res.groups %s.category_id = %v, want %v", g.XMLID, have, want)
		}
	}
}

// checkFieldXMLIDs checks that the fields and selection values Odoo names
// in ir_model_data_base.json have those external ids in godoo, on the
// records of those fields and values.
func (e *env) checkFieldXMLIDs(t *testing.T, c caller, dir string) {
	t.Helper()
	var recorded []struct {
		XMLID string `json:"xmlid"`
		Model string `json:"model"`
	}
	readRecording(t, filepath.Join(dir, "ir_model_data_base.json"), &recorded)
	fields := e.recordsByXMLID(t, c, "ir.model.fields", []string{"model", "name"}, nil)
	values := e.recordsByXMLID(t, c, "ir.model.fields.selection", []string{"field_id", "value"}, nil)
	// Odoo's field of the identity check wizard that no group may read
	// (groups=NO_ACCESS, left out of its fields_get): godoo has no such
	// field.
	absent := map[string]bool{"base.field_res_users_identitycheck__request": true}
	n := 0
	for _, r := range recorded {
		if absent[r.XMLID] {
			n++
			if _, ok := fields[r.XMLID]; ok {
				t.Errorf("godoo has the field %s now: check it", r.XMLID)
			}
			continue
		}
		switch r.Model {
		case "ir.model.fields":
			n++
			f, ok := fields[r.XMLID]
			if !ok {
				t.Errorf("no field %s", r.XMLID)
			} else if want := "base.field_" + strings.ReplaceAll(f["model"].(string), ".", "_") + "__" + f["name"].(string); want != r.XMLID {
				t.Errorf("%s is the field %s.%s", r.XMLID, f["model"], f["name"])
			}
		case "ir.model.fields.selection":
			n++
			if _, ok := values[r.XMLID]; !ok {
				t.Errorf("no selection value %s", r.XMLID)
			}
		}
	}
	if n != 1422+838 {
		t.Errorf("the recording names %d fields and values, want 2260", n)
	}
	if v := values["base.selection__res_partner__type__contact"]; v == nil || v["value"] != "contact" {
		t.Errorf("base.selection__res_partner__type__contact = %v", v)
	}
}

// checkUIRecords checks that every view, window and server action,
// scheduled action and menu Odoo's base module has (ir_model_data_base.json)
// is there under its external id, named as its natural key (a menu by its
// complete name, made of its parents'), no other, and a few links between
// them literally.
func (e *env) checkUIRecords(t *testing.T, c caller, dir string) {
	t.Helper()
	var recorded []struct {
		XMLID      string `json:"xmlid"`
		Model      string `json:"model"`
		NaturalKey string `json:"natural_key"`
	}
	readRecording(t, filepath.Join(dir, "ir_model_data_base.json"), &recorded)
	all := map[string]any{"context": map[string]any{"active_test": false}}
	got := map[string]map[string]map[string]any{}
	for _, m := range []struct {
		model  string
		fields []string
		count  int
	}{
		{"ir.ui.view", []string{"name", "model", "type", "arch_db"}, 178},
		{"ir.actions.act_window", []string{"name", "res_model", "search_view_id", "view_mode", "target"}, 67},
		{"ir.actions.act_window.view", []string{"act_window_id", "view_id", "view_mode", "sequence"}, 14},
		{"ir.actions.server", []string{"name", "model_name", "usage"}, 4},
		{"ir.actions.client", []string{"name", "tag", "target"}, 1},
		{"ir.actions.act_url", []string{"name", "url", "target"}, 3},
		{"ir.actions.report", []string{"name", "model", "report_name", "report_type", "binding_model_id", "groups_id"}, 2},
		{"ir.cron", []string{"cron_name", "name", "user_id", "nextcall", "active"}, 2},
		{"ir.ui.menu", []string{"name", "parent_id", "action"}, 65},
	} {
		got[m.model] = e.recordsByXMLID(t, c, m.model, m.fields, all)
		if n := e.count(t, m.model, []any{}); n != int64(m.count) {
			t.Errorf("%s: %d records, want %d", m.model, n, m.count)
		}
	}
	menuNames := map[int64]map[string]any{}
	for _, r := range got["ir.ui.menu"] {
		menuNames[r["id"].(int64)] = r
	}
	complete := func(r map[string]any) string {
		name := r["name"].(string)
		for p, ok := r["parent_id"].([]any); ok; p, ok = r["parent_id"].([]any) {
			r = menuNames[p[0].(int64)]
			name = r["name"].(string) + "/" + name
		}
		return name
	}
	n := 0
	for _, x := range recorded {
		models, ok := got[x.Model]
		if !ok {
			continue
		}
		n++
		r, ok := models[x.XMLID]
		switch {
		case !ok:
			t.Errorf("%s: no record %s", x.Model, x.XMLID)
		case x.Model == "ir.ui.menu":
			equal(t, x.XMLID+" complete name", complete(r), x.NaturalKey)
		case x.Model == "ir.actions.act_window.view":
			// Its natural key is the name of the view it opens.
			view, _ := r["view_id"].([]any)
			if len(view) != 2 {
				t.Errorf("%s opens no view: %v", x.XMLID, r["view_id"])
				continue
			}
			for _, v := range got["ir.ui.view"] {
				if v["id"] == view[0] {
					equal(t, x.XMLID+" view name", v["name"], x.NaturalKey)
					equal(t, x.XMLID+" view_mode", r["view_mode"], v["type"])
				}
			}
		case x.Model == "ir.cron":
			equal(t, x.XMLID+" cron_name", r["cron_name"], x.NaturalKey)
			equal(t, x.XMLID+" name", r["name"], x.NaturalKey)
			if r["nextcall"] == false {
				t.Errorf("%s has no nextcall", x.XMLID)
			}
		default:
			equal(t, x.XMLID+" name", r["name"], x.NaturalKey)
		}
	}
	if n != 178+67+14+4+1+3+2+2+65 {
		t.Errorf("the recording names %d records of these models, want 336", n)
	}
	// Literal facts.
	second := func(v any) any {
		if pair, ok := v.([]any); ok && len(pair) == 2 {
			return pair[1]
		}
		return v
	}
	tags := got["ir.actions.act_window"]["base.action_partner_category_form"]
	equal(t, "Contact Tags res_model", tags["res_model"], "res.partner.category")
	equal(t, "Contact Tags search view", second(tags["search_view_id"]), "res.partner.category.view.search")
	equal(t, "Contact Tags view_mode", tags["view_mode"], "list,form")
	equal(t, "partner form view", got["ir.ui.view"]["base.view_partner_form"]["model"], "res.partner")
	equal(t, "partner form view type", got["ir.ui.view"]["base.view_partner_form"]["type"], "form")
	equal(t, "partner search view type", got["ir.ui.view"]["base.view_res_partner_filter"]["type"], "search")
	equal(t, "autovacuum model", got["ir.actions.server"]["base.autovacuum_job_ir_actions_server"]["model_name"], "ir.autovacuum")
	equal(t, "autovacuum user", second(got["ir.cron"]["base.autovacuum_job"]["user_id"]), "OdooBot")
	cron := got["ir.ui.menu"]["base.menu_ir_cron_act"]
	equal(t, "Scheduled Actions menu parent", second(cron["parent_id"]), "Automation")
	action := got["ir.actions.act_window"]["base.ir_cron_act"]["id"]
	equal(t, "Scheduled Actions menu action", cron["action"], fmt.Sprintf("ir.actions.act_window,%d", action))
	contacts := got["ir.actions.act_window.view"]["base.action_partner_tree_view1"]
	equal(t, "partner list view action", contacts["act_window_id"].([]any)[0], got["ir.actions.act_window"]["base.action_partner_form"]["id"])
	equal(t, "partner list view", second(contacts["view_id"]), "res.partner.list")
	equal(t, "partner list view_mode", contacts["view_mode"], "list")
	equal(t, "settings client action tag", got["ir.actions.client"]["base.action_client_base_menu"]["tag"], "reload")
	third := got["ir.actions.act_url"]["base.action_third_party"]
	equal(t, "Third-Party Apps url", third["url"], "https://apps.odoo.com/apps/modules")
	equal(t, "Third-Party Apps menu action", got["ir.ui.menu"]["base.menu_third_party"]["action"], fmt.Sprintf("ir.actions.act_url,%d", third["id"]))
	guide := got["ir.actions.report"]["base.ir_module_reference_print"]
	equal(t, "Technical guide model", guide["model"], "ir.module.module")
	equal(t, "Technical guide report", guide["report_name"], "base.report_irmodulereference")
	module := e.mustKw(t, c, "ir.model", "search", []any{[]any{[]any{"model", "=", "ir.module.module"}}}, nil).([]any)[0]
	equal(t, "Technical guide binding", guide["binding_model_id"].([]any)[0], module)
	system := e.recordsByXMLID(t, c, "res.groups", []string{"name"}, nil)["base.group_system"]["id"]
	equal(t, "Technical guide groups", guide["groups_id"], []any{system})
}

// checkListLang checks that db.list_lang lists every language of the
// recording, by name, as Odoo does.
func checkListLang(t *testing.T, e *env, dir string) {
	t.Helper()
	var langs []struct{ Code, Name string }
	readRecording(t, filepath.Join(dir, "data", "res.lang.json"), &langs)
	sort.Slice(langs, func(i, j int) bool { return langs[i].Name < langs[j].Name })
	want := make([]any, len(langs))
	for i, l := range langs {
		want[i] = []any{l.Code, l.Name}
	}
	for _, c := range e.callers() {
		got, f := c.call(t, "db", "list_lang")
		if f != nil {
			t.Fatalf("db.list_lang: %s", f.String)
		}
		equal(t, c.protocol()+" db.list_lang", got, want)
	}
}

func readRecording(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestRecordRulesOdoo18 checks, on both stores, that a new database has
// Odoo's record rules (the recording's ir_rule.json) with their groups and
// rights, and that a rule whose Python domain names the user inside a list
// (ir.filters: [('user_id', 'in', [False, user.id])]) or its companies
// (res.company: [('id', 'in', company_ids)]) works as Odoo's: an employee
// sees shared filters and their own, not another user's, and only their
// companies.
func TestRecordRulesOdoo18(t *testing.T) {
	path := filepath.Join(corpusDir(), "model", "ir_rule.json")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("the Odoo 18 recording is not at %s (set GODOO_CONFORMANCE_DIR to its folder): %v", path, err)
	}
	var rules []struct {
		XMLID  string   `json:"xmlid"`
		Groups []string `json:"groups"`
		Global bool     `json:"global"`
		Read   bool     `json:"perm_read"`
		Write  bool     `json:"perm_write"`
		Create bool     `json:"perm_create"`
		Unlink bool     `json:"perm_unlink"`
	}
	readRecording(t, path, &rules)
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		groups := map[int64]string{}
		for x, g := range e.recordsByXMLID(t, c, "res.groups", []string{"name"}, nil) {
			groups[g["id"].(int64)] = x
		}
		got := e.recordsByXMLID(t, c, "ir.rule", []string{"groups", "global", "perm_read", "perm_write", "perm_create", "perm_unlink"},
			map[string]any{"context": map[string]any{"active_test": false}})
		if len(got) != len(rules) {
			t.Errorf("%d of Odoo's rules installed, want %d", len(got), len(rules))
		}
		for _, r := range rules {
			g, ok := got[r.XMLID]
			if !ok {
				t.Errorf("no rule %s", r.XMLID)
				continue
			}
			var names []string
			for _, id := range g["groups"].([]any) {
				names = append(names, groups[id.(int64)])
			}
			sort.Strings(names)
			sort.Strings(r.Groups)
			want := map[string]any{"groups": strings.Join(r.Groups, ","), "global": r.Global,
				"perm_read": r.Read, "perm_write": r.Write, "perm_create": r.Create, "perm_unlink": r.Unlink}
			have := map[string]any{"groups": strings.Join(names, ","), "global": g["global"],
				"perm_read": g["perm_read"], "perm_write": g["perm_write"], "perm_create": g["perm_create"], "perm_unlink": g["perm_unlink"]}
			equal(t, "rule "+r.XMLID, have, want)
		}

		demo, f := c.call(t, "common", "authenticate", e.db, "demo", "demo", map[string]any{})
		if f != nil || demo == false {
			t.Fatalf("demo login: %v %v", demo, f)
		}
		filters := map[string]any{}
		for _, owner := range []struct {
			name string
			user any
		}{{"admin's", int64(2)}, {"shared", false}, {"demo's", demo}} {
			filters[owner.name] = e.mustKw(t, c, "ir.filters", "create", []any{map[string]any{
				"name": owner.name, "model_id": "res.partner", "user_id": owner.user}}, nil)
		}
		seen, f := c.call(t, "object", "execute_kw", e.db, demo, "demo", "ir.filters", "search", []any{[]any{}},
			map[string]any{"order": "id"})
		if f != nil {
			t.Fatalf("ir.filters search as demo: %s", f.String)
		}
		equal(t, "filters demo sees", seen, []any{filters["shared"], filters["demo's"]})

		// [('id', 'in', company_ids)]: an employee sees their companies.
		mine := e.mustKw(t, c, "res.users", "read", []any{[]any{demo}, []any{"company_ids"}}, nil).([]any)[0].(map[string]any)["company_ids"]
		partner := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Not Demo's", "is_company": true}}, nil)
		e.mustKw(t, c, "res.company", "create", []any{map[string]any{"name": "Not Demo's", "partner_id": partner}}, nil)
		companies, f := c.call(t, "object", "execute_kw", e.db, demo, "demo", "res.company", "search", []any{[]any{}},
			map[string]any{"order": "id"})
		if f != nil {
			t.Fatalf("res.company search as demo: %s", f.String)
		}
		equal(t, "companies demo sees", companies, mine)
	})
}
