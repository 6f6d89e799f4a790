package rpc_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestRequestID: every answer carries an X-Request-Id, the one the access
// log line of the request names; the client's own is taken only in proxy
// mode (the proxy sets it), and only when it is a plausible id.
func TestRequestID(t *testing.T) {
	long := strings.Repeat("a", 129)
	for _, c := range []struct {
		name     string
		proxy    bool
		incoming string
		kept     bool
	}{
		{"generated", false, "", false},
		{"client's ignored without proxy mode", false, "client-chosen-1", false},
		{"proxy's kept", true, "proxy-id-42", true},
		{"proxy mode, none given", true, "", false},
		{"with a space", true, "a b", false},
		{"with a quote", true, `a"b`, false},
		{"with a newline", true, "a\nb", false},
		{"too long", true, long, false},
		{"longest kept", true, long[:128], true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			h := accessLogHandler(t, &buf, rpc.Options{ProxyMode: c.proxy})
			var ids []string
			for range 2 {
				req := httptest.NewRequest(http.MethodGet, "/web/health", nil)
				if c.incoming != "" {
					req.Header["X-Request-Id"] = []string{c.incoming}
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				ids = append(ids, rec.Header().Get("X-Request-Id"))
			}
			if ids[0] == "" {
				t.Fatal("no X-Request-Id in the answer")
			}
			if c.kept && ids[0] != c.incoming {
				t.Errorf("X-Request-Id %q, want the proxy's %q", ids[0], c.incoming)
			}
			if !c.kept && (ids[0] == c.incoming || ids[0] == ids[1]) {
				t.Errorf("X-Request-Ids %q, want new, distinct ones", ids)
			}
			var lines []map[string]any
			for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatalf("log line %q: %v", l, err)
				}
				lines = append(lines, m)
			}
			if len(lines) != 2 {
				t.Fatalf("%d log lines for 2 requests:\n%s", len(lines), buf.String())
			}
			for i, l := range lines {
				want := map[string]any{"msg": "request", "request_id": ids[i], "protocol": "health", "method": "GET /web/health",
					"outcome": "ok", "status": 200.0, "bytes": float64(len(`{"status": "pass"}`)), "remote": "192.0.2.1"}
				for k, v := range want {
					if l[k] != v {
						t.Errorf("access line %d: %s = %#v, want %#v", i, k, l[k], v)
					}
				}
			}
		})
	}
}

// TestProbes: /livez answers 200 at once; /readyz answers 503 until the
// server is ready, then 200 while the store's databases open.
func TestProbes(t *testing.T) {
	h := routesHandler(t)
	h.SetReady(false)
	for _, c := range []struct {
		ready  bool
		path   string
		status int
		body   string
	}{
		{false, "/livez", 200, `{"status": "pass"}`},
		{false, "/readyz", 503, `{"status": "fail", "reason": "starting"}`},
		{true, "/readyz", 200, `{"status": "pass"}`},
		{true, "/livez", 200, `{"status": "pass"}`},
	} {
		h.SetReady(c.ready)
		a := routeGet(t, h, c.path)
		if a.status != c.status || a.raw != c.body {
			t.Errorf("GET %s (ready %v) = %d %s, want %d %s", c.path, c.ready, a.status, a.raw, c.status, c.body)
		}
	}
}

// TestServiceLogsNameTheRequest: a line services logs while serving a
// request (here "web session opened") carries the request's id, the one
// of the answer's X-Request-Id and of the access log line, so that an
// operator can join them.
func TestServiceLogsNameTheRequest(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	set := services.NewSet(store, services.Config{Log: log})
	set.Authenticator().Rounds = 1000
	newDB(t, set, store, "logs", services.CreateOptions{AdminLogin: "admin", AdminPassword: "admin-pw-1"})
	h := rpc.NewHandler(set, rpc.Options{AccessLog: true, Log: log})
	h.SetReady(true)
	buf.Reset()
	body := `{"jsonrpc":"2.0","method":"call","params":{"db":"logs","login":"admin","password":"admin-pw-1"}}`
	req := httptest.NewRequest(http.MethodPost, "/web/session/authenticate", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	id := rec.Header().Get("X-Request-Id")
	if rec.Code != http.StatusOK || id == "" {
		t.Fatalf("authenticate: status %d, request id %q: %s", rec.Code, id, rec.Body)
	}
	seen := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		msg, _ := m["msg"].(string)
		rid, _ := m["request_id"].(string)
		seen[msg] = rid
	}
	for _, msg := range []string{"web session opened", "request"} {
		if got, ok := seen[msg]; !ok || got != id {
			t.Errorf("log line %q: request_id %q, want %q (lines %v)", msg, got, id, seen)
		}
	}
}

// accessLogHandler is a ready handler over an empty store with opts, whose
// access log lines go to buf as JSON.
func accessLogHandler(t *testing.T, buf *bytes.Buffer, opts rpc.Options) *rpc.Handler {
	t.Helper()
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	opts.AccessLog, opts.Log = true, slog.New(slog.NewJSONHandler(buf, nil))
	h := rpc.NewHandler(services.NewSet(store, services.Config{}), opts)
	h.SetReady(true)
	return h
}
