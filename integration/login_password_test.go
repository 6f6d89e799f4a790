package integration_test

import (
	"strings"
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestLoginPasswordShapes checks common.login and authenticate with a
// password Odoo cannot check: empty (the API-key check's AssertionError)
// or no text (the hashing library's TypeError), the same for a login that
// exists and one that does not, so that the answer tells nothing of the
// logins; an unknown database still fails first.
func TestLoginPasswordShapes(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			cases := []struct {
				name     string
				password any
				exc, msg string
			}{
				{"empty", "", "builtins.AssertionError", "scope and key required"},
				{"None", nil, "builtins.AssertionError", "scope and key required"},
				{"false", false, "builtins.AssertionError", "scope and key required"},
				{"an integer", int64(12345), "builtins.TypeError", "secret must be unicode or bytes, not int"},
				{"a list", []any{"admin"}, "builtins.TypeError", "secret must be unicode or bytes, not list"},
			}
			for _, tc := range cases {
				if tc.password == nil && c.protocol() == "xmlrpc" {
					continue // XML-RPC carries no None
				}
				for _, login := range []string{"admin", "conf-nobody"} {
					t.Run(tc.name+"/"+login, func(t *testing.T) {
						_, f := c.call(t, "common", "login", e.db, login, tc.password)
						wantExact(t, c, f, 1, tc.exc, tc.msg)
						_, f = c.call(t, "common", "authenticate", e.db, login, tc.password, map[string]any{})
						wantExact(t, c, f, 1, tc.exc, tc.msg)
					})
				}
			}
			t.Run("unknown database first", func(t *testing.T) {
				_, f := c.call(t, "common", "login", "conf_no_such_db", "admin", "")
				if f == nil || f.Name == "builtins.AssertionError" || strings.Contains(f.String, "scope and key") {
					t.Fatalf("want the unknown database's fault, got %+v", f)
				}
			})
		})
	})
}

// TestUnknownUIDRefused checks the deliberate difference of a uid that
// names no user: refused as any wrong credentials, with nothing that tells
// it from an existing user's wrong password.
func TestUnknownUIDRefused(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			for _, tc := range []struct {
				uid int64
				pw  string
			}{{987654, adminPassword}, {2, "conf-wrong-password"}} { // few: failures cool the address down
				_, f := c.call(t, "object", "execute_kw", e.db, tc.uid, tc.pw, "res.partner", "search_count", []any{[]any{}})
				wantExact(t, c, f, 3, "odoo.exceptions.AccessDenied", "Access Denied")
			}
		})
	})
}
