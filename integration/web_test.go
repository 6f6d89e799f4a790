package integration_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestWeb checks the web-client JSON routes and their sessions end to end
// (spec/protocol.md §4 and the §8 checklist lines about sessions and
// /web/*), with plain HTTP clients that keep the session the three ways
// client libraries do: a cookie jar, the whole Set-Cookie string sent back
// as the Cookie header, and the X-Openerp-Session-Id header; some send
// requests without jsonrpc and id.
func TestWeb(t *testing.T) {
	// Each store has its own log and clock: the stores' subtests run at
	// the same time, and one's idle expiry moves its clock forward while
	// the other rotates sessions and checks their ends.
	itest.ForStores(t, func(t *testing.T, name string, store models.Store) {
		var logs syncBuffer
		log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		clock := &webClock{}
		// The integration databases are named it_<hex>: the filter shows
		// them and hides the one this test makes to be refused.
		cfg := services.Config{ListDB: true, Log: log, DBFilter: "^it_", Now: clock.now}
		opts := godoorpc.Options{ProxyMode: true, Log: log}
		e := wrapEnv(itest.NewEnv(t, name, store, cfg, opts))
		w := newWebScenario(t, e, cfg, opts, clock)
		t.Run("authenticate", w.authenticate)
		t.Run("bad credentials", w.badCredentials)
		t.Run("API keys are not passwords", w.apiKeys)
		t.Run("dbfilter", w.dbfilter)
		t.Run("no session", w.noSession)
		t.Run("call_kw", w.callKw)
		t.Run("call_button", w.callButton)
		t.Run("action load", w.loadAction)
		t.Run("action ids shared", w.sharedActionIDs)
		t.Run("session routes", w.sessionRoutes)
		t.Run("rotation", w.rotation)
		t.Run("second process", w.secondProcess)
		t.Run("credential changes", w.credentialChanges)
		t.Run("idle expiry", w.idleExpiry)
		t.Run("version and languages", w.versions)
		t.Run("health", w.health)
		t.Run("whoami user", w.whoamiUser)
		t.Run("content type", w.contentType)
		t.Run("cookie attributes", w.cookieAttributes)
		out := logs.String()
		if !strings.Contains(out, "web session opened") {
			t.Errorf("the log lacks the session events; is the logger wired?\n%s", out)
		}
		for _, s := range w.secrets.list() {
			if strings.Contains(out, s) {
				t.Errorf("the log contains the secret %q", s)
			}
		}
	})
}

// webClock is the services' clock, moved forward by the idle-expiry test.
type webClock struct{ offset atomic.Int64 }

func (c *webClock) now() time.Time            { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *webClock) advance(d time.Duration)   { c.offset.Add(int64(d)) }
func (c *webClock) reset()                    { c.offset.Store(0) }
func (c *webClock) since(t time.Time) float64 { return c.now().Sub(t).Seconds() }

// webSecrets collects every password, key and session id the test uses:
// none may appear in a log or a response body.
type webSecrets struct {
	mu sync.Mutex
	s  []string
}

func (w *webSecrets) add(s ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.s = append(w.s, s...)
}

func (w *webSecrets) list() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.s...)
}

type webScenario struct {
	e       *env
	c       caller
	cfg     services.Config
	opts    godoorpc.Options
	clock   *webClock
	secrets *webSecrets
	addr    atomic.Int64
}

func newWebScenario(t *testing.T, e *env, cfg services.Config, opts godoorpc.Options, clock *webClock) *webScenario {
	w := &webScenario{e: e, c: jsonCaller{e.srv.URL}, cfg: cfg, opts: opts, clock: clock, secrets: &webSecrets{}}
	w.secrets.add(adminPassword)
	return w
}

// webMode is how a client keeps its session.
type webMode int

const (
	modeJar    webMode = iota // net/http/cookiejar, as requests.Session
	modeRaw                   // the whole Set-Cookie string sent back as Cookie
	modeHeader                // only X-Openerp-Session-Id
)

func (m webMode) String() string {
	return [...]string{"cookie jar", "raw Set-Cookie", "X-Openerp-Session-Id"}[m]
}

// webClient is a JSON client of the web routes.
type webClient struct {
	w     *webScenario
	base  string
	mode  webMode
	bare  bool // no jsonrpc, no id
	http  *http.Client
	raw   string // modeRaw: the last Set-Cookie of session_id
	sid   string // the session id of the last Set-Cookie
	xff   string
	host  string // Host header, when set
	n     int
	extra http.Header
}

func (w *webScenario) client(t *testing.T, base string, mode webMode, bare bool) *webClient {
	t.Helper()
	c := &webClient{w: w, base: base, mode: mode, bare: bare, http: &http.Client{}}
	if mode == modeJar {
		jar, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		c.http.Jar = jar
	}
	// Each client comes from an address of its own (proxy mode), so that
	// the refusals this test provokes never trip the login cool-down.
	n := w.addr.Add(1)
	c.xff = fmt.Sprintf("198.19.%d.%d", n/250, n%250+1)
	return c
}

// webAnswer is one response of a web route.
type webAnswer struct {
	status    int
	header    http.Header
	body      []byte
	id        any
	hasID     bool
	result    any
	hasResult bool
	err       map[string]any
}

// post sends a JSON-RPC request to path with params and keeps the session
// the way the client's mode does.
func (c *webClient) post(t *testing.T, path string, params map[string]any) webAnswer {
	t.Helper()
	c.n++
	env := map[string]any{"params": params}
	if !c.bare {
		env["jsonrpc"], env["method"], env["id"] = "2.0", "call", int64(c.n)
	}
	body, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	a := c.do(t, req)
	if a.status != http.StatusOK {
		t.Fatalf("POST %s: HTTP %d: %s", path, a.status, a.body)
	}
	m := httpResult{status: a.status, body: a.body}.object(t)
	equal(t, "jsonrpc", m["jsonrpc"], "2.0")
	a.id, a.hasID = m["id"]
	if !a.hasID {
		t.Errorf("POST %s: the answer has no id: %s", path, a.body)
	}
	if c.bare {
		equal(t, "echoed id", a.id, nil)
	} else {
		equal(t, "echoed id", a.id, int64(c.n))
	}
	a.result, a.hasResult = m["result"]
	a.err, _ = m["error"].(map[string]any)
	return a
}

