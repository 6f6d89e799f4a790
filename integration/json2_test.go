package integration_test

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/rpc/rpctest"
	"github.com/godoo/godoo/services"
)

// TestJSON2 drives Odoo 19's JSON-2 API with plain HTTP on every store: a
// native key as a bearer token or a header key, named arguments, and the
// status codes and error bodies of spec/protocol.md §5.3.
func TestJSON2(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		rpcc := jsonCaller{e.srv.URL}
		key := e.mustKw(t, rpcc, "res.users.apikeys", "generate", []any{"rpc", "json2", false}, nil).(string)
		const headerKey = "json2-header-key-0123456789"
		e.mustKw(t, rpcc, "auth.api.key", "create", []any{map[string]any{"name": "json2", "key": headerKey, "user_id": int64(2)}}, nil)

		call := func(method, path, body string, headers ...string) httpResult {
			t.Helper()
			req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
			req.Header.Set("X-Odoo-Database", e.db)
			for i := 0; i+1 < len(headers); i += 2 {
				if headers[i+1] == "" {
					req.Header.Del(headers[i])
					continue
				}
				req.Header.Set(headers[i], headers[i+1])
			}
			return do(t, req)
		}
		bearer := func(path, body string) httpResult {
			t.Helper()
			return call("POST", path, body, "Authorization", "bearer "+key)
		}
		errorBody := func(t *testing.T, r httpResult, status int, fragment string) map[string]any {
			t.Helper()
			if r.status != status {
				t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
			}
			m := r.object(t)
			for _, k := range []string{"name", "message", "arguments", "context", "debug"} {
				if _, ok := m[k]; !ok {
					t.Errorf("error body without %q: %s", k, r.body)
				}
			}
			if msg, _ := m["message"].(string); !strings.Contains(msg, fragment) {
				t.Errorf("message %q does not contain %q", msg, fragment)
			}
			if strings.Contains(string(r.body), key) || strings.Contains(string(r.body), headerKey) {
				t.Errorf("error body echoes a key: %s", r.body)
			}
			return m
		}

		t.Run("name_search's domain keyword", func(t *testing.T) {
			// JSON-2 names it domain (Odoo 19), execute_kw args (Odoo 18).
			r := bearer("/json/2/res.partner/name_search", `{"name": "", "domain": [["id", "=", 0]]}`)
			if r.status != 200 || strings.TrimSpace(string(r.body)) != "[]" {
				t.Fatalf("HTTP %d: %s, want []", r.status, r.body)
			}
		})

		t.Run("search_read", func(t *testing.T) {
			r := bearer("/json/2/res.partner/search_read", `{"domain": [], "fields": ["name"], "limit": 1}`)
			if r.status != 200 || r.header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("HTTP %d %s: %s", r.status, r.header.Get("Content-Type"), r.body)
			}
			var got []any
			if err := jsonUnmarshal(r.body, &got); err != nil || len(got) != 1 {
				t.Fatalf("want a one-record array, got %s", r.body)
			}
			for _, scheme := range []string{"Bearer ", "BEARER  "} {
				if r := call("POST", "/json/2/res.partner/search_count", `{"domain": []}`, "Authorization", scheme+key); r.status != 200 {
					t.Errorf("scheme %q: HTTP %d", scheme, r.status)
				}
			}
			if r := call("POST", "/json/2/res.partner/search_count", `{"domain": []}`, "API-KEY", headerKey); r.status != 200 {
				t.Errorf("API-KEY header key: HTTP %d %s", r.status, r.body)
			}
		})
		t.Run("records and named arguments", func(t *testing.T) {
			r := bearer("/json/2/res.partner/create", `{"vals_list": {"name": "JSON-2 partner"}}`)
			var ids []any
			if err := jsonUnmarshal(r.body, &ids); err != nil || r.status != 200 || len(ids) != 1 {
				t.Fatalf("create must return a list: HTTP %d %s", r.status, r.body)
			}
			id := string(marshalJSON(t, ids[0]))
			r = bearer("/json/2/res.partner/read", `{"ids": [`+id+`], "fields": ["name"]}`)
			if r.status != 200 || !strings.Contains(string(r.body), "JSON-2 partner") {
				t.Errorf("read: HTTP %d %s", r.status, r.body)
			}
			r = bearer("/json/2/res.partner/write", `{"ids": [`+id+`], "vals": {"name": "JSON-2 renamed"}, "context": {"lang": "en_US"}}`)
			if r.status != 200 || string(r.body) != "true" {
				t.Errorf("write: HTTP %d %s", r.status, r.body)
			}
			if r := call("POST", "/json/2/res.users/context_get", "", "Authorization", "bearer "+key); r.status != 200 || !strings.Contains(string(r.body), `"uid": 2`) {
				t.Errorf("empty body: HTTP %d %s", r.status, r.body)
			}
			if r := bearer("/json/2/test.rpc/return_none", `{}`); r.status != 200 || string(r.body) != "null" {
				t.Errorf("None result: HTTP %d %s", r.status, r.body)
			}
		})
		t.Run("authentication", func(t *testing.T) {
			r := call("POST", "/json/2/res.partner/search_count", `{"domain": []}`)
			errorBody(t, r, 401, "User not authenticated")
			equal(t, "challenge", r.header.Get("WWW-Authenticate"), "Bearer")
			r = call("POST", "/json/2/res.partner/search_count", `{"domain": []}`, "Authorization", "bearer "+wrongLast(key))
			errorBody(t, r, 401, "Invalid apikey")
			equal(t, "challenge", r.header.Get("WWW-Authenticate"), "Bearer")
			r = call("POST", "/json/2/res.partner/search_count", `{"domain": []}`, "Authorization", "bearer "+adminPassword)
			errorBody(t, r, 401, "Invalid apikey")
			r = call("POST", "/json/2/res.partner/search_count", `{"domain": []}`, "Authorization", "bearer "+key, "X-Odoo-Database", "no_such_db")
			errorBody(t, r, 404, "")
			// A session cookie of another database conflicts with the header.
			other := "b3RoZXJkYg." + strings.Repeat("A", 43)
			r = call("POST", "/json/2/res.partner/search_count", `{"domain": []}`, "Authorization", "bearer "+key, "Cookie", "session_id="+other)
			errorBody(t, r, 403, "Cannot use both the session_id cookie and the x-odoo-database header.")
			r = call("POST", "/json/2/res.partner/search_count", `{"domain": []}`, "Cookie", "session_id="+other, "X-Odoo-Database", "")
			errorBody(t, r, 403, "Sec-headers for interactive usage")
		})
		t.Run("errors", func(t *testing.T) {
			cases := []struct {
				name, path, body string
				status           int
				fragment         string
			}{
				{"unknown model", "/json/2/no.model/search", `{}`, 404, "the model 'no.model' does not exist"},
				{"unknown method", "/json/2/res.partner/nope", `{}`, 404, "The method 'res.partner.nope' does not exist"},
				{"private method", "/json/2/res.partner/_search", `{}`, 403, "Private methods"},
				{"ids on a model method", "/json/2/res.partner/search_read", `{"ids": [1], "domain": []}`, 422, "cannot call res.partner.search_read with ids"},
				{"unknown keyword", "/json/2/res.partner/search", `{"domain": [], "bogus": 1}`, 422, "unexpected keyword argument 'bogus'"},
				{"missing argument", "/json/2/res.partner/search", `{}`, 422, "missing 1 required positional argument: 'domain'"},
				{"user error", "/json/2/test.rpc/raise_user_error", `{}`, 422, "Nope, said the user error"},
				{"validation error", "/json/2/test.rpc/raise_validation_error", `{}`, 422, "The value must be positive"},
				{"access error", "/json/2/test.rpc/raise_access_error", `{}`, 403, "You are not allowed to do this"},
				{"missing error", "/json/2/res.partner/write", `{"ids": [987654], "vals": {"name": "x"}}`, 404, "Record does not exist"},
				{"unexpected error", "/json/2/test.rpc/raise_unexpected", `{}`, 500, "Internal server error"},
				{"body not json", "/json/2/res.partner/search", `{"domain": [`, 400, "could not parse the body as json"},
				{"body not an object", "/json/2/res.partner/search", `[[]]`, 400, "expecting a json object"},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) { errorBody(t, bearer(tc.path, tc.body), tc.status, tc.fragment) })
			}
			for _, tc := range []struct{ method, path string }{{"GET", "/json/2/res.partner/search"}, {"POST", "/json/2"}, {"POST", "/json/2/res.partner"}, {"PUT", "/json/2/res.partner/search"}} {
				errorBody(t, call(tc.method, tc.path, `{}`, "Authorization", "bearer "+key), 404, "Did you mean POST /json/2/<model>/<method>?")
			}
			r := call("POST", "/json/2/res.partner/search", `{"domain": []}`, "Authorization", "bearer "+key, "Content-Type", "text/plain")
			errorBody(t, r, 415, "Content-Type")
			equal(t, "Accept", r.header.Get("Accept"), "application/json")
		})
		t.Run("body limits", func(t *testing.T) {
			// A server over the same store with small body limits.
			url := authURL(t, authServe(t, e.set, godoorpc.Options{MaxBodyBytes: 4096, BodyTimeout: 50 * time.Millisecond}))
			req, err := http.NewRequest("POST", url+"/json/2/res.partner/search_count",
				onlyReader{strings.NewReader(`{"domain": [], "pad": "` + strings.Repeat("x", 64<<10) + `"}`)})
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "bearer "+key)
			req.Header.Set("X-Odoo-Database", e.db)
			if r := do(t, req); r.status != http.StatusRequestEntityTooLarge {
				t.Errorf("a chunked body over the limit: HTTP %d %s", r.status, r.body)
			}
			// A client that stops sending its body half way gets 408.
			addr := strings.TrimPrefix(url, "http://")
			resp := rpctest.StallBody(t, addr, "POST /json/2/res.partner/search_count HTTP/1.1\r\nHost: "+addr+
				"\r\nContent-Type: application/json\r\nAuthorization: bearer "+key+"\r\nX-Odoo-Database: "+e.db+
				"\r\nContent-Length: 100\r\n\r\n{\"domain\": ")
			if resp.StatusCode != http.StatusRequestTimeout || !resp.Close {
				t.Errorf("a stalled body: HTTP %d (close %v), want 408 and the connection closed", resp.StatusCode, resp.Close)
			}
		})
		t.Run("doc-bearer client", func(t *testing.T) {
			// A Python client that maps positional arguments to names
			// through /doc-bearer/<model>.json, as Odoo 19's documentation
			// shows.
			python, err := exec.LookPath("python3")
			if err != nil {
				t.Fatal("python3 is required for the JSON-2 client test (see the README)")
			}
			out, err := exec.Command(python, "clients/json2_doc_client.py", e.srv.URL, e.db, key).CombinedOutput()
			t.Logf("python client:\n%s", out)
			if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), "PASSED") {
				t.Fatalf("the JSON-2 doc client failed: %v", err)
			}
		})
		t.Run("doc-bearer", func(t *testing.T) {
			req, _ := http.NewRequest("GET", e.srv.URL+"/doc-bearer/res.partner.json", nil)
			req.Header.Set("Authorization", "bearer "+key)
			req.Header.Set("X-Odoo-Database", e.db)
			r := do(t, req)
			if r.status != 200 {
				t.Fatalf("HTTP %d %s", r.status, r.body)
			}
			m := r.object(t)
			fields, _ := m["fields"].(map[string]any)
			methods, _ := m["methods"].(map[string]any)
			if fields["name"] == nil || methods["search_read"] == nil {
				t.Errorf("doc lacks fields or methods: %s", r.body)
			}
			req, _ = http.NewRequest("GET", e.srv.URL+"/doc-bearer/no.model.json", nil)
			req.Header.Set("Authorization", "bearer "+key)
			req.Header.Set("X-Odoo-Database", e.db)
			errorBody(t, do(t, req), 404, "does not exist")
			req, _ = http.NewRequest("GET", e.srv.URL+"/doc-bearer/res.partner.json", nil)
			req.Header.Set("X-Odoo-Database", e.db)
			errorBody(t, do(t, req), 401, "User not authenticated")
		})
	})
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// TestJSON2README runs the README's JSON-2 example verbatim against a
// quickstart-like server (SQLite, database "odoo"), changing only the
// address.
func TestJSON2README(t *testing.T) {
	const password = "Readme-JSON2-Quickstart-1"
	_, url := quickstart(t, password)
	out := runREADME(t, readmeSH(t, "### JSON-2"), url, "GODOO_PASSWORD="+password)
	if !strings.HasPrefix(strings.TrimSpace(out), `[{"id": 1, "name": "My Company"}]`) {
		t.Errorf("README JSON-2 example printed:\n%s", out)
	}
}

// wrongLast is key with its last character changed, so that it is
// certainly another key.
func wrongLast(key string) string {
	last := byte('x')
	if key[len(key)-1] == last {
		last = 'y'
	}
	return key[:len(key)-1] + string(last)
}
