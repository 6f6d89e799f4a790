package rpc_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// routesHandler is a handler over an empty store: every request that gets
// past the credential checks stops at the database selection, so these
// tests see what the auth modes decide before any database work.
func routesHandler(t *testing.T) *rpc.Handler {
	t.Helper()
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := rpc.NewHandler(services.NewSet(store, services.Config{}), rpc.Options{})
	h.SetReady(true)
	return h
}

type routeAnswer struct {
	status    int
	challenge string
	body      map[string]any
	raw       string
}

func routeGet(t *testing.T, h http.Handler, path string, header ...string) routeAnswer {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	raw, _ := io.ReadAll(rec.Body)
	a := routeAnswer{status: rec.Code, challenge: rec.Header().Get("WWW-Authenticate"), raw: string(raw)}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type %q, want JSON", path, ct)
	}
	if err := json.Unmarshal(raw, &a.body); err != nil {
		t.Errorf("GET %s: body is not a JSON object: %v: %s", path, err, raw)
	}
	return a
}

func TestRouteRefusals(t *testing.T) {
	h := routesHandler(t)
	const secret = "very-Secret-Key-123"
	for _, tc := range []struct {
		name      string
		path      string
		header    []string
		status    int
		challenge string
		message   string
	}{
		{"user mode has no session", "/auth/whoami/user", nil, 401, "", "Session expired"},
		{"user mode ignores keys", "/auth/whoami/user", []string{"API-KEY", secret}, 401, "", "Session expired"},
		{"api_key without key", "/auth/whoami/api_key", nil, 403, "", "Missing API key"},
		{"api_key ignores Authorization", "/auth/whoami/api_key", []string{"Authorization", "Bearer " + secret}, 403, "", "Missing API key"},
		{"api_key with key reaches the database", "/auth/whoami/api_key", []string{"API-KEY", secret}, 400, "", "No database selected"},
		{"HTTP-API-KEY too", "/auth/whoami/api_key", []string{"HTTP-API-KEY", secret}, 400, "", "No database selected"},
		{"bearer without header", "/auth/whoami/bearer", nil, 401, "Bearer", "User not authenticated, use an API Key with a Bearer Authorization header."},
		{"bearer with Basic", "/auth/whoami/bearer", []string{"Authorization", "Basic dXNlcjpwYXNz"}, 401, "Bearer", "User not authenticated"},
		{"bearer without token", "/auth/whoami/bearer", []string{"Authorization", "Bearer   "}, 401, "Bearer", "User not authenticated"},
		{"bearer glued to token", "/auth/whoami/bearer", []string{"Authorization", "Bearer" + secret}, 401, "Bearer", "User not authenticated"},
		{"bearer lower case", "/auth/whoami/bearer", []string{"Authorization", "bearer " + secret}, 400, "", "No database selected"},
		{"bearer upper case, tab", "/auth/whoami/bearer", []string{"Authorization", "BEARER\t" + secret}, 400, "", "No database selected"},
		{"basic_api_key without Basic", "/auth/whoami/basic_api_key", []string{"API-KEY", secret}, 401, "Basic", "HTTP Basic credentials are required."},
		{"basic_api_key with Bearer", "/auth/whoami/basic_api_key", []string{"Authorization", "Bearer " + secret, "API-KEY", secret}, 401, "Basic", "HTTP Basic"},
		{"public without database", "/auth/whoami/public", nil, 400, "", "No database selected"},
		{"unknown database by header", "/auth/whoami/public", []string{"X-Odoo-Database", "nosuchdb"}, 404, "", "Database not found."},
		{"unknown database by parameter", "/auth/whoami/public?db=nosuchdb", nil, 404, "", "Database not found."},
		{"invalid database name", "/auth/whoami/public?db=../etc", nil, 404, "", "Database not found."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := routeGet(t, h, tc.path, tc.header...)
			if a.status != tc.status {
				t.Errorf("status = %d, want %d: %s", a.status, tc.status, a.raw)
			}
			if !strings.HasPrefix(a.challenge, tc.challenge) || (tc.challenge == "") != (a.challenge == "") {
				t.Errorf("WWW-Authenticate = %q, want %q", a.challenge, tc.challenge)
			}
			if msg, _ := a.body["message"].(string); !strings.Contains(msg, tc.message) {
				t.Errorf("message = %q, want %q", msg, tc.message)
			}
			if _, ok := a.body["error"].(string); !ok {
				t.Errorf("body lacks an error code: %s", a.raw)
			}
			if strings.Contains(a.raw, secret) {
				t.Errorf("the body echoes the key: %s", a.raw)
			}
		})
	}
}

func TestRouteModes(t *testing.T) {
	h := routesHandler(t)
	t.Run("none runs without identity and keeps the headers", func(t *testing.T) {
		var seen string
		h.RouteFunc("GET /test/none", rpc.AuthNone, func(w http.ResponseWriter, r *http.Request) {
			if _, ok := rpc.IdentityFrom(r.Context()); ok {
				t.Error("an identity on a none route")
			}
			seen = r.Header.Get("API-KEY")
			w.WriteHeader(http.StatusNoContent)
		})
		req := httptest.NewRequest(http.MethodGet, "/test/none", nil)
		req.Header.Set("API-KEY", "k")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNoContent || seen != "k" {
			t.Errorf("status %d, header %q", rec.Code, seen)
		}
	})
	t.Run("a refused route never runs its handler", func(t *testing.T) {
		ran := false
		h.RouteFunc("POST /test/keyed", rpc.AuthAPIKey, func(http.ResponseWriter, *http.Request) { ran = true }, rpc.KeyGroup("shop"))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/test/keyed", strings.NewReader("{}")))
		if ran || rec.Code != http.StatusForbidden {
			t.Errorf("ran=%v status=%d", ran, rec.Code)
		}
	})
	t.Run("the method pattern holds", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/auth/whoami/api_key", nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("POST on a GET route: %d", rec.Code)
		}
	})
	for _, tc := range []struct {
		name string
		fn   func()
	}{
		{"unknown mode", func() { h.Route("GET /test/bad", rpc.AuthMode("session"), http.NotFoundHandler()) }},
		{"key group without keys", func() { h.Route("GET /test/bad2", rpc.AuthBearer, http.NotFoundHandler(), rpc.KeyGroup("x")) }},
	} {
		t.Run("panics on "+tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.fn()
		})
	}
	if _, ok := rpc.IdentityFrom(t.Context()); ok {
		t.Error("an identity outside any route")
	}
}

// TestXMLAnswerLength checks that XML-RPC answers and faults carry their
// length, as Odoo's do, instead of being sent in chunks.
func TestXMLAnswerLength(t *testing.T) {
	h := routesHandler(t)
	for _, body := range []string{
		"<?xml version='1.0'?><methodCall><methodName>version</methodName><params></params></methodCall>",
		"<?xml version='1.0'?><methodCall><methodName>no_such_method</methodName><params></params></methodCall>",
	} {
		req := httptest.NewRequest(http.MethodPost, "/xmlrpc/2/common", strings.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(got, "<methodResponse>") {
			t.Fatalf("HTTP %d: %s", rec.Code, got)
		}
		if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(len(got)) {
			t.Errorf("Content-Length %q for a %d-byte answer: %s", cl, len(got), got)
		}
	}
}
