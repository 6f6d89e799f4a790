package integration_test

import (
	"testing"
	"time"
)

// Table tests of each normalisation rule of the corpus README, on a small
// database of named records. The oracle test checks the same rules on
// Odoo's own answers; these pin each reading down one at a time.

// fakeFields is a fieldSource from a table.
type fakeFields map[string]map[string][2]string

func (f fakeFields) field(model, name string) (string, string, bool) {
	d, ok := f[model][name]
	return d[0], d[1], ok
}

func testNormalizer(mask ...string) *normalizer {
	ids := newIDSpace()
	ids.bind("@p_kw", "res.partner", 101)
	ids.bind("@p_ana", "res.partner", 102)
	ids.bind("@u_plain_partner", "res.partner", 103)
	ids.bind("@cat_vip", "res.partner.category", 7)
	ids.bind("@cat_seg", "res.partner.category", 8)
	ids.bind("@cat_tie", "res.partner.category", 101)
	ids.bind("@u_plain", "res.users", 65)
	ids.addXMLID("other.germany", "res.country", 57)
	ids.addXMLID("base.de", "res.country", 57)
	ids.addXMLID("base.fr", "res.country", 75)
	ids.addXMLID("aaa.france", "res.country", 75)
	ids.addXMLID("base.user_admin", "res.users", 2)
	ids.addXMLID("base.partner_admin", "res.partner", 3)
	ids.addXMLID("base.main_company", "res.company", 1)
	ids.addXMLID("base.group_user", "res.groups", 1)
	ids.maxID["res.partner"] = 103
	ids.maxID["res.partner.category"] = 101
	fields := fakeFields{
		"res.partner": {"id": {"integer", ""}, "name": {"char", ""}, "color": {"integer", ""},
			"parent_id": {"many2one", "res.partner"}, "country_id": {"many2one", "res.country"},
			"category_id": {"many2many", "res.partner.category"}, "child_ids": {"one2many", "res.partner"},
			"user_id": {"many2one", "res.users"}, "create_date": {"datetime", ""}},
		"res.users":            {"groups_id": {"many2many", "res.groups"}, "partner_id": {"many2one", "res.partner"}, "company_id": {"many2one", "res.company"}},
		"res.partner.category": {"parent_id": {"many2one", "res.partner.category"}, "parent_path": {"char", ""}},
	}
	m := map[string]bool{}
	for _, k := range mask {
		m[k] = true
	}
	return &normalizer{ids: ids, fields: fields, db: "conf_db", mask: m}
}

