package integration_test

import (
	"bytes"
	"context"
	"crypto/pbkdf2"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/godoo/godoo/auth"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestAuth checks credentials end to end (spec/auth.md §1): archived users,
// the credential cache across processes, the login cool-down, passlib
// hashes and the logs. Sub-tests share one database per store and run in
// order; the cool-down runs last, as it blocks the loopback address.
func TestAuth(t *testing.T) {
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			store := mk(t)
			t.Cleanup(func() { store.Close() })
			e := newEnv(t, name, store, services.Config{ListDB: true}, godoorpc.Options{})
			t.Run("harness rounds", func(t *testing.T) { testAuthHarnessRounds(t, e) })
			t.Run("archived user", func(t *testing.T) { testAuthArchived(t, e) })
			t.Run("two processes", func(t *testing.T) { testAuthTwoProcesses(t, e) })
			t.Run("passlib hash", func(t *testing.T) { testAuthPasslib(t, e) })
			t.Run("upgrade to 600000 rounds", func(t *testing.T) {
				testAuthUpgrade(t, newRealEnv(t, e, services.Config{ListDB: true}, godoorpc.Options{}))
			})
			t.Run("no passwords in logs", func(t *testing.T) { testAuthLogs(t, e) })
			t.Run("cool-down", func(t *testing.T) { testAuthCooldown(t, e) })
		})
	}
}

// testAuthHarnessRounds checks that the harness's servers hash passwords
// at testRounds: the suite's speed depends on it.
func testAuthHarnessRounds(t *testing.T, e *env) {
	db, err := e.store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	var h string
	if err := db.QueryRowContext(context.Background(), "SELECT password FROM res_users WHERE login = ?", "admin").Scan(&h); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("$pbkdf2-sha512$%d$", testRounds); !strings.HasPrefix(h, want) {
		t.Errorf("the admin's hash starts %.24s, want %s", h, want)
	}
}

const cooldownText = "Too many login failures, please wait a bit before trying again."

// authServe starts a server on set with opts.
func authServe(t *testing.T, set *services.Set, opts godoorpc.Options) *godoorpc.Handler {
	t.Helper()
	h := godoorpc.NewHandler(set, opts)
	h.SetReady(true)
	return h
}