// do sends req with the client's session and records what comes back.
func (c *webClient) do(t *testing.T, req *http.Request) webAnswer {
	t.Helper()
	req.Header.Set("X-Forwarded-For", c.xff)
	if c.host != "" {
		req.Host = c.host
	}
	switch c.mode {
	case modeRaw:
		if c.raw != "" {
			req.Header.Set("Cookie", c.raw)
		}
	case modeHeader:
		if c.sid != "" {
			req.Header.Set("X-Openerp-Session-Id", c.sid)
		}
	}
	for k, vs := range c.extra {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range resp.Header.Values("Set-Cookie") {
		if !strings.HasPrefix(sc, "session_id=") {
			continue
		}
		ck, err := http.ParseSetCookie(sc)
		if err != nil {
			t.Fatalf("unparsable Set-Cookie %q: %v", sc, err)
		}
		c.raw, c.sid = sc, ck.Value
		if ck.Value != "" {
			c.w.secrets.add(ck.Value)
		}
	}
	for _, s := range c.w.secrets.list() {
		if bytes.Contains(body, []byte(s)) {
			t.Errorf("%s %s: the body echoes a secret: %s", req.Method, req.URL.Path, body)
		}
	}
	return webAnswer{status: resp.StatusCode, header: resp.Header, body: body}
}

// login authenticates on the scenario's database and fails the test unless
// it succeeds; it returns session_info.
func (c *webClient) login(t *testing.T, login, password string) map[string]any {
	t.Helper()
	return c.loginDB(t, c.w.e.db, login, password)
}

func (c *webClient) loginDB(t *testing.T, db, login, password string) map[string]any {
	t.Helper()
	a := c.post(t, "/web/session/authenticate", map[string]any{"db": db, "login": login, "password": password})
	if a.err != nil {
		t.Fatalf("authenticate %s: %s", login, a.body)
	}
	info, ok := a.result.(map[string]any)
	if !ok {
		t.Fatalf("authenticate %s: no session_info: %s", login, a.body)
	}
	if a.header.Get("Set-Cookie") == "" {
		t.Fatalf("authenticate %s: no Set-Cookie", login)
	}
	return info
}

// callKw calls /web/dataset/call_kw<suffix>.
func (c *webClient) callKw(t *testing.T, suffix, model, method string, args []any, kwargs map[string]any) webAnswer {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	return c.post(t, "/web/dataset/call_kw"+suffix, map[string]any{"model": model, "method": method, "args": args, "kwargs": kwargs})
}

// mustKw is callKw that wants a result.
func (c *webClient) mustKw(t *testing.T, model, method string, args []any, kwargs map[string]any) any {
	t.Helper()
	a := c.callKw(t, "/"+model+"/"+method, model, method, args, kwargs)
	if a.err != nil {
		t.Fatalf("call_kw %s.%s: %s", model, method, a.body)
	}
	return a.result
}

// countPartners is a harmless call every internal user may make; it
// returns the error envelope, nil on success.
func (c *webClient) countPartners(t *testing.T) map[string]any {
	t.Helper()
	a := c.callKw(t, "/res.partner/search_count", "res.partner", "search_count", []any{[]any{}}, nil)
	if a.err == nil {
		if n, _ := a.result.(int64); n <= 0 {
			t.Errorf("search_count = %v", a.result)
		}
	}
	return a.err
}

// wantExpired checks Odoo's session-expired envelope.
func wantExpired(t *testing.T, what string, e map[string]any) {
	t.Helper()
	if e == nil {
		t.Errorf("%s: got a result, want the session-expired error", what)
		return
	}
	equal(t, what+": error.code", e["code"], int64(100))
	equal(t, what+": error.message", e["message"], "Odoo Session Expired")
	data, _ := e["data"].(map[string]any)
	equal(t, what+": data.name", data["name"], "odoo.http.SessionExpiredException")
	equal(t, what+": data.message", data["message"], "Session expired")
	equal(t, what+": data.arguments", data["arguments"], []any{"Session expired"})
	equal(t, what+": data.context", data["context"], map[string]any{})
	if _, ok := data["debug"].(string); !ok {
		t.Errorf("%s: data.debug = %v, want a string", what, data["debug"])
	}
}

// wantWebError checks an Odoo Server Error envelope with data.name and a
// fragment of data.message.
func wantWebError(t *testing.T, what string, a webAnswer, name, fragment string) {
	t.Helper()
	if a.err == nil {
		t.Errorf("%s: got a result, want %s: %s", what, name, a.body)
		return
	}
	if a.hasResult {
		t.Errorf("%s: an error answer has a result", what)
	}
	equal(t, what+": error.code", a.err["code"], int64(200))
	equal(t, what+": error.message", a.err["message"], "Odoo Server Error")
	data, _ := a.err["data"].(map[string]any)
	equal(t, what+": data.name", data["name"], name)
	msg, _ := data["message"].(string)
	if !strings.Contains(msg, fragment) {
		t.Errorf("%s: data.message = %q, want %q", what, msg, fragment)
	}
	for _, k := range []string{"arguments", "context", "debug"} {
		if _, ok := data[k]; !ok {
			t.Errorf("%s: data lacks %s", what, k)
		}
	}
	if a.header.Get("Set-Cookie") != "" {
		t.Errorf("%s: an error sets a cookie", what)
	}
}

// sessionInfoKeys are the session_info keys the spec calls for.
var sessionInfoKeys = []string{"uid", "is_system", "is_admin", "is_public", "is_internal_user", "user_context", "db",
	"server_version", "server_version_info", "support_url", "name", "username", "partner_id", "partner_display_name",
	"web.base.url", "user_companies", "currencies"}

var sidRE = regexp.MustCompile(`^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$`)

func (w *webScenario) wantSessionInfo(t *testing.T, info map[string]any, uid int64, login string, admin bool) {
	t.Helper()
	for _, k := range sessionInfoKeys {
		if _, ok := info[k]; !ok {
			t.Errorf("session_info lacks %s", k)
		}
	}
	if _, ok := info["session_id"]; ok {
		t.Error("session_info carries the session id (Odoo 16+ does not)")
	}
	equal(t, "uid", info["uid"], uid)
	equal(t, "username", info["username"], login)
	equal(t, "db", info["db"], w.e.db)
	equal(t, "is_admin", info["is_admin"], admin)
	equal(t, "is_system", info["is_system"], admin)
	equal(t, "is_public", info["is_public"], false)
	equal(t, "is_internal_user", info["is_internal_user"], true)
	equal(t, "server_version", info["server_version"], "18.0")
	equal(t, "server_version_info", info["server_version_info"], []any{int64(18), int64(0), int64(0), "final", int64(0), ""})
	uc, _ := info["user_context"].(map[string]any)
	equal(t, "user_context.uid", uc["uid"], uid)
	if _, ok := uc["lang"].(string); !ok {
		t.Errorf("user_context.lang = %v", uc["lang"])
	}
	if _, ok := uc["tz"]; !ok {
		t.Error("user_context lacks tz")
	}
	if pid, _ := info["partner_id"].(int64); pid <= 0 {
		t.Errorf("partner_id = %v", info["partner_id"])
	}
	if name, _ := info["partner_display_name"].(string); name == "" {
		t.Errorf("partner_display_name = %v", info["partner_display_name"])
	}
	companies, _ := info["user_companies"].(map[string]any)
	current, _ := companies["current_company"].(int64)
	allowed, _ := companies["allowed_companies"].(map[string]any)
	entry, _ := allowed[strconv.FormatInt(current, 10)].(map[string]any)
	if current <= 0 || entry == nil {
		t.Fatalf("user_companies = %v", companies)
	}
	for _, k := range []string{"id", "name", "sequence", "child_ids", "parent_id"} {
		if _, ok := entry[k]; !ok {
			t.Errorf("allowed company lacks %s: %v", k, entry)
		}
	}
	equal(t, "allowed company id", entry["id"], current)
	if _, ok := companies["disallowed_ancestor_companies"].(map[string]any); !ok {
		t.Errorf("user_companies lacks disallowed_ancestor_companies: %v", companies)
	}
	if cur, _ := info["currencies"].(map[string]any); len(cur) == 0 {
		t.Errorf("currencies = %v", info["currencies"])
	}
}

// wantCookie checks the session cookie of an answer: Odoo's attributes,
// Max-Age maxAge, a well-formed id; it returns the id.
func (w *webScenario) wantCookie(t *testing.T, a webAnswer, maxAge int) string {
	t.Helper()
	var sc string
	for _, v := range a.header.Values("Set-Cookie") {
		if strings.HasPrefix(v, "session_id=") {
			sc = v
		}
	}
	if sc == "" {
		t.Fatalf("no session_id cookie in %v", a.header.Values("Set-Cookie"))
	}
	ck, err := http.ParseSetCookie(sc)
	if err != nil {
		t.Fatal(err)
	}
	if !sidRE.MatchString(ck.Value) {
		t.Errorf("session id %q is not <base64url db>.<base64url 32 bytes>", ck.Value)
	}
	if !ck.HttpOnly || ck.Path != "/" || ck.MaxAge != maxAge || ck.Secure || ck.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie %q: want HttpOnly, Path=/, Max-Age=%d, SameSite=Lax, not Secure", sc, maxAge)
	}
	if d := w.clock.since(ck.Expires) + float64(maxAge); ck.Expires.IsZero() || d < -5 || d > 5 {
		t.Errorf("cookie %q: Expires is not Max-Age ahead", sc)
	}
	return ck.Value
}