func mustOrdered(t *testing.T, s string) any {
	t.Helper()
	v, err := decodeJSON([]byte(s))
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

func TestConformanceNormaliseResults(t *testing.T) {
	tests := []struct {
		name, method, model, in, want string
		mask                          []string
	}{
		// Rule 1: ids by the model known for their position.
		{"search ids: symbol, xml id, new, unnamed", "search", "res.partner",
			`[101, 3, 104, 50]`, `["@p_kw", "@base.partner_admin", "<new res.partner>", 50]`, nil},
		{"create one", "create", "res.partner", `103`, `"@u_plain_partner"`, nil},
		{"name_create pair", "name_create", "res.partner.category", `[7, "VIP"]`, `["@cat_vip", "VIP"]`, nil},
		{"name_search pairs", "name_search", "res.partner", `[[101, "Krautwerk"], [102, "Ana"]]`, `[["@p_kw", "Krautwerk"], ["@p_ana", "Ana"]]`, nil},
		{"login is res.users", "login", "res.users", `65`, `"@u_plain"`, nil},
		{"a count is no id", "search_count", "res.partner", `101`, `101`, nil},
		{"xml id: base first", "search", "res.country", `[57, 75]`, `["@base.de", "@base.fr"]`, nil},
		{"rows: id, many2one pair, x2many ids", "read", "res.partner",
			`[{"id": 102, "parent_id": [101, "Krautwerk"], "country_id": [57, "Germany"], "category_id": [7, 8], "child_ids": [], "color": 101, "name": "Ana"}]`,
			`[{"id": "@p_ana", "parent_id": ["@p_kw", "Krautwerk"], "country_id": ["@base.de", "Germany"], "category_id": ["@cat_vip", "@cat_seg"], "child_ids": [], "color": 101, "name": "Ana"}]`, nil},
		{"many2one without name (load None)", "read", "res.partner", `[{"id": 102, "parent_id": 101, "user_id": false}]`,
			`[{"id": "@p_ana", "parent_id": "@p_kw", "user_id": false}]`, nil},
		{"web specification dicts", "web_read", "res.partner",
			`[{"id": 101, "country_id": {"id": 57, "code": "DE"}, "child_ids": [{"id": 102, "name": "Ana"}]}]`,
			`[{"id": "@p_kw", "country_id": {"id": "@base.de", "code": "DE"}, "child_ids": [{"id": "@p_ana", "name": "Ana"}]}]`, nil},
		{"web_search_read records", "web_search_read", "res.partner", `{"length": 101, "records": [{"id": 101}]}`,
			`{"length": 101, "records": [{"id": "@p_kw"}]}`, nil},
		{"default_get commands", "default_get", "res.users", `{"groups_id": [[6, 0, [1]], [4, 1], [0, 0, {"name": "x"}], [5]], "company_id": 1}`,
			`{"groups_id": [[6, 0, ["@base.group_user"]], [4, "@base.group_user"], [0, 0, {"name": "x"}], [5]], "company_id": "@base.main_company"}`, nil},
		{"keys outside models", "", "", `{"uid": 65, "user_context": {"uid": 2}, "partner_id": 103, "current_company": 1, "id": 101, "company_id": [1, "My Company"]}`,
			`{"uid": "@u_plain", "user_context": {"uid": "@base.user_admin"}, "partner_id": "@u_plain_partner", "current_company": "@base.main_company", "id": 101, "company_id": ["@base.main_company", "My Company"]}`, nil},
		{"a dict under an outside key", "", "", `{"user_settings": {"id": 52, "user_id": {"id": 65}}}`,
			`{"user_settings": {"id": "<res.users.settings>", "user_id": {"id": "@u_plain"}}}`, nil},
		{"fields_get maps nothing", "fields_get", "res.partner", `{"parent_id": {"relation": "res.partner", "type": "many2one"}, "id": {"type": "integer"}}`,
			`{"parent_id": {"relation": "res.partner", "type": "many2one"}, "id": {"type": "integer"}}`, nil},
		// Rule 2: parent_path and read_group rows.
		{"parent_path", "read", "res.partner.category", `[{"id": 8, "parent_path": "8/7/"}]`, `[{"id": "@cat_seg", "parent_path": "@cat_seg/@cat_vip/"}]`, nil},
		{"read_group: pairs and __domain mapped, aggregates kept", "read_group", "res.partner",
			`[{"parent_id": [101, "Krautwerk"], "parent_id_count": 2, "user_id": 65, "id": 101, "__domain": ["&", ["ref", "=like", "CONF-%"], "|", ["parent_id", "=", 101], ["id", "in", [102, 103]]]}]`,
			`[{"parent_id": ["@p_kw", "Krautwerk"], "parent_id_count": 2, "user_id": 65, "id": 101, "__domain": ["&", ["ref", "=like", "CONF-%"], "|", ["parent_id", "=", "@p_kw"], ["id", "in", ["@p_ana", "@u_plain_partner"]]]}]`, nil},
		{"web_read_group groups", "web_read_group", "res.partner", `{"groups": [{"country_id": [57, "Germany"], "__domain": [["country_id", "=", 57]]}], "length": 1}`,
			`{"groups": [{"country_id": ["@base.de", "Germany"], "__domain": [["country_id", "=", "@base.de"]]}], "length": 1}`, nil},
		// Rule 3: volatile values.
		{"datetimes anywhere in strings, dates kept", "read", "res.partner",
			`[{"id": 101, "create_date": "2026-12-07 03:51:46", "name": "at 2024-01-01 10:00:00.123456 on 2024-01-01"}]`,
			`[{"id": "@p_kw", "create_date": "<datetime>", "name": "at <datetime> on 2024-01-01"}]`, nil},
		{"session keys, hashes, base url, database", "", "",
			`{"session_id": "abc", "sid": "x", "csrf_token": "y", "registry_hash": "z", "cache_hashes": {"a": "1"}, "web.base.url": "http://127.0.0.1:1", "db": "conf_db", "dbs": ["conf_db", "other"]}`,
			`{"session_id": "<sid>", "sid": "<sid>", "csrf_token": "<sid>", "registry_hash": "<sid>", "cache_hashes": "<hash>", "web.base.url": "<base_url>", "db": "<db>", "dbs": ["<db>", "other"]}`, nil},
		{"mask at any depth", "read", "res.partner", `[{"id": 101, "color": 4, "x": {"color": 5}}]`,
			`[{"id": "@p_kw", "color": "<masked>", "x": {"color": "<masked>"}}]`, []string{"color"}},
		// Rule 4: records named inside strings.
		{"recordsets and users in strings", "", "", `"Record: res.partner(101, 104,), User: 65; uid=2"`,
			`"Record: res.partner(@p_kw, <new res.partner>,), User: @u_plain; uid=@base.user_admin"`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := testNormalizer(tc.mask...)
			got := n.result(mustOrdered(t, tc.in), tc.method, tc.model)
			if s := string(appendJSON(nil, got)); s != string(appendJSON(nil, mustOrdered(t, tc.want))) {
				t.Errorf("got  %s\nwant %s", s, tc.want)
			}
		})
	}
}

