package integration_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestRoutes checks the HTTP routes' auth modes end to end (spec/auth.md
// §2.8 and §4, checklist items 28-37): the /auth/whoami/<mode> routes, a
// route registered through the Go API with a key group, header keys from
// the database and from the configuration, the dual Basic + API-KEY scheme
// and bearer keys, with plain HTTP requests as curl sends them.
func TestRoutes(t *testing.T) {
	// Each store has its own log: the stores' subtests run at the same
	// time, and each checks that its own refusals were logged.
	itest.ForStores(t, func(t *testing.T, name string, store models.Store) {
		var logs syncBuffer
		log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		// Proxy mode lets every request come from an address of its own:
		// the per-address key limiter would otherwise block the loopback
		// address after the refusals this test provokes on purpose.
		e := wrapEnv(itest.NewEnv(t, name, store, services.Config{ListDB: true, Log: log}, godoorpc.Options{ProxyMode: true, Log: log}))
		r := newRouteScenario(t, e)
		t.Run("whoami public", r.public)
		t.Run("whoami user needs a session", r.session)
		t.Run("api_key", r.apiKey)
		t.Run("passwords are not keys", r.passwords)
		t.Run("archived keys and users", r.archived)
		t.Run("key group route", r.keyGroup)
		t.Run("config file keys and Basic users", r.configured)
		t.Run("basic_api_key", r.basicAPIKey)
		t.Run("bearer", r.bearer)
		t.Run("curl", r.curl)
		e.set.Authenticator().FlushRefusals(true)
		out := logs.String()
		if !strings.Contains(out, `msg="refused attempts"`) || !strings.Contains(out, "header_key=") {
			t.Errorf("the log lacks the refusals; is the logger wired?\n%s", out)
		}
		for _, s := range r.secrets {
			if strings.Contains(out, s) {
				t.Errorf("the log contains the secret %q", s)
			}
		}
	})
}

// routeScenario is the state the route tests share on one store.
type routeScenario struct {
	e       *env
	c       caller
	secrets []string // every key and password used: never in a body or a log
	// user is an internal user with header key userKey (named userKeyName).
	user                 int64
	userLogin, userPw    string
	userKey, userKeyName string
	addr                 atomic.Int64
}

func newRouteScenario(t *testing.T, e *env) *routeScenario {
	r := &routeScenario{e: e, c: jsonCaller{e.srv.URL}}
	r.userLogin, r.userPw = uniqueName("route_"), "route-Pw-"+randomText(8)
	r.user = authCreateUser(t, r.c, e.db, r.userLogin, r.userPw)
	r.userKeyName = uniqueName("keyname_")
	r.userKey = r.newKey(t, r.userKeyName, r.user)
	r.secrets = append(r.secrets, adminPassword, r.userPw)
	return r
}

// newKey creates an auth.api.key for uid over RPC as admin.
func (r *routeScenario) newKey(t *testing.T, name string, uid int64) string {
	t.Helper()
	key := "hk-" + randomText(24)
	r.secrets = append(r.secrets, key)
	r.e.mustKw(t, r.c, "auth.api.key", "create", []any{map[string]any{"name": name, "key": key, "user_id": uid}}, nil)
	return key
}

func (r *routeScenario) keyID(t *testing.T, name string) int64 {
	t.Helper()
	ids, _ := r.e.mustKw(t, r.c, "auth.api.key", "search", []any{[]any{[]any{"name", "=", name}}},
		map[string]any{"context": map[string]any{"active_test": false}}).([]any)
	if len(ids) != 1 {
		t.Fatalf("auth.api.key %s: ids %v", name, ids)
	}
	return ids[0].(int64)
}

// get sends GET base+path with header pairs, as curl would, from a source
// address of its own, and checks that no secret comes back.
func (r *routeScenario) get(t *testing.T, base, path string, header ...string) httpResult {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := r.addr.Add(1)
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.18.%d.%d", n/250, n%250+1))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res := do(t, req)
	for _, s := range r.secrets {
		if bytes.Contains(res.body, []byte(s)) {
			t.Errorf("GET %s: the body echoes a secret: %s", path, res.body)
		}
	}
	return res
}

