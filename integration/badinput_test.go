package integration_test

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestBadInput sends what a broken or hostile client may send. Each bad
// input must get its exact fault, leave the server answering and write
// nothing.
func TestBadInput(t *testing.T) {
	eachStore(t, services.Config{ListDB: true}, godoorpc.Options{}, func(t *testing.T, e *env) {
		t.Run("arguments", func(t *testing.T) { testBadArguments(t, e) })
		t.Run("unknown names", func(t *testing.T) { testBadNames(t, e) })
		t.Run("database names", func(t *testing.T) { testBadDBNames(t, e) })
		t.Run("body limit", func(t *testing.T) { testBadBodyLimit(t, e) })
		t.Run("deep nesting", func(t *testing.T) { testBadNesting(t, e) })
		t.Run("huge numbers", func(t *testing.T) { testBadNumbers(t, e) })
		t.Run("invalid UTF-8", func(t *testing.T) { testBadUTF8(t, e) })
		t.Run("one transaction per call", func(t *testing.T) { testBadCreateList(t, e) })
		t.Run("concurrent", func(t *testing.T) { testBadConcurrent(t, e) })
	})
}

// alive checks that the server still answers common.version over both
// protocols.
func (e *env) alive(t *testing.T) {
	t.Helper()
	for _, c := range e.callers() {
		v, f := c.call(t, "common", "version")
		if f != nil {
			t.Fatalf("%s: version after a bad input: %v", c.protocol(), f)
		}
		if v.(map[string]any)["server_version"] != "18.0" {
			t.Fatalf("%s: version after a bad input: %v", c.protocol(), v)
		}
	}
}

// partners counts every res.partner row, archived or not.
func (e *env) partners(t *testing.T) int64 {
	t.Helper()
	return e.count(t, "res.partner", []any{})
}

