package rpc_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// metricsServer is a handler with metrics over a SQLite database "metrics"
// whose admin has the password metricsPassword and the API key it returns.
func metricsServer(t *testing.T) (h *rpc.Handler, key string) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	set := services.NewSet(store, services.Config{RefusalDelay: -1})
	// Few rounds: these tests count calls, not derivations (auth tests
	// hashing), and each wrong password derives the hash again.
	set.Authenticator().Rounds = 1000
	newDB(t, set, store, "metrics", services.CreateOptions{AdminPassword: metricsPassword, AdminLogin: "admin"})
	k, err := set.Database.CreateAPIKey(ctx, "metrics", services.KeyOptions{Login: "admin", Name: "metrics"})
	if err != nil {
		t.Fatal(err)
	}
	key = k.Clear
	m := rpc.NewMetrics(set)
	h = rpc.NewHandler(set, rpc.Options{Metrics: m})
	h.Handle("GET /metrics", m.Handler())
	h.SetReady(true)
	return h, key
}

const metricsPassword = "metrics-Admin-Pw-77"

// executeKw serves one JSON-RPC execute_kw as admin of "metrics" with password.
func executeKw(t *testing.T, h http.Handler, password, model, method string, args ...any) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1,
		"params": map[string]any{"service": "object", "method": "execute_kw", "args": []any{"metrics", 2, password, model, method, args}}})
	req := httptest.NewRequest(http.MethodPost, "/jsonrpc", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("execute_kw %s.%s: %v: %s", model, method, err, rec.Body)
	}
	return out
}

// sample is one line of the text exposition: a metric's name, labels and
// value.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

// scrape reads GET /metrics and parses its samples.
func scrape(t *testing.T, h http.Handler) []sample {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	var out []sample
	sc := bufio.NewScanner(rec.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		sp := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[sp+1:], 64)
		if err != nil {
			t.Fatalf("sample %q: %v", line, err)
		}
		s := sample{labels: map[string]string{}, value: v}
		head := line[:sp]
		name, rest, hasLabels := strings.Cut(head, "{")
		s.name = name
		if hasLabels {
			for _, kv := range strings.Split(strings.TrimSuffix(rest, "}"), ",") {
				k, val, _ := strings.Cut(kv, "=")
				s.labels[k] = strings.Trim(val, `"`)
			}
		}
		out = append(out, s)
	}
	return out
}

// find returns the value of the sample of name with (at least) labels;
// ok is false when there is none.
func find(samples []sample, name string, labels ...string) (float64, bool) {
	for _, s := range samples {
		if s.name != name {
			continue
		}
		match := true
		for i := 0; i+1 < len(labels); i += 2 {
			if s.labels[labels[i]] != labels[i+1] {
				match = false
			}
		}
		if match {
			return s.value, true
		}
	}
	return 0, false
}