// whoami calls /auth/whoami/<mode> on the scenario's database.
func (r *routeScenario) whoami(t *testing.T, mode string, header ...string) httpResult {
	t.Helper()
	return r.get(t, r.e.srv.URL, "/auth/whoami/"+mode, append([]string{"X-Odoo-Database", r.e.db}, header...)...)
}

// wantRefused checks a refusal: status, WWW-Authenticate scheme ("" for
// none), a JSON body with an error code and a message containing fragment.
func wantRefused(t *testing.T, res httpResult, status int, challenge, fragment string) {
	t.Helper()
	if res.status != status {
		t.Errorf("status %d, want %d: %s", res.status, status, res.body)
	}
	got := res.header.Get("WWW-Authenticate")
	if challenge == "" && got != "" || !strings.HasPrefix(got, challenge) {
		t.Errorf("WWW-Authenticate = %q, want %q", got, challenge)
	}
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	m := res.object(t)
	if _, ok := m["error"].(string); !ok {
		t.Errorf("no error code in %s", res.body)
	}
	if msg, _ := m["message"].(string); !strings.Contains(msg, fragment) {
		t.Errorf("message = %q, want %q", msg, fragment)
	}
}

func (r *routeScenario) publicUID(t *testing.T) int64 {
	t.Helper()
	ids, _ := r.e.mustKw(t, r.c, "res.users", "search", []any{[]any{[]any{"login", "=", "public"}}},
		map[string]any{"context": map[string]any{"active_test": false}}).([]any)
	if len(ids) != 1 {
		t.Fatalf("public user: %v", ids)
	}
	return ids[0].(int64)
}

func (r *routeScenario) public(t *testing.T) {
	pub := r.publicUID(t)
	wantIdentity(t, r.whoami(t, "public"), pub, "public", "public", "")
	wantIdentity(t, r.get(t, r.e.srv.URL, "/auth/whoami/public?db="+url.QueryEscape(r.e.db)), pub, "public", "public", "")
	// Credentials change nothing on a public route.
	wantIdentity(t, r.whoami(t, "public", "API-KEY", r.userKey), pub, "public", "public", "")
	wantRefused(t, r.get(t, r.e.srv.URL, "/auth/whoami/public?db=no_such_db_x"), 404, "", "Database not found")
	if r.e.name == "sqlite" {
		// The store holds this one database only: it is selected.
		wantIdentity(t, r.get(t, r.e.srv.URL, "/auth/whoami/public"), pub, "public", "public", "")
	}
}

func (r *routeScenario) session(t *testing.T) {
	wantRefused(t, r.whoami(t, "user"), 401, "", "Session expired")
	wantRefused(t, r.whoami(t, "user", "API-KEY", r.userKey), 401, "", "Session expired")
}

func (r *routeScenario) apiKey(t *testing.T) {
	wantIdentity(t, r.whoami(t, "api_key", "API-KEY", r.userKey), r.user, r.userLogin, "api_key", r.userKeyName)
	wantIdentity(t, r.whoami(t, "api_key", "HTTP-API-KEY", r.userKey), r.user, r.userLogin, "api_key", r.userKeyName)
	wantIdentity(t, r.get(t, r.e.srv.URL, "/auth/whoami/api_key?db="+url.QueryEscape(r.e.db), "API-KEY", r.userKey),
		r.user, r.userLogin, "api_key", r.userKeyName)
	// An admin key runs as admin.
	adminKeyName := uniqueName("adminkey_")
	adminKey := r.newKey(t, adminKeyName, 2)
	wantIdentity(t, r.whoami(t, "api_key", "API-KEY", adminKey), 2, "admin", "api_key", adminKeyName)

	wantRefused(t, r.whoami(t, "api_key"), 403, "", "Missing API key")
	unknown := "hk-unknown-" + randomText(16)
	r.secrets = append(r.secrets, unknown)
	wantRefused(t, r.whoami(t, "api_key", "API-KEY", unknown), 403, "", "Access Denied")
	wantRefused(t, r.whoami(t, "api_key", "HTTP-API-KEY", unknown), 403, "", "Access Denied")
	// A key differing only in case is another key.
	wantRefused(t, r.whoami(t, "api_key", "API-KEY", strings.ToUpper(r.userKey)), 403, "", "Access Denied")
	// The key is not taken from the Authorization header.
	wantRefused(t, r.whoami(t, "api_key", "Authorization", "Bearer "+r.userKey), 403, "", "Missing API key")
}

