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
			s.run(b, s.handler(rpc.Options{}), "", []benchCase{s.custom50(b)})
		})
	}
}

// custom50 makes the model of `godoo bench`'s custom-50 scenario over
// JSON-RPC as a user does (ir.model, then 50 fields of ir.model.fields:
// 20 char, 10 integer, 8 float, 6 boolean, 3 date, 3 text) with 80
// records, every field filled in, and returns its call: search_read of
// the 80 records with the 50 fields, ordered by id.
func (s *benchServer) custom50(b *testing.B) benchCase {
	h := s.handler(rpc.Options{})
	w := s.serve(b, h, "/jsonrpc", "application/json", s.jsonCall(b, "ir.model", "create",
		[]any{map[string]any{"name": "Bench 50 fields", "model": "x_bench50"}}))
	var made struct{ Result int64 }
	if err := json.Unmarshal(w.Body.Bytes(), &made); err != nil || made.Result == 0 {
		b.Fatalf("ir.model create: %v %s", err, w.Body.String())
	}
	kinds := []struct {
		typ   string
		n     int
		value func(i, k int) any
	}{
		{"char", 20, func(i, k int) any { return fmt.Sprintf("value %d of %d", k, i) }},
		{"integer", 10, func(i, k int) any { return (i * (7919 + k)) % 100000 }},
		{"float", 8, func(i, k int) any { return float64((i*(31+k))%10000) * 0.25 }},
		{"boolean", 6, func(i, k int) any { return i%(2+k%3) == 0 }},
		{"date", 3, func(i, k int) any { return fmt.Sprintf("2025-07-%02d", 1+(i+k)%28) }},
		{"text", 3, func(i, k int) any {
			return fmt.Sprintf("A longer note, number %d, about the record %d, with more words in it.", k, i)
		}},
	}
	var names []any
	recs := make([]map[string]any, 80)
	for i := range recs {
		recs[i] = map[string]any{"x_name": fmt.Sprintf("Record %d", i)}
	}
	for _, kd := range kinds {
		for k := range kd.n {
			name := fmt.Sprintf("x_f%02d", len(names)+1)
			names = append(names, name)
			s.serve(b, h, "/jsonrpc", "application/json", s.jsonCall(b, "ir.model.fields", "create",
				[]any{map[string]any{"model_id": made.Result, "name": name, "field_description": "Field " + name, "ttype": kd.typ}}))
			for i, r := range recs {
				r[name] = kd.value(i, k)
			}
		}
	}
	vals := make([]any, len(recs))
	for i, r := range recs {
		vals[i] = r
	}
	s.serve(b, h, "/jsonrpc", "application/json", s.jsonCall(b, "x_bench50", "create", []any{vals}))
	return benchCase{"custom-50", "/xmlrpc/2/object", "text/xml", s.xmlCall(b, "x_bench50", "search_read", []any{[]any{}},
		map[string]any{"fields": names, "limit": 80, "order": "id"})}
}