// authFront serves h behind a front that sets X-Forwarded-For to xff on
// every request, as a reverse proxy (or a forger) would.
func authFront(t *testing.T, h http.Handler, xff string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("X-Forwarded-For", xff)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func authURL(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// authKw calls execute_kw with explicit credentials.
func authKw(t *testing.T, c caller, db string, uid any, password, model, method string, args ...any) (any, *faultInfo) {
	t.Helper()
	return c.call(t, "object", "execute_kw", db, uid, password, model, method, args)
}

// authCount is a harmless call every internal user may make.
func authCount(t *testing.T, c caller, db string, uid any, password string) *faultInfo {
	t.Helper()
	_, f := authKw(t, c, db, uid, password, "res.partner", "search_count", []any{})
	return f
}

func authAdmin(t *testing.T, c caller, db, model, method string, args ...any) any {
	t.Helper()
	v, f := authKw(t, c, db, int64(2), adminPassword, model, method, args...)
	if f != nil {
		t.Fatalf("%s.%s as admin: unexpected fault %d: %s", model, method, f.Code, f.String)
	}
	return v
}

// authCreateUser creates an internal user as admin and returns its uid.
func authCreateUser(t *testing.T, c caller, db, login, password string) int64 {
	t.Helper()
	gids := authAdmin(t, c, db, "res.groups", "search", []any{[]any{"name", "=", "Internal User"}})
	uid, ok := authAdmin(t, c, db, "res.users", "create", map[string]any{"name": login, "login": login, "password": password,
		"groups_id": []any{[]any{int64(6), int64(0), gids}}}).(int64)
	if !ok {
		t.Fatal("res.users.create did not return an id")
	}
	return uid
}

// authSetParam sets an ir.config_parameter as admin.
func authSetParam(t *testing.T, c caller, db, key, value string) {
	t.Helper()
	ids := authAdmin(t, c, db, "ir.config_parameter", "search", []any{[]any{"key", "=", key}}).([]any)
	if len(ids) == 0 {
		authAdmin(t, c, db, "ir.config_parameter", "create", map[string]any{"key": key, "value": value})
		return
	}
	authAdmin(t, c, db, "ir.config_parameter", "write", ids, map[string]any{"value": value})
}

func authLogin(t *testing.T, c caller, db, login, password string) any {
	t.Helper()
	v, f := c.call(t, "common", "login", db, login, password)
	if f != nil {
		t.Fatalf("login %s: unexpected fault %d: %s", login, f.Code, f.String)
	}
	return v
}

func testAuthArchived(t *testing.T, e *env) {
	e.eachProtocol(t, func(t *testing.T, c caller) {
		uid := authLogin(t, c, e.db, "demo", "demo")
		if _, ok := uid.(int64); !ok {
			t.Fatalf("demo login = %#v", uid)
		}
		// A cached check must not outlive the archiving.
		if f := authCount(t, c, e.db, uid, "demo"); f != nil {
			t.Fatalf("demo execute_kw: %v", f)
		}
		authAdmin(t, c, e.db, "res.users", "write", []any{uid}, map[string]any{"active": false})
		equal(t, "login of an archived user", authLogin(t, c, e.db, "demo", "demo"), false)
		f := authCount(t, c, e.db, uid, "demo")
		wantFault(t, c, f, 3, "Access Denied")

		authAdmin(t, c, e.db, "res.users", "write", []any{uid}, map[string]any{"active": true})
		equal(t, "login after unarchiving", authLogin(t, c, e.db, "demo", "demo"), uid)
		if f := authCount(t, c, e.db, uid, "demo"); f != nil {
			t.Errorf("execute_kw after unarchiving: %v", f)
		}
	})
}

// testAuthTwoProcesses runs two Sets (two godoo processes) on one store: a
// credential change made through one is seen by the other at its next call
// once the change's notice reached it (settle).
func testAuthTwoProcesses(t *testing.T, e *env) {
	setB := newSet(e.store, services.Config{ListDB: true, MasterPassword: masterPassword})
	urlB := authURL(t, authServe(t, setB, godoorpc.Options{}))
	a, b := xmlCaller{e.srv.URL}, jsonCaller{urlB}
	bx := xmlCaller{urlB}

	uid := authLogin(t, a, e.db, "demo", "demo")
	t.Cleanup(func() {
		// Leave demo as the other tests expect it.
		authAdmin(t, a, e.db, "res.users", "write", []any{uid}, map[string]any{"password": "demo", "active": true})
	})
	for _, c := range []caller{a, b, bx} {
		if f := authCount(t, c, e.db, uid, "demo"); f != nil {
			t.Fatalf("demo execute_kw: %v", f)
		}
	}

	t.Run("password change", func(t *testing.T) {
		authAdmin(t, a, e.db, "res.users", "write", []any{uid}, map[string]any{"password": "demo-Changed-2"})
		e.settle(t)
		wantFault(t, b, authCount(t, b, e.db, uid, "demo"), 3, "Access Denied")
		wantFault(t, bx, authCount(t, bx, e.db, uid, "demo"), 3, "Access Denied")
		wantFault(t, a, authCount(t, a, e.db, uid, "demo"), 3, "Access Denied")
		for _, c := range []caller{a, b, bx} {
			if f := authCount(t, c, e.db, uid, "demo-Changed-2"); f != nil {
				t.Errorf("%s: the new password is refused: %v", c.protocol(), f)
			}
		}
		equal(t, "login with the new password on B", authLogin(t, b, e.db, "demo", "demo-Changed-2"), uid)
		equal(t, "login with the old password on B", authLogin(t, b, e.db, "demo", "demo"), false)
	})

	t.Run("archiving", func(t *testing.T) {
		// B has the new password cached from the sub-test above.
		if f := authCount(t, b, e.db, uid, "demo-Changed-2"); f != nil {
			t.Fatal(f)
		}
		authAdmin(t, a, e.db, "res.users", "write", []any{uid}, map[string]any{"active": false})
		e.settle(t)
		wantFault(t, b, authCount(t, b, e.db, uid, "demo-Changed-2"), 3, "Access Denied")
		equal(t, "login of the archived user on B", authLogin(t, b, e.db, "demo", "demo-Changed-2"), false)
		authAdmin(t, a, e.db, "res.users", "write", []any{uid}, map[string]any{"active": true})
		e.settle(t)
		if f := authCount(t, b, e.db, uid, "demo-Changed-2"); f != nil {
			t.Errorf("after unarchiving through A, B refuses: %v", f)
		}
	})

	// A database dropped and created again under the same name through A is
	// a new database: what B cached about the old one must not let the old
	// admin password in.
	t.Run("database recreated", func(t *testing.T) {
		name := uniqueName("it_")
		t.Cleanup(func() { _, _ = e.set.Database.DropNoCheck(context.Background(), name) })
		const first, second = "first-Admin-1", "second-Admin-2"
		equal(t, "create_database", dbMust(t, a, "create_database", masterPassword, name, false, "en_US", first, "admin"), true)
		if f := authCount(t, b, name, int64(2), first); f != nil {
			t.Fatal(f)
		}
		equal(t, "drop", dbMust(t, a, "drop", masterPassword, name), true)
		equal(t, "create_database", dbMust(t, a, "create_database", masterPassword, name, false, "en_US", second, "admin"), true)
		wantFault(t, b, authCount(t, b, name, int64(2), first), 3, "Access Denied")
		if f := authCount(t, b, name, int64(2), second); f != nil {
			t.Errorf("the new admin password is refused on B: %v", f)
		}
	})
}

// ab64 is passlib's base64 variant: '.' for '+', no padding.
var ab64 = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./").WithPadding(base64.NoPadding)

// passlibHash computes what passlib's pbkdf2_sha512.hash gives for the salt
// and rounds.
func passlibHash(t *testing.T, password string, salt []byte, rounds int) string {
	t.Helper()
	sum, err := pbkdf2.Key(sha512.New, password, salt, rounds, 64)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("$pbkdf2-sha512$%d$%s$%s", rounds, ab64.EncodeToString(salt), ab64.EncodeToString(sum))
}

// hashcat is hashcat's example of passlib's pbkdf2-sha512 (mode 20200), of
// the password "hashcat", at 25000 rounds (Odoo 14's default).
const hashcat = "$pbkdf2-sha512$25000$LyWE0HrP2RsjZCxlDGFMKQ$1vC5Ohk2mCS9b6akqsEfgeb4l74SF8XjH.SljXf3dMLHdlY1GK9ojcCKts6/asR4aPqBmk74nCDddU3tvSCJvw"

// storedHash reads the password column of uid on e's database.
func storedHash(t *testing.T, e *env, uid int64) string {
	t.Helper()
	db, err := e.store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	var h string
	if err := db.QueryRowContext(context.Background(), "SELECT password FROM res_users WHERE id = ?", uid).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

// setStoredHash replaces the password column of uid on e's database by
// hand, as an "UPDATE res_users SET password" run by hand or a database
// migrated from Odoo has it.
func setStoredHash(t *testing.T, e *env, uid int64, h string) {
	t.Helper()
	db, err := e.store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	handSQL(t, e.store, db, e.db, "UPDATE res_users SET password = ? WHERE id = ?", h, uid)
}

// testAuthPasslib stores hashes made by passlib straight into res_users: a
// hash replaced by hand ends the cached checks of the old password, and the
// passlib hash verifies.
func testAuthPasslib(t *testing.T, e *env) {
	c := jsonCaller{e.srv.URL}
	if got := passlibHash(t, "hashcat", mustAB64(t, "LyWE0HrP2RsjZCxlDGFMKQ"), 25000); got != hashcat {
		t.Fatalf("passlibHash = %q, want passlib's %q", got, hashcat)
	}
	login := uniqueName("passlib_")
	uid := authCreateUser(t, c, e.db, login, "initial-Pw-1")
	// The initial password is checked (and cached) before the hash is
	// replaced behind godoo's back.
	equal(t, "login", authLogin(t, c, e.db, login, "initial-Pw-1"), uid)
	if f := authCount(t, c, e.db, uid, "initial-Pw-1"); f != nil {
		t.Fatal(f)
	}
	setStoredHash(t, e, uid, hashcat)
	wantFault(t, c, authCount(t, c, e.db, uid, "initial-Pw-1"), 3, "Access Denied")
	equal(t, "login with the replaced password", authLogin(t, c, e.db, login, "initial-Pw-1"), false)
	equal(t, "stored hash after failures", storedHash(t, e, uid), hashcat)
	if f := authCount(t, c, e.db, uid, "hashcat"); f != nil {
		t.Fatalf("execute_kw with the passlib password: %v", f)
	}
}

// testAuthUpgrade stores hashes made by passlib at 25000 rounds (Odoo 14's
// default) as the admin's, as a database migrated from Odoo has them: a
// successful execute_kw or login upgrades them to 600000 rounds. e hashes at
// real rounds (newRealEnv); the admin, whose calls are the test's only ones,
// is the user whose hash is replaced.
func testAuthUpgrade(t *testing.T, e *env) {
	c := jsonCaller{e.srv.URL}
	const uid = int64(2)
	wantUpgraded := func(old string) string {
		t.Helper()
		h := storedHash(t, e, uid)
		if h == old || !strings.HasPrefix(h, "$pbkdf2-sha512$600000$") {
			t.Fatalf("stored hash after a successful check = %q, want a new 600000-round hash", h)
		}
		return h
	}

	setStoredHash(t, e, uid, hashcat)
	wantFault(t, c, authCount(t, c, e.db, uid, "wrong"), 3, "Access Denied")
	equal(t, "stored hash after a failure", storedHash(t, e, uid), hashcat)
	// execute_kw verifies the passlib hash and upgrades it,
	if f := authCount(t, c, e.db, uid, "hashcat"); f != nil {
		t.Fatalf("execute_kw with the passlib password: %v", f)
	}
	h := wantUpgraded(hashcat)
	if ok, rehash := auth.VerifyPassword("hashcat", h, auth.MinRounds); !ok || rehash {
		t.Fatalf("the upgraded hash does not verify the password (ok=%v, rehash=%v)", ok, rehash)
	}

	// and so does login.
	const pw = "correct horse battery staple"
	old := passlibHash(t, pw, []byte("odoo14-default!!"), 25000)
	setStoredHash(t, e, uid, old)
	equal(t, "login with a wrong password", authLogin(t, c, e.db, "admin", "hashcat"), false)
	equal(t, "stored hash after a failure", storedHash(t, e, uid), old)
	equal(t, "login with the passlib password", authLogin(t, c, e.db, "admin", pw), uid)
	wantUpgraded(old)
	// Login derives every time: this one verifies the upgraded hash.
	equal(t, "login after the upgrade", authLogin(t, c, e.db, "admin", pw), uid)
	if f := authCount(t, xmlCaller{e.srv.URL}, e.db, uid, pw); f != nil {
		t.Errorf("execute_kw after the upgrade: %v", f)
	}
}

func mustAB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := ab64.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testAuthLogs logs everything at debug level, with the access log, in
// both log formats, while passwords, keys and a session id fly past, and
// finds none of them in the log; every access line has its fields.
func testAuthLogs(t *testing.T, e *env) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) { testAuthLogsIn(t, e, format) })
	}
}