func (w *webScenario) authenticate(t *testing.T) {
	for _, mode := range []webMode{modeJar, modeRaw, modeHeader} {
		for _, bare := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, bare %v", mode, bare), func(t *testing.T) {
				c := w.client(t, w.e.srv.URL, mode, bare)
				a := c.post(t, "/web/session/authenticate", map[string]any{"db": w.e.db, "login": "admin", "password": adminPassword,
					"base_location": "http://example.com", "unknown_key": 1})
				if a.err != nil {
					t.Fatalf("authenticate: %s", a.body)
				}
				w.wantCookie(t, a, 604800)
				info, _ := a.result.(map[string]any)
				w.wantSessionInfo(t, info, 2, "admin", true)
				if mode == modeRaw && !strings.Contains(c.raw, "Expires=") {
					t.Fatalf("the raw Set-Cookie %q lacks its attributes", c.raw)
				}
				recs, _ := c.mustKw(t, "res.partner", "search_read", []any{[]any{[]any{"is_company", "=", true}}},
					map[string]any{"fields": []any{"name"}, "limit": int64(5)}).([]any)
				if len(recs) == 0 {
					t.Fatal("search_read through call_kw returned no records")
				}
				if _, ok := recs[0].(map[string]any)["name"].(string); !ok {
					t.Errorf("record = %v", recs[0])
				}
			})
		}
	}
}

func (w *webScenario) badCredentials(t *testing.T) {
	c := w.client(t, w.e.srv.URL, modeJar, false)
	wrong := "wrong-Web-Pw-" + randomText(6)
	w.secrets.add(wrong)
	a := c.post(t, "/web/session/authenticate", map[string]any{"db": w.e.db, "login": "admin", "password": wrong})
	wantWebError(t, "wrong password", a, "odoo.exceptions.AccessDenied", "Access Denied")
	a = c.post(t, "/web/session/authenticate", map[string]any{"db": w.e.db, "login": "nobody-" + randomText(4), "password": wrong})
	wantWebError(t, "unknown login", a, "odoo.exceptions.AccessDenied", "Access Denied")
	a = c.post(t, "/web/session/authenticate", map[string]any{"db": w.e.db, "login": "admin"})
	wantWebError(t, "no password", a, "builtins.TypeError", "missing 1 required positional argument: 'password'")
	a = c.post(t, "/web/session/authenticate", map[string]any{"password": wrong})
	wantWebError(t, "no db and login", a, "builtins.TypeError", "missing 2 required positional arguments: 'db' and 'login'")
	a = c.post(t, "/web/session/authenticate", map[string]any{"db": "it_no_such_db_" + randomText(3), "login": "admin", "password": adminPassword})
	wantWebError(t, "unknown database", a, "psycopg2.OperationalError", "does not exist")
	wantExpired(t, "after failed logins", c.countPartners(t))
}

// apiKeys: keys that work in the password slot of /jsonrpc are refused by
// the interactive login, godoo keys and Odoo keys alike, while a password
// that merely looks like an Odoo key still logs in.
func (w *webScenario) apiKeys(t *testing.T) {
	key, ok := w.e.mustKw(t, w.c, "res.users.apikeys", "generate", []any{}, map[string]any{"scope": "rpc", "name": uniqueName("web_")}).(string)
	if !ok {
		t.Fatal("generate returned no key")
	}
	w.secrets.add(key)
	if _, f := authKw(t, w.c, w.e.db, int64(2), key, "res.partner", "search_count", []any{}); f != nil {
		t.Fatalf("the key does not work on /jsonrpc: %s", f.String)
	}
	c := w.client(t, w.e.srv.URL, modeJar, false)
	a := c.post(t, "/web/session/authenticate", map[string]any{"db": w.e.db, "login": "admin", "password": key})
	wantWebError(t, "godoo key", a, "odoo.exceptions.AccessDenied", "Access Denied")

	// An Odoo key (40 hex) as an Odoo database holds it.
	odoo := make([]byte, 20)
	_, _ = rand.Read(odoo)
	okey := hex.EncodeToString(odoo)
	w.secrets.add(okey)
	pool, err := w.e.store.Open(context.Background(), w.e.db)
	if err != nil {
		t.Fatal(err)
	}
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	handSQL(t, w.e.store, pool, w.e.db, `INSERT INTO res_users_apikeys (name, user_id, key_index, key, create_date)
		VALUES (?, ?, ?, ?, ?)`, uniqueName("webodoo_"), int64(2), okey[:8], passlibHash(t, okey, salt, 6000), utc(0))
	if _, f := authKw(t, w.c, w.e.db, int64(2), okey, "res.partner", "search_count", []any{}); f != nil {
		t.Fatalf("the Odoo key does not work on /jsonrpc: %s", f.String)
	}
	a = c.post(t, "/web/session/authenticate", map[string]any{"db": w.e.db, "login": "admin", "password": okey})
	wantWebError(t, "Odoo key", a, "odoo.exceptions.AccessDenied", "Access Denied")
	wantExpired(t, "after refused keys", c.countPartners(t))

	// A password of forty hex characters is a password.
	hexPw := make([]byte, 20)
	_, _ = rand.Read(hexPw)
	pw := hex.EncodeToString(hexPw)
	w.secrets.add(pw)
	login := uniqueName("webhex_")
	uid := authCreateUser(t, w.c, w.e.db, login, pw)
	info := c.login(t, login, pw)
	equal(t, "uid", info["uid"], uid)
}

