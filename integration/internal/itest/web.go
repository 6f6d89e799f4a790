package itest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"testing"
)

// WebClient is a client of the web routes (/web/session/authenticate,
// /web/dataset/*) that keeps its session in a cookie jar, as the web
// client and requests.Session do.
type WebClient struct {
	base string
	http *http.Client
	n    int64
}

// WebAnswer is one JSON-RPC answer of a web route: its result, or its
// error envelope, and the raw body for messages.
type WebAnswer struct {
	Result any
	Err    map[string]any
	Body   []byte
}

// NewWebClient returns a client of the web routes of the server at base,
// without a session.
func NewWebClient(t *testing.T, base string) *WebClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &WebClient{base: base, http: &http.Client{Jar: jar}}
}

// Post sends a JSON-RPC call envelope with params to path; an answer
// other than HTTP 200 with the call's id fails the test.
func (c *WebClient) Post(t *testing.T, path string, params map[string]any) WebAnswer {
	t.Helper()
	c.n++
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": c.n, "params": params})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	r := HTTPResult{Status: resp.StatusCode, Header: resp.Header, Body: buf.Bytes()}
	if r.Status != http.StatusOK {
		t.Fatalf("POST %s: HTTP %d: %s", path, r.Status, r.Body)
	}
	m := r.Object(t)
	Equal(t, "echoed id", m["id"], c.n)
	a := WebAnswer{Result: m["result"], Body: r.Body}
	a.Err, _ = m["error"].(map[string]any)
	return a
}

// Login authenticates the session as login on db; a refusal fails the
// test.
func (c *WebClient) Login(t *testing.T, db, login, password string) {
	t.Helper()
	if a := c.Post(t, "/web/session/authenticate", map[string]any{"db": db, "login": login, "password": password}); a.Err != nil {
		t.Fatalf("authenticate %s: %s", login, a.Body)
	}
}

// CallKw calls /web/dataset/call_kw.
func (c *WebClient) CallKw(t *testing.T, model, method string, args []any, kwargs map[string]any) WebAnswer {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	return c.Post(t, "/web/dataset/call_kw", map[string]any{"model": model, "method": method, "args": args, "kwargs": kwargs})
}

// MustKw is CallKw that wants a result.
func (c *WebClient) MustKw(t *testing.T, model, method string, args []any, kwargs map[string]any) any {
	t.Helper()
	a := c.CallKw(t, model, method, args, kwargs)
	if a.Err != nil {
		t.Fatalf("call_kw %s.%s: %s", model, method, a.Body)
	}
	return a.Result
}

// Button presses a form button the way the web client does
// (/web/dataset/call_button on one record).
func (c *WebClient) Button(t *testing.T, model, method string, id any) WebAnswer {
	t.Helper()
	return c.Post(t, "/web/dataset/call_button", map[string]any{"model": model, "method": method,
		"args": []any{[]any{id}}, "kwargs": map[string]any{}})
}

// ErrMessage is error.data.message of a JSON-RPC error ("" for none).
func ErrMessage(e map[string]any) string {
	data, _ := e["data"].(map[string]any)
	msg, _ := data["message"].(string)
	return msg
}
