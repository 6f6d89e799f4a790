package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kolo/xmlrpc"
	"github.com/lib/pq"

	"github.com/godoo/godoo/models/storetest"
)

// TestModelImportModule imports a module from a running godoo acting as
// the source (a declared model x.fleet, and a custom field x_rating added
// to res.partner), serves the folder with --modules-path on each store,
// where an existing database lists it uninstalled, installs it (with godoo
// module install from another process on SQLite, button_immediate_install
// on PostgreSQL) and uses the model and the field over XML-RPC. On SQLite,
// a module imported from a saved answer is installed by db create
// --modules.
func TestModelImportModule(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	s, password := startFleetSource(t, dir)
	m := []string{"", password}
	src := rpcClient(t, s.addr, "odoo", m[1])
	var partnerModel []int64
	src.kw(&partnerModel, "ir.model", "search", []any{[]any{[]any{"model", "=", "res.partner"}}}, nil)
	var fid int64
	src.kw(&fid, "ir.model.fields", "create", []any{map[string]any{"name": "x_rating", "model_id": partnerModel[0],
		"ttype": "integer", "field_description": "Rating"}}, nil)
	mods := filepath.Join(dir, "modules")
	r := mustRun(t, m[1]+"\n", "model", "import", "--url", "http://"+s.addr, "--db", "odoo", "--user", "admin",
		"--models", "x.fleet,res.partner", "--module", "fleet", "--out", mods)
	s.shutdown(t)
	for _, p := range []string{"manifest.json", "models/x_fleet.json", "inherit/res_partner.json", "data/access.json"} {
		if !strings.Contains(r.stdout, filepath.Join(mods, "fleet", p)) {
			t.Errorf("import did not write %s:\n%s", p, r)
		}
	}
	inherit, err := os.ReadFile(filepath.Join(mods, "fleet", "inherit", "res_partner.json"))
	if err != nil {
		t.Fatal(err)
	}
	var decl struct {
		Model  string
		Fields map[string]json.RawMessage
	}
	if err := json.Unmarshal(inherit, &decl); err != nil {
		t.Fatal(err)
	}
	if decl.Model != "res.partner" || len(decl.Fields) != 1 || decl.Fields["x_rating"] == nil {
		t.Errorf("inherit/res_partner.json = %s, want x_rating alone", inherit)
	}

	// A module from a saved answer, into the same folder of modules.
	garage := filepath.Join(dir, "garage.json")
	if err := os.WriteFile(garage, []byte(strings.ReplaceAll(fleetFieldsGet, "x.fleet", "x.garage")), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "", "model", "import", "--from-file", garage, "--models", "x.garage", "--module", "garage", "--out", mods)

	stores := []struct {
		name   string
		args   func(t *testing.T) []string
		button bool // install with button_immediate_install, else godoo module install
	}{
		{"sqlite", func(t *testing.T) []string { return []string{"--data-dir", filepath.Join(t.TempDir(), "data")} }, false},
		{"postgres", func(t *testing.T) []string {
			dsn := os.Getenv("GODOO_TEST_DSN")
			if dsn == "" {
				t.Skip("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
			}
			db := unique("climod_")
			t.Cleanup(func() { dropPG(t, dsn, db) })
			return []string{"--db-url", dsn, "--db-name-for-test", db}
		}, true},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			args := st.args(t)
			db := "odoo"
			if i := slices.Index(args, "--db-name-for-test"); i >= 0 {
				db, args = args[i+1], args[:i]
			}
			const pw = "mod-Admin-1"
			mustRun(t, "", append([]string{"db", "create", db, "--admin-password", pw}, args...)...)
			s := startServe(t, append(slices.Clone(args), "--modules-path", mods)...)
			c := rpcClient(t, s.addr, db, pw)
			var rows []map[string]any
			c.kw(&rows, "ir.module.module", "search_read", []any{[]any{[]any{"name", "=", "fleet"}}},
				map[string]any{"fields": []any{"state", "dependencies_id"}})
			if len(rows) != 1 || rows[0]["state"] != "uninstalled" {
				t.Fatalf("ir.module.module's fleet = %v, want one uninstalled", rows)
			}
			if st.button {
				var action any
				c.kw(&action, "ir.module.module", "button_immediate_install", []any{[]any{rows[0]["id"]}}, nil)
			} else {
				mustRun(t, "", append([]string{"module", "install", "fleet", "--db", db, "--modules-path", mods}, args...)...)
			}
			var partner, id int64
			c.kw(&partner, "res.partner", "create", []any{map[string]any{"name": "Ada", "x_rating": 4}}, nil)
			c.kw(&id, "x.fleet", "create", []any{map[string]any{"name": "Van", "seats": 9, "driver_id": partner, "state": "used"}}, nil)
			rows = nil
			c.kw(&rows, "x.fleet", "search_read", []any{[]any{[]any{"driver_id.x_rating", ">", 3}}},
				map[string]any{"fields": []any{"name", "seats", "state"}})
			if len(rows) != 1 || rows[0]["name"] != "Van" || rows[0]["seats"] != int64(9) || rows[0]["state"] != "used" {
				t.Errorf("x.fleet search_read = %v", rows)
			}
			rows = nil
			c.kw(&rows, "ir.module.module", "search_read", []any{[]any{[]any{"name", "=", "fleet"}}},
				map[string]any{"fields": []any{"state"}})
			if len(rows) != 1 || rows[0]["state"] != "installed" {
				t.Errorf("fleet after the install = %v", rows)
			}
			if st.button {
				return
			}
			// db create --modules installs the module from the saved answer.
			mustRun(t, "", append([]string{"db", "create", "garage", "--admin-password", pw, "--modules", "garage",
				"--modules-path", mods}, args...)...)
			g := rpcClient(t, s.addr, "garage", pw)
			g.kw(&id, "x.garage", "create", []any{map[string]any{"name": "Bus", "seats": 40}}, nil)
			var n int64
			g.kw(&n, "x.garage", "search_count", []any{[]any{[]any{"seats", "=", 40}}}, nil)
			if n != 1 {
				t.Errorf("x.garage count = %d", n)
			}
		})
	}
}