func (w *webScenario) dbfilter(t *testing.T) {
	ctx := context.Background()
	rejected := uniqueName("web_rejected_")
	copied := itest.CreateFromTemplate(t, w.e.store, w.e.set, rejected, false)
	if !copied {
		if err := w.e.set.Database.Create(ctx, rejected, services.CreateOptions{AdminPassword: adminPassword, AdminLogin: "admin"}); err != nil {
			t.Fatal(err)
		}
	}
	itest.DropWhenDone(t, w.e.store, w.e.set, rejected, copied)
	c := w.client(t, w.e.srv.URL, modeJar, false)
	for _, db := range []string{rejected, "web_no_such_db"} {
		a := c.post(t, "/web/session/authenticate", map[string]any{"db": db, "login": "admin", "password": adminPassword})
		wantWebError(t, db, a, "odoo.exceptions.AccessError", "Database not found.")
	}

	list := func(c *webClient) []any {
		t.Helper()
		a := c.post(t, "/web/database/list", nil)
		if a.err != nil {
			t.Fatalf("database/list: %s", a.body)
		}
		names, _ := a.result.([]any)
		return names
	}
	names := list(c)
	if !contains(names, w.e.db) || contains(names, rejected) {
		t.Errorf("database/list = %v, want %s and not %s", names, w.e.db, rejected)
	}
	for _, n := range names {
		if !strings.HasPrefix(n.(string), "it_") {
			t.Errorf("database/list shows %s, which dbfilter hides", n)
		}
	}

	t.Run("host filter", func(t *testing.T) {
		cfg := w.cfg
		cfg.DBFilter = "^%d$"
		base := authURL(t, authServe(t, newSet(w.e.store, cfg), w.opts))
		hc := w.client(t, base, modeJar, false)
		hc.host = w.e.db + ".example.com"
		equal(t, "database/list for "+hc.host, list(hc), []any{w.e.db})
		hc.host = "www." + w.e.db + ".example.com:8069"
		equal(t, "database/list for "+hc.host, list(hc), []any{w.e.db})
		info := hc.login(t, "admin", adminPassword)
		equal(t, "db", info["db"], w.e.db)
		if f := hc.countPartners(t); f != nil {
			t.Fatalf("call_kw: %v", f)
		}
		// The same session on a host whose filter hides its database.
		hc.host = rejected + ".example.com"
		equal(t, "database/list for "+hc.host, list(hc), []any{rejected})
		wantExpired(t, "session of a hidden database", hc.countPartners(t))
		a := hc.post(t, "/web/session/authenticate", map[string]any{"db": w.e.db, "login": "admin", "password": adminPassword})
		wantWebError(t, "login to a hidden database", a, "odoo.exceptions.AccessError", "Database not found.")
	})
	t.Run("list_db off", func(t *testing.T) {
		cfg := w.cfg
		cfg.ListDB = false
		base := authURL(t, authServe(t, newSet(w.e.store, cfg), w.opts))
		a := w.client(t, base, modeJar, false).post(t, "/web/database/list", map[string]any{})
		wantWebError(t, "list_db off", a, "odoo.exceptions.AccessDenied", "Access Denied")
	})
}

func contains(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (w *webScenario) noSession(t *testing.T) {
	c := w.client(t, w.e.srv.URL, modeRaw, false)
	wantExpired(t, "no cookie", c.countPartners(t))
	for _, path := range []string{"/web/session/get_session_info", "/web/session/check", "/web/session/destroy", "/web/session/modules"} {
		a := c.post(t, path, map[string]any{})
		wantExpired(t, path, a.err)
		if a.hasResult {
			t.Errorf("%s: an error answer has a result", path)
		}
	}
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	good := base64.RawURLEncoding.EncodeToString(secret)
	for _, sid := range []string{
		"garbage",
		b64(w.e.db) + "." + good,                               // well formed, unknown
		b64("it_no_such_db") + "." + good,                      // a database that does not exist
		b64(w.e.db) + "." + good[:42],                          // short secret
		b64(w.e.db) + "." + good + "A",                         // long secret
		b64(w.e.db) + "=." + good,                              // padded
		b64("../etc/passwd") + "." + good,                      // not a database name
		b64(w.e.db) + "." + good + "." + good,                  // two dots
		strings.Repeat("A", 300) + "." + good,                  // oversized
		b64(w.e.db) + "." + good[:42] + "\u00e9",               // not base64
		b64(w.e.db) + "." + good[:41] + "+/",                   // standard base64, not URL-safe
		b64(w.e.db) + "." + good[:42] + nonCanonical(good[42]), // padding bits set
	} {
		c.raw = "session_id=" + sid
		wantExpired(t, "cookie "+sid, c.countPartners(t))
		h := w.client(t, w.e.srv.URL, modeHeader, true)
		h.sid = sid
		wantExpired(t, "header "+sid, h.countPartners(t))
	}
}

// nonCanonical is the base64url character that differs from last only in
// the two bits a 43-character encoding of 32 bytes leaves unused.
func nonCanonical(last byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, last)
	return string(alphabet[i|1])
}

func (w *webScenario) callKw(t *testing.T) {
	c := w.client(t, w.e.srv.URL, modeJar, true)
	c.login(t, "admin", adminPassword)
	// The path suffix is ignored: the params decide.
	for _, suffix := range []string{"", "/res.partner/search_read", "/res.users/unlink", "/anything/at/all"} {
		a := c.callKw(t, suffix, "res.partner", "search_read", []any{[]any{[]any{"is_company", "=", true}}}, map[string]any{"fields": []any{"name"}})
		if recs, _ := a.result.([]any); a.err != nil || len(recs) == 0 {
			t.Errorf("call_kw%s: %s", suffix, a.body)
		}
	}
	// Writes commit, and kwargs.context is applied.
	name := uniqueName("Web Partner ")
	id, ok := c.mustKw(t, "res.partner", "create", []any{map[string]any{"name": name, "active": false}}, nil).(int64)
	if !ok {
		t.Fatal("create returned no id")
	}
	equal(t, "active_test default", c.mustKw(t, "res.partner", "search_count", []any{[]any{[]any{"name", "=", name}}}, nil), int64(0))
	equal(t, "active_test false", c.mustKw(t, "res.partner", "search_count", []any{[]any{[]any{"name", "=", name}}},
		map[string]any{"context": map[string]any{"active_test": false}}), int64(1))
	equal(t, "seen through /jsonrpc", w.e.count(t, "res.partner", []any{[]any{"id", "=", id}}), int64(1))

	missing := []struct {
		params map[string]any
		text   string
	}{
		{map[string]any{"model": "res.partner", "method": "search_count", "args": []any{[]any{}}}, "missing 1 required positional argument: 'kwargs'"},
		{map[string]any{"model": "res.partner", "method": "search_count"}, "missing 2 required positional arguments: 'args' and 'kwargs'"},
		{map[string]any{}, "missing 4 required positional arguments: 'model', 'method', 'args', and 'kwargs'"},
	}
	for _, m := range missing {
		a := c.post(t, "/web/dataset/call_kw/res.partner/search_count", m.params)
		wantWebError(t, m.text, a, "builtins.TypeError", "DataSet.call_kw() "+m.text)
	}
	a := c.post(t, "/web/dataset/call_kw", map[string]any{"model": "res.partner", "method": "search_count", "args": "nope", "kwargs": map[string]any{}})
	// Odoo spreads args as Python's *args: a string gives its characters.
	wantWebError(t, "args not a list", a, "builtins.TypeError", "BaseModel.search_count() takes from 2 to 3 positional arguments but 5 were given")

	a = c.callKw(t, "", "res.partner", "_search", nil, nil)
	wantWebError(t, "private method", a, "odoo.exceptions.AccessError", "Private methods (such as 'res.partner._search') cannot be called remotely.")
	a = c.callKw(t, "", "res.partner", "no_such_method", nil, nil)
	wantWebError(t, "unknown method", a, "builtins.AttributeError", "no_such_method")
	a = c.callKw(t, "", "no.such.model", "search", []any{[]any{}}, nil)
	if a.err == nil {
		t.Fatalf("unknown model: %s", a.body)
	}
	equal(t, "unknown model: code", a.err["code"], int64(404))
	equal(t, "unknown model: message", a.err["message"], "404: Not Found")
	data, _ := a.err["data"].(map[string]any)
	equal(t, "unknown model: data.name", data["name"], "werkzeug.exceptions.NotFound")

	// The call runs as the session's user, not as a superuser.
	login, pw := uniqueName("webuser_"), "web-Pw-"+randomText(8)
	w.secrets.add(pw)
	uid := authCreateUser(t, w.c, w.e.db, login, pw)
	u := w.client(t, w.e.srv.URL, modeHeader, false)
	w.wantSessionInfo(t, u.login(t, login, pw), uid, login, false)
	a = u.callKw(t, "", "res.users", "create", []any{map[string]any{"name": "x", "login": uniqueName("x_")}}, nil)
	wantWebError(t, "user creating a user", a, "odoo.exceptions.AccessError", "You are not allowed to create")
	equal(t, "context_get", u.mustKw(t, "res.users", "context_get", nil, nil).(map[string]any)["uid"], uid)
}