func testAuthLogsIn(t *testing.T, e *env, format string) {
	var buf syncBuffer
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	log := slog.New(slog.NewTextHandler(&buf, opts))
	if format == "json" {
		log = slog.New(slog.NewJSONHandler(&buf, opts))
	}
	set := newSet(e.store, services.Config{ListDB: true, MasterPassword: masterPassword, Log: log})
	registerTestModel(set.Registry())
	url := authURL(t, authServe(t, set, godoorpc.Options{Log: log, AccessLog: true}))
	const wrong, userPw, wrongMaster = "wrong-Secret-4711", "user-Secret-0815", "wrong-Master-0042"
	const wrongKey = "wrong-Key-Secret-2323"
	secrets := []string{wrong, adminPassword, userPw, masterPassword, wrongMaster, wrongKey}
	calls := 0
	for _, c := range []caller{xmlCaller{url}, jsonCaller{url}} {
		equal(t, "wrong login", authLogin(t, c, e.db, "admin", wrong), false)
		equal(t, "login", authLogin(t, c, e.db, "admin", adminPassword), int64(2))
		if v, _ := c.call(t, "common", "authenticate", e.db, "admin", adminPassword, map[string]any{}); v != int64(2) {
			t.Errorf("authenticate = %#v", v)
		}
		wantFault(t, c, authCount(t, c, e.db, int64(2), wrong), 3, "Access Denied")
		if f := authCount(t, c, e.db, int64(2), adminPassword); f != nil {
			t.Fatal(f)
		}
		// An internal error is logged, with the call's credentials around.
		_, f := authKw(t, c, e.db, int64(2), adminPassword, "test.rpc", "raise_unexpected")
		wantFault(t, c, f, 1, "Internal server error")
		// A password in a method's arguments.
		login := uniqueName("logged_")
		uid := authCreateUser(t, c, e.db, login, userPw)
		equal(t, "new user login", authLogin(t, c, e.db, login, userPw), uid)
		equal(t, "new user wrong login", authLogin(t, c, e.db, login, wrong), false)
		wantFault(t, c, authCount(t, c, e.db, int64(99999), userPw), 3, "Access Denied")
		_, f = c.call(t, "common", "login", "no_such_db", "admin", adminPassword)
		wantFault(t, c, f, 1, "does not exist")
		_, f = c.call(t, "db", "list_countries", wrongMaster)
		wantFault(t, c, f, 3, "Access Denied")
		dbMust(t, c, "list_countries", masterPassword)
		calls += 13 // authCreateUser is one call
	}
	// A web session's id, and keys in each header that carries one.
	sid := authWebSession(t, url, e.db, "admin", adminPassword)
	secrets = append(secrets, sid)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+wrong))
	for _, h := range [][3]string{{"user", "Cookie", "session_id=" + sid}, {"bearer", "Authorization", "Bearer " + wrongKey},
		{"api_key", "API-KEY", wrongKey}, {"basic_api_key", "Authorization", basic}} {
		req, _ := http.NewRequest(http.MethodGet, url+"/auth/whoami/"+h[0]+"?db="+e.db, nil)
		req.Header.Set(h[1], h[2])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s: no X-Request-Id in the answer", req.URL.Path)
		}
		calls++
	}
	set.Authenticator().FlushRefusals(true)
	out := buf.String()
	for _, want := range []string{"refused attempts", "login successful", "internal error"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q; is the logger wired?\n%s", want, out)
		}
	}
	for _, secret := range secrets {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains the secret %q:\n%s", secret, out)
		}
	}
	access := accessLines(t, out, format)
	if len(access) < calls {
		t.Errorf("%d access log lines for %d requests:\n%s", len(access), calls, out)
	}
	sawModel := false
	for _, a := range access {
		for _, k := range []string{"time", "request_id", "remote", "protocol", "db", "uid", "model", "method", "outcome", "status", "duration", "bytes"} {
			if _, ok := a[k]; !ok {
				t.Errorf("access log line without %s: %v", k, a)
			}
		}
		if a["model"] == "res.partner" && a["method"] == "search_count" && a["db"] == e.db && a["outcome"] == "ok" {
			sawModel = true
		}
	}
	if !sawModel {
		t.Errorf("no access line of a search_count on res.partner in %s:\n%s", e.db, out)
	}
	// The internal error's line names the request, whose access line says
	// how it ended.
	ids := map[any]any{}
	for _, a := range access {
		ids[a["request_id"]] = a["outcome"]
	}
	internal := 0
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "internal error") {
			continue
		}
		internal++
		id := ""
		if _, rest, ok := strings.Cut(line, "request_id"); ok {
			id = strings.Trim(strings.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == ',' || r == '}' })[0], `=":`)
		}
		if ids[id] != "internal" {
			t.Errorf("the internal error's line names request %q, whose access line says %v: %s", id, ids[id], line)
		}
	}
	if internal == 0 {
		t.Errorf("no internal error line")
	}
}

