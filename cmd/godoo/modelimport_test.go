package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/kolo/xmlrpc"
)

// fleetFieldsGet is the fields_get answer of a custom module's model, as a
// client saves it: a char, an integer, a many2one to res.partner, a
// selection, and a many2many to a model godoo does not have.
const fleetFieldsGet = `{"x.fleet": {
 "name": {"type": "char", "string": "Name", "required": true, "readonly": false, "store": true, "searchable": true, "sortable": true, "groupable": true, "exportable": true, "manual": true, "depends": [], "company_dependent": false, "change_default": false, "default_export_compatible": false, "translate": false, "trim": true},
 "seats": {"type": "integer", "string": "Seats", "required": false, "readonly": false, "store": true, "searchable": true, "sortable": true, "groupable": true, "exportable": true, "manual": true, "depends": [], "aggregator": "sum", "company_dependent": false, "change_default": false, "default_export_compatible": false},
 "driver_id": {"type": "many2one", "string": "Driver", "relation": "res.partner", "required": false, "readonly": false, "store": true, "searchable": true, "sortable": true, "groupable": true, "exportable": true, "manual": true, "depends": [], "context": {}, "domain": [], "company_dependent": false, "change_default": false, "default_export_compatible": false},
 "state": {"type": "selection", "string": "State", "selection": [["new", "New"], ["used", "Used"]], "required": false, "readonly": false, "store": true, "searchable": true, "sortable": true, "groupable": true, "exportable": true, "manual": true, "depends": [], "company_dependent": false, "change_default": false, "default_export_compatible": false},
 "trip_ids": {"type": "many2many", "string": "Trips", "relation": "x.trip", "required": false, "readonly": false, "store": true, "searchable": true, "sortable": false, "groupable": false, "exportable": true, "manual": true, "depends": [], "context": {}, "domain": [], "company_dependent": false, "change_default": false, "default_export_compatible": false}
}}`