func (w *webScenario) sessionRoutes(t *testing.T) {
	for _, mode := range []webMode{modeJar, modeRaw, modeHeader} {
		t.Run(mode.String(), func(t *testing.T) {
			c := w.client(t, w.e.srv.URL, mode, mode == modeRaw)
			c.login(t, "admin", adminPassword)
			sid := c.sid
			a := c.post(t, "/web/session/get_session_info", map[string]any{})
			info, _ := a.result.(map[string]any)
			if a.err != nil || info == nil {
				t.Fatalf("get_session_info: %s", a.body)
			}
			w.wantSessionInfo(t, info, 2, "admin", true)
			a = c.post(t, "/web/session/check", map[string]any{})
			if a.err != nil || a.hasResult {
				t.Errorf("check: %s, want neither result nor error", a.body)
			}
			a = c.post(t, "/web/session/modules", map[string]any{})
			equal(t, "modules", a.result, []any{"base", "web"})
			a = c.post(t, "/web/session/get_lang_list", map[string]any{})
			if langs, _ := a.result.([]any); len(langs) == 0 {
				t.Errorf("get_lang_list: %s", a.body)
			}

			a = c.post(t, "/web/session/destroy", map[string]any{})
			if a.err != nil || a.hasResult {
				t.Errorf("destroy: %s, want neither result nor error", a.body)
			}
			if mode != modeHeader {
				if ck, err := http.ParseSetCookie(a.header.Get("Set-Cookie")); err != nil || ck.Name != "session_id" || ck.MaxAge >= 0 {
					t.Errorf("destroy: Set-Cookie %q, want the cookie removed", a.header.Get("Set-Cookie"))
				}
			}
			wantExpired(t, "call_kw after destroy", c.countPartners(t))
			// The id itself is dead, not only the client's cookie.
			h := w.client(t, w.e.srv.URL, modeHeader, false)
			h.sid = sid
			wantExpired(t, "the destroyed id", h.countPartners(t))
			wantExpired(t, "check after destroy", h.post(t, "/web/session/check", map[string]any{}).err)
		})
	}
}

func (w *webScenario) rotation(t *testing.T) {
	c := w.client(t, w.e.srv.URL, modeJar, false)
	c.login(t, "admin", adminPassword)
	first := c.sid
	// The jar sends the first session back: the login rotates it.
	c.login(t, "admin", adminPassword)
	second := c.sid
	if second == first || second == "" {
		t.Fatalf("the session id did not change at login")
	}
	old := w.client(t, w.e.srv.URL, modeHeader, false)
	old.sid = first
	wantExpired(t, "the session before login", old.countPartners(t))
	if f := c.countPartners(t); f != nil {
		t.Errorf("the new session: %v", f)
	}
	// The header session is rotated too, and so across users.
	login, pw := uniqueName("webrot_"), "rot-Pw-"+randomText(8)
	w.secrets.add(pw)
	uid := authCreateUser(t, w.c, w.e.db, login, pw)
	h := w.client(t, w.e.srv.URL, modeHeader, false)
	h.sid = second
	equal(t, "uid", h.login(t, login, pw)["uid"], uid)
	if h.sid == second {
		t.Fatal("no new session id")
	}
	old.sid = second
	wantExpired(t, "the session rotated by another user's login", old.countPartners(t))
	if f := h.countPartners(t); f != nil {
		t.Errorf("the other user's session: %v", f)
	}
}

