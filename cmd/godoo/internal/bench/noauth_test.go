//go:build godoo_noauth

package bench_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestConfigureServer checks, in a godoo_noauth build, the servers the
// bench starts: with GODOO_BENCH_NOAUTH=1 execute_kw runs whatever the
// password, with GODOO_BENCH_COLD_KEYS=1 keys still work (each check
// reading the key again), and without either a wrong password is refused.
func TestConfigureServer(t *testing.T) {
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	set := services.NewSet(store, services.Config{RefusalDelay: -1})
	set.Authenticator().Rounds = 1000
	if err := set.Database.Create(ctx, "odoo", services.CreateOptions{AdminPassword: "x-admin-1", AdminLogin: "admin"}); err != nil {
		t.Fatal(err)
	}
	key, err := set.Database.CreateAPIKey(ctx, "odoo", services.KeyOptions{Login: "admin", Name: "bench"})
	if err != nil {
		t.Fatal(err)
	}
	call := func(h *rpc.Handler, secret string) string {
		body := `{"jsonrpc": "2.0", "id": 1, "params": {"service": "object", "method": "execute_kw",
			"args": ["odoo", 2, "` + secret + `", "res.users", "search_count", [[]]]}}`
		req := httptest.NewRequest(http.MethodPost, "/jsonrpc", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var answer struct {
			Result any
			Error  struct{ Data struct{ Name string } }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("%v: %s", err, rec.Body)
		}
		if answer.Result != nil {
			return "ok"
		}
		return answer.Error.Data.Name
	}
	cases := []struct {
		env, secret, want string
	}{
		{"", "wrong", "odoo.exceptions.AccessDenied"},
		{"GODOO_BENCH_NOAUTH", "wrong", "ok"},
		{"GODOO_BENCH_COLD_KEYS", key.Clear, "ok"},
		{"GODOO_BENCH_COLD_KEYS", "wrong", "odoo.exceptions.AccessDenied"},
	}
	for _, tc := range cases {
		t.Run(tc.env+" "+tc.secret[:5], func(t *testing.T) {
			if tc.env != "" {
				t.Setenv(tc.env, "1")
			}
			h := rpc.NewHandler(set, rpc.Options{})
			bench.ConfigureServer(h, set, io.Discard)
			for range 2 {
				if got := call(h, tc.secret); got != tc.want {
					t.Fatalf("execute_kw: %s, want %s", got, tc.want)
				}
			}
		})
	}
}