// accessLines returns the access log lines of out, each as its fields, in
// either format; in the JSON format every line must be a JSON object.
func accessLines(t *testing.T, out, format string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		fields := map[string]any{}
		if format == "json" {
			if err := json.Unmarshal([]byte(line), &fields); err != nil {
				t.Fatalf("a JSON log line does not parse: %v: %s", err, line)
			}
			if fields["msg"] != "request" {
				continue
			}
			for k, v := range fields {
				if f, ok := v.(float64); ok {
					fields[k] = strconv.FormatFloat(f, 'f', -1, 64)
				}
			}
		} else {
			if !strings.Contains(line, " msg=request ") {
				continue
			}
			for _, kv := range strings.Fields(line) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					fields[k] = strings.Trim(v, `"`)
				}
			}
		}
		lines = append(lines, fields)
	}
	return lines
}

// authWebSession opens a web session and returns its id.
func authWebSession(t *testing.T, url, db, login, password string) string {
	t.Helper()
	body := fmt.Sprintf(`{"jsonrpc": "2.0", "params": {"db": %q, "login": %q, "password": %q}}`, db, login, password)
	resp, err := http.Post(url+"/web/session/authenticate", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "session_id" {
			return c.Value
		}
	}
	t.Fatalf("no session cookie from /web/session/authenticate (HTTP %d)", resp.StatusCode)
	return ""
}