// secondProcess: a session opened on one server works on another serving
// the same database, and a session destroyed on one is refused by the
// other. On PostgreSQL the second server has its own store, as another
// process would.
func (w *webScenario) secondProcess(t *testing.T) {
	store := w.e.store
	if w.e.name == "pg" {
		s, err := pgstore.New(os.Getenv("GODOO_TEST_DSN"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		store = tapFeed(s)
	}
	base2 := authURL(t, authServe(t, newSet(store, w.cfg), w.opts))

	one := w.client(t, w.e.srv.URL, modeRaw, false)
	one.login(t, "admin", adminPassword)
	two := w.client(t, base2, modeRaw, false)
	two.raw = one.raw
	if f := two.countPartners(t); f != nil {
		t.Fatalf("a session of server 1 on server 2: %v", f)
	}
	res := two.do(t, mustRequest(t, http.MethodGet, base2+"/auth/whoami/user"))
	wantIdentity(t, httpResult{status: res.status, body: res.body}, 2, "admin", "user", "")
	a := two.post(t, "/web/session/destroy", map[string]any{})
	if a.err != nil {
		t.Fatalf("destroy on server 2: %s", a.body)
	}
	wantExpired(t, "server 1 after destroy on server 2", one.countPartners(t))

	// And the other way round, with a session opened on server 2.
	two = w.client(t, base2, modeHeader, true)
	two.login(t, "admin", adminPassword)
	one = w.client(t, w.e.srv.URL, modeHeader, true)
	one.sid = two.sid
	if f := one.countPartners(t); f != nil {
		t.Fatalf("a session of server 2 on server 1: %v", f)
	}
	if a := one.post(t, "/web/session/destroy", map[string]any{}); a.err != nil {
		t.Fatalf("destroy on server 1: %s", a.body)
	}
	wantExpired(t, "server 2 after destroy on server 1", two.countPartners(t))
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// credentialChanges: a password change or archiving ends the user's
// sessions at their next request, in every process; a group change does
// not (as in Odoo, whose session token covers id, login and password).
func (w *webScenario) credentialChanges(t *testing.T) {
	login, pw := uniqueName("webcred_"), "cred-Pw-"+randomText(8)
	w.secrets.add(pw)
	uid := authCreateUser(t, w.c, w.e.db, login, pw)
	c := w.client(t, w.e.srv.URL, modeJar, false)
	c.login(t, login, pw)
	if f := c.countPartners(t); f != nil {
		t.Fatalf("fresh session: %v", f)
	}

	gids, _ := w.e.mustKw(t, w.c, "res.groups", "search", []any{[]any{[]any{"name", "=", "Access Rights"}}}, nil).([]any)
	w.e.mustKw(t, w.c, "res.users", "write", []any{[]any{uid}, map[string]any{"groups_id": []any{[]any{int64(4), gids[0]}}}}, nil)
	if f := c.countPartners(t); f != nil {
		t.Fatalf("after a group change: %v", f)
	}
	info, _ := c.post(t, "/web/session/get_session_info", map[string]any{}).result.(map[string]any)
	equal(t, "is_admin after joining Access Rights", info["is_admin"], true)

	newPw := "cred-New-" + randomText(8)
	w.secrets.add(newPw)
	w.e.mustKw(t, w.c, "res.users", "write", []any{[]any{uid}, map[string]any{"password": newPw}}, nil)
	wantExpired(t, "after a password change", c.countPartners(t))

	c.login(t, login, newPw)
	h := w.client(t, w.e.srv.URL, modeHeader, false)
	h.sid = c.sid
	if f := h.countPartners(t); f != nil {
		t.Fatalf("new session: %v", f)
	}
	w.e.mustKw(t, w.c, "res.users", "write", []any{[]any{uid}, map[string]any{"active": false}}, nil)
	wantExpired(t, "after archiving", c.countPartners(t))
	wantExpired(t, "after archiving, by header", h.countPartners(t))
	res := h.do(t, mustRequest(t, http.MethodGet, w.e.srv.URL+"/auth/whoami/user"))
	wantRefused(t, httpResult{status: res.status, header: res.header, body: res.body}, 401, "", "Session expired")
	w.e.mustKw(t, w.c, "res.users", "write", []any{[]any{uid}, map[string]any{"active": true}}, nil)
	a := c.post(t, "/web/session/authenticate", map[string]any{"db": w.e.db, "login": login, "password": pw})
	wantWebError(t, "the old password", a, "odoo.exceptions.AccessDenied", "Access Denied")
}

// idleExpiry: a session ends after sessions.max_inactivity_seconds without
// use (the services' clock is moved forward), and every use moves the end.
func (w *webScenario) idleExpiry(t *testing.T) {
	t.Cleanup(w.clock.reset)
	authSetParam(t, w.c, w.e.db, "sessions.max_inactivity_seconds", "3600")
	t.Cleanup(func() { authSetParam(t, w.c, w.e.db, "sessions.max_inactivity_seconds", "604800") })
	c := w.client(t, w.e.srv.URL, modeJar, false)
	a := c.post(t, "/web/session/authenticate", map[string]any{"db": w.e.db, "login": "admin", "password": adminPassword})
	w.wantCookie(t, a, 3600)
	h := w.client(t, w.e.srv.URL, modeHeader, false)
	h.sid = c.sid

	w.clock.advance(40 * time.Minute)
	a = c.callKw(t, "", "res.partner", "search_count", []any{[]any{}}, nil)
	if a.err != nil {
		t.Fatalf("after 40 idle minutes: %s", a.body)
	}
	// The use moved the expiry: the cookie is sent again.
	w.wantCookie(t, a, 3600)
	w.clock.advance(40 * time.Minute)
	if f := h.countPartners(t); f != nil {
		t.Fatalf("80 minutes after login, 40 after the last use: %v", f)
	}
	w.clock.advance(61 * time.Minute)
	wantExpired(t, "after 61 idle minutes", h.countPartners(t))
	wantExpired(t, "after 61 idle minutes, cookie", c.countPartners(t))
	w.clock.reset()
	wantExpired(t, "an expired session stays ended", h.countPartners(t))
}

func (w *webScenario) versions(t *testing.T) {
	c := w.client(t, w.e.srv.URL, modeJar, true)
	a := c.post(t, "/web/webclient/version_info", map[string]any{})
	want, f := w.c.call(t, "common", "version")
	if f != nil {
		t.Fatal(f.String)
	}
	equal(t, "version_info", a.result, want)

	res := c.do(t, mustRequest(t, http.MethodGet, w.e.srv.URL+"/web/version"))
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /web/version: %d %s", res.status, res.body)
	}
	m := httpResult{body: res.body}.object(t)
	equal(t, "/web/version", m, map[string]any{"version_info": []any{int64(18), int64(0), int64(0), "final", int64(0), ""}, "version": "18.0"})

	a = c.post(t, "/web/session/get_lang_list", nil)
	langs, f := w.c.call(t, "db", "list_lang")
	if f != nil {
		t.Fatal(f.String)
	}
	equal(t, "get_lang_list", a.result, langs)
}

func (w *webScenario) health(t *testing.T) {
	get := func(t *testing.T, base, query string) (int, http.Header, map[string]any) {
		t.Helper()
		res := w.client(t, base, modeJar, false).do(t, mustRequest(t, http.MethodGet, base+"/web/health"+query))
		if cc := res.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("/web/health%s: Cache-Control %q", query, cc)
		}
		if ct := res.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("/web/health%s: Content-Type %q, want Odoo's application/json", query, ct)
		}
		return res.status, res.header, httpResult{body: res.body}.object(t)
	}
	status, _, m := get(t, w.e.srv.URL, "")
	equal(t, "status", status, 200)
	equal(t, "health", m, map[string]any{"status": "pass"})
	status, _, m = get(t, w.e.srv.URL, "?db_server_status=1")
	equal(t, "status", status, 200)
	equal(t, "health with db_server_status", m, map[string]any{"status": "pass", "db_server_status": true})

	// A store whose server is gone (here: its directory).
	dir := t.TempDir()
	store, err := sqlitestore.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	base := authURL(t, authServe(t, newSet(store, services.Config{}), godoorpc.Options{}))
	if err := os.RemoveAll(filepath.Join(dir, "db")); err != nil {
		t.Fatal(err)
	}
	status, _, m = get(t, base, "?db_server_status=1")
	equal(t, "status", status, 500)
	equal(t, "health of a lost store", m, map[string]any{"status": "fail", "db_server_status": false})
	status, _, _ = get(t, base, "")
	equal(t, "status without db_server_status", status, 200)
}

