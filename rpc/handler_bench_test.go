package rpc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kolo/xmlrpc"

	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// BenchmarkSearchReadRoundTrip serves execute_kw('res.partner',
// 'search_read', [[['is_company', '=', True]]], {'fields': 8 fields,
// 'limit': 80, 'order': 'name'}) authenticated by an API key, through
// rpc.Handler in process (no network) on a SQLite database of 400
// partners, half of them companies: the whole server-side cost of the call
// that the codec benchmarks take a part of.
func BenchmarkSearchReadRoundTrip(b *testing.B) {
	ctx := context.Background()
	store, err := sqlitestore.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	set := services.NewSet(store, services.Config{})
	const db = "bench"
	if err := set.Database.Create(ctx, db, services.CreateOptions{AdminPassword: "admin", AdminLogin: "admin"}); err != nil {
		b.Fatal(err)
	}
	key, err := set.Database.CreateAPIKey(ctx, db, services.KeyOptions{Login: "admin", Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	h := rpc.NewHandler(set, rpc.Options{})
	h.SetReady(true)
	// observed serves the same calls with the metrics and the access log
	// on (written to nowhere, formatted all the same), for their cost.
	observed := rpc.NewHandler(set, rpc.Options{Metrics: rpc.NewMetrics(set), AccessLog: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	observed.SetReady(true)

	jsonCall := func(args ...any) []byte {
		body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1,
			"params": map[string]any{"service": "object", "method": "execute_kw", "args": args}})
		if err != nil {
			b.Fatal(err)
		}
		return body
	}
	serveOn := func(h http.Handler, path, contentType string, body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte("fault")) || bytes.Contains(w.Body.Bytes(), []byte(`"error"`)) {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
		return w
	}
	serve := func(path, contentType string, body []byte) *httptest.ResponseRecorder {
		return serveOn(h, path, contentType, body)
	}

	var countries []any
	for _, code := range []string{"BE", "FR", "LU"} {
		countries = append(countries, []any{"code", "=", code})
	}
	vals := make([]any, 400)
	for i := range vals {
		vals[i] = map[string]any{"name": fmt.Sprintf("Partner %03d & Co <%d>", i, i%7), "is_company": i%2 == 0,
			"email": fmt.Sprintf("partner%d@example.com", i), "phone": "+32 2 555 01 23", "color": i % 12}
	}
	serve("/jsonrpc", "application/json", jsonCall(db, 2, key.Clear, "res.partner", "create", []any{vals}))

	fields := []any{"name", "email", "phone", "is_company", "color", "country_id", "parent_id", "write_date"}
	domain := []any{[]any{[]any{"is_company", "=", true}}}
	kwargs := map[string]any{"fields": fields, "limit": 80, "order": "name"}
	xmlBody, err := xmlrpc.EncodeMethodCall("execute_kw", db, 2, key.Clear, "res.partner", "search_read", domain, kwargs)
	if err != nil {
		b.Fatal(err)
	}
	jsonBody := jsonCall(db, 2, key.Clear, "res.partner", "search_read", domain, kwargs)

	for _, c := range []struct {
		name, path, contentType string
		body                    []byte
	}{
		{"xmlrpc", "/xmlrpc/2/object", "text/xml", xmlBody},
		{"jsonrpc", "/jsonrpc", "application/json", jsonBody},
	} {
		for _, o := range []struct {
			name string
			h    http.Handler
		}{{"", h}, {"/observed", observed}} {
			b.Run(c.name+o.name, func(b *testing.B) {
				w := serveOn(o.h, c.path, c.contentType, c.body)
				b.SetBytes(int64(w.Body.Len()))
				b.ReportAllocs()
				for b.Loop() {
					serveOn(o.h, c.path, c.contentType, c.body)
				}
			})
		}
	}
}
