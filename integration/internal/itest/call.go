package itest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/rpc"
	"reflect"
	"strings"
	"testing"

	"github.com/kolo/xmlrpc"

	"github.com/godoo/godoo/models/py"
)

// Fault is a fault or JSON-RPC error as a client sees it.
type Fault struct {
	Code    int
	String  string // faultString, or error.data.message
	Name    string // error.data.name (JSON only)
	Message string
}

// Caller is one protocol's client.
type Caller interface {
	// Protocol is "xmlrpc" or "jsonrpc".
	Protocol() string
	// Call calls service.method with args; a fault is returned, any other
	// failure fails the test.
	Call(t *testing.T, service, method string, args ...any) (any, *Fault)
}

// XMLCaller uses kolo/xmlrpc, an independent XML-RPC client, on the
// server at Base.
type XMLCaller struct{ Base string }

// Protocol is "xmlrpc".
func (c XMLCaller) Protocol() string { return "xmlrpc" }

// Call posts a methodCall to /xmlrpc/2/service.
func (c XMLCaller) Call(t *testing.T, service, method string, args ...any) (any, *Fault) {
	t.Helper()
	client, err := xmlrpc.NewClient(c.Base+"/xmlrpc/2/"+service, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if args == nil {
		args = []any{}
	}
	var out any
	err = client.Call(method, args, &out)
	// net/rpc hands kolo's FaultError back as a ServerError string
	// "Fault(<code>): <faultString>".
	var se rpc.ServerError
	if errors.As(err, &se) {
		var code int
		text := string(se)
		if _, scanErr := fmt.Sscanf(text, "Fault(%d):", &code); scanErr == nil {
			_, s, _ := strings.Cut(text, ": ")
			return nil, &Fault{Code: code, String: s, Message: s}
		}
	}
	if err != nil {
		t.Fatalf("xmlrpc %s.%s: %v", service, method, err)
	}
	return Normalize(out), nil
}

// JSONCaller posts plain JSON-RPC envelopes to Base's /jsonrpc.
type JSONCaller struct{ Base string }

// Protocol is "jsonrpc".
func (c JSONCaller) Protocol() string { return "jsonrpc" }

// Call posts a call envelope for service.method.
func (c JSONCaller) Call(t *testing.T, service, method string, args ...any) (any, *Fault) {
	t.Helper()
	resp := PostJSON(t, c.Base+"/jsonrpc", JSONBody(service, method, args...))
	if resp.Status != 200 {
		t.Fatalf("jsonrpc %s.%s: HTTP %d: %s", service, method, resp.Status, resp.Body)
	}
	m := resp.Object(t)
	if e, ok := m["error"].(map[string]any); ok {
		data, _ := e["data"].(map[string]any)
		code, _ := e["code"].(int64)
		name, _ := data["name"].(string)
		msg, _ := data["message"].(string)
		return nil, &Fault{Code: int(code), Name: name, Message: msg, String: msg}
	}
	return m["result"], nil
}

// HTTPResult is an HTTP answer, read whole.
type HTTPResult struct {
	Status int
	Header http.Header
	Body   []byte
}

// Object decodes the body as a JSON object, its numbers normalised; it
// fails the test when the body is anything else.
func (r HTTPResult) Object(t *testing.T) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, r.Body)
	}
	m, ok := Normalize(v).(map[string]any)
	if !ok {
		t.Fatalf("response is not a JSON object: %s", r.Body)
	}
	return m
}

// Post posts body to url with contentType (none when empty) and the
// headers given as name, value pairs.
func Post(t *testing.T, url, contentType string, body []byte, header ...string) HTTPResult {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return Do(t, req)
}

// PostJSON posts body to url as application/json.
func PostJSON(t *testing.T, url string, body []byte) HTTPResult {
	t.Helper()
	return Post(t, url, "application/json", body)
}

// Do sends req and reads its answer; a failure to do so fails the test.
func Do(t *testing.T, req *http.Request) HTTPResult {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return HTTPResult{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// Normalize maps both clients' values onto int64, float64, string, bool,
// []any and map[string]any, so that one assertion serves both protocols.
func Normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		return py.JSONNumbers(x)
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float64:
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = Normalize(e)
		}
		return out
	}
	return v
}

// Callers returns both protocols' clients for e.
func (e *Env) Callers() []Caller {
	return []Caller{XMLCaller{e.Srv.URL}, JSONCaller{e.Srv.URL}}
}

// EachProtocol runs fn once per protocol, as a sub-test named after it.
func (e *Env) EachProtocol(t *testing.T, fn func(t *testing.T, c Caller)) {
	for _, c := range e.Callers() {
		t.Run(c.Protocol(), func(t *testing.T) { fn(t, c) })
	}
}

// Kw calls execute_kw as admin; kwargs is left out when nil.
func (e *Env) Kw(t *testing.T, c Caller, model, method string, args []any, kwargs map[string]any) (any, *Fault) {
	t.Helper()
	if kwargs == nil {
		return c.Call(t, "object", "execute_kw", e.DB, int64(2), AdminPassword, model, method, args)
	}
	return c.Call(t, "object", "execute_kw", e.DB, int64(2), AdminPassword, model, method, args, kwargs)
}

