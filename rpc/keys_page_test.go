package rpc_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

const pageAdminPassword = "Page-Admin-Pass-1"

// pageServer starts a server over one SQLite database "keys" whose admin
// has pageAdminPassword, and a user "clerk" who is not an administrator.
func pageServer(t *testing.T) *httptest.Server {
	t.Helper()
	return pageServerLogging(t, nil)
}

// pageServerLogging is pageServer with the services and the access log
// writing to log (when not nil).
func pageServerLogging(t *testing.T, log io.Writer) *httptest.Server {
	t.Helper()
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cfg, opts := services.Config{}, rpc.Options{}
	if log != nil {
		logger := slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
		cfg.Log, opts.Log, opts.AccessLog = logger, logger, true
	}
	set := services.NewSet(store, cfg)
	set.Authenticator().Rounds = 1000
	newDB(t, set, store, "keys", services.CreateOptions{AdminLogin: "admin", AdminPassword: pageAdminPassword})
	h := rpc.NewHandler(set, opts)
	h.SetReady(true)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	pageRPC(t, srv.URL, "res.users", "create", []any{map[string]any{"name": "Clerk", "login": "clerk", "password": "Clerk-Pass-1"}})
	return srv
}

// pageRPC calls execute_kw over JSON-RPC as admin and returns the result.
func pageRPC(t *testing.T, base, model, method string, args []any) any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1, "params": map[string]any{
		"service": "object", "method": "execute_kw", "args": []any{"keys", 2, pageAdminPassword, model, method, args}}})
	resp, err := http.Post(base+"/jsonrpc", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Result any
		Error  any
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Error != nil {
		t.Fatalf("%s.%s: %v %v", model, method, err, out.Error)
	}
	return out.Result
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so that each answer can be checked.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type pageAnswer struct {
	status int
	header http.Header
	body   string
}

func (b *browser) get(path string) pageAnswer {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	return readPage(b.t, resp)
}

func (b *browser) post(path string, form url.Values) pageAnswer {
	b.t.Helper()
	resp, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	return readPage(b.t, resp)
}

func readPage(t *testing.T, resp *http.Response) pageAnswer {
	t.Helper()
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return pageAnswer{status: resp.StatusCode, header: resp.Header, body: string(raw)}
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// token is the first CSRF token of a page.
func (a pageAnswer) token(t *testing.T) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(a.body)
	if m == nil {
		t.Fatalf("no CSRF token in the page (status %d):\n%s", a.status, a.body)
	}
	return m[1]
}

// signIn logs b in through the login form.
func (b *browser) signIn(login, password string) {
	b.t.Helper()
	form := b.get("/web/login")
	a := b.post("/web/login", url.Values{"csrf_token": {form.token(b.t)}, "db": {"keys"}, "login": {login}, "password": {password}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/web/keys" {
		b.t.Fatalf("sign in as %s: %d %s\n%s", login, a.status, a.header.Get("Location"), a.body)
	}
}

var newKeyInput = regexp.MustCompile(`id="new-key" readonly value="([^"]+)"`)

// makeKey makes a key with the create form and returns its secret.
func (b *browser) makeKey(form url.Values) (string, pageAnswer) {
	b.t.Helper()
	form.Set("csrf_token", b.get("/web/keys").token(b.t))
	a := b.post("/web/keys/create", form)
	m := newKeyInput.FindStringSubmatch(a.body)
	if a.status != http.StatusOK || m == nil {
		b.t.Fatalf("make key: %d\n%s", a.status, a.body)
	}
	return m[1], a
}

func TestKeysPageSendsStrictCSP(t *testing.T) {
	srv := pageServer(t)
	b := newBrowser(t, srv.URL)
	login := b.get("/web/login")
	b.signIn("admin", pageAdminPassword)
	keys := b.get("/web/keys")
	js := b.get("/web/keys/assets/keys.js")
	for name, a := range map[string]pageAnswer{"login": login, "keys": keys, "script": js} {
		csp := a.header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: Content-Security-Policy %q lacks %q", name, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
			t.Errorf("%s: Content-Security-Policy %q allows too much", name, csp)
		}
		if a.header.Get("X-Frame-Options") != "DENY" || a.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: X-Frame-Options %q, Cache-Control %q", name, a.header.Get("X-Frame-Options"), a.header.Get("Cache-Control"))
		}
	}
	// Nothing inline that the policy would block, and nothing external.
	for name, a := range map[string]pageAnswer{"login": login, "keys": keys} {
		if a.status != http.StatusOK {
			t.Fatalf("%s: status %d", name, a.status)
		}
		for _, bad := range []*regexp.Regexp{regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`), regexp.MustCompile(`<script>`),
			regexp.MustCompile(`<style`), regexp.MustCompile(`\sstyle=`), regexp.MustCompile(`\son[a-z]+=`), regexp.MustCompile(`(?:src|href)="(?:https?:)?//`)} {
			if bad.MatchString(a.body) {
				t.Errorf("%s page has %s", name, bad)
			}
		}
	}
	if !strings.HasPrefix(js.header.Get("Content-Type"), "text/javascript") || !strings.Contains(js.body, "clipboard") {
		t.Errorf("the page script: %q\n%s", js.header.Get("Content-Type"), js.body)
	}
}

