package rpc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// The JSON-RPC envelope ({"jsonrpc", "method", "params", "id"}) is read by
// /jsonrpc and by the web client's routes. Whatever body a client sends,
// the answer must be one Odoo gives: a plain-text 400 (or 413) before any
// dispatch, or a 200 envelope that echoes the request's id and holds a
// result or a well-formed error; never a panic, a 500 or a broken document.

// envelopeSeeds are bodies of both routes' kinds: valid calls, each way of
// being invalid, ids of every JSON type, and deep or odd params.
var envelopeSeeds = []string{
	`{"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"service": "common", "method": "version", "args": []}}`,
	`{"jsonrpc": "2.0", "method": "call", "id": "x", "params": {"service": "object", "method": "execute_kw", "args": ["odoo", 2, "pw", "res.partner", "search_read", [[["is_company", "=", true]]], {"fields": ["name"], "limit": 5}]}}`,
	`{"jsonrpc": "2.0", "method": "call", "id": null, "params": {"service": "db", "method": "list", "args": []}}`,
	`{"jsonrpc": "2.0", "method": "call", "id": [1, {"a": 2}], "params": {"service": "common", "method": "login", "args": ["nodb", "admin", "pw"]}}`,
	`{"jsonrpc": "2.0", "method": "call", "id": 1.5e300, "params": {"db": "odoo", "login": "admin", "password": "pw"}}`,
	`{"jsonrpc": "2.0", "method": "call", "params": {"model": "res.partner", "method": "search_read", "args": [[]], "kwargs": {"fields": ["name"]}}}`,
	`{"id": 9, "params": {"service": "common", "method": "version", "args": {}}}`,
	`{"id": 9, "params": {"service": "common"}}`,
	`{"id": 9, "params": []}`,
	`{"id": 9, "params": "x"}`,
	`{"id": 9, "params": {"args": [1e999]}}`,
	`{"id": 9, "params": {"args": [123456789012345678901234567890]}}`,
	`{"id": 9, "params": {"args": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}}`,
	`{"id": 9, "ID": 10, "Params": {"service": "common", "method": "version"}}`,
	`{"id": true}`,
	`{}`,
	`[]`,
	`[{"id": 1}]`,
	`"call"`,
	`{"id": 1,}`,
	`{"id": "\ud800"}`,
	"{\"id\": \"\xff\"}",
	``,
	` `,
}

// envelopeHandler serves a handler over an empty SQLite store, without the
// refusal delay, and counts the panics it logs.
func envelopeHandler(f *testing.F) (*rpc.Handler, *atomic.Int64) {
	store, err := sqlitestore.New(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	panics := &atomic.Int64{}
	log := slog.New(panicCounter{panics})
	h := rpc.NewHandler(services.NewSet(store, services.Config{RefusalDelay: -1, Log: log}), rpc.Options{Log: log})
	h.SetReady(true)
	return h, panics
}

// panicCounter is a slog.Handler that counts the records about a panic.
type panicCounter struct{ n *atomic.Int64 }

func (p panicCounter) Enabled(context.Context, slog.Level) bool { return true }
func (p panicCounter) WithAttrs([]slog.Attr) slog.Handler       { return p }
func (p panicCounter) WithGroup(string) slog.Handler            { return p }
func (p panicCounter) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "panic") {
		p.n.Add(1)
	}
	return nil
}

// checkEnvelope posts body to path and checks the answer.
func checkEnvelope(t *testing.T, h http.Handler, panics *atomic.Int64, path string, body []byte) {
	before := panics.Load()
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	raw, _ := io.ReadAll(rec.Body)
	if n := panics.Load() - before; n != 0 {
		t.Fatalf("%s %q: %d panics logged", path, body, n)
	}
	switch rec.Code {
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Fatalf("%s %q: %d with Content-Type %q, want text/plain", path, body, rec.Code, ct)
		}
		return
	case http.StatusOK:
	default:
		t.Fatalf("%s %q: status %d: %s", path, body, rec.Code, raw)
	}
	var answer map[string]json.RawMessage
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatalf("%s %q: the answer is no JSON object: %v: %s", path, body, err, raw)
	}
	if string(answer["jsonrpc"]) != `"2.0"` {
		t.Fatalf("%s %q: jsonrpc %s: %s", path, body, answer["jsonrpc"], raw)
	}
	if want, ok := requestID(body); ok && !sameJSON(answer["id"], want) {
		t.Fatalf("%s %q: id %s, want the request's %s", path, body, answer["id"], want)
	}
	result, hasResult := answer["result"]
	e, hasError := answer["error"]
	if hasResult && hasError {
		t.Fatalf("%s %q: both a result and an error: %s", path, body, raw)
	}
	if hasResult && len(result) == 0 {
		t.Fatalf("%s %q: empty result: %s", path, body, raw)
	}
	if !hasError {
		return
	}
	var fault struct {
		Code    *int
		Message *string
		Data    struct{ Name, Message string }
	}
	if err := json.Unmarshal(e, &fault); err != nil || fault.Code == nil || fault.Message == nil || fault.Data.Name == "" {
		t.Fatalf("%s %q: malformed error %s (%v)", path, body, e, err)
	}
}

// requestID returns the id the answer must echo: the request's "id" member,
// or null without one. ok is false when the body is no JSON object, or
// also has a member whose name is "id" in other letter case, which
// encoding/json would match too (Odoo reads the exact key).
func requestID(body []byte) (json.RawMessage, bool) {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil || members == nil {
		return nil, false
	}
	for k := range members {
		if k != "id" && strings.EqualFold(k, "id") {
			return nil, false
		}
	}
	if id, ok := members["id"]; ok {
		return id, true
	}
	return json.RawMessage("null"), true
}

// sameJSON reports whether two JSON texts hold the same value; numbers are
// compared by their text.
func sameJSON(a, b json.RawMessage) bool {
	decode := func(raw json.RawMessage) (any, bool) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		return v, dec.Decode(&v) == nil
	}
	va, okA := decode(a)
	vb, okB := decode(b)
	return okA && okB && reflect.DeepEqual(va, vb)
}

// FuzzJSONRPCRequest posts arbitrary bodies to /jsonrpc.
func FuzzJSONRPCRequest(f *testing.F) {
	for _, s := range envelopeSeeds {
		f.Add([]byte(s))
	}
	h, panics := envelopeHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkEnvelope(t, h, panics, "/jsonrpc", body)
	})
}

// webEnvelopeRoutes are the web client's JSON routes: with and without a
// session, with and without a database.
var webEnvelopeRoutes = []string{
	"/web/session/authenticate",
	"/web/session/get_session_info",
	"/web/session/check",
	"/web/session/destroy",
	"/web/session/modules",
	"/web/session/get_lang_list",
	"/web/dataset/call_kw",
	"/web/dataset/call_kw/res.partner/search_read",
	"/web/dataset/call_button",
	"/web/webclient/version_info",
	"/web/database/list",
}

// FuzzWebEnvelope posts arbitrary bodies to the web client's JSON routes;
// route picks one.
func FuzzWebEnvelope(f *testing.F) {
	for i, s := range envelopeSeeds {
		f.Add(uint8(i), []byte(s))
	}
	h, panics := envelopeHandler(f)
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		checkEnvelope(t, h, panics, webEnvelopeRoutes[int(route)%len(webEnvelopeRoutes)], body)
	})
}