// MustKw is Kw that fails the test on a fault.
func (e *Env) MustKw(t *testing.T, c Caller, model, method string, args []any, kwargs map[string]any) any {
	t.Helper()
	v, f := e.Kw(t, c, model, method, args, kwargs)
	if f != nil {
		t.Fatalf("%s.%s: unexpected fault %d: %s", model, method, f.Code, f.String)
	}
	return v
}

// Count returns search_count(domain) of model as admin, archived records
// included.
func (e *Env) Count(t *testing.T, model string, domain []any) int64 {
	t.Helper()
	v := e.MustKw(t, JSONCaller{e.Srv.URL}, model, "search_count", []any{domain}, map[string]any{"context": map[string]any{"active_test": false}})
	n, _ := v.(int64)
	return n
}

// WantFault checks a fault's code (the XML-RPC code, or for JSON-RPC the
// exception name that maps to it) and a fragment of its message, as
// protocol ("xmlrpc" or "jsonrpc") answers it.
func WantFault(t *testing.T, protocol string, f *Fault, code int, fragment string) {
	t.Helper()
	if f == nil {
		t.Fatalf("want fault %d (%q), got a result", code, fragment)
	}
	if protocol == "xmlrpc" && f.Code != code {
		t.Errorf("fault code = %d, want %d (%s)", f.Code, code, f.String)
	}
	if protocol == "jsonrpc" {
		if f.Code != 200 {
			t.Errorf("JSON error code = %d, want 200", f.Code)
		}
		want := map[int][]string{
			1: {"builtins.", "psycopg2.", "werkzeug."},
			2: {"odoo.exceptions.UserError", "odoo.exceptions.ValidationError", "odoo.exceptions.MissingError"},
			3: {"odoo.exceptions.AccessDenied"}, 4: {"odoo.exceptions.AccessError"},
		}[code]
		ok := false
		for _, w := range want {
			ok = ok || strings.HasPrefix(f.Name, w)
		}
		if !ok {
			t.Errorf("data.name = %q, want one of %v", f.Name, want)
		}
	}
	if !strings.Contains(f.String, fragment) {
		t.Errorf("fault text %q does not contain %q", f.String, fragment)
	}
}

// Equal fails the test, naming what, when got and want differ.
func Equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// JSONBody is the JSON-RPC envelope of a call of service.method with args.
func JSONBody(service, method string, args ...any) []byte {
	if args == nil {
		args = []any{}
	}
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1,
		"params": map[string]any{"service": service, "method": method, "args": args}})
	return b
}

// Login calls common.login and returns its answer (a uid, or false); a
// fault fails the test.
func Login(t *testing.T, c Caller, db, login, password string) any {
	t.Helper()
	v, f := c.Call(t, "common", "login", db, login, password)
	if f != nil {
		t.Fatalf("login %s: unexpected fault %d: %s", login, f.Code, f.String)
	}
	return v
}

// WebSession logs in through /web/session/authenticate of the server at
// url and returns the session id of its cookie.
func WebSession(t *testing.T, url, db, login, password string) string {
	t.Helper()
	body := fmt.Sprintf(`{"jsonrpc": "2.0", "params": {"db": %q, "login": %q, "password": %q}}`, db, login, password)
	resp, err := http.Post(url+"/web/session/authenticate", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "session_id" {
			return c.Value
		}
	}
	t.Fatalf("no session cookie from /web/session/authenticate (HTTP %d)", resp.StatusCode)
	return ""
}

// WantExact checks a fault's code (XML-RPC) or exception name (JSON-RPC)
// and its exact message: the bare message for Odoo exceptions, the last line
// of the traceback for Python ones, as protocol ("xmlrpc" or "jsonrpc")
// answers it.
func WantExact(t *testing.T, protocol string, f *Fault, code int, name, msg string) {
	t.Helper()
	if f == nil {
		t.Fatalf("want fault %d %s: %s, got a result", code, name, msg)
	}
	if protocol == "xmlrpc" {
		if f.Code != code {
			t.Errorf("faultCode = %d, want %d (%q)", f.Code, code, f.String)
		}
		if code == 1 {
			// Python names an exception by its module, except builtins'.
			exc := strings.TrimPrefix(name, "builtins.")
			if exc == "KeyError" {
				msg = "'" + msg + "'" // Python prints a KeyError's key as its repr
			}
			if !strings.HasPrefix(f.String, "Traceback (most recent call last):\n") || !strings.HasSuffix(f.String, "\n"+exc+": "+msg+"\n") {
				t.Errorf("faultString = %q, want a traceback ending in %s: %s", f.String, exc, msg)
			}
		} else if f.String != msg {
			t.Errorf("faultString = %q, want %q", f.String, msg)
		}
		return
	}
	if f.Code != 200 || f.Name != name || f.Message != msg {
		t.Errorf("error = %d %s %q, want 200 %s %q", f.Code, f.Name, f.Message, name, msg)
	}
}