// passwords checks that api_key routes take keys only: neither a password
// in API-KEY nor Basic credentials, nor a native key, open them.
func (r *routeScenario) passwords(t *testing.T) {
	wantRefused(t, r.whoami(t, "api_key", "API-KEY", adminPassword), 403, "", "Access Denied")
	wantRefused(t, r.whoami(t, "api_key", "HTTP-API-KEY", r.userPw), 403, "", "Access Denied")
	wantRefused(t, r.whoami(t, "api_key", "Authorization", basicAuth("admin", adminPassword)), 403, "", "Missing API key")
	native := r.nativeKey(t, uniqueName("native_"))
	wantRefused(t, r.whoami(t, "api_key", "API-KEY", native), 403, "", "Access Denied")
}

func (r *routeScenario) archived(t *testing.T) {
	t.Run("archived key", func(t *testing.T) {
		name := uniqueName("archkey_")
		key := r.newKey(t, name, r.user)
		wantIdentity(t, r.whoami(t, "api_key", "API-KEY", key), r.user, r.userLogin, "api_key", name)
		r.e.mustKw(t, r.c, "auth.api.key", "write", []any{[]any{r.keyID(t, name)}, map[string]any{"active": false}}, nil)
		wantRefused(t, r.whoami(t, "api_key", "API-KEY", key), 403, "", "Access Denied")
	})
	t.Run("archived user", func(t *testing.T) {
		login := uniqueName("archuser_")
		uid := authCreateUser(t, r.c, r.e.db, login, "arch-Pw-"+randomText(6))
		name := uniqueName("archuserkey_")
		key := r.newKey(t, name, uid)
		recs, _ := r.e.mustKw(t, r.c, "res.users", "read", []any{[]any{uid}, []any{"company_id"}}, nil).([]any)
		company := recs[0].(map[string]any)["company_id"].([]any)[0].(int64)
		setActive := func(active bool) {
			r.e.mustKw(t, r.c, "res.users", "write", []any{[]any{uid}, map[string]any{"active": active}}, nil)
		}
		setOption := func(on bool) {
			r.e.mustKw(t, r.c, "res.company", "write", []any{[]any{company}, map[string]any{"archived_user_disable_auth_api_key": on}}, nil)
		}
		setActive(false)
		// The company option is off: keys of archived users keep working
		// (OCA's technical users are often archived).
		wantIdentity(t, r.whoami(t, "api_key", "API-KEY", key), uid, login, "api_key", name)
		setOption(true)
		defer setOption(false)
		wantRefused(t, r.whoami(t, "api_key", "API-KEY", key), 403, "", "Access Denied")
		// Active users' keys are untouched by the option.
		wantIdentity(t, r.whoami(t, "api_key", "API-KEY", r.userKey), r.user, r.userLogin, "api_key", r.userKeyName)
		setActive(true)
		wantIdentity(t, r.whoami(t, "api_key", "API-KEY", key), uid, login, "api_key", name)
	})
}