// rpcCaller calls execute_kw on one database as the administrator.
type rpcCaller struct {
	t        *testing.T
	client   *xmlrpc.Client
	db, pass string
}

func rpcClient(t *testing.T, addr, db, pass string) *rpcCaller {
	t.Helper()
	c, err := xmlrpc.NewClient("http://"+addr+"/xmlrpc/2/object", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rpcCaller{t: t, client: c, db: db, pass: pass}
}

// kw calls model's method as uid 2 and fails the test on an error.
func (c *rpcCaller) kw(reply any, model, method string, args []any, kw map[string]any) {
	c.t.Helper()
	if kw == nil {
		kw = map[string]any{}
	}
	if err := c.client.Call("execute_kw", []any{c.db, 2, c.pass, model, method, args, kw}, reply); err != nil {
		c.t.Fatalf("%s.%s: %v", model, method, err)
	}
}

// dropPG drops the PostgreSQL database db of the server dsn, if it is
// still there. On the tests' server (GODOO_TEST_DSN) it leaves the drop
// to the end of the process's tests (storetest.Run): every DROP DATABASE
// waits for a checkpoint of the whole server, which took up to half a
// minute on a loaded machine, and the drops made together share theirs.
func dropPG(t *testing.T, dsn, db string) {
	maint, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Error(err)
		return
	}
	defer maint.Close()
	if dsn == os.Getenv("GODOO_TEST_DSN") {
		var exists bool
		if err := maint.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", db).Scan(&exists); err != nil {
			t.Errorf("cleanup %s: %v", db, err)
			return
		}
		if !exists || storetest.DropLater(db) {
			return
		}
	}
	if _, err := maint.Exec("DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(db) + " WITH (FORCE)"); err != nil {
		t.Errorf("cleanup %s: %v", db, err)
	}
}