func TestKeysPageRefusesFormsWithoutTheSessionsToken(t *testing.T) {
	srv := pageServer(t)
	b := newBrowser(t, srv.URL)

	// The login form: no token, a made-up token, or a token without the
	// cookie it is bound to.
	form := b.get("/web/login").token(t)
	creds := url.Values{"db": {"keys"}, "login": {"admin"}, "password": {pageAdminPassword}}
	for name, tok := range map[string]string{"missing": "", "made up": "AAAA" + form[4:]} {
		v := url.Values{"csrf_token": {tok}}
		for k, x := range creds {
			v[k] = x
		}
		if a := b.post("/web/login", v); a.status != http.StatusForbidden || a.header.Get("Set-Cookie") != "" {
			t.Errorf("login with a %s token: %d, Set-Cookie %q", name, a.status, a.header.Get("Set-Cookie"))
		}
	}
	other := newBrowser(t, srv.URL)
	v := url.Values{"csrf_token": {form}}
	for k, x := range creds {
		v[k] = x
	}
	if a := other.post("/web/login", v); a.status != http.StatusForbidden {
		t.Errorf("login with another browser's token: %d", a.status)
	}

	// The key page's forms: another session's token, or none.
	b.signIn("admin", pageAdminPassword)
	other.signIn("admin", pageAdminPassword)
	otherToken := other.get("/web/keys").token(t)
	for name, tok := range map[string]string{"missing": "", "another session's": otherToken} {
		a := b.post("/web/keys/create", url.Values{"csrf_token": {tok}, "name": {"forged"}, "kind": {"native"}, "user": {"admin"}})
		if a.status != http.StatusForbidden || strings.Contains(a.body, "new-key") {
			t.Errorf("create with a %s token: %d\n%s", name, a.status, a.body)
		}
	}
	if n := pageRPC(t, srv.URL, "res.users.apikeys", "search_count", []any{[]any{}}); n != float64(0) {
		t.Errorf("refused forms made %v keys", n)
	}
	// The right token works.
	if _, a := b.makeKey(url.Values{"name": {"real"}, "kind": {"native"}, "user": {"admin"}}); !strings.Contains(a.body, "real") {
		t.Errorf("create with the session's token:\n%s", a.body)
	}
}