func testBadArguments(t *testing.T, e *env) {
	// A partner that the bad writes below aim at.
	target := e.mustKw(t, jsonCaller{e.srv.URL}, "res.partner", "create", []any{map[string]any{"name": "Bad input target"}}, nil).(int64)
	db, pw := e.db, adminPassword
	kw := func(model, method string, rest ...any) []any {
		return append([]any{db, 2, pw, model, method}, rest...)
	}
	const typeError, valueError = "builtins.TypeError", "builtins.ValueError"
	for _, tc := range []struct {
		name            string
		service, method string
		args            []any
		exc, msg        string // every one of these is a fault 1
	}{
		{name: "execute_kw without args", service: "object", method: "execute_kw", args: kw("res.partner", "search"),
			exc: typeError, msg: "execute_kw() missing 1 required positional argument: 'args'"},
		{name: "execute_kw with only a db", service: "object", method: "execute_kw", args: []any{db},
			exc: typeError, msg: "execute_kw() missing 5 required positional arguments: 'uid', 'passwd', 'obj', 'method', and 'args'"},
		{name: "execute_kw with no params", service: "object", method: "execute_kw", args: []any{},
			exc: typeError, msg: "execute_kw() missing 6 required positional arguments: 'db', 'uid', 'passwd', 'obj', 'method', and 'args'"},
		{name: "execute_kw with too many", service: "object", method: "execute_kw", args: kw("res.partner", "search", []any{[]any{}}, map[string]any{}, 1),
			exc: typeError, msg: "execute_kw() takes from 6 to 7 positional arguments but 8 were given"},
		{name: "execute without method", service: "object", method: "execute", args: []any{db, 2, pw, "res.partner"},
			exc: typeError, msg: "execute() missing 1 required positional argument: 'method'"},
		{name: "login with 2 params", service: "common", method: "login", args: []any{db, "admin"},
			exc: typeError, msg: "exp_login() missing 1 required positional argument: 'password'"},
		{name: "login with 4 params", service: "common", method: "login", args: []any{db, "admin", pw, "x"},
			exc: typeError, msg: "exp_login() takes 3 positional arguments but 4 were given"},
		{name: "version with one param", service: "common", method: "version", args: []any{"x"},
			exc: typeError, msg: "exp_version() takes 0 positional arguments but 1 was given"},
		{name: "login with a list as db", service: "common", method: "login", args: []any{[]any{db}, "admin", pw},
			exc: typeError, msg: "exp_login() argument 'db' must be str, not list"},
		{name: "uid that is a list", service: "object", method: "execute_kw", args: []any{db, []any{2}, pw, "res.partner", "search", []any{[]any{}}},
			exc: typeError, msg: "execute_kw() argument 'uid' must be int, not list"},
		{name: "uid that is a struct", service: "object", method: "execute_kw", args: []any{db, map[string]any{"id": 2}, pw, "res.partner", "search", []any{[]any{}}},
			exc: typeError, msg: "execute_kw() argument 'uid' must be int, not dict"},
		{name: "uid that is not a number", service: "object", method: "execute_kw", args: []any{db, "two", pw, "res.partner", "search", []any{[]any{}}},
			exc: valueError, msg: "invalid literal for int() with base 10: 'two'"},
		{name: "uid that is a fraction", service: "object", method: "execute_kw", args: []any{db, 2.5, pw, "res.partner", "search", []any{[]any{}}},
			exc: typeError, msg: "execute_kw() argument 'uid' must be int, not float"},
		// Odoo spreads args with Python's *: a string gives its
		// characters, a dict its keys, and here the domain is a string.
		{name: "args that is a string", service: "object", method: "execute_kw", args: kw("res.partner", "search_count", "x"),
			exc: "builtins.AssertionError", msg: "Domains to normalize must have a 'domain' form: a list or tuple of domain components"},
		{name: "args that is a struct", service: "object", method: "execute_kw", args: kw("res.partner", "search", map[string]any{"domain": []any{}}),
			exc: "builtins.AssertionError", msg: "Domains to normalize must have a 'domain' form: a list or tuple of domain components"},
		{name: "a dict given positionally for limit", service: "object", method: "execute_kw", args: kw("res.partner", "search_count", []any{[]any{}, map[string]any{"active_test": false}}),
			exc: "psycopg2.ProgrammingError", msg: "can't adapt type 'dict'"},
		{name: "kwargs that is a list", service: "object", method: "execute_kw", args: kw("res.partner", "search", []any{[]any{}}, []any{1}),
			exc: typeError, msg: "execute_kw() argument 'kw' must be dict, not list"},
		{name: "kwargs that is a string", service: "object", method: "execute_kw", args: kw("res.partner", "search", []any{[]any{}}, "limit=1"),
			exc: typeError, msg: "execute_kw() argument 'kw' must be dict, not str"},
		{name: "model that is a list", service: "object", method: "execute_kw", args: []any{db, 2, pw, []any{"res.partner"}, "search", []any{[]any{}}},
			exc: typeError, msg: "execute_kw() argument 'obj' must be str, not list"},
		{name: "create with a string", service: "object", method: "execute_kw", args: kw("res.partner", "create", []any{"Bad input created"}),
			exc: "builtins.AttributeError", msg: "'str' object has no attribute 'get'"},
		{name: "create with a list of strings", service: "object", method: "execute_kw", args: kw("res.partner", "create", []any{[]any{"Bad input created"}}),
			exc: "builtins.AttributeError", msg: "'str' object has no attribute 'get'"},
		{name: "create with a number", service: "object", method: "execute_kw", args: kw("res.partner", "create", []any{int64(7)}),
			exc: typeError, msg: "'int' object is not iterable"},
		{name: "write with a string", service: "object", method: "execute_kw", args: kw("res.partner", "write", []any{[]any{target}, "Bad input written"}),
			exc: "builtins.AttributeError", msg: "'str' object has no attribute 'get'"},
		{name: "write with a list", service: "object", method: "execute_kw", args: kw("res.partner.category", "write", []any{[]any{int64(1)}, []any{"name", "Bad input written"}}),
			exc: typeError, msg: "write() expects a dictionary of values, got ['name', 'Bad input written']"},
		// Odoo's Partner.write reads its values with .get first.
		{name: "write of a partner with a list", service: "object", method: "execute_kw", args: kw("res.partner", "write", []any{[]any{target}, []any{"name", "Bad input written"}}),
			exc: "builtins.AttributeError", msg: "'list' object has no attribute 'get'"},
		{name: "write with ids that are strings", service: "object", method: "execute_kw", args: kw("res.partner", "write", []any{[]any{"a"}, map[string]any{"name": "Bad input written"}}),
			exc: "psycopg2.errors.InvalidTextRepresentation", msg: `invalid input syntax for type integer: "a"`},
		{name: "read with ids that are strings", service: "object", method: "execute_kw", args: kw("res.partner", "read", []any{[]any{"a"}}),
			exc: "psycopg2.errors.InvalidTextRepresentation", msg: `invalid input syntax for type integer: "a"`},
		{name: "read with ids that are a dict", service: "object", method: "execute_kw", args: kw("res.partner", "read", []any{map[string]any{"b": 1, "a": 2}}),
			exc: "psycopg2.errors.InvalidTextRepresentation", msg: `invalid input syntax for type integer: "a"`},
		{name: "read with ids that are structs", service: "object", method: "execute_kw", args: kw("res.partner", "read", []any{[]any{map[string]any{}}}),
			exc: typeError},
		{name: "read with fields that is a number", service: "object", method: "execute_kw", args: kw("res.partner", "read", []any{[]any{target}, 5}),
			exc: typeError, msg: "fields must be a list of field names"},
		{name: "search with a string domain", service: "object", method: "execute_kw", args: kw("res.partner", "search", []any{"name"}),
			exc: "builtins.AssertionError", msg: "Domains to normalize must have a 'domain' form: a list or tuple of domain components"},
		{name: "search with a domain of numbers", service: "object", method: "execute_kw", args: kw("res.partner", "search", []any{[]any{1, 2}}),
			exc: typeError, msg: "'int' object is not subscriptable"},
		{name: "context that is a list", service: "object", method: "execute_kw", args: kw("res.partner", "search", []any{[]any{}}, map[string]any{"context": []any{1}}),
			exc: typeError, msg: "context must be a dictionary"},
		{name: "unlink with a string id", service: "object", method: "execute_kw", args: kw("res.partner", "unlink", []any{"x"}),
			exc: "psycopg2.errors.InvalidTextRepresentation", msg: `invalid input syntax for type integer: "x"`},
		{name: "search with limit x", service: "object", method: "execute_kw", args: kw("res.partner", "search", []any{[]any{}}, map[string]any{"limit": "x"}),
			exc: typeError, msg: "limit must be an integer, not 'x'"},
		{name: "search with offset x", service: "object", method: "execute_kw", args: kw("res.partner", "search", []any{[]any{}}, map[string]any{"offset": "x"}),
			exc: typeError, msg: "offset must be an integer, not 'x'"},
		{name: "search with order 5", service: "object", method: "execute_kw", args: kw("res.partner", "search", []any{[]any{}}, map[string]any{"order": int64(5)}),
			exc: typeError, msg: "order must be a string, not 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.eachProtocol(t, func(t *testing.T, c caller) {
				before := e.partners(t)
				v, f := c.call(t, tc.service, tc.method, tc.args...)
				e.alive(t)
				if n := e.partners(t); n != before {
					t.Errorf("partners %d → %d: a bad call wrote", before, n)
				}
				got := e.mustKw(t, jsonCaller{e.srv.URL}, "res.partner", "read", []any{[]any{target}, []any{"name"}}, nil).([]any)[0].(map[string]any)
				equal(t, "target name", got["name"], "Bad input target")
				if f == nil {
					t.Fatalf("want a fault, got %#v", v)
				}
				if tc.msg == "" {
					wantFault(t, c, f, 1, "")
					if c.protocol() == "jsonrpc" && f.Name != tc.exc {
						t.Errorf("data.name = %q, want %q", f.Name, tc.exc)
					}
					return
				}
				wantExact(t, c, f, 1, tc.exc, tc.msg)
			})
		})
	}
}