func (w *webScenario) whoamiUser(t *testing.T) {
	login, pw := uniqueName("webwho_"), "who-Pw-"+randomText(8)
	w.secrets.add(pw)
	uid := authCreateUser(t, w.c, w.e.db, login, pw)
	for _, mode := range []webMode{modeJar, modeRaw, modeHeader} {
		c := w.client(t, w.e.srv.URL, mode, false)
		c.login(t, login, pw)
		res := c.do(t, mustRequest(t, http.MethodGet, w.e.srv.URL+"/auth/whoami/user"))
		wantIdentity(t, httpResult{status: res.status, body: res.body}, uid, login, "user", "")
		m := httpResult{body: res.body}.object(t)
		equal(t, mode.String()+": db", m["db"], w.e.db)
		if mode == modeHeader {
			// A request naming the session's database is fine; another one
			// is refused.
			c.extra = http.Header{"X-Odoo-Database": {w.e.db}}
			res = c.do(t, mustRequest(t, http.MethodGet, w.e.srv.URL+"/auth/whoami/user"))
			wantIdentity(t, httpResult{status: res.status, body: res.body}, uid, login, "user", "")
			c.extra = http.Header{"X-Odoo-Database": {"it_other"}}
			res = c.do(t, mustRequest(t, http.MethodGet, w.e.srv.URL+"/auth/whoami/user"))
			wantRefused(t, httpResult{status: res.status, header: res.header, body: res.body}, 403, "", "another database")
		}
	}

	// A route of a program embedding godoo runs as the session's user and
	// does not see the session id; other cookies pass through.
	path := "/test/" + uniqueName("websession_")
	set := w.e.set
	w.e.h.RouteFunc("GET "+path, godoorpc.AuthUser, func(rw http.ResponseWriter, req *http.Request) {
		id, _ := godoorpc.IdentityFrom(req.Context())
		_, err := req.Cookie("session_id")
		other := &http.Cookie{}
		if ck, err := req.Cookie("other"); err == nil {
			other = ck
		}
		n, xerr := set.Object.Execute(req.Context(), id, "res.partner", "search_count", []any{[]any{}}, nil)
		if xerr != nil {
			http.Error(rw, xerr.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(rw, `{"uid": %d, "sees_cookie": %v, "sees_header": %v, "other": %q, "partners": %d}`,
			id.UID, err == nil, req.Header.Get("X-Openerp-Session-Id") != "", other.Value, n)
	})
	c := w.client(t, w.e.srv.URL, modeRaw, false)
	c.login(t, login, pw)
	c.raw = "other=kept; " + c.raw
	res := c.do(t, mustRequest(t, http.MethodGet, w.e.srv.URL+path))
	if res.status != 200 {
		t.Fatalf("user route: %d %s", res.status, res.body)
	}
	m := httpResult{body: res.body}.object(t)
	equal(t, "uid", m["uid"], uid)
	equal(t, "sees the session cookie", m["sees_cookie"], false)
	equal(t, "other cookie", m["other"], "kept")
	h := w.client(t, w.e.srv.URL, modeHeader, false)
	h.login(t, login, pw)
	res = h.do(t, mustRequest(t, http.MethodGet, w.e.srv.URL+path))
	m = httpResult{body: res.body}.object(t)
	equal(t, "sees the session header", m["sees_header"], false)
}

func (w *webScenario) contentType(t *testing.T) {
	body := []byte(`{"params": {"db": "x", "login": "admin", "password": "y"}}`)
	res := post(t, w.e.srv.URL+"/web/session/authenticate", "text/plain", body)
	if res.status != 400 || !strings.Contains(string(res.body), "is type='json'") {
		t.Errorf("text/plain: %d %s", res.status, res.body)
	}
	res = post(t, w.e.srv.URL+"/web/dataset/call_kw", "application/json", []byte(`{"params": `))
	if res.status != 400 || !strings.Contains(string(res.body), "Invalid JSON data") {
		t.Errorf("broken JSON: %d %s", res.status, res.body)
	}
	res = post(t, w.e.srv.URL+"/web/session/check", "application/json-rpc; charset=utf-8", []byte(`{"id": "s"}`))
	m := res.object(t)
	equal(t, "id", m["id"], "s")
	wantExpired(t, "application/json-rpc", m["error"].(map[string]any))
	res = post(t, w.e.srv.URL+"/web/session/get_lang_list", "application/json", []byte(`{"params": [1, 2]}`))
	if e, _ := res.object(t)["error"].(map[string]any); e == nil || e["data"].(map[string]any)["name"] != "builtins.TypeError" {
		t.Errorf("params not an object: %s", res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
}

// cookieAttributes: the session cookie is SameSite=Lax whenever it is set
// or removed, and Secure exactly when the request came over HTTPS: through
// the trusted proxy's X-Forwarded-Proto in proxy mode (this scenario's
// server), never from that header without proxy mode, or over TLS itself.
func (w *webScenario) cookieAttributes(t *testing.T) {
	noProxy := w.opts
	noProxy.ProxyMode = false
	direct := authURL(t, authServe(t, w.e.set, noProxy))
	tlsSrv := httptest.NewTLSServer(authServe(t, w.e.set, noProxy))
	t.Cleanup(tlsSrv.Close)
	for _, tc := range []struct {
		name, base, proto string
		client            *http.Client
		secure            bool
	}{
		{"proxy mode, https", w.e.srv.URL, "https", nil, true},
		{"proxy mode, HTTPS", w.e.srv.URL, "HTTPS", nil, true},
		{"proxy mode, last hop https", w.e.srv.URL, "http, https", nil, true},
		{"proxy mode, last hop http", w.e.srv.URL, "https, http", nil, false},
		{"proxy mode, http", w.e.srv.URL, "http", nil, false},
		{"proxy mode, no header", w.e.srv.URL, "", nil, false},
		{"no proxy mode, https", direct, "https", nil, false},
		{"TLS", tlsSrv.URL, "", tlsSrv.Client(), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := w.client(t, tc.base, modeRaw, false)
			if tc.client != nil {
				c.http = tc.client
			}
			if tc.proto != "" {
				c.extra = http.Header{"X-Forwarded-Proto": {tc.proto}}
			}
			c.login(t, "admin", adminPassword)
			login := c.raw
			destroyed := c.post(t, "/web/session/destroy", map[string]any{})
			for what, sc := range map[string]string{"login": login, "destroy": destroyed.header.Get("Set-Cookie")} {
				ck, err := http.ParseSetCookie(sc)
				if err != nil {
					t.Fatalf("%s: Set-Cookie %q: %v", what, sc, err)
				}
				if ck.SameSite != http.SameSiteLaxMode || ck.Secure != tc.secure || !ck.HttpOnly {
					t.Errorf("%s: Set-Cookie %q, want SameSite=Lax, HttpOnly and Secure %v", what, sc, tc.secure)
				}
			}
		})
	}
}

// TestWebREADME runs the README's web-session curl example as written
// against a quickstart-like server (SQLite, database "odoo").
func TestWebREADME(t *testing.T) {
	const password = "Readme-Web-Quickstart-1"
	_, url := quickstart(t, password)
	text := runREADME(t, readmeSH(t, "### Web sessions"), url, "GODOO_PASSWORD="+password)
	for _, want := range []string{`"username": "admin"`, `"result": [`, "My Company"} {
		if !strings.Contains(text, want) {
			t.Errorf("the example's output lacks %s:\n%s", want, text)
		}
	}
	if strings.Contains(text, "error") {
		t.Errorf("the example's output has an error:\n%s", text)
	}
}

// callButton follows OdooRPC's way of making an API key: create the
// description wizard with call_kw, then press make_key with call_button. The
// session passes Odoo's identity check first (the password again, within
// ten minutes); the key from the answer's context works over /jsonrpc.
func (w *webScenario) callButton(t *testing.T) {
	c := w.client(t, w.e.srv.URL, modeRaw, false)
	c.login(t, "admin", adminPassword)
	button := func(model, method string, id any) webAnswer {
		t.Helper()
		return c.post(t, "/web/dataset/call_button", map[string]any{"model": model, "method": method,
			"args": []any{[]any{id}}, "kwargs": map[string]any{}})
	}
	wiz := c.mustKw(t, "res.users.apikeys.description", "create", []any{map[string]any{"name": "odoorpc"}}, nil)
	a := button("res.users.apikeys.description", "make_key", wiz)
	check, _ := a.result.(map[string]any)
	if a.err != nil || check["res_model"] != "res.users.identitycheck" || check["type"] != "ir.actions.act_window" {
		t.Fatalf("make_key without an identity check: %s", a.body)
	}
	// A wrong password, or a key in its place, fails the check.
	notPassword, err := w.e.set.Database.CreateAPIKey(context.Background(), w.e.db, services.KeyOptions{Login: "admin", Name: "not a password"})
	if err != nil {
		t.Fatal(err)
	}
	w.secrets.add(notPassword.Clear)
	for _, wrong := range []string{"not-the-password", notPassword.Clear} {
		c.mustKw(t, "res.users.identitycheck", "write", []any{[]any{check["res_id"]}, map[string]any{"password": wrong}}, nil)
		a = button("res.users.identitycheck", "run_check", check["res_id"])
		if msg := errMessage(a.err); !strings.Contains(msg, "Incorrect Password, try again or click on Forgot Password to reset your password.") {
			t.Fatalf("run_check with a wrong password: %s", a.body)
		}
	}
	c.mustKw(t, "res.users.identitycheck", "write", []any{[]any{check["res_id"]}, map[string]any{"password": adminPassword}}, nil)
	a = button("res.users.identitycheck", "run_check", check["res_id"])
	action, ok := a.result.(map[string]any)
	if a.err != nil || !ok {
		t.Fatalf("run_check: %s", a.body)
	}
	// The session passed the check: a second key needs no password for ten
	// minutes; after that, it asks again.
	wiz2 := c.mustKw(t, "res.users.apikeys.description", "create", []any{map[string]any{"name": "odoorpc 2"}}, nil)
	second, _ := button("res.users.apikeys.description", "make_key", wiz2).result.(map[string]any)
	if ctx, _ := second["context"].(map[string]any); ctx["default_key"] == nil {
		t.Fatalf("a second make_key within ten minutes answered %v", second)
	}
	w.secrets.add(second["context"].(map[string]any)["default_key"].(string))
	pool, err := w.e.store.Open(context.Background(), w.e.db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.ExecContext(context.Background(), "UPDATE http_session SET identity_check_last = ?",
		time.Now().UTC().Add(-11*time.Minute).Format(models.DatetimeLayout)); err != nil {
		t.Fatal(err)
	}
	wiz3 := c.mustKw(t, "res.users.apikeys.description", "create", []any{map[string]any{"name": "odoorpc 3"}}, nil)
	if third, _ := button("res.users.apikeys.description", "make_key", wiz3).result.(map[string]any); third["res_model"] != "res.users.identitycheck" {
		t.Fatalf("make_key eleven minutes after the check answered %v", third)
	}
	// With a session, generate and revoke (free over RPC, where every call
	// carries the password or a key) need the check too: a stolen cookie
	// cannot mint keys. run_check replays generate with its arguments, and
	// a right password serves one run_check only.
	gen, _ := c.mustKw(t, "res.users.apikeys", "generate", []any{}, map[string]any{"scope": "rpc", "name": "session generate"}).(map[string]any)
	if gen["res_model"] != "res.users.identitycheck" {
		t.Fatalf("generate with a session and no fresh check answered %v", gen)
	}
	c.mustKw(t, "res.users.identitycheck", "write", []any{[]any{gen["res_id"]}, map[string]any{"password": adminPassword}}, nil)
	// call_kw: call_button answers false for what is not an action.
	minted, ok := c.mustKw(t, "res.users.identitycheck", "run_check", []any{[]any{gen["res_id"]}}, nil).(string)
	if !ok || !strings.HasPrefix(minted, "godoo_") {
		t.Fatalf("run_check of generate answered %v", minted)
	}
	w.secrets.add(minted)
	if a := button("res.users.identitycheck", "run_check", gen["res_id"]); !strings.Contains(errMessage(a.err), "Incorrect Password") {
		t.Errorf("a second run_check with one password: %s", a.body)
	}
	// A pending check older than ten minutes is refused.
	if _, err := pool.ExecContext(context.Background(), "UPDATE http_session SET identity_check_last = NULL"); err != nil {
		t.Fatal(err)
	}
	stale, _ := c.mustKw(t, "res.users.apikeys", "generate", []any{}, map[string]any{"scope": "rpc", "name": "stale"}).(map[string]any)
	c.mustKw(t, "res.users.identitycheck", "write", []any{[]any{stale["res_id"]}, map[string]any{"password": adminPassword}}, nil)
	if _, err := pool.ExecContext(context.Background(), "UPDATE res_users_identitycheck SET create_date = ? WHERE id = ?",
		time.Now().UTC().Add(-11*time.Minute).Format(models.DatetimeLayout), stale["res_id"]); err != nil {
		t.Fatal(err)
	}
	if a := button("res.users.identitycheck", "run_check", stale["res_id"]); !strings.Contains(errMessage(a.err), "This security check has expired") {
		t.Errorf("run_check of a stale check: %s", a.body)
	}
	ctx, _ := action["context"].(map[string]any)
	key, _ := ctx["default_key"].(string)
	if action["type"] != "ir.actions.act_window" || key == "" {
		t.Fatalf("make_key answered %s", a.body)
	}
	w.secrets.add(key)
	v, f := w.c.call(t, "object", "execute_kw", w.e.db, int64(2), key, "res.users", "context_get", []any{})
	if f != nil {
		t.Fatalf("the key made through call_button does not work: %v", f)
	}
	equal(t, "uid of the key", v.(map[string]any)["uid"], int64(2))
	// A method that returns no action answers false.
	a = c.post(t, "/web/dataset/call_button", map[string]any{"model": "res.partner", "method": "search_count",
		"args": []any{[]any{}}, "kwargs": map[string]any{}})
	if a.err != nil || a.result != false {
		t.Errorf("call_button of a method without action: %s", a.body)
	}
	a = w.client(t, w.e.srv.URL, modeJar, false).post(t, "/web/dataset/call_button", map[string]any{"model": "res.partner",
		"method": "search_count", "args": []any{[]any{}}, "kwargs": map[string]any{}})
	if code, _ := a.err["code"].(int64); code != 100 {
		t.Errorf("call_button without a session: %s", a.body)
	}
}