func TestKeysPageShowsUsersOnlyTheirOwnKeys(t *testing.T) {
	srv := pageServer(t)
	admin := newBrowser(t, srv.URL)
	admin.signIn("admin", pageAdminPassword)
	admin.makeKey(url.Values{"name": {"admin-secret-name"}, "kind": {"header"}, "user": {"admin"}})
	admin.makeKey(url.Values{"name": {"admin-native-name"}, "kind": {"native"}, "user": {"admin"}})
	id := keyID(t, srv.URL, "res.users.apikeys", "admin-native-name")

	clerk := newBrowser(t, srv.URL)
	clerk.signIn("clerk", "Clerk-Pass-1")
	clerk.makeKey(url.Values{"name": {"clerk-key"}, "expires": {"1d"}})
	page := clerk.get("/web/keys")
	if !strings.Contains(page.body, "clerk-key") {
		t.Errorf("the clerk does not see their key:\n%s", page.body)
	}
	for _, hidden := range []string{"admin-secret-name", "admin-native-name", `id="audit"`, "(administrator)", `name="allow"`} {
		if strings.Contains(page.body, hidden) {
			t.Errorf("the clerk's page shows %q", hidden)
		}
	}
	// Nor can the clerk act on others' keys or make more than their own.
	tok := page.token(t)
	if a := clerk.post("/web/keys/revoke", url.Values{"csrf_token": {tok}, "kind": {"native"}, "id": {id}}); a.status == http.StatusSeeOther {
		t.Errorf("the clerk revoked the admin's key")
	}
	if n := pageRPC(t, srv.URL, "res.users.apikeys", "search_count", []any{[]any{[]any{"name", "=", "admin-native-name"}}}); n != float64(1) {
		t.Errorf("the admin's key count is %v after the clerk's revoke", n)
	}
	for _, form := range []url.Values{{"name": {"h"}, "kind": {"header"}, "expires": {"1d"}}, {"name": {"o"}, "user": {"admin"}, "expires": {"1d"}},
		{"name": {"r"}, "read_only": {"1"}, "expires": {"1d"}}} {
		form.Set("csrf_token", tok)
		if a := clerk.post("/web/keys/create", form); strings.Contains(a.body, `id="new-key"`) || a.status != http.StatusForbidden {
			t.Errorf("the clerk made %v: %d", form, a.status)
		}
	}
	if a := clerk.post("/web/keys/restrict", url.Values{"csrf_token": {tok}, "kind": {"native"}, "id": {id}, "read_only": {"1"}}); a.status == http.StatusSeeOther {
		t.Errorf("the clerk restricted a key")
	}
	// The administrator sees every key, with the audit.
	all := admin.get("/web/keys")
	for _, want := range []string{"admin-secret-name", "admin-native-name", "clerk-key", `id="audit"`} {
		if !strings.Contains(all.body, want) {
			t.Errorf("the admin's page lacks %q", want)
		}
	}
}

func TestKeysPageRendersASecretOnlyOnce(t *testing.T) {
	srv := pageServer(t)
	b := newBrowser(t, srv.URL)
	b.signIn("admin", pageAdminPassword)
	for _, kind := range []string{"native", "header"} {
		secret, made := b.makeKey(url.Values{"name": {kind + "-once"}, "kind": {kind}, "user": {"admin"}})
		if strings.Count(made.body, secret) != 1 {
			t.Errorf("%s: the new key appears %d times in its page", kind, strings.Count(made.body, secret))
		}
		page := b.get("/web/keys")
		if !strings.Contains(page.body, kind+"-once") {
			t.Fatalf("%s: the key is not listed", kind)
		}
		if strings.Contains(page.body, secret) || strings.Contains(page.body, secret[len(secret)-16:]) || strings.Contains(page.body, "new-key") {
			t.Errorf("%s: the page shows the key's secret after its one-time display", kind)
		}
	}
}

// keyID is the id, as a form gives it, of the key of model named name.
func keyID(t *testing.T, base, model, name string) string {
	t.Helper()
	ids, _ := pageRPC(t, base, model, "search", []any{[]any{[]any{"name", "=", name}}}).([]any)
	if len(ids) != 1 {
		t.Fatalf("%s named %q: %v", model, name, ids)
	}
	b, _ := json.Marshal(ids[0])
	return string(b)
}

// sessionBrowser is a browser whose session comes from the web client's
// /web/session/authenticate, which leaves the identity unchecked, as
// Odoo's does.
func sessionBrowser(t *testing.T, base, login, password string) *browser {
	t.Helper()
	b := newBrowser(t, base)
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1,
		"params": map[string]any{"db": "keys", "login": login, "password": password}})
	resp, err := b.c.Post(base+"/web/session/authenticate", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	a := readPage(t, resp)
	if !strings.Contains(a.body, `"uid": 2`) {
		t.Fatalf("authenticate: %s", a.body)
	}
	return b
}