// TestMetrics scrapes /metrics after known calls: each metric the
// operators' dashboards read is there, with its labels and the counts of
// those calls.
func TestMetrics(t *testing.T) {
	h, key := metricsServer(t)
	for range 3 {
		if r := executeKw(t, h, metricsPassword, "res.partner", "search_count", []any{}); r["error"] != nil {
			t.Fatalf("search_count: %v", r["error"])
		}
	}
	if r := executeKw(t, h, "wrong-Pw", "res.partner", "search_count", []any{}); r["error"] == nil {
		t.Fatal("a wrong password was accepted")
	}
	if r := executeKw(t, h, key, "res.partner", "read", []any{1}, []any{"name"}); r["error"] != nil {
		t.Fatalf("read with a key: %v", r["error"])
	}
	if r := executeKw(t, h, metricsPassword, "res.partner", "no_such_method"); r["error"] == nil {
		t.Fatal("an unknown method answered")
	}
	for _, pw := range []string{metricsPassword, "wrong-Pw"} {
		body, _ := json.Marshal(map[string]any{"params": map[string]any{"service": "common", "method": "login", "args": []any{"metrics", "admin", pw}}})
		req := httptest.NewRequest(http.MethodPost, "/jsonrpc", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	for _, bearer := range []string{key, "not-a-key"} {
		req := httptest.NewRequest(http.MethodPost, "/json/2/res.partner/search_count", strings.NewReader(`{"domain": []}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+bearer)
		req.Header.Set("X-Odoo-Database", "metrics")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}

	// A web session, used on a user route; wrong keys on the header key
	// and Basic routes.
	login := httptest.NewRequest(http.MethodPost, "/web/session/authenticate",
		strings.NewReader(`{"params": {"db": "metrics", "login": "admin", "password": "`+metricsPassword+`"}}`))
	login.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	for _, r := range []struct{ path, header, value string }{
		{"/auth/whoami/user", "Cookie", rec.Header().Get("Set-Cookie")},
		{"/auth/whoami/api_key", "API-KEY", "not-a-key"},
		{"/auth/whoami/basic_api_key", "API-KEY", "not-a-key"},
	} {
		req := httptest.NewRequest(http.MethodGet, r.path+"?db=metrics", nil)
		req.Header.Set(r.header, r.value)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}

	s := scrape(t, h)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64 // 0: any value
	}{
		{"godoo_requests_total", []string{"protocol", "jsonrpc", "service", "object", "model", "res.partner", "method", "search_count", "outcome", "ok"}, 3},
		{"godoo_requests_total", []string{"protocol", "jsonrpc", "service", "object", "model", "res.partner", "method", "search_count", "outcome", "refused"}, 1},
		{"godoo_requests_total", []string{"protocol", "jsonrpc", "model", "res.partner", "method", "read", "outcome", "ok"}, 1},
		{"godoo_requests_total", []string{"protocol", "jsonrpc", "model", "res.partner", "method", "other", "outcome", "server_error"}, 1},
		{"godoo_requests_total", []string{"protocol", "json2", "model", "res.partner", "method", "search_count", "outcome", "ok"}, 1},
		{"godoo_requests_total", []string{"protocol", "json2", "model", "res.partner", "method", "search_count", "outcome", "refused"}, 1},
		{"godoo_request_duration_seconds_count", []string{"protocol", "jsonrpc", "method", "search_count"}, 4},
		{"godoo_request_duration_seconds_bucket", []string{"protocol", "jsonrpc", "method", "search_count", "le", "+Inf"}, 4},
		{"godoo_authentications_total", []string{"credential", "password", "outcome", "ok"}, 6},
		{"godoo_authentications_total", []string{"credential", "session", "outcome", "ok"}, 1},
		{"godoo_authentications_total", []string{"credential", "header_key", "outcome", "refused"}, 1},
		{"godoo_authentications_total", []string{"credential", "basic", "outcome", "refused"}, 1},
		{"godoo_requests_total", []string{"protocol", "route", "method", "GET /auth/whoami/user", "outcome", "ok"}, 1},
		{"godoo_requests_total", []string{"protocol", "web", "service", "web", "method", "authenticate", "outcome", "ok"}, 1},
		{"godoo_refusals_total", []string{"reason", "invalid_api_key"}, 1},
		{"godoo_refusals_total", []string{"reason", "missing_basic_credentials"}, 1},
		{"godoo_authentications_total", []string{"credential", "password", "outcome", "refused"}, 2},
		{"godoo_requests_total", []string{"protocol", "jsonrpc", "service", "common", "model", "", "method", "login", "outcome", "ok"}, 2},
		{"godoo_authentications_total", []string{"credential", "native_key", "outcome", "ok"}, 1},
		{"godoo_authentications_total", []string{"credential", "bearer", "outcome", "ok"}, 1},
		{"godoo_authentications_total", []string{"credential", "bearer", "outcome", "refused"}, 1},
		{"godoo_refusals_total", []string{"reason", "credentials"}, 1},
		{"godoo_refusals_total", []string{"reason", "invalid_bearer_token"}, 1},
		{"godoo_db_pool_connections", []string{"db", "metrics", "state", "idle"}, 0},
		{"godoo_db_pool_connections", []string{"db", "metrics", "state", "in_use"}, 0},
		{"godoo_db_pool_waits_total", []string{"db", "metrics"}, 0},
		{"godoo_db_pool_wait_seconds_total", []string{"db", "metrics"}, 0},
		{"godoo_db_gate_queue_length", []string{"db", "metrics"}, 0},
		{"godoo_cache_lookups_total", []string{"cache", "credentials", "result", "hit"}, 0},
		{"godoo_cache_lookups_total", []string{"cache", "credentials", "result", "miss"}, 0},
		{"godoo_cache_lookups_total", []string{"cache", "access", "result", "hit"}, 0},
		{"godoo_cache_hit_ratio", []string{"cache", "credentials"}, 0},
		{"godoo_cache_hit_ratio", []string{"cache", "access"}, 0},
		{"go_goroutines", nil, 0},
		{"process_resident_memory_bytes", nil, 0},
	} {
		v, ok := find(s, c.name, c.labels...)
		if !ok {
			t.Errorf("no %s%v in the scrape", c.name, c.labels)
			continue
		}
		if c.want != 0 && v != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, v, c.want)
		}
	}
	// The password cache hit from the second call on, and the access
	// cache served the repeated ACL checks.
	if v, _ := find(s, "godoo_cache_lookups_total", "cache", "credentials", "result", "hit"); v < 2 {
		t.Errorf("%v credential cache hits, want at least 2", v)
	}
	if v, _ := find(s, "godoo_cache_lookups_total", "cache", "access", "result", "hit"); v < 1 {
		t.Errorf("%v access cache hits, want at least 1", v)
	}
	for _, x := range s {
		for _, v := range x.labels {
			if strings.Contains(v, metricsPassword) || strings.Contains(v, key) || strings.Contains(v, "not-a-key") {
				t.Errorf("a label holds a credential: %s %v", x.name, x.labels)
			}
		}
	}
}

// TestMetricsBounded calls 10 000 distinct unknown models (and unknown
// services, methods, routes and databases): they all fold into the label
// value other, or make no label at all, so the number of series stays
// what known names make.
func TestMetricsBounded(t *testing.T) {
	h, _ := metricsServer(t)
	const n = 10000
	for i := range n {
		executeKw(t, h, metricsPassword, fmt.Sprintf("x.unknown_%d", i), fmt.Sprintf("method_%d", i))
	}
	for i := range 50 {
		body := fmt.Sprintf(`{"params": {"service": "object", "method": "execute_kw", "args": ["nodb_%d", 2, "pw", "res.partner", "search", [[]]]}}`, i)
		req := httptest.NewRequest(http.MethodPost, "/jsonrpc", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	for i := range 50 {
		body := fmt.Sprintf(`{"params": {"service": "svc_%d", "method": "m_%d", "args": []}}`, i, i)
		req := httptest.NewRequest(http.MethodPost, "/jsonrpc", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), req)
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, fmt.Sprintf("/no/such/route/%d", i), nil))
	}
	s := scrape(t, h)
	if v, _ := find(s, "godoo_requests_total", "protocol", "jsonrpc", "service", "object", "model", "other", "method", "other", "outcome", "user_error"); v != n {
		t.Errorf("%v calls of unknown models under model=other, want %d", v, n)
	}
	if v, _ := find(s, "godoo_requests_total", "protocol", "jsonrpc", "service", "other", "method", "other"); v != 50 {
		t.Errorf("%v calls of unknown services under service=other, want 50", v)
	}
	if v, _ := find(s, "godoo_requests_total", "protocol", "other", "method", "other", "outcome", "rejected"); v != 50 {
		t.Errorf("%v requests without a route under protocol=other, want 50", v)
	}
	series := 0
	for _, x := range s {
		if strings.HasPrefix(x.name, "godoo_") {
			series++
			for _, v := range x.labels {
				if strings.Contains(v, "unknown_") || strings.Contains(v, "method_") || strings.Contains(v, "svc_") || strings.Contains(v, "/no/such") || strings.Contains(v, "nodb_") {
					t.Fatalf("a client's name became a label value: %s %v", x.name, x.labels)
				}
			}
		}
	}
	if series > 100 {
		t.Errorf("%d godoo series after 10 000 unknown names, want a bounded few", series)
	}
}