func testBadNames(t *testing.T, e *env) {
	db, pw := e.db, adminPassword
	// Raw XML-RPC on services that do not exist.
	for _, service := range []string{"report", "Object", "object_", "%2e%2e", "%2Fetc"} {
		name := strings.NewReplacer("%2e", ".", "%2F", "/").Replace(service)
		tb := "Traceback (most recent call last):\n  File \"godoo\", line 1, in render_report\nKeyError: '" + name + "'\n"
		body := xmlCall("render_report", xs(db), xi(2), xs(pw), xs("x"), xa())
		wantXML(t, postXML(t, e.srv.URL+"/xmlrpc/2/"+service, body), intFault(1, tb))
		wantXML(t, postXML(t, e.srv.URL+"/xmlrpc/"+service, body), stringFault("'"+name+"'", tb))
	}
	for _, path := range []string{"/xmlrpc/2/", "/xmlrpc/2/a/b", "/xmlrpc/", "/xmlrpc/2/common/x", "/jsonrpc/x"} {
		if r := postXML(t, e.srv.URL+path, xmlCall("version")); r.status != http.StatusNotFound {
			t.Errorf("POST %s: HTTP %d, want 404: %s", path, r.status, r.body)
		}
	}
	for _, tc := range []struct {
		name            string
		service, method string
		args            []any
		code            int
		exc, msg        string
	}{
		{"unknown service", "report", "render_report", []any{db, 2, pw, "x", []any{}}, 1, "builtins.KeyError", "report"},
		{"unknown common method", "common", "execute_kw", []any{db, 2, pw}, 1, "builtins.Exception", "Method not found: execute_kw"},
		{"unknown object method", "object", "version", nil, 1, "builtins.NameError", "Method not available version"},
		{"unknown db method", "db", "login", []any{db, "admin", pw}, 1, "builtins.KeyError", "Method not found: login"},
		{"Go method name", "object", "ExecuteKw", []any{db, 2, pw, "res.partner", "search", []any{[]any{}}}, 1, "builtins.NameError", "Method not available ExecuteKw"},
		{"dotted method", "common", "system.listMethods", nil, 1, "builtins.Exception", "Method not found: system.listMethods"},
		{"private method name", "db", "__init__", nil, 1, "builtins.KeyError", "Method not found: __init__"},
		{"unknown model", "object", "execute_kw", []any{db, 2, pw, "res.nope", "create", []any{map[string]any{"name": "x"}}}, 2, "odoo.exceptions.UserError", "Object res.nope doesn't exist"},
		{"empty model", "object", "execute_kw", []any{db, 2, pw, "", "search", []any{[]any{}}}, 2, "odoo.exceptions.UserError", "Object  doesn't exist"},
		{"unknown model method", "object", "execute_kw", []any{db, 2, pw, "res.partner", "nope", []any{}}, 1, "builtins.AttributeError", "The method 'res.partner.nope' does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.eachProtocol(t, func(t *testing.T, c caller) {
				before := e.partners(t)
				_, f := c.call(t, tc.service, tc.method, tc.args...)
				wantExact(t, c, f, tc.code, tc.exc, tc.msg)
				e.alive(t)
				if n := e.partners(t); n != before {
					t.Errorf("partners %d → %d", before, n)
				}
			})
		})
	}
}