func TestKeysPageAsksThePasswordBeforeChanges(t *testing.T) {
	srv := pageServer(t)
	b := sessionBrowser(t, srv.URL, "admin", pageAdminPassword)
	page := b.get("/web/keys")
	if page.status != http.StatusOK || strings.Contains(page.body, "confirm-card") {
		t.Fatalf("the page with a web client session: %d\n%s", page.status, page.body)
	}
	tok := page.token(t)
	a := b.post("/web/keys/create", url.Values{"csrf_token": {tok}, "name": {"unchecked"}, "user": {"admin"}, "kind": {"native"}})
	if strings.Contains(a.body, `id="new-key"`) || !strings.Contains(a.body, `id="confirm-card"`) {
		t.Fatalf("a change without a fresh password check: %d\n%s", a.status, a.body)
	}
	if n := pageRPC(t, srv.URL, "res.users.apikeys", "search_count", []any{[]any{}}); n != float64(0) {
		t.Fatalf("%v keys made without the password check", n)
	}
	if a := b.post("/web/keys/confirm", url.Values{"csrf_token": {tok}, "password": {"wrong"}}); a.status == http.StatusSeeOther ||
		!strings.Contains(a.body, `id="error"`) {
		t.Fatalf("confirm with a wrong password: %d", a.status)
	}
	if a := b.post("/web/keys/confirm", url.Values{"csrf_token": {tok}, "password": {pageAdminPassword}}); a.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s", a.status, a.body)
	}
	if _, a := b.makeKey(url.Values{"name": {"checked"}, "user": {"admin"}, "kind": {"native"}}); !strings.Contains(a.body, "checked") {
		t.Error("no key after the password check")
	}
}

func TestKeysPageRotatesRevokesAndSignsOut(t *testing.T) {
	srv := pageServer(t)
	b := newBrowser(t, srv.URL)
	b.signIn("admin", pageAdminPassword)
	header, _ := b.makeKey(url.Values{"name": {"gateway"}, "kind": {"header"}, "user": {"clerk"}, "read_only": {"1"}, "from": {"127.0.0.1/32"}})
	whoami := func(path, name, value string) int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set(name, value)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := whoami("/auth/whoami/api_key", "API-KEY", header); st != http.StatusOK {
		t.Fatalf("the header key made on the page: %d", st)
	}
	old, _ := b.makeKey(url.Values{"name": {"rotating"}, "kind": {"native"}, "user": {"admin"}})
	tok := b.get("/web/keys").token(t)
	rot := b.post("/web/keys/rotate", url.Values{"csrf_token": {tok}, "id": {keyID(t, srv.URL, "res.users.apikeys", "rotating")}, "overlap": {"0"}})
	m := newKeyInput.FindStringSubmatch(rot.body)
	if m == nil || m[1] == old {
		t.Fatalf("rotate: %d\n%s", rot.status, rot.body)
	}
	if st := whoami("/auth/whoami/bearer", "Authorization", "Bearer "+old); st != http.StatusUnauthorized {
		t.Errorf("the rotated key without overlap: %d", st)
	}
	if st := whoami("/auth/whoami/bearer", "Authorization", "Bearer "+m[1]); st != http.StatusOK {
		t.Errorf("the new key of the rotation: %d", st)
	}
	if a := b.post("/web/keys/revoke", url.Values{"csrf_token": {tok}, "kind": {"header"}, "id": {keyID(t, srv.URL, "auth.api.key", "gateway")}}); a.status != http.StatusSeeOther {
		t.Fatalf("revoke the header key: %d\n%s", a.status, a.body)
	}
	if st := whoami("/auth/whoami/api_key", "API-KEY", header); st != http.StatusForbidden {
		t.Errorf("the revoked header key: %d", st)
	}
	if a := b.post("/web/keys/logout", url.Values{"csrf_token": {tok}}); a.status != http.StatusSeeOther || a.header.Get("Location") != "/web/login" {
		t.Fatalf("sign out: %d", a.status)
	}
	if a := b.get("/web/keys"); a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/web/login") {
		t.Errorf("the page after signing out: %d %s", a.status, a.header.Get("Location"))
	}
}

