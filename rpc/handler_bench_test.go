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
	"os"
	"testing"

	"github.com/kolo/xmlrpc"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// benchServer is a handler on a fresh database of 400 partners, half of
// them companies, and the admin's API key.
type benchServer struct {
	set *services.Set
	db  string
	key string
}

// newBenchServer creates the database on store (dropped at the end).
func newBenchServer(b testing.TB, store models.Store) *benchServer {
	ctx := context.Background()
	set := services.NewSet(store, services.Config{})
	db := fmt.Sprintf("bench_rpc_%d", os.Getpid())
	if err := set.Database.Create(ctx, db, services.CreateOptions{AdminPassword: "admin", AdminLogin: "admin"}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _, _ = set.Database.DropNoCheck(context.Background(), db) })
	key, err := set.Database.CreateAPIKey(ctx, db, services.KeyOptions{Login: "admin", Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	s := &benchServer{set: set, db: db, key: key.Clear}
	vals := make([]any, 400)
	for i := range vals {
		vals[i] = map[string]any{"name": fmt.Sprintf("Partner %03d & Co <%d>", i, i%7), "is_company": i%2 == 0,
			"email": fmt.Sprintf("partner%d@example.com", i), "phone": "+32 2 555 01 23", "color": i % 12,
			"street": "Rue de la Loi 16", "city": "Brussels", "zip": "1000", "website": "https://example.com"}
	}
	s.serve(b, s.handler(rpc.Options{}), "/jsonrpc", "application/json", s.jsonCall(b, "res.partner", "create", []any{vals}))
	return s
}

func (s *benchServer) handler(o rpc.Options) http.Handler {
	h := rpc.NewHandler(s.set, o)
	h.SetReady(true)
	return h
}

// jsonCall is the body of a JSON-RPC execute_kw of method on model.
func (s *benchServer) jsonCall(b testing.TB, model, method string, args ...any) []byte {
	all := append([]any{s.db, 2, s.key, model, method}, args...)
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1,
		"params": map[string]any{"service": "object", "method": "execute_kw", "args": all}})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// xmlCall is the body of an XML-RPC execute_kw of method on model.
func (s *benchServer) xmlCall(b testing.TB, model, method string, args ...any) []byte {
	all := append([]any{s.db, 2, s.key, model, method}, args...)
	body, err := xmlrpc.EncodeMethodCall("execute_kw", all...)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// serve sends one call and fails on any fault or error.
func (s *benchServer) serve(b testing.TB, h http.Handler, path, contentType string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte("fault")) || bytes.Contains(w.Body.Bytes(), []byte(`"error"`)) {
		b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
	}
	return w
}

// benchCase is one call a benchmark repeats.
type benchCase struct {
	name, path, contentType string
	body                    []byte
}

// run benchmarks each case on h, as sub-benchmarks named prefix+case.
func (s *benchServer) run(b *testing.B, h http.Handler, prefix string, cases []benchCase) {
	for _, c := range cases {
		b.Run(prefix+c.name, func(b *testing.B) {
			w := s.serve(b, h, c.path, c.contentType, c.body)
			b.SetBytes(int64(w.Body.Len()))
			b.ReportAllocs()
			for b.Loop() {
				s.serve(b, h, c.path, c.contentType, c.body)
			}
		})
	}
}

// BenchmarkSearchReadRoundTrip serves execute_kw('res.partner',
// 'search_read', [[['is_company', '=', True]]], {'fields': 8 fields,
// 'limit': 80, 'order': 'name'}) authenticated by an API key, through
// rpc.Handler in process (no network) on a SQLite database of 400
// partners, half of them companies: the whole server-side cost of the call
// that the codec benchmarks take a part of. Its fields include many2ones
// and a datetime, which take the read's general path.
func BenchmarkSearchReadRoundTrip(b *testing.B) {
	store, err := sqlitestore.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	s := newBenchServer(b, store)
	fields := []any{"name", "email", "phone", "is_company", "color", "country_id", "parent_id", "write_date"}
	domain := []any{[]any{[]any{"is_company", "=", true}}}
	kwargs := map[string]any{"fields": fields, "limit": 80, "order": "name"}
	cases := []benchCase{
		{"xmlrpc", "/xmlrpc/2/object", "text/xml", s.xmlCall(b, "res.partner", "search_read", domain, kwargs)},
		{"jsonrpc", "/jsonrpc", "application/json", s.jsonCall(b, "res.partner", "search_read", domain, kwargs)},
	}
	s.run(b, s.handler(rpc.Options{}), "", cases)
	// observed serves the same calls with the metrics and the access log
	// on (written to nowhere, formatted all the same), for their cost.
	observed := s.handler(rpc.Options{Metrics: rpc.NewMetrics(s.set), AccessLog: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	s.run(b, observed, "observed/", cases)
}

// BenchmarkBenchCalls serves the calls of `godoo bench`'s xml-key,
// json-key and small scenarios (search_read of 80 records × 8 plain
// columns, and a search of 10 ids) in process, on SQLite and, with
// GODOO_TEST_DSN, on PostgreSQL: the per-call CPU and allocations the
// bench's ratios to SQL come from, steady on a busy machine.
func BenchmarkBenchCalls(b *testing.B) {
	stores := map[string]func() (models.Store, error){
		"sqlite": func() (models.Store, error) { return sqlitestore.New(b.TempDir()) },
	}
	if dsn := os.Getenv("GODOO_TEST_DSN"); dsn != "" {
		stores["pg"] = func() (models.Store, error) { return pgstore.New(dsn) }
	}
	for _, name := range []string{"pg", "sqlite"} {
		mk := stores[name]
		if mk == nil {
			continue
		}
		b.Run(name, func(b *testing.B) {
			store, err := mk()
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { store.Close() })
			s := newBenchServer(b, store)
			fields := []any{"name", "email", "phone", "street", "city", "zip", "website", "is_company"}
			domain := []any{[]any{[]any{"is_company", "=", true}}}
			kwargs := map[string]any{"fields": fields, "limit": 80, "order": "name"}
			small := map[string]any{"limit": 10, "order": "name"}
			s.run(b, s.handler(rpc.Options{}), "", []benchCase{
				{"xml-key", "/xmlrpc/2/object", "text/xml", s.xmlCall(b, "res.partner", "search_read", domain, kwargs)},
				{"json-key", "/jsonrpc", "application/json", s.jsonCall(b, "res.partner", "search_read", domain, kwargs)},
				{"small", "/xmlrpc/2/object", "text/xml", s.xmlCall(b, "res.partner", "search", domain, small)},
			})
		})
	}
}