// keyGroup registers a route through the Go API, restricted to a key
// group, whose handler acts as the key's user.
func (r *routeScenario) keyGroup(t *testing.T) {
	code := uniqueName("shop_")
	path := "/test/" + code
	set := r.e.set
	r.e.h.RouteFunc("GET "+path, godoorpc.AuthAPIKey, func(w http.ResponseWriter, req *http.Request) {
		id, ok := godoorpc.IdentityFrom(req.Context())
		if !ok {
			http.Error(w, "no identity", http.StatusInternalServerError)
			return
		}
		if req.Header.Get("API-KEY") != "" {
			http.Error(w, "the handler sees the key", http.StatusInternalServerError)
			return
		}
		n, err := set.Object.Execute(req.Context(), id, "res.partner", "search_count", []any{[]any{}}, nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, `{"uid": %d, "groups": %q, "partners": %d}`, id.UID, strings.Join(id.Groups, ","), n)
	}, godoorpc.KeyGroup(code))
	r.e.h.RouteFunc("GET "+path+"/open", godoorpc.AuthAPIKey, func(w http.ResponseWriter, req *http.Request) {
		id, _ := godoorpc.IdentityFrom(req.Context())
		fmt.Fprintf(w, `{"uid": %d}`, id.UID)
	})

	member := uniqueName("member_")
	memberKey := r.newKey(t, member, r.user)
	r.e.mustKw(t, r.c, "auth.api.key.group", "create", []any{map[string]any{"name": "Shop " + code, "code": code,
		"auth_api_key_ids": []any{[]any{int64(6), int64(0), []any{r.keyID(t, member)}}}}}, nil)
	other := uniqueName("othergroup_")
	r.e.mustKw(t, r.c, "auth.api.key.group", "create", []any{map[string]any{"name": "Other " + other, "code": other,
		"auth_api_key_ids": []any{[]any{int64(6), int64(0), []any{r.keyID(t, r.userKeyName)}}}}}, nil)

	res := r.get(t, r.e.srv.URL, path, "X-Odoo-Database", r.e.db, "API-KEY", memberKey)
	if res.status != http.StatusOK {
		t.Fatalf("member key: %d %s", res.status, res.body)
	}
	m := res.object(t)
	equal(t, "uid", m["uid"], r.user)
	equal(t, "groups", m["groups"], code)
	if n, _ := m["partners"].(int64); n <= 0 {
		t.Errorf("partners = %v, want a count run as the key's user", m["partners"])
	}
	// A key of another group, and a key of no group, are refused.
	wantRefused(t, r.get(t, r.e.srv.URL, path, "X-Odoo-Database", r.e.db, "API-KEY", r.userKey), 403, "", "not allowed on this route")
	plainName := uniqueName("plain_")
	plain := r.newKey(t, plainName, r.user)
	wantRefused(t, r.get(t, r.e.srv.URL, path, "X-Odoo-Database", r.e.db, "API-KEY", plain), 403, "", "not allowed on this route")
	wantRefused(t, r.get(t, r.e.srv.URL, path, "X-Odoo-Database", r.e.db), 403, "", "Missing API key")
	// A route without a group accepts every key.
	for _, k := range []string{memberKey, r.userKey, plain} {
		if res := r.get(t, r.e.srv.URL, path+"/open", "X-Odoo-Database", r.e.db, "API-KEY", k); res.status != http.StatusOK {
			t.Errorf("route without a group: %d %s", res.status, res.body)
		}
	}
	// The group-restricted key still works on the whoami route.
	wantIdentity(t, r.whoami(t, "api_key", "API-KEY", memberKey), r.user, r.userLogin, "api_key", member)
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// configured runs a second server on the same database whose
// configuration holds a header key ([api_key_<name>] key=...) and Basic
// users ([basic_users]).
func (r *routeScenario) configured(t *testing.T) {
	name := uniqueName("cfgkey_")
	placeholder := r.newKey(t, name, r.user)
	fileKey := "file-" + randomText(24)
	gatewayPw := "gateway-Pw-" + randomText(8)
	r.secrets = append(r.secrets, fileKey, gatewayPw)
	set := newSet(r.e.store, services.Config{ListDB: true, Log: r.e.set.Authenticator().Log,
		HeaderKeys: map[string]auth.ConfigKey{name: {Key: fileKey}},
		// Few rounds, so that the test does not pay 600 000 per request.
		BasicUsers: map[string]string{"gateway": passlibHash(t, gatewayPw, []byte(randomText(12)), 1000)}})
	h := godoorpc.NewHandler(set, godoorpc.Options{ProxyMode: true, Log: r.e.set.Authenticator().Log})
	h.SetReady(true)
	base := authURL(t, h)
	who := func(mode string, header ...string) httpResult {
		return r.get(t, base, "/auth/whoami/"+mode, append([]string{"X-Odoo-Database", r.e.db}, header...)...)
	}

	t.Run("config key", func(t *testing.T) {
		wantIdentity(t, who("api_key", "API-KEY", fileKey), r.user, r.userLogin, "api_key", name)
		// The database value no longer works where the file sets the key,
		wantRefused(t, who("api_key", "API-KEY", placeholder), 403, "", "Access Denied")
		// and still does on the server without it.
		wantIdentity(t, r.whoami(t, "api_key", "API-KEY", placeholder), r.user, r.userLogin, "api_key", name)
		wantRefused(t, r.whoami(t, "api_key", "API-KEY", fileKey), 403, "", "Access Denied")
		// Other keys are unaffected.
		wantIdentity(t, who("api_key", "API-KEY", r.userKey), r.user, r.userLogin, "api_key", r.userKeyName)
		// A configured key follows its record: archived, it is refused.
		r.e.mustKw(t, r.c, "auth.api.key", "write", []any{[]any{r.keyID(t, name)}, map[string]any{"active": false}}, nil)
		r.e.settle(t) // the configured server has the notice
		wantRefused(t, who("api_key", "API-KEY", fileKey), 403, "", "Access Denied")
	})
	t.Run("configured Basic users", func(t *testing.T) {
		wantIdentity(t, who("basic_api_key", "Authorization", basicAuth("gateway", gatewayPw), "API-KEY", r.userKey),
			r.user, r.userLogin, "basic_api_key", r.userKeyName)
		// With Basic users configured, godoo passwords are not Basic
		// credentials.
		wantRefused(t, who("basic_api_key", "Authorization", basicAuth("admin", adminPassword), "API-KEY", r.userKey), 401, "Basic", "Invalid HTTP Basic")
		wantRefused(t, who("basic_api_key", "Authorization", basicAuth("gateway", gatewayPw+"x"), "API-KEY", r.userKey), 401, "Basic", "Invalid HTTP Basic")
		wantRefused(t, who("basic_api_key", "Authorization", basicAuth("nobody", gatewayPw), "API-KEY", r.userKey), 401, "Basic", "Invalid HTTP Basic")
		wantRefused(t, who("basic_api_key", "Authorization", basicAuth("gateway", gatewayPw)), 403, "", "Missing API key")
	})
}

func (r *routeScenario) basicAPIKey(t *testing.T) {
	good := basicAuth("admin", adminPassword)
	// Valid Basic and a valid key: the key's user, not the Basic user.
	wantIdentity(t, r.whoami(t, "basic_api_key", "Authorization", good, "API-KEY", r.userKey),
		r.user, r.userLogin, "basic_api_key", r.userKeyName)
	wantIdentity(t, r.whoami(t, "basic_api_key", "Authorization", basicAuth(r.userLogin, r.userPw), "HTTP-API-KEY", r.userKey),
		r.user, r.userLogin, "basic_api_key", r.userKeyName)
	// Bad Basic: 401 with a Basic challenge, whatever the key.
	wantRefused(t, r.whoami(t, "basic_api_key", "Authorization", basicAuth(r.userLogin, r.userPw+"-wrong"), "API-KEY", r.userKey),
		401, "Basic", "Invalid HTTP Basic")
	wantRefused(t, r.whoami(t, "basic_api_key", "API-KEY", r.userKey), 401, "Basic", "HTTP Basic credentials are required")
	// Good Basic, bad or missing key: 403.
	bad := "hk-bad-" + randomText(16)
	r.secrets = append(r.secrets, bad)
	wantRefused(t, r.whoami(t, "basic_api_key", "Authorization", good, "API-KEY", bad), 403, "", "Access Denied")
	wantRefused(t, r.whoami(t, "basic_api_key", "Authorization", good), 403, "", "Missing API key")
	// A password is not a key here either.
	wantRefused(t, r.whoami(t, "basic_api_key", "Authorization", good, "API-KEY", adminPassword), 403, "", "Access Denied")
}

// nativeKey generates a res.users.apikeys key for admin over RPC.
func (r *routeScenario) nativeKey(t *testing.T, name string) string {
	t.Helper()
	key, ok := r.e.mustKw(t, r.c, "res.users.apikeys", "generate", []any{}, map[string]any{"scope": "rpc", "name": name}).(string)
	if !ok || key == "" {
		t.Fatal("generate returned no key")
	}
	r.secrets = append(r.secrets, key)
	return key
}

func (r *routeScenario) bearer(t *testing.T) {
	name := uniqueName("bearer_")
	key := r.nativeKey(t, name)
	for _, scheme := range []string{"Bearer", "bearer", "BEARER"} {
		wantIdentity(t, r.whoami(t, "bearer", "Authorization", scheme+" "+key), 2, "admin", "bearer", "")
	}
	wantRefused(t, r.whoami(t, "bearer"), 401, "Bearer", "User not authenticated, use an API Key with a Bearer Authorization header.")
	wantRefused(t, r.whoami(t, "bearer", "API-KEY", key), 401, "Bearer", "User not authenticated")
	wantRefused(t, r.whoami(t, "bearer", "Authorization", basicAuth("admin", adminPassword)), 401, "Bearer", "User not authenticated")
	forged := key[:len(key)-1] + "x"
	if forged == key {
		forged = key[:len(key)-1] + "y"
	}
	r.secrets = append(r.secrets, forged)
	for _, bad := range []string{forged, r.userKey, adminPassword} {
		wantRefused(t, r.whoami(t, "bearer", "Authorization", "Bearer "+bad), 401, "Bearer", "Invalid apikey")
	}
	// Revoked: refused on the very next request.
	ids, _ := r.e.mustKw(t, r.c, "res.users.apikeys", "search", []any{[]any{[]any{"name", "=", name}}}, nil).([]any)
	if len(ids) != 1 {
		t.Fatalf("native key %s: %v", name, ids)
	}
	r.e.mustKw(t, r.c, "res.users.apikeys", "revoke", []any{ids}, nil)
	wantRefused(t, r.whoami(t, "bearer", "Authorization", "Bearer "+key), 401, "Bearer", "Invalid apikey")
}

// curl runs the curl command line the README shows for an api_key route.
func (r *routeScenario) curl(t *testing.T) {
	bin, err := exec.LookPath("curl")
	if err != nil {
		t.Fatal("curl is required (see the README)")
	}
	cmd := exec.CommandContext(context.Background(), bin, "-sS", "-H", "API-KEY: "+r.userKey,
		r.e.srv.URL+"/auth/whoami/api_key?db="+url.QueryEscape(r.e.db))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("curl: %v", err)
	}
	wantIdentity(t, httpResult{status: http.StatusOK, body: out}, r.user, r.userLogin, "api_key", r.userKeyName)
	out, err = exec.CommandContext(context.Background(), bin, "-s", "-o", "/dev/null", "-w", "%{http_code}",
		r.e.srv.URL+"/auth/whoami/api_key?db="+url.QueryEscape(r.e.db)).Output()
	if err != nil || string(out) != "403" {
		t.Errorf("curl without a key: %q, %v", out, err)
	}
}