func TestKeysPageLogsNoSecret(t *testing.T) {
	var log bytes.Buffer
	srv := pageServerLogging(t, &log)
	b := newBrowser(t, srv.URL)
	b.signIn("admin", pageAdminPassword)
	native, _ := b.makeKey(url.Values{"name": {"n"}, "kind": {"native"}, "user": {"admin"}})
	header, _ := b.makeKey(url.Values{"name": {"h"}, "kind": {"header"}, "user": {"admin"}})
	b.get("/web/keys")
	u, _ := url.Parse(srv.URL)
	var sid string
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "session_id" {
			sid = c.Value
		}
	}
	if sid == "" || !strings.Contains(log.String(), "method=keys/create") {
		t.Fatalf("no session or no access log:\n%s", log.String())
	}
	for name, secret := range map[string]string{"password": pageAdminPassword, "native key": native, "header key": header, "session id": sid} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("the log holds the %s", name)
		}
	}
}

func TestLoginFormRedirectsOnlyWithinTheSite(t *testing.T) {
	srv := pageServer(t)
	for _, c := range []struct{ redirect, want string }{
		{"/web/keys?audit_since=7d", "/web/keys?audit_since=7d"},
		{"", "/web/keys"},
		{"//evil.example/keys", "/web/keys"},
		{"https://evil.example/", "/web/keys"},
		{"/\\evil.example", "/web/keys"},
		{"javascript:alert(1)", "/web/keys"},
		{"/\t/evil.example", "/web/keys"},
		{"/\n/evil.example", "/web/keys"},
		{"/%09/evil.example", "/%09/evil.example"},
		{"/\x7f/evil.example", "/web/keys"},
		{"/%2F/evil.example", "/%2F/evil.example"},
	} {
		b := newBrowser(t, srv.URL)
		tok := b.get("/web/login").token(t)
		a := b.post("/web/login", url.Values{"csrf_token": {tok}, "db": {"keys"}, "login": {"admin"}, "password": {pageAdminPassword},
			"redirect": {c.redirect}})
		if a.status != http.StatusSeeOther || a.header.Get("Location") != c.want {
			t.Errorf("redirect %q: %d to %q, want %q", c.redirect, a.status, a.header.Get("Location"), c.want)
		}
	}
	// A failed login shows the form again, with Odoo's message, never the
	// password, and opens no session.
	b := newBrowser(t, srv.URL)
	tok := b.get("/web/login").token(t)
	const wrong = "Wrong-Password-Typed-9"
	a := b.post("/web/login", url.Values{"csrf_token": {tok}, "db": {"keys"}, "login": {"admin"}, "password": {wrong}})
	if a.status == http.StatusSeeOther || !strings.Contains(a.body, `id="error"`) || strings.Contains(a.body, wrong) ||
		strings.Contains(a.header.Get("Set-Cookie"), "session_id") {
		t.Errorf("a failed login: %d, Set-Cookie %q\n%s", a.status, a.header.Get("Set-Cookie"), a.body)
	}
}

func TestKeysPageFiltersTheAudit(t *testing.T) {
	srv := pageServer(t)
	b := newBrowser(t, srv.URL)
	b.signIn("admin", pageAdminPassword)
	b.makeKey(url.Values{"name": {"kept"}, "kind": {"native"}, "user": {"admin"}})
	b.makeKey(url.Values{"name": {"dropped"}, "kind": {"native"}, "user": {"admin"}})
	dropped := keyID(t, srv.URL, "res.users.apikeys", "dropped")
	if a := b.post("/web/keys/revoke", url.Values{"csrf_token": {b.get("/web/keys").token(t)}, "kind": {"native"}, "id": {dropped}}); a.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", a.status)
	}
	audit := func(query string) string {
		body := b.get("/web/keys?" + query).body
		_, table, _ := strings.Cut(body, `<table id="audit">`)
		table, _, _ = strings.Cut(table, "</table>")
		return table
	}
	for _, c := range []struct {
		query     string
		want, not []string
	}{
		{"", []string{"created", "revoked", "kept", "dropped"}, nil},
		{"audit_event=revoked", []string{"revoked", "dropped"}, []string{"created", "kept"}},
		{"audit_key=" + dropped + "&audit_since=", []string{"created", "revoked", "dropped"}, []string{"kept"}},
		{"audit_since=1h&audit_event=rotated", []string{"No audit rows match."}, []string{"dropped", "kept"}},
	} {
		got := audit(c.query)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("audit %q lacks %q:\n%s", c.query, w, got)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got, n) {
				t.Errorf("audit %q shows %q:\n%s", c.query, n, got)
			}
		}
	}
}