// storeFiles lists every file under a SQLite store's data directory, plus
// every database the store knows; a bad name must change neither.
func storeFiles(t *testing.T, e *env) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	names, err := e.set.Database.Names(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		out["db:"+n] = true
	}
	if p, ok := e.store.(interface{ Path(string) string }); ok {
		root := filepath.Dir(filepath.Dir(p.Path("x")))
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			out[path] = true
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func testBadDBNames(t *testing.T, e *env) {
	db, pw := e.db, adminPassword
	escape := uniqueName("godoo_escape_")
	// Names that are not database names: each must be refused before any
	// file or database is touched.
	invalid := []string{"../etc", "../../../../tmp/" + escape, "a/b", "/tmp/" + escape, "..", ".", "", "-x", "x;drop", "x y",
		"it_x\\..\\y", "x\u0000y", "é", strings.Repeat("a", 64), db + "/../" + db}
	// A valid name that does not exist.
	missing := db + "_missing"
	// A PostgreSQL server is shared with the other tests and with other
	// runs of the suite, which make and drop databases meanwhile: there
	// only the databases a bad name could have made (the name, cut to
	// PostgreSQL's 63 bytes) and this test's own are compared. A SQLite
	// store is the test's own directory, compared whole.
	_, private := e.store.(interface{ Path(string) string })
	candidates := map[string]bool{"db:" + db: true, "db:" + missing: true, "db:" + db + "_renamed": true}
	for _, n := range invalid {
		candidates["db:"+n] = true
		candidates["db:"+n[:min(len(n), 63)]] = true
	}
	compared := func(f string) bool {
		if strings.HasSuffix(f, "-wal") || strings.HasSuffix(f, "-shm") || strings.HasSuffix(f, "-journal") {
			return false
		}
		return private || candidates[f]
	}
	before := storeFiles(t, e)
	check := func(t *testing.T) {
		t.Helper()
		after := storeFiles(t, e)
		for f := range after {
			if !before[f] && compared(f) {
				t.Errorf("a bad name created %s", f)
			}
		}
		for f := range before {
			if !after[f] && compared(f) {
				t.Errorf("a bad name removed %s", f)
			}
		}
		if m, _ := filepath.Glob("/tmp/" + escape + "*"); len(m) > 0 {
			t.Errorf("a bad name created %v", m)
		}
	}
	noDB := func(name string) string { return fmt.Sprintf("FATAL:  database %q does not exist", name) }
	invalidName := func(name string) string {
		return fmt.Sprintf("Invalid database name: %q. Only letters, numbers, '_', '-' and '.' are allowed.", name)
	}
	for _, name := range append([]string{missing}, invalid...) {
		t.Run(strconv.Quote(name), func(t *testing.T) {
			e.eachProtocol(t, func(t *testing.T, c caller) {
				if c.protocol() == "xmlrpc" && strings.ContainsRune(name, 0) {
					return // XML cannot carry NUL: not applicable to XML-RPC
				}
				_, f := c.call(t, "common", "login", name, "admin", pw)
				wantExact(t, c, f, 1, "psycopg2.OperationalError", noDB(name))
				_, f = c.call(t, "common", "authenticate", name, "admin", pw, map[string]any{})
				wantExact(t, c, f, 1, "psycopg2.OperationalError", noDB(name))
				_, f = c.call(t, "object", "execute_kw", name, 2, pw, "res.partner", "create", []any{map[string]any{"name": "x"}})
				wantExact(t, c, f, 1, "psycopg2.OperationalError", noDB(name))
				v, f := c.call(t, "db", "db_exist", name)
				if f != nil || v != false {
					t.Errorf("db_exist = %v, %v; want false", v, f)
				}
				if name == missing {
					return // a valid name: management calls would act on it
				}
				_, f = c.call(t, "db", "create_database", masterPassword, name, false, "en_US", "pw-1")
				wantExact(t, c, f, 2, "odoo.exceptions.UserError", invalidName(name))
				v, f = c.call(t, "db", "drop", masterPassword, name)
				if f != nil || v != false {
					t.Errorf("drop = %v, %v; want false", v, f)
				}
				_, f = c.call(t, "db", "rename", masterPassword, db, name)
				wantExact(t, c, f, 2, "odoo.exceptions.UserError", invalidName(name))
				_, f = c.call(t, "db", "duplicate_database", masterPassword, db, name)
				wantExact(t, c, f, 2, "odoo.exceptions.UserError", invalidName(name))
				_, f = c.call(t, "db", "rename", masterPassword, name, db+"_renamed")
				if f == nil {
					t.Errorf("rename from %q succeeded", name)
				}
				check(t)
				e.alive(t)
				if v, _ := c.call(t, "db", "db_exist", db); v != true {
					t.Fatalf("the test database is gone")
				}
			})
		})
	}
	check(t)
}

// rawPost posts without a *testing.T, for goroutines and for bodies of
// unknown length; it never fails the test itself.
func rawPost(url, contentType string, body io.Reader) (httpResult, error) {
	req, err := http.NewRequest(http.MethodPost, url, body)
	if err != nil {
		return httpResult{}, err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return httpResult{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return httpResult{status: resp.StatusCode, header: resp.Header, body: b}, err
}

// onlyReader hides a body's length, so that it is sent chunked.
type onlyReader struct{ io.Reader }

func testBadBodyLimit(t *testing.T, e *env) {
	// A second handler over the same services, with a 4 KiB body limit.
	h := godoorpc.NewHandler(e.set, godoorpc.Options{MaxBodyBytes: 4096})
	h.SetReady(true)
	srv := httptest.NewServer(h)
	defer srv.Close()

	xmlCreate := func(name string) []byte {
		return xmlCall("execute_kw", append(e.adminKw("res.partner", "create"), xa(xst("name", xs(name))))...)
	}
	jsonCreate := func(name string) []byte {
		return jsonBody("object", "execute_kw", e.db, 2, adminPassword, "res.partner", "create", []any{map[string]any{"name": name}})
	}
	big := "Too big " + strings.Repeat("x", 4200)
	for _, tc := range []struct {
		name, path, contentType string
		body                    []byte
	}{
		{"xmlrpc/2", "/xmlrpc/2/object", "text/xml", xmlCreate(big)},
		{"legacy xmlrpc", "/xmlrpc/object", "text/xml", xmlCreate(big)},
		{"xmlrpc common", "/xmlrpc/2/common", "text/xml", xmlCall("about", xs(big))},
		{"jsonrpc", "/jsonrpc", "application/json", jsonCreate(big)},
		{"jsonrpc with padding", "/jsonrpc", "application/json", append(jsonBody("common", "version"), bytes.Repeat([]byte(" "), 5000)...)},
		{"xmlrpc with padding", "/xmlrpc/2/common", "text/xml", append(xmlCall("version"), bytes.Repeat([]byte("\n"), 5000)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.partners(t)
			for _, chunked := range []bool{false, true} {
				var body io.Reader = bytes.NewReader(tc.body)
				if chunked {
					body = onlyReader{body}
				}
				r, err := rawPost(srv.URL+tc.path, tc.contentType, body)
				if err != nil {
					t.Fatalf("chunked=%v: %v", chunked, err)
				}
				if r.status != http.StatusRequestEntityTooLarge {
					t.Errorf("chunked=%v: HTTP %d, want 413: %.200s", chunked, r.status, r.body)
				}
			}
			if n := e.partners(t); n != before {
				t.Errorf("partners %d → %d: an oversized create wrote", before, n)
			}
			// The limited server still answers, and the default one takes
			// the same body.
			wantXML(t, postXML(t, srv.URL+"/xmlrpc/2/common", xmlCall("login", xs(e.db), xs("admin"), xs(adminPassword))), respDoc("<value><int>2</int></value>\n"))
			r := post(t, e.srv.URL+tc.path, tc.contentType, tc.body)
			if r.status != http.StatusOK || bytes.Contains(r.body, []byte("<fault>")) || bytes.Contains(r.body, []byte(`"error"`)) {
				t.Errorf("the default limit refused %d bytes: HTTP %d %.300s", len(tc.body), r.status, r.body)
			}
		})
	}
	// A body just under the limit is served.
	small := "Small enough " + strings.Repeat("y", 3000)
	for _, tc := range []struct {
		path, contentType string
		body              []byte
	}{
		{"/xmlrpc/2/object", "text/xml", xmlCreate(small)},
		{"/jsonrpc", "application/json", jsonCreate(small)},
	} {
		if len(tc.body) > 4096 {
			t.Fatalf("test body is %d bytes", len(tc.body))
		}
		r := post(t, srv.URL+tc.path, tc.contentType, tc.body)
		if r.status != http.StatusOK || bytes.Contains(r.body, []byte("<fault>")) || bytes.Contains(r.body, []byte(`"error"`)) {
			t.Errorf("%s: a %d-byte body: HTTP %d %.300s", tc.path, len(tc.body), r.status, r.body)
		}
	}
	equal(t, "bodies under the limit created", e.count(t, "res.partner", []any{[]any{"name", "=", small}}), int64(2))
	e.alive(t)
}

// testBadUTF8: a JSON body that is not valid UTF-8 is not JSON. The JSON-RPC
// routes answer Odoo's 400 "Invalid JSON data" and JSON-2 its 400
// "could not parse the body as json", and nothing is written; the same
// body in valid UTF-8 creates its partner, so the refusal is the bytes'.
func testBadUTF8(t *testing.T, e *env) {
	rpcc := jsonCaller{e.srv.URL}
	key := e.mustKw(t, rpcc, "res.users.apikeys", "generate", []any{"rpc", "utf-8 test", false}, nil).(string)
	login := post(t, e.srv.URL+"/web/session/authenticate", "application/json",
		[]byte(`{"params": {"db": "`+e.db+`", "login": "admin", "password": "`+adminPassword+`"}}`))
	var session string
	for _, c := range (&http.Response{Header: login.header}).Cookies() {
		if c.Name == "session_id" {
			session = c.Value
		}
	}
	if session == "" {
		t.Fatalf("no session: %s", login.body)
	}
	name := func(valid bool) string {
		if valid {
			return "Caf\u00e9 UTF-8 test " + randomText(6)
		}
		return "Caf\xe9 UTF-8 test " + randomText(6)
	}
	for _, tc := range []struct {
		route  string
		path   string
		header []string
		body   func(name string) string
	}{
		{"jsonrpc", "/jsonrpc", nil, func(n string) string {
			return `{"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"service": "object", "method": "execute_kw", "args": ["` +
				e.db + `", 2, "` + adminPassword + `", "res.partner", "create", [{"name": "` + n + `"}]]}}`
		}},
		{"call_kw", "/web/dataset/call_kw/res.partner/create", []string{"Cookie", "session_id=" + session}, func(n string) string {
			return `{"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"model": "res.partner", "method": "create", "args": [{"name": "` +
				n + `"}], "kwargs": {}}}`
		}},
		{"json2", "/json/2/res.partner/create", []string{"Authorization", "bearer " + key, "X-Odoo-Database", e.db}, func(n string) string {
			return `{"vals_list": [{"name": "` + n + `"}]}`
		}},
	} {
		t.Run(tc.route, func(t *testing.T) {
			before := e.partners(t)
			ok := post(t, e.srv.URL+tc.path, "application/json", []byte(tc.body(name(true))), tc.header...)
			if ok.status != http.StatusOK || bytes.Contains(ok.body, []byte(`"error"`)) {
				t.Fatalf("the valid body: HTTP %d %s", ok.status, ok.body)
			}
			if n := e.partners(t); n != before+1 {
				t.Fatalf("the valid body: partners %d → %d", before, n)
			}
			bad := tc.body(name(false))
			if utf8.ValidString(bad) {
				t.Fatal("the bad body is valid UTF-8")
			}
			r := post(t, e.srv.URL+tc.path, "application/json", []byte(bad), tc.header...)
			if tc.route == "json2" {
				pos := strings.Index(bad, "\xe9")
				want := fmt.Sprintf("could not parse the body as json: 'utf-8' codec can't decode byte 0xe9 in position %d: invalid continuation byte", pos)
				m := r.object(t)
				if r.status != http.StatusBadRequest || m["name"] != "werkzeug.exceptions.BadRequest" || m["message"] != want {
					t.Errorf("HTTP %d %s, want 400 %s", r.status, r.body, want)
				}
			} else if r.status != http.StatusBadRequest || string(r.body) != "Invalid JSON data\n" {
				t.Errorf("HTTP %d %q, want 400 Invalid JSON data", r.status, r.body)
			}
			if n := e.partners(t); n != before+1 {
				t.Errorf("partners %d → %d: the invalid UTF-8 body wrote", before+1, n)
			}
		})
	}
	e.alive(t)
}

func testBadNesting(t *testing.T, e *env) {
	const deep = 100000
	nestXML := func(n int, open, close string) string {
		return strings.Repeat(open, n) + xi(1) + strings.Repeat(close, n)
	}
	nestJSON := func(n int, open, close string) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	echoXML := func(v string) []byte { return xmlCall("execute_kw", append(e.adminKw("test.rpc", "echo"), xa(v))...) }
	echoJSON := func(v string) []byte {
		return []byte(`{"jsonrpc": "2.0", "id": 9, "params": {"service": "object", "method": "execute_kw", "args": [` +
			strconv.Quote(e.db) + `, 2, ` + strconv.Quote(adminPassword) + `, "test.rpc", "echo", [` + v + `]]}}`)
	}
	// nestingGuard fails a refusal of deep nesting that does work beyond
	// linear: quadratic work on 100 000 levels is ten billion steps, while
	// the linear refusal takes milliseconds even on a loaded machine. It is
	// a guard, not a measurement; benchmarks measure.
	const nestingGuard = 30 * time.Second
	const xmlDeep = "ValueError: arrays and structs nested deeper than 64 levels"
	const jsonDeep = "maximum recursion depth exceeded while decoding a JSON document"
	for _, tc := range []struct {
		name string
		n    int
	}{{"65 levels", 65}, {"1000 levels", 1000}, {"100 000 levels", deep}} {
		t.Run(tc.name, func(t *testing.T) {
			for _, body := range [][]byte{
				echoXML(nestXML(tc.n, "<array><data><value>", "</value></data></array>")),
				echoXML(nestXML(tc.n, "<struct><member><name>a</name><value>", "</value></member></struct>")),
			} {
				start := time.Now()
				typ, code, s := xmlFault(t, postXML(t, e.srv.URL+"/xmlrpc/2/object", body))
				if typ != "int" || code != "1" || !strings.HasSuffix(s, "\n"+xmlDeep+"\n") {
					t.Errorf("fault <%s>%s %q, want 1 with %s", typ, code, s, xmlDeep)
				}
				if d := time.Since(start); d > nestingGuard {
					t.Errorf("%d levels of XML took %v", tc.n, d)
				}
			}
			for _, body := range [][]byte{
				echoJSON(nestJSON(tc.n, "[", "]")),
				echoJSON(nestJSON(tc.n, `{"a": `, "}")),
			} {
				start := time.Now()
				data := errorData(t, postJSON(t, e.jsonURL(), body))
				equal(t, "data.name", data["name"], "builtins.RecursionError")
				equal(t, "data.message", data["message"], jsonDeep)
				if d := time.Since(start); d > nestingGuard {
					t.Errorf("%d levels of JSON took %v", tc.n, d)
				}
			}
			e.alive(t)
		})
	}
	// Nesting within the limit is served, and echoed back whole.
	v := e.mustKw(t, xmlCaller{e.srv.URL}, "test.rpc", "echo", []any{mustJSON(t, nestJSON(40, "[", "]"))}, nil)
	equal(t, "40 levels over XML-RPC", v, mustJSON(t, nestJSON(40, "[", "]")))
	r := postJSON(t, e.jsonURL(), echoJSON(nestJSON(40, `{"a": `, "}")))
	wantJSONHeaders(t, r)
	if want := `{"jsonrpc": "2.0", "id": 9, "result": ` + nestJSON(40, `{"a": `, "}") + `}`; string(r.body) != want {
		t.Errorf("40 levels over JSON-RPC: %.300s", r.body)
	}
}

func mustJSON(t *testing.T, s string) any {
	t.Helper()
	return httpResult{body: []byte(`{"v": ` + s + `}`)}.object(t)["v"]
}

func testBadNumbers(t *testing.T, e *env) {
	echoJSON := func(v string) []byte {
		return []byte(`{"jsonrpc": "2.0", "id": 3, "params": {"service": "object", "method": "execute_kw", "args": [` +
			strconv.Quote(e.db) + `, 2, ` + strconv.Quote(adminPassword) + `, "test.rpc", "echo", [` + v + `]]}}`)
	}
	for _, tc := range []struct {
		literal, exc, msg string
	}{
		{"1e400", "builtins.ValueError", "number out of range: 1e400"},
		{"-1e400", "builtins.ValueError", "number out of range: -1e400"},
		{"[1, {\"a\": 1E+999}]", "builtins.ValueError", "number out of range: 1E+999"},
		{"9223372036854775808", "builtins.OverflowError", `integer "9223372036854775808" does not fit in 64 bits`},
		{"-9223372036854775809", "builtins.OverflowError", `integer "-9223372036854775809" does not fit in 64 bits`},
		{"123456789012345678901234567890", "builtins.OverflowError", `integer "123456789012345678901234567890" does not fit in 64 bits`},
		{strings.Repeat("7", 5000), "builtins.OverflowError", `integer "` + strings.Repeat("7", 40) + `"... does not fit in 64 bits`},
	} {
		t.Run("json "+tc.literal[:min(len(tc.literal), 24)], func(t *testing.T) {
			data := errorData(t, postJSON(t, e.jsonURL(), echoJSON(tc.literal)))
			equal(t, "data.name", data["name"], tc.exc)
			equal(t, "data.message", data["message"], tc.msg)
			e.alive(t)
		})
	}
	// The largest integers and finite floats are exact.
	for _, lit := range []string{"9223372036854775807", "-9223372036854775808", "1.7976931348623157e+308", "5e-324", "1e300"} {
		r := postJSON(t, e.jsonURL(), echoJSON(lit))
		wantJSONHeaders(t, r)
		m := r.object(t)
		want := mustJSON(t, lit)
		if !equalValue(m["result"], want) {
			t.Errorf("echo %s = %s", lit, r.body)
		}
	}
	// A huge number where an id is expected.
	r := postJSON(t, e.jsonURL(), []byte(`{"params": {"service": "object", "method": "execute_kw", "args": [`+
		strconv.Quote(e.db)+`, 1e400, "x", "res.partner", "search", [[]]]}}`))
	equal(t, "uid 1e400", errorData(t, r)["name"], "builtins.ValueError")

	for _, tc := range []struct {
		value, exc, msg string
	}{
		{"<int>9223372036854775808</int>", "OverflowError", `integer "9223372036854775808" does not fit in 64 bits`},
		{"<i8>-9223372036854775809</i8>", "OverflowError", `integer "-9223372036854775809" does not fit in 64 bits`},
		{"<i4>" + strings.Repeat("9", 400) + "</i4>", "OverflowError", `integer "` + strings.Repeat("9", 40) + `"... does not fit in 64 bits`},
		{"<biginteger>18446744073709551616</biginteger>", "OverflowError", `integer "18446744073709551616" does not fit in 64 bits`},
	} {
		t.Run("xml "+tc.value[:12], func(t *testing.T) {
			for _, path := range []string{"/xmlrpc/2/object", "/xmlrpc/object"} {
				typ, code, s := xmlFault(t, postXML(t, e.srv.URL+path, xmlCall("execute_kw", append(e.adminKw("test.rpc", "echo"), xa(tc.value))...)))
				if !strings.HasSuffix(s, "\n"+tc.exc+": "+tc.msg+"\n") {
					t.Errorf("%s: faultString %q", path, s)
				}
				if path == "/xmlrpc/2/object" && (typ != "int" || code != "1") {
					t.Errorf("%s: faultCode <%s>%s", path, typ, code)
				}
				if path == "/xmlrpc/object" && (typ != "string" || code != tc.msg) {
					t.Errorf("%s: faultCode <%s>%q", path, typ, code)
				}
			}
			// As a uid too.
			_, _, s := xmlFault(t, postXML(t, e.srv.URL+"/xmlrpc/2/object", xmlCall("execute_kw", xs(e.db), tc.value, xs(adminPassword), xs("res.partner"), xs("search"), xa(xa()))))
			if !strings.Contains(s, tc.exc) {
				t.Errorf("uid %s: %q", tc.value, s)
			}
			e.alive(t)
		})
	}
	// int64 bounds are accepted; the answer beyond int32 is XML-RPC's
	// OverflowError, as in Odoo.
	wantXML(t, postXML(t, e.srv.URL+"/xmlrpc/2/object", xmlCall("execute_kw", append(e.adminKw("test.rpc", "echo"), xa("<i8>-2147483648</i8>"))...)),
		respDoc("<value><int>-2147483648</int></value>\n"))
	_, _, s := xmlFault(t, postXML(t, e.srv.URL+"/xmlrpc/2/object", xmlCall("execute_kw", append(e.adminKw("test.rpc", "echo"), xa("<i8>9223372036854775807</i8>"))...)))
	if !strings.HasSuffix(s, "\nOverflowError: int exceeds XML-RPC limits\n") {
		t.Errorf("echo of int64 max: %q", s)
	}
}

func testBadCreateList(t *testing.T, e *env) {
	e.eachProtocol(t, func(t *testing.T, c caller) {
		first := "First of a bad batch " + c.protocol()
		for _, tc := range []struct {
			name     string
			model    string
			vals     []any
			code     int
			exc, msg string
		}{
			{"unknown field", "res.partner", []any{map[string]any{"name": first}, map[string]any{"name": "second", "nope_field": 1}},
				1, "builtins.ValueError", "Invalid field 'nope_field' on model 'res.partner'"},
			{"not a dict", "res.partner", []any{map[string]any{"name": first}, "second"},
				1, "builtins.AttributeError", "'str' object has no attribute 'get'"},
			// Odoo words every foreign-key violation this way; the message
			// only has to contain it.
			{"bad many2one", "res.partner", []any{map[string]any{"name": first}, map[string]any{"name": "second", "parent_id": 999999}},
				2, "", "The operation cannot be completed: another model requires the record being deleted."},
			{"duplicate login", "res.users", []any{map[string]any{"name": first, "login": first}, map[string]any{"name": "second", "login": "admin"}},
				2, "odoo.exceptions.ValidationError", "The operation cannot be completed: You can not have two users with the same login!"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := e.partners(t)
				_, f := e.kw(t, c, tc.model, "create", []any{tc.vals}, nil)
				if f == nil {
					t.Fatal("a batch with a bad second record was created")
				}
				if tc.exc == "" {
					wantFault(t, c, f, tc.code, tc.msg)
				} else {
					wantExact(t, c, f, tc.code, tc.exc, tc.msg)
				}
				equal(t, "first record written", e.count(t, "res.partner", []any{[]any{"name", "=", first}}), int64(0))
				equal(t, "partners", e.partners(t), before)
				e.alive(t)
			})
		}
	})
}

func testBadConcurrent(t *testing.T, e *env) {
	const workers, rounds = 20, 5
	good := func(w, i int) (string, string, []byte, func(httpResult) error) {
		switch i % 3 {
		case 0:
			name := fmt.Sprintf("Concurrent %d-%d", w, i)
			return "/jsonrpc", "application/json", jsonBody("object", "execute_kw", e.db, 2, adminPassword, "res.partner", "create", []any{map[string]any{"name": name}}),
				func(r httpResult) error {
					if r.status != 200 || !regexp.MustCompile(`^\{"jsonrpc": "2.0", "id": 1, "result": \d+\}$`).Match(r.body) {
						return fmt.Errorf("create %s: HTTP %d %s", name, r.status, r.body)
					}
					return nil
				}
		case 1:
			return "/xmlrpc/2/object", "text/xml", xmlCall("execute_kw", append(e.adminKw("res.users", "search"), xa(xa(xa(xs("id"), xs("="), xi(2)))))...),
				func(r httpResult) error {
					if want := respDoc("<value><array><data>\n<value><int>2</int></value>\n</data></array></value>\n"); string(r.body) != want {
						return fmt.Errorf("search: HTTP %d %s", r.status, r.body)
					}
					return nil
				}
		}
		return "/xmlrpc/2/common", "text/xml", xmlCall("version"), func(r httpResult) error {
			if r.status != 200 || !bytes.Contains(r.body, []byte("<name>server_version</name>\n<value><string>18.0</string>")) {
				return fmt.Errorf("version: HTTP %d %s", r.status, r.body)
			}
			return nil
		}
	}
	bad := []struct {
		path, contentType string
		body              []byte
		status            int
	}{
		{"/xmlrpc/2/object", "text/xml", []byte("<methodCall><methodName>execute_kw"), 200},
		{"/jsonrpc", "application/json", []byte(`{"params": [`), 400},
		{"/jsonrpc", "text/plain", jsonBody("common", "version"), 400},
		{"/xmlrpc/2/object", "text/xml", xmlCall("execute_kw", append(e.adminKw("test.rpc", "panic"), xa())...), 200},
		{"/xmlrpc/2/object", "text/xml", xmlCall("execute_kw", append(e.adminKw("test.rpc", "create_then_fail"), xa())...), 200},
		{"/jsonrpc", "application/json", jsonBody("object", "execute_kw", e.db, 2, "wrong", "res.partner", "search", []any{[]any{}}), 200},
		{"/jsonrpc", "application/json", jsonBody("object", "execute_kw", e.db, 2, adminPassword, "res.partner", "create", []any{[]any{map[string]any{"name": "Concurrent bad"}, map[string]any{"nope": 1}}}), 200},
		{"/xmlrpc/2/object", "text/xml", xmlCall("execute_kw", append(e.adminKw("test.rpc", "echo"), xa(strings.Repeat("<array><data><value>", 5000)))...), 200},
		{"/xmlrpc/2/report", "text/xml", xmlCall("x"), 200},
	}
	before := e.partners(t)
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*2)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				b := bad[(w+i)%len(bad)]
				r, err := rawPost(e.srv.URL+b.path, b.contentType, bytes.NewReader(b.body))
				switch {
				case err != nil:
					errs <- err
				case r.status != b.status:
					errs <- fmt.Errorf("bad %s: HTTP %d, want %d: %s", b.path, r.status, b.status, r.body)
				case r.status == 200 && !bytes.Contains(r.body, []byte("<fault>")) && !bytes.Contains(r.body, []byte(`"error": {`)):
					errs <- fmt.Errorf("bad %s: not a fault: %s", b.path, r.body)
				}
				path, ct, body, ok := good(w, i)
				r, err = rawPost(e.srv.URL+path, ct, bytes.NewReader(body))
				if err == nil {
					err = ok(r)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	creates := int64(0)
	for w := 0; w < workers; w++ {
		for i := 0; i < rounds; i++ {
			if i%3 == 0 {
				creates++
			}
		}
	}
	equal(t, "concurrent creates", e.count(t, "res.partner", []any{[]any{"name", "=like", "Concurrent %"}}), creates)
	equal(t, "partners", e.partners(t), before+creates)
	e.alive(t)
}