// TestImportModule: the files of a module imported from a saved fields_get
// answer, and what import refuses before writing anything.
func TestImportModule(t *testing.T) {
	const thing = `"x.thing": {"name": {"type": "char", "string": "Name", "store": true, "searchable": true, "depends": []},
	  "partner_ids": {"type": "many2many", "relation": "res.partner", "string": "Partners", "store": true, "searchable": true, "depends": []},
	  "order_id": {"type": "many2one", "relation": "sale.order", "string": "Order", "store": true, "searchable": true, "depends": []}}`
	const partner = `"res.partner": {"name": {"type": "char", "string": "Name", "store": true, "searchable": true, "depends": []},
	  "x_code": {"type": "char", "string": "Code", "store": true, "searchable": true, "depends": []},
	  "sale_warn_msg": {"type": "text", "string": "Message for Sales Order", "store": true, "searchable": true, "depends": []}}`
	cases := []struct {
		name, data string
		models     []string
		module     string
		depends    []string
		wantErr    string
		want       map[string][]string // file: strings it holds
		wantNone   []string            // files not written
		wantNote   string
	}{
		{"a model and a field added to res.partner", "{" + thing + "," + partner + "}", []string{"x.thing", "res.partner"}, "things", nil, "",
			map[string][]string{
				"manifest.json":            {`"name": "things"`, `"depends": [`, `"base"`},
				"models/x_thing.json":      {`"model": "x.thing"`, `"relation_table":"res_partner_x_thing_rel"`, `"column1":"x_thing_id"`, `"column2":"res_partner_id"`},
				"inherit/res_partner.json": {`"x_code"`, `"sale_warn_msg"`},
				"data/access.json":         {`"xmlid": "things.access_x_thing_admin"`, `"group": "base.group_system"`, `"perms": "rwcu"`},
			}, nil, "x.thing.order_id left out"},
		{"fields of a module depended on are not added again", "{" + thing + "," + partner + "}", []string{"x.thing", "res.partner"}, "things", []string{"sale"}, "",
			map[string][]string{"models/x_thing.json": {`"order_id"`}, "inherit/res_partner.json": {`"x_code"`}}, nil, ""},
		{"a model with nothing new", "{" + `"res.country": {"name": {"type": "char", "string": "Name", "store": true, "searchable": true, "depends": []}}` + "}", []string{"res.country"}, "nothing", nil, "",
			nil, []string{"inherit/res_country.json", "data/access.json"}, "res.country left out"},
		{"a name godoo's module has", "{" + thing + "}", []string{"x.thing"}, "sale", nil, "godoo has a module of that name already", nil, nil, ""},
		{"a dependency godoo lacks", "{" + thing + "}", []string{"x.thing"}, "things", []string{"nowhere"}, "module nowhere: godoo does not have it", nil, nil, ""},
		{"a link table name too long", `{"x.a_very_long_model_name_indeed_to_link": {"tag_ids": {"type": "many2many", "relation": "res.partner.category", "string": "Tags", "store": true, "searchable": true, "depends": []}}}`,
			[]string{"x.a_very_long_model_name_indeed_to_link"}, "long", nil, "is too long", nil, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var note strings.Builder
			files, err := importModule([]byte(c.data), c.models, nil, c.module, c.depends, &note)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error = %v, want one with %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for p, subs := range c.want {
				for _, sub := range subs {
					if !strings.Contains(string(files[p]), sub) {
						t.Errorf("%s lacks %s:\n%s", p, sub, files[p])
					}
				}
			}
			for _, p := range c.wantNone {
				if files[p] != nil {
					t.Errorf("%s written:\n%s", p, files[p])
				}
			}
			if c.name == "fields of a module depended on are not added again" && strings.Contains(string(files["inherit/res_partner.json"]), "sale_warn_msg") {
				t.Errorf("sale's sale_warn_msg added again:\n%s", files["inherit/res_partner.json"])
			}
			if !strings.Contains(note.String(), c.wantNote) {
				t.Errorf("note = %q, want %q", note.String(), c.wantNote)
			}
		})
	}
}
