package auth_test

import (
	"net/http"
	"testing"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/integration/internal/itest"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestConfigKeys checks header keys from the configuration stored hashed
// (key_hash), their key groups (key_groups, in place of the record's), and
// the key groups that limit JSON-2 and /auth/whoami, on both stores: a
// second server on the same database has that configuration, the first
// none.
func TestConfigKeys(t *testing.T) {
	itest.EachStore(t, services.Config{RefusalDelay: -1}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		admin := itest.JSONCaller{Base: e.Srv.URL}
		const secret = "configured-secret-0123456789"
		const plain = "plain-database-key-0123456789"
		cfgName, plainName := itest.UniqueName("cfg_"), itest.UniqueName("plain_")
		e.MustKw(t, admin, "auth.api.key", "create", []any{map[string]any{"name": cfgName, "key": itest.UniqueName("placeholder-"),
			"user_id": int64(2), "read_only": true}}, nil)
		e.MustKw(t, admin, "auth.api.key", "create", []any{map[string]any{"name": plainName, "key": plain, "user_id": int64(2)}}, nil)
		native := e.MustKw(t, admin, "res.users.apikeys", "generate", []any{"rpc", "bearer", false}, nil).(string)

		set := itest.NewSet(e.Store, services.Config{RefusalDelay: -1,
			HeaderKeys: map[string]auth.ConfigKey{cfgName: {Hash: auth.ConfigKeyHash(secret), Groups: []string{"shop"}}}})
		h := godoorpc.NewHandler(set, godoorpc.Options{JSON2KeyGroups: []string{"shop"}, WhoamiKeyGroups: []string{"shop"}})
		h.SetReady(true)
		configured := itest.Serve(t, h)

		get := func(base, path string, header ...string) itest.HTTPResult {
			req, err := http.NewRequest(http.MethodGet, base+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Odoo-Database", e.DB)
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			return itest.Do(t, req)
		}
		json2 := func(base, method, body string, header ...string) itest.HTTPResult {
			return itest.Post(t, base+"/json/2/res.partner/"+method, "application/json", []byte(body), append(header, "X-Odoo-Database", e.DB)...)
		}
		cases := []struct {
			name   string
			res    itest.HTTPResult
			status int
		}{
			{"whoami with the hashed configured key", get(configured, "/auth/whoami/api_key", "API-KEY", secret), http.StatusOK},
			{"JSON-2 with the hashed configured key", json2(configured, "search_count", `{"domain": []}`, "API-KEY", secret), http.StatusOK},
			{"the record's restrictions hold for the configured key", json2(configured, "create", `{"vals_list": {"name": "x"}}`, "API-KEY", secret), http.StatusForbidden},
			{"the hash itself is no key", get(configured, "/auth/whoami/api_key", "API-KEY", auth.ConfigKeyHash(secret)), http.StatusForbidden},
			{"whoami refuses a key outside the groups", get(configured, "/auth/whoami/api_key", "API-KEY", plain), http.StatusForbidden},
			{"JSON-2 refuses a key outside the groups", json2(configured, "search_count", `{"domain": []}`, "API-KEY", plain), http.StatusUnauthorized},
			{"JSON-2 still takes bearer keys", json2(configured, "search_count", `{"domain": []}`, "Authorization", "bearer "+native), http.StatusOK},
			{"whoami of bearer keys is not limited", get(configured, "/auth/whoami/bearer", "Authorization", "bearer "+native), http.StatusOK},
			{"without the configuration the secret is no key", get(e.Srv.URL, "/auth/whoami/api_key", "API-KEY", secret), http.StatusForbidden},
			{"without the configuration JSON-2 takes every key", json2(e.Srv.URL, "search_count", `{"domain": []}`, "API-KEY", plain), http.StatusOK},
			{"without the configuration whoami takes every key", get(e.Srv.URL, "/auth/whoami/api_key", "API-KEY", plain), http.StatusOK},
		}
		for _, c := range cases {
			if c.res.Status != c.status {
				t.Errorf("%s: status %d, want %d: %s", c.name, c.res.Status, c.status, c.res.Body)
			}
		}
		itest.WantIdentity(t, cases[0].res, 2, "admin", "api_key", cfgName)
	})
}
