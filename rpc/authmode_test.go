package rpc_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc"
)

// TestAuthModes checks each entry of the table of auth modes on a request
// that carries no credentials, over an empty store: each turns it into an
// identity or into its own refusal, before any database work where the
// credentials are missing.
func TestAuthModes(t *testing.T) {
	h := routesHandler(t)
	cases := []struct {
		mode   rpc.AuthMode
		claims rpc.Claims
		kind   models.Kind
		reason models.Reason
	}{
		{rpc.AuthNone, rpc.Claims{}, -1, models.ReasonNone},
		{rpc.AuthPublic, rpc.Claims{}, models.KindNotFound, models.ReasonNoDatabase},
		{rpc.AuthPublic, rpc.Claims{DB: "nodb"}, models.KindNotFound, models.ReasonUnknownDatabase},
		{rpc.AuthUser, rpc.Claims{}, models.KindAccessDenied, models.ReasonNoSession},
		{rpc.AuthAPIKey, rpc.Claims{}, models.KindAccessDenied, models.ReasonMissingKey},
		{rpc.AuthBearer, rpc.Claims{}, models.KindAccessDenied, models.ReasonMissingBearer},
		{rpc.AuthBasicAPIKey, rpc.Claims{}, models.KindAccessDenied, models.ReasonMissingBasic},
		{rpc.AuthPassword, rpc.Claims{DB: "nodb", UID: 2, Password: "x"}, models.KindServer, models.ReasonNone},
	}
	for _, tc := range cases {
		t.Run(string(tc.mode), func(t *testing.T) {
			id, err := h.AuthModeFunc(tc.mode)(httptest.NewRequest(http.MethodGet, "/", nil), tc.claims)
			if tc.kind < 0 {
				if err != nil || id.UID != 0 {
					t.Fatalf("got %+v, %v; want no identity and no error", id, err)
				}
				return
			}
			if models.KindOf(err) != tc.kind || models.ReasonOf(err) != tc.reason {
				t.Fatalf("got %v (kind %d, reason %q), want kind %d, reason %q", err, models.KindOf(err), models.ReasonOf(err), tc.kind, tc.reason)
			}
		})
	}
}

// TestSetAuthMode checks that a program can replace how a mode proves
// identities, here execute_kw's password-in-call, building on the mode it
// replaces, and that the web session mode cannot be replaced.
func TestSetAuthMode(t *testing.T) {
	h := routesHandler(t)
	builtin := h.AuthModeFunc(rpc.AuthPassword)
	var seen []rpc.Claims
	h.SetAuthMode(rpc.AuthPassword, func(r *http.Request, c rpc.Claims) (auth.Identity, error) {
		seen = append(seen, c)
		if c.Password == "gateway-said-yes" {
			return builtin(r, c) // still the built-in check
		}
		return auth.Identity{}, models.Refused(models.KindAccessDenied, models.ReasonInvalidKey)
	})
	call := func(password string) map[string]any {
		body := `{"jsonrpc": "2.0", "id": 1, "params": {"service": "object", "method": "execute_kw",
			"args": ["nodb", 2, "` + password + `", "res.partner", "search_count", [[]]]}}`
		req := httptest.NewRequest(http.MethodPost, "/jsonrpc", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var answer struct {
			Error struct{ Data map[string]any }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("%v: %s", err, rec.Body)
		}
		return answer.Error.Data
	}
	if d := call("anything"); d["name"] != "odoo.exceptions.AccessDenied" {
		t.Errorf("the replaced mode did not refuse: %v", d)
	}
	if d := call("gateway-said-yes"); d["name"] != "psycopg2.OperationalError" {
		t.Errorf("the built-in mode did not run: %v", d)
	}
	if len(seen) != 2 || seen[0].DB != "nodb" || seen[0].UID != 2 || seen[1].Password != "gateway-said-yes" {
		t.Errorf("the mode saw %+v", seen)
	}
	for _, m := range []rpc.AuthMode{rpc.AuthUser, "nope"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SetAuthMode(%q) did not panic", m)
				}
			}()
			h.SetAuthMode(m, func(*http.Request, rpc.Claims) (auth.Identity, error) { return auth.Identity{}, nil })
		}()
	}
}

// TestRouteNeedsRequestMode checks that a route cannot use the password of
// an RPC call, which only a call carries.
func TestRouteNeedsRequestMode(t *testing.T) {
	h := routesHandler(t)
	defer func() {
		if recover() == nil {
			t.Error("Route with AuthPassword did not panic")
		}
	}()
	h.RouteFunc("GET /x", rpc.AuthPassword, func(http.ResponseWriter, *http.Request) {})
}