// TestModelImportServe imports a model from a saved fields_get answer and
// serves it: administrators create and search its records over XML-RPC,
// another user is refused.
func TestModelImportServe(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "fields_get.json")
	if err := os.WriteFile(file, []byte(fleetFieldsGet), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "models")
	r := mustRun(t, "", "model", "import", "--from-file", file, "--models", "x.fleet", "--out", out)
	if !strings.Contains(r.stderr, "x.fleet.trip_ids left out") {
		t.Errorf("import did not say it left trip_ids out:\n%s", r)
	}
	if _, err := os.Stat(filepath.Join(out, "x_fleet.json")); err != nil {
		t.Fatal(err)
	}
	if r := runGodoo(t, "", "model", "import", "--from-file", file, "--models", "x.nothing", "--out", out); r.code == 0 {
		t.Errorf("import of a model the file lacks: %s", r)
	}

	data := filepath.Join(dir, "data")
	s := startServe(t, "--data-dir", data, "--models-path", out)
	m := generatedRE.FindStringSubmatch(s.out.String())
	if m == nil {
		t.Fatalf("no generated password:\n%s", s.out)
	}
	object, err := xmlrpc.NewClient("http://"+s.addr+"/xmlrpc/2/object", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer object.Close()
	call := func(uid any, password, method string, args []any, kw map[string]any, reply any) error {
		return object.Call("execute_kw", []any{"odoo", uid, password, "x.fleet", method, args, kw}, reply)
	}
	var partner int64
	if err := object.Call("execute_kw", []any{"odoo", 2, m[1], "res.partner", "create", []any{map[string]any{"name": "Ada"}}}, &partner); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := call(2, m[1], "create", []any{map[string]any{"name": "Van", "seats": 9, "driver_id": partner, "state": "used"}}, nil, &id); err != nil {
		t.Fatalf("create: %v", err)
	}
	var rows []map[string]any
	if err := call(2, m[1], "search_read", []any{[]any{[]any{"seats", ">", 5}}}, map[string]any{"fields": []any{"name", "seats", "driver_id", "state"}}, &rows); err != nil {
		t.Fatalf("search_read: %v", err)
	}
	if len(rows) != 1 || rows[0]["name"] != "Van" || rows[0]["seats"] != int64(9) || rows[0]["state"] != "used" {
		t.Errorf("search_read = %v", rows)
	} else if d, _ := rows[0]["driver_id"].([]any); len(d) != 2 || d[0] != partner || d[1] != "Ada" {
		t.Errorf("driver_id = %v", rows[0]["driver_id"])
	}
	if err := call(2, m[1], "create", []any{map[string]any{"name": "Car", "state": "old"}}, nil, &id); err == nil {
		t.Error("create with a value the selection lacks succeeded")
	}
	s.shutdown(t)

	mustRun(t, "", "user", "create", "clerk", "--data-dir", data, "--password", "clerk-Pass-1")
	s = startServe(t, "--data-dir", data, "--models-path", out)
	uid := s.login(t, "odoo", "clerk", "clerk-Pass-1")
	object2, err := xmlrpc.NewClient("http://"+s.addr+"/xmlrpc/2/object", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer object2.Close()
	var n int64
	err = object2.Call("execute_kw", []any{"odoo", uid, "clerk-Pass-1", "x.fleet", "search_count", []any{[]any{}}}, &n)
	if err == nil || !strings.Contains(err.Error(), "You are not allowed to access") {
		t.Errorf("a user who is no administrator counted the fleet: %d, %v", n, err)
	}
	if err := object2.Call("execute_kw", []any{"odoo", 2, m[1], "x.fleet", "search_count", []any{[]any{}}}, &n); err != nil || n != 1 {
		t.Errorf("the administrator's count after a restart = %d, %v", n, err)
	}
	s.shutdown(t)

	// A database that installs a module keeps serving the models path's
	// models beside the module's.
	mustRun(t, "", "module", "install", "uom", "--db", "odoo", "--data-dir", data)
	s = startServe(t, "--data-dir", data, "--models-path", out)
	object3, err := xmlrpc.NewClient("http://"+s.addr+"/xmlrpc/2/object", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer object3.Close()
	for _, model := range []string{"x.fleet", "uom.uom"} {
		if err := object3.Call("execute_kw", []any{"odoo", 2, m[1], model, "search_count", []any{[]any{}}}, &n); err != nil || n == 0 {
			t.Errorf("%s after installing uom: count = %d, %v", model, n, err)
		}
	}
}

// TestImportFieldsGet: the shapes of answer import takes, and what it
// refuses before writing anything.
func TestImportFieldsGet(t *testing.T) {
	const one = `{"name": {"type": "char", "string": "Name", "store": true}, "type": {"type": "selection", "string": "Type", "selection": [["a", "A"]], "store": true}}`
	cases := []struct {
		name, data string
		models     []string
		wantErr    string // "" for success
		wantFields []string
	}{
		{"one model's fields", one, []string{"x.tool"}, "", []string{"name", "type"}},
		{"an object of models", `{"x.a": ` + one + `, "x.b": {"a_id": {"type": "many2one", "relation": "x.a", "string": "A", "store": true}}}`,
			[]string{"x.a", "x.b"}, "", nil},
		{"one model's fields, two names", one, []string{"x.a", "x.b"}, "names that model alone", nil},
		{"a model the file lacks", `{"x.a": ` + one + `}`, []string{"x.c"}, "x.c: not in the file", nil},
		{"a model godoo has", `{"res.partner": ` + one + `}`, []string{"res.partner"}, "godoo declares this model already", nil},
		{"an unknown type", `{"x.a": {"f": {"type": "float8", "string": "F"}}}`, []string{"x.a"}, `unknown type "float8"`, nil},
		{"a field name that is no identifier", `{"x.a": {"F-1": {"type": "char", "string": "F"}}}`, []string{"x.a"}, "F-1", nil},
		{"not an object", `[1]`, []string{"x.a"}, "must be a JSON object", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var note strings.Builder
			decls, files, err := importFieldsGet([]byte(c.data), c.models, nil, &note)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error = %v, want one with %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(decls) != len(c.models) || len(files) != len(c.models) {
				t.Fatalf("%d declarations for %d models", len(decls), len(c.models))
			}
			if c.wantFields != nil {
				var got []string
				for _, f := range decls[0].Fields {
					got = append(got, f.Name)
				}
				if strings.Join(got, ",") != strings.Join(c.wantFields, ",") {
					t.Errorf("fields = %v, want %v", got, c.wantFields)
				}
			}
		})
	}
}

// TestModelImportURL imports a model from a running server over XML-RPC:
// a godoo serving x.fleet (imported from a file) is the source, as an Odoo
// would be; the declaration written has its fields and types, and a key
// the source refuses fails the import.
func TestModelImportURL(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	s, password := startFleetSource(t, dir)
	defer s.shutdown(t)
	m := []string{"", password}
	url := "http://" + s.addr
	out := filepath.Join(dir, "imported")
	// The key on standard input, not on the command line.
	mustRun(t, m[1]+"\n", "model", "import", "--url", url, "--db", "odoo", "--user", "admin", "--models", "x.fleet", "--out", out)
	data, err := os.ReadFile(filepath.Join(out, "x_fleet.json"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := models.ParseDeclaration(data)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, f := range d.Fields {
		types[f.Name] = f.Type
	}
	for name, typ := range map[string]string{"name": "char", "seats": "integer", "driver_id": "many2one", "state": "selection"} {
		if types[name] != typ {
			t.Errorf("imported %s is %q, want %s (all: %v)", name, types[name], typ, types)
		}
	}
	if r := runGodoo(t, "", "model", "import", "--url", url, "--db", "odoo", "--user", "admin", "--api-key", "wrong",
		"--models", "x.fleet", "--out", filepath.Join(dir, "refused")); r.code == 0 || !strings.Contains(r.stderr, "refused") {
		t.Errorf("import with a wrong key: %s", r)
	}
	if r := runGodoo(t, "", "model", "import", "--url", url, "--models", "x.fleet"); r.code == 0 {
		t.Errorf("import --url without --db and --user: %s", r)
	}
}

// startFleetSource starts a godoo serving x.fleet (imported from
// fleetFieldsGet) on a new SQLite data directory in dir, to import from as
// from an Odoo; it returns the server and the administrator's password.
func startFleetSource(t *testing.T, dir string) (*server, string) {
	t.Helper()
	file := filepath.Join(dir, "fields_get.json")
	if err := os.WriteFile(file, []byte(fleetFieldsGet), 0o644); err != nil {
		t.Fatal(err)
	}
	source := filepath.Join(dir, "source")
	mustRun(t, "", "model", "import", "--from-file", file, "--models", "x.fleet", "--out", source)
	s := startServe(t, "--data-dir", filepath.Join(dir, "sourcedata"), "--models-path", source)
	m := generatedRE.FindStringSubmatch(s.out.String())
	if m == nil {
		t.Fatalf("no generated password:\n%s", s.out)
	}
	return s, m[1]
}