func TestConformanceNormaliseBytes(t *testing.T) {
	// Rule 5: XML-RPC binary values become their length.
	n := testNormalizer()
	got := n.result([]any{xmlBytes("hello"), xmlTime("20240101T10:00:00")}, "read", "")
	if s := string(appendJSON(nil, got)); s != `["<bytes 5>", "<dateTime.iso8601 20240101T10:00:00>"]` {
		t.Errorf("got %s", s)
	}
}

func TestConformanceNormaliseMessages(t *testing.T) {
	tests := []struct {
		name, in, want string
		named          []symRef
	}{
		{"ids of 100 and more that name seed records", "Invalid domain term ('id', 'in', 102)", "Invalid domain term ('id', 'in', @p_ana)", nil},
		{"res.partner wins ties", "ids 101 and 7", "ids @p_kw and 7", nil},
		{"small ids only when the request named them", "terms (7, 8)", "terms (@cat_vip, 8)", []symRef{{"res.partner.category", 7}}},
		{"numbers inside words, decimals and symbols stay", "W101 x_101 1.101 101.5 @101 -101", "W101 x_101 1.101 101.5 @101 -101", nil},
		{"an unnamed large id stays", "takes 2 positional arguments but 999 were given", "takes 2 positional arguments but 999 were given", nil},
		{"rule 6: the database server's address", `connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "x" does not exist`,
			`FATAL:  database "x" does not exist`, nil},
		{"datetimes in messages", "expired at 2024-01-01 10:00:00", "expired at <datetime>", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := testNormalizer()
			n.named = tc.named
			if got := n.message(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestConformanceFaultForm(t *testing.T) {
	tests := []struct {
		name        string
		code        any
		faultString string
		want        string
	}{
		{"Odoo's own exception: first line, no exception", int64(2), "Record does not exist or has been deleted.\n(Record: res.partner(101,), User: 2)",
			`{"fault": {"code": 2, "string": "Record does not exist or has been deleted.", "exception": null}}`},
		{"traceback: the exception line", int64(1), "Traceback (most recent call last):\n  File \"x\", line 1, in f\n    g()\nValueError: bad 101\n",
			`{"fault": {"code": 1, "string": "Traceback (most recent call last):", "exception": "ValueError: bad @p_kw"}}`},
		{"a message of several lines keeps its first", int64(1),
			"Traceback (most recent call last):\n  ...\npsycopg2.errors.InvalidTextRepresentation: invalid input syntax for type integer: \"a\"\nLINE 1: ...\n        ^\n",
			`{"fault": {"code": 1, "string": "Traceback (most recent call last):", "exception": "psycopg2.errors.InvalidTextRepresentation: invalid input syntax for type integer: \"a\""}}`},
		{"chained tracebacks: the last exception", int64(1),
			"Traceback (most recent call last):\n  ...\nKeyError: 'a'\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  ...\nValueError: b\n",
			`{"fault": {"code": 1, "string": "Traceback (most recent call last):", "exception": "ValueError: b"}}`},
		{"legacy string code", "warning -- UserError\n\nbad", "bad\nmore",
			`{"fault": {"code": "warning -- UserError\n\nbad", "string": "bad", "exception": null}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := testNormalizer().expectForm(answer{kind: "fault", faultCode: tc.code, faultString: tc.faultString}, "", "")
			if s := string(appendJSON(nil, got)); s != string(appendJSON(nil, mustOrdered(t, tc.want))) {
				t.Errorf("got  %s\nwant %s", s, tc.want)
			}
		})
	}
}

func TestConformanceErrorForm(t *testing.T) {
	body := `{"jsonrpc": "2.0", "id": 1, "error": {"code": 200, "message": "Odoo Server Error", "data": {"name": "builtins.ValueError",
		"debug": "Traceback ...", "message": "Invalid term 101\nsecond line", "arguments": ["x"], "context": {}}}}`
	a := jsonRPCAnswer(200, []byte(body), int64(1))
	got := testNormalizer().expectForm(a, "", "")
	want := `{"error": {"code": 200, "message": "Odoo Server Error", "data": {"name": "builtins.ValueError", "message": "Invalid term @p_kw"}}}`
	if s := string(appendJSON(nil, got)); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
	if a.envelopeProblem != "" {
		t.Errorf("envelope problem %q in a correct envelope", a.envelopeProblem)
	}
	for body, want := range map[string]string{
		`{"jsonrpc": "2.0", "id": 2, "result": 1}`: `id is 2, want 1`,
		`{"id": 1, "result": 1}`:                   `jsonrpc is null, want "2.0"`,
	} {
		if a := jsonRPCAnswer(200, []byte(body), int64(1)); a.envelopeProblem != want {
			t.Errorf("%s: envelope problem %q, want %q", body, a.envelopeProblem, want)
		}
	}
	if a := jsonRPCAnswer(200, []byte(`{"jsonrpc": "2.0", "id": 1}`), int64(1)); a.kind != "body" {
		t.Errorf("a reply without result is %s, want body", a.kind)
	}
	if a := jsonRPCAnswer(400, []byte("Invalid JSON data\n"), int64(1)); a.kind != "http" {
		t.Errorf("an HTTP 400 is %s, want http", a.kind)
	}
}

func TestConformancePlaceholders(t *testing.T) {
	ids := newIDSpace()
	ids.bind("@p_kw", "res.partner", 101)
	ids.addXMLID("base.de", "res.country", 57)
	ids.addXMLID("base.fr", "res.country", 75)
	ids.addXMLID("aaa.france", "res.country", 75)
	ph := placeholders{db: "conf_db", login: "conf_user", password: "pw", apikey: "key", uid: int64(65), ids: ids}
	req := mustOrdered(t, `{"args": ["<db>", "<uid>", "<password>", "<login>", "<apikey>", "2", "x <db>", "@p_kw", "@base.de", "@p_gone", ["@p_kw"]]}`)
	r := ph.resolve(req)
	want := `{"args": ["conf_db", 65, "pw", "conf_user", "key", "2", "x <db>", 101, 57, "@p_gone", [101]]}`
	if s := string(appendJSON(nil, r.value)); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
	if len(r.unbound) != 1 || r.unbound[0] != "@p_gone" {
		t.Errorf("unbound = %v, want [@p_gone]", r.unbound)
	}
	if len(r.named) != 2 || r.named[0] != (symRef{"res.partner", 101}) {
		t.Errorf("named = %v, want the partner twice (xml ids are not seed records)", r.named)
	}
	if s := string(appendJSON(nil, (placeholders{ids: ids}).resolve(mustOrdered(t, `["<uid>", "<apikey>"]`)).value)); s != `["<uid>", "<apikey>"]` {
		t.Errorf("placeholders without values became %s, want them kept", s)
	}
}

func TestConformanceBinding(t *testing.T) {
	ids := newIDSpace()
	ids.bind("@nc", "res.partner.category", 138)
	ids.bind("@nc", "res.partner.category", 139) // the file's second protocol binds it again
	if got := ids.name("res.partner.category", 138); got != int64(138) {
		t.Errorf("the first record is %v, want its bare id once its symbol moved", got)
	}
	if got := ids.name("res.partner.category", 139); got != "@nc" {
		t.Errorf("the second record is %v, want @nc", got)
	}
	ids.bind("@other", "res.partner.category", 139)
	if got := ids.name("res.partner.category", 139); got != "@nc" {
		t.Errorf("a record named twice is %v, want its first name", got)
	}
	for _, tc := range []struct {
		result any
		want   int64
	}{{int64(5), 5}, {[]any{int64(6), "x"}, 6}} {
		if id, ok := boundID(answer{kind: "result", result: tc.result}); !ok || id != tc.want {
			t.Errorf("boundID(%v) = %d, %v; want %d", tc.result, id, ok, tc.want)
		}
	}
	if _, ok := boundID(answer{kind: "fault"}); ok {
		t.Error("a fault binds an id")
	}
}

// TestConformanceNormaliseFlowRules: the modules flow's rules, on only
// when the normaliser has a today: near dates, res_id through its row's
// model, and the records an action names.
func TestConformanceNormaliseFlowRules(t *testing.T) {
	today := time.Date(2026, 12, 7, 13, 0, 0, 0, time.UTC)
	tests := []struct {
		name, method, model, in, want, base string
	}{
		{"near dates", "read", "res.partner", `[{"id": 101, "name": "2026-12-07", "x": ["2027-01-06", "2026-12-06", "2000-01-01"]}]`,
			`[{"id": "@p_kw", "name": "<today>", "x": ["<today+30>", "<today-1>", "2000-01-01"]}]`,
			`[{"id": "@p_kw", "name": "2026-12-07", "x": ["2027-01-06", "2026-12-06", "2000-01-01"]}]`},
		{"res_id through model and res_model", "read", "res.partner", `[{"id": 101, "x": [{"model": "res.partner", "res_id": 102}, {"res_model": "res.partner.category", "res_id": 7}, {"res_id": 7}]}]`,
			`[{"id": "@p_kw", "x": [{"model": "res.partner", "res_id": "@p_ana"}, {"res_model": "res.partner.category", "res_id": "@cat_vip"}, {"res_id": 7}]}]`,
			`[{"id": "@p_kw", "x": [{"model": "res.partner", "res_id": 102}, {"res_model": "res.partner.category", "res_id": 7}, {"res_id": 7}]}]`},
		{"an action's records", "action_x", "res.partner",
			`{"type": "ir.actions.act_window", "res_model": "res.users", "res_id": 65, "view_id": 9, "context": {"default_partner_id": 101, "default_name": "x", "uid": 2}}`,
			`{"type": "ir.actions.act_window", "res_model": "res.users", "res_id": "@u_plain", "view_id": "@base.view_x", "context": {"default_partner_id": "@p_kw", "default_name": "x", "uid": "@base.user_admin"}}`,
			`{"type": "ir.actions.act_window", "res_model": "res.users", "res_id": 65, "view_id": 9, "context": {"default_partner_id": 101, "default_name": "x", "uid": "@base.user_admin"}}`},
		{"message_post answers a message id", "message_post", "res.partner", `103`, `"@u_plain_partner"`, `"@u_plain_partner"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, on := range []bool{true, false} {
				n := testNormalizer()
				n.ids.addXMLID("base.view_x", "ir.ui.view", 9)
				want := tc.base
				if on {
					n.today, want = today, tc.want
				}
				got := n.result(mustOrdered(t, tc.in), tc.method, tc.model)
				if s := string(appendJSON(nil, got)); s != string(appendJSON(nil, mustOrdered(t, want))) {
					t.Errorf("flow rules %t: got  %s\nwant %s", on, s, want)
				}
			}
		})
	}
}