// testAuthCooldown checks the login cool-down (base.login_cooldown_after
// failures within base.login_cooldown_duration seconds), kept in the
// database per source address, as Odoo counts it.
func testAuthCooldown(t *testing.T, e *env) {
	proxied := authServe(t, e.set, godoorpc.Options{ProxyMode: true})
	// Admin calls come from an address of their own, never blocked.
	admin := jsonCaller{authFront(t, proxied, "198.51.100.200")}
	authSetParam(t, admin, e.db, "base.login_cooldown_after", "5")
	authSetParam(t, admin, e.db, "base.login_cooldown_duration", "60")
	suffix := uniqueName("")
	userA, userB, userC, userD := "cool_a"+suffix, "cool_b"+suffix, "cool_c"+suffix, "cool_d"+suffix
	const pwA, pwB, pwC, pwD = "cool-A-pw", "cool-B-pw", "cool-C-pw", "cool-D-pw"
	uidA := authCreateUser(t, admin, e.db, userA, pwA)
	uidB := authCreateUser(t, admin, e.db, userB, pwB)
	authCreateUser(t, admin, e.db, userC, pwC)
	// userD never logs in before it is refused: a cached check skips the
	// cool-down, as in Odoo.
	uidD := authCreateUser(t, admin, e.db, userD, pwD)

	addr1 := authFront(t, proxied, "203.0.113.1")
	wantCooldown := func(t *testing.T, c caller, login string, uid int64, pw string) {
		t.Helper()
		equal(t, "login during the cool-down", authLogin(t, c, e.db, login, pw), false)
		f := authCount(t, c, e.db, uid, pw)
		wantFault(t, c, f, 3, cooldownText)
		if f != nil && f.String != cooldownText {
			t.Errorf("cool-down fault text = %q, want Odoo's %q", f.String, cooldownText)
		}
	}

	t.Run("proxy mode", func(t *testing.T) {
		for i := 0; i < 5; i++ {
			equal(t, "wrong password", authLogin(t, xmlCaller{addr1}, e.db, userA, "wrong"), false)
		}
		for _, c := range []caller{xmlCaller{addr1}, jsonCaller{addr1}} {
			wantCooldown(t, c, userA, uidA, pwA)
		}
		// Another address is not blocked (the X-Forwarded-For address is
		// the one counted), not even for the login that failed: nobody
		// can lock a user out from elsewhere.
		addr2 := xmlCaller{authFront(t, proxied, "203.0.113.2")}
		equal(t, "another user from another address", authLogin(t, addr2, e.db, userB, pwB), uidB)
		equal(t, "the failing login from another address", authLogin(t, addr2, e.db, userA, pwA), uidA)
	})

	// Issue item 2: wrong passwords for one login, sent from many
	// addresses, cool down those addresses and never the login.
	// cheapUser makes a user whose password has a 1000-round hash, as an
	// old Odoo database may hold: wrong passwords for it cost little, and
	// the right one upgrades the hash.
	cheapUser := func(t *testing.T, login, pw string) int64 {
		t.Helper()
		pool, err := e.store.Open(context.Background(), e.db)
		if err != nil {
			t.Fatal(err)
		}
		uid := authCreateUser(t, admin, e.db, login, "initial-"+pw)
		handSQL(t, e.store, pool, e.db, "UPDATE res_users SET password = ? WHERE id = ?",
			passlibHash(t, pw, []byte("cheap-user-salt!"), 1000), uid)
		return uid
	}

	t.Run("flood of one login from many addresses", func(t *testing.T) {
		login := "cool_flood" + suffix
		const pw = "cool-Flood-pw"
		uid := cheapUser(t, login, pw)
		flooders := make([]caller, 12)
		for i := range flooders {
			flooders[i] = xmlCaller{authFront(t, proxied, fmt.Sprintf("203.0.113.%d", 100+i))}
		}
		for _, c := range flooders {
			equal(t, "a wrong password", authLogin(t, c, e.db, login, "wrong"), false)
		}
		for range 4 {
			equal(t, "a wrong password again", authLogin(t, flooders[0], e.db, login, "wrong"), false)
		}
		// The address that failed five times is cooled down, even with the
		// right password; the login is not, from any other address.
		wantCooldown(t, flooders[0], login, uid, pw)
		other := jsonCaller{authFront(t, proxied, "203.0.113.99")}
		equal(t, "the flooded login from another address", authLogin(t, other, e.db, login, pw), uid)
		equal(t, "the flooded login from an address that failed once", authLogin(t, flooders[1], e.db, login, pw), uid)
		if f := authCount(t, jsonCaller{authFront(t, proxied, "203.0.113.98")}, e.db, uid, pw); f != nil {
			t.Errorf("execute_kw of the flooded login: %v", f)
		}
	})

	// A client behind the trusted proxy may send an X-Forwarded-For of its
	// own, which the proxy extends: only the proxy's hop, the last, counts,
	// or each wrong password could come from an address of its choosing.
	t.Run("hops before the proxy's", func(t *testing.T) {
		var n atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Set("X-Forwarded-For", fmt.Sprintf("198.18.0.%d, 203.0.113.120", n.Add(1)))
			proxied.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		login := "cool_hops" + suffix
		const pw = "cool-Hops-pw"
		uid := cheapUser(t, login, pw)
		c := xmlCaller{srv.URL}
		for range 5 {
			equal(t, "a wrong password", authLogin(t, c, e.db, login, "wrong"), false)
		}
		wantCooldown(t, c, login, uid, pw)
		equal(t, "from another proxy hop", authLogin(t, xmlCaller{authFront(t, proxied, "203.0.113.121")}, e.db, login, pw), uid)
	})

	t.Run("second process", func(t *testing.T) {
		setB := newSet(e.store, services.Config{})
		b := authFront(t, authServe(t, setB, godoorpc.Options{ProxyMode: true}), "203.0.113.1")
		for _, c := range []caller{jsonCaller{b}, xmlCaller{b}} {
			wantCooldown(t, c, userA, uidA, pwA)
		}
	})

	t.Run("disabled", func(t *testing.T) {
		authSetParam(t, admin, e.db, "base.login_cooldown_after", "0")
		equal(t, "login with the cool-down off", authLogin(t, xmlCaller{addr1}, e.db, userA, pwA), uidA)
		if f := authCount(t, jsonCaller{addr1}, e.db, uidA, pwA); f != nil {
			t.Errorf("execute_kw with the cool-down off: %v", f)
		}
		authSetParam(t, admin, e.db, "base.login_cooldown_after", "5")
	})

	// Without proxy_mode, X-Forwarded-For is the client's word and is
	// ignored: failures count against the real peer (loopback here).
	t.Run("forged X-Forwarded-For", func(t *testing.T) {
		t.Cleanup(func() {
			// Unblock loopback for whatever runs next on this database.
			authSetParam(t, admin, e.db, "base.login_cooldown_after", "0")
			authLogin(t, xmlCaller{e.srv.URL}, e.db, userB, pwB)
			authSetParam(t, admin, e.db, "base.login_cooldown_after", "5")
		})
		forged := xmlCaller{authFront(t, e.h, "203.0.113.3")}
		for i := 0; i < 5; i++ {
			equal(t, "wrong password", authLogin(t, forged, e.db, userC, "wrong"), false)
		}
		// Another user behind another forged address is refused: the
		// peer address is blocked.
		for _, c := range []caller{jsonCaller{authFront(t, e.h, "203.0.113.4")}, xmlCaller{e.srv.URL}} {
			wantCooldown(t, c, userD, uidD, pwD)
		}
		// The forged address itself was never counted.
		equal(t, "login from the forged address through a trusted proxy",
			authLogin(t, xmlCaller{authFront(t, proxied, "203.0.113.3")}, e.db, userB, pwB), uidB)
	})
}
