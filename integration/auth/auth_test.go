package auth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestAuth checks credentials end to end (spec/auth.md §1): archived users,
// the credential cache across processes, the login cool-down, passlib
// hashes and the logs. Sub-tests share one database per store and run in
// order; the cool-down runs last, as it blocks the loopback address.
func TestAuth(t *testing.T) {
	itest.ForStores(t, func(t *testing.T, name string, store models.Store) {
		e := itest.NewEnv(t, name, store, services.Config{ListDB: true}, godoorpc.Options{})
		t.Run("harness rounds", func(t *testing.T) { testAuthHarnessRounds(t, e) })
		t.Run("archived user", func(t *testing.T) { testAuthArchived(t, e) })
		t.Run("two processes", func(t *testing.T) { testAuthTwoProcesses(t, e) })
		t.Run("passlib hash", func(t *testing.T) { testAuthPasslib(t, e) })
		t.Run("upgrade to 600000 rounds", func(t *testing.T) {
			testAuthUpgrade(t, itest.NewRealEnv(t, e, services.Config{ListDB: true}, godoorpc.Options{}))
		})
		t.Run("no passwords in logs", func(t *testing.T) { testAuthLogs(t, e) })
		t.Run("cool-down", func(t *testing.T) { testAuthCooldown(t, e) })
	})
}

// testAuthHarnessRounds checks that the harness's servers hash passwords
// at testRounds: the suite's speed depends on it.
func testAuthHarnessRounds(t *testing.T, e *itest.Env) {
	db, err := e.Store.Open(context.Background(), e.DB)
	if err != nil {
		t.Fatal(err)
	}
	var h string
	if err := db.QueryRowContext(context.Background(), "SELECT password FROM res_users WHERE login = ?", "admin").Scan(&h); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("$pbkdf2-sha512$%d$", itest.TestRounds); !strings.HasPrefix(h, want) {
		t.Errorf("the admin's hash starts %.24s, want %s", h, want)
	}
}

const cooldownText = "Too many login failures, please wait a bit before trying again."

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

// authCount is a harmless call every internal user may make.
func authCount(t *testing.T, c itest.Caller, db string, uid any, password string) *itest.Fault {
	t.Helper()
	_, f := itest.KwAs(t, c, db, uid, password, "res.partner", "search_count", []any{})
	return f
}

func testAuthArchived(t *testing.T, e *itest.Env) {
	e.EachProtocol(t, func(t *testing.T, c itest.Caller) {
		uid := itest.Login(t, c, e.DB, "demo", "demo")
		if _, ok := uid.(int64); !ok {
			t.Fatalf("demo login = %#v", uid)
		}
		// A cached check must not outlive the archiving.
		if f := authCount(t, c, e.DB, uid, "demo"); f != nil {
			t.Fatalf("demo execute_kw: %v", f)
		}
		itest.Admin(t, c, e.DB, "res.users", "write", []any{uid}, map[string]any{"active": false})
		itest.Equal(t, "login of an archived user", itest.Login(t, c, e.DB, "demo", "demo"), false)
		f := authCount(t, c, e.DB, uid, "demo")
		itest.WantFault(t, c.Protocol(), f, 3, "Access Denied")

		itest.Admin(t, c, e.DB, "res.users", "write", []any{uid}, map[string]any{"active": true})
		itest.Equal(t, "login after unarchiving", itest.Login(t, c, e.DB, "demo", "demo"), uid)
		if f := authCount(t, c, e.DB, uid, "demo"); f != nil {
			t.Errorf("execute_kw after unarchiving: %v", f)
		}
	})
}

// testAuthTwoProcesses runs two Sets (two godoo processes) on one store: a
// credential change made through one is seen by the other at its next call
// once the change's notice reached it (settle).
func testAuthTwoProcesses(t *testing.T, e *itest.Env) {
	setB := itest.NewSet(e.Store, services.Config{ListDB: true, MasterPassword: itest.MasterPassword})
	urlB := itest.Serve(t, itest.NewHandler(t, setB, godoorpc.Options{}))
	a, b := itest.XMLCaller{Base: e.Srv.URL}, itest.JSONCaller{Base: urlB}
	bx := itest.XMLCaller{Base: urlB}

	uid := itest.Login(t, a, e.DB, "demo", "demo")
	t.Cleanup(func() {
		// Leave demo as the other tests expect it.
		itest.Admin(t, a, e.DB, "res.users", "write", []any{uid}, map[string]any{"password": "demo", "active": true})
	})
	for _, c := range []itest.Caller{a, b, bx} {
		if f := authCount(t, c, e.DB, uid, "demo"); f != nil {
			t.Fatalf("demo execute_kw: %v", f)
		}
	}

	t.Run("password change", func(t *testing.T) {
		itest.Admin(t, a, e.DB, "res.users", "write", []any{uid}, map[string]any{"password": "demo-Changed-2"})
		e.Settle(t)
		itest.WantFault(t, b.Protocol(), authCount(t, b, e.DB, uid, "demo"), 3, "Access Denied")
		itest.WantFault(t, bx.Protocol(), authCount(t, bx, e.DB, uid, "demo"), 3, "Access Denied")
		itest.WantFault(t, a.Protocol(), authCount(t, a, e.DB, uid, "demo"), 3, "Access Denied")
		for _, c := range []itest.Caller{a, b, bx} {
			if f := authCount(t, c, e.DB, uid, "demo-Changed-2"); f != nil {
				t.Errorf("%s: the new password is refused: %v", c.Protocol(), f)
			}
		}
		itest.Equal(t, "login with the new password on B", itest.Login(t, b, e.DB, "demo", "demo-Changed-2"), uid)
		itest.Equal(t, "login with the old password on B", itest.Login(t, b, e.DB, "demo", "demo"), false)
	})

	t.Run("archiving", func(t *testing.T) {
		// B has the new password cached from the sub-test above.
		if f := authCount(t, b, e.DB, uid, "demo-Changed-2"); f != nil {
			t.Fatal(f)
		}
		itest.Admin(t, a, e.DB, "res.users", "write", []any{uid}, map[string]any{"active": false})
		e.Settle(t)
		itest.WantFault(t, b.Protocol(), authCount(t, b, e.DB, uid, "demo-Changed-2"), 3, "Access Denied")
		itest.Equal(t, "login of the archived user on B", itest.Login(t, b, e.DB, "demo", "demo-Changed-2"), false)
		itest.Admin(t, a, e.DB, "res.users", "write", []any{uid}, map[string]any{"active": true})
		e.Settle(t)
		if f := authCount(t, b, e.DB, uid, "demo-Changed-2"); f != nil {
			t.Errorf("after unarchiving through A, B refuses: %v", f)
		}
	})

	// A database dropped and created again under the same name through A is
	// a new database: what B cached about the old one must not let the old
	// admin password in.
	t.Run("database recreated", func(t *testing.T) {
		name := itest.UniqueName("it_")
		t.Cleanup(func() { _, _ = e.Set.Database.DropNoCheck(context.Background(), name) })
		const first, second = "first-Admin-1", "second-Admin-2"
		itest.Equal(t, "create_database", itest.MustDB(t, a, "create_database", itest.MasterPassword, name, false, "en_US", first, "admin"), true)
		if f := authCount(t, b, name, int64(2), first); f != nil {
			t.Fatal(f)
		}
		itest.Equal(t, "drop", itest.MustDB(t, a, "drop", itest.MasterPassword, name), true)
		itest.Equal(t, "create_database", itest.MustDB(t, a, "create_database", itest.MasterPassword, name, false, "en_US", second, "admin"), true)
		itest.WantFault(t, b.Protocol(), authCount(t, b, name, int64(2), first), 3, "Access Denied")
		if f := authCount(t, b, name, int64(2), second); f != nil {
			t.Errorf("the new admin password is refused on B: %v", f)
		}
	})
}

// hashcat is hashcat's example of passlib's pbkdf2-sha512 (mode 20200), of
// the password "hashcat", at 25000 rounds (Odoo 14's default).
const hashcat = "$pbkdf2-sha512$25000$LyWE0HrP2RsjZCxlDGFMKQ$1vC5Ohk2mCS9b6akqsEfgeb4l74SF8XjH.SljXf3dMLHdlY1GK9ojcCKts6/asR4aPqBmk74nCDddU3tvSCJvw"

// storedHash reads the password column of uid on e's database.
func storedHash(t *testing.T, e *itest.Env, uid int64) string {
	t.Helper()
	db, err := e.Store.Open(context.Background(), e.DB)
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
func setStoredHash(t *testing.T, e *itest.Env, uid int64, h string) {
	t.Helper()
	db, err := e.Store.Open(context.Background(), e.DB)
	if err != nil {
		t.Fatal(err)
	}
	itest.HandSQL(t, e.Store, db, e.DB, "UPDATE res_users SET password = ? WHERE id = ?", h, uid)
}

// testAuthPasslib stores hashes made by passlib straight into res_users: a
// hash replaced by hand ends the cached checks of the old password, and the
// passlib hash verifies.
func testAuthPasslib(t *testing.T, e *itest.Env) {
	c := itest.JSONCaller{Base: e.Srv.URL}
	if got := itest.PasslibHash(t, "hashcat", mustAB64(t, "LyWE0HrP2RsjZCxlDGFMKQ"), 25000); got != hashcat {
		t.Fatalf("passlibHash = %q, want passlib's %q", got, hashcat)
	}
	login := itest.UniqueName("passlib_")
	uid := itest.CreateUser(t, c, e.DB, login, "initial-Pw-1")
	// The initial password is checked (and cached) before the hash is
	// replaced behind godoo's back.
	itest.Equal(t, "login", itest.Login(t, c, e.DB, login, "initial-Pw-1"), uid)
	if f := authCount(t, c, e.DB, uid, "initial-Pw-1"); f != nil {
		t.Fatal(f)
	}
	setStoredHash(t, e, uid, hashcat)
	itest.WantFault(t, c.Protocol(), authCount(t, c, e.DB, uid, "initial-Pw-1"), 3, "Access Denied")
	itest.Equal(t, "login with the replaced password", itest.Login(t, c, e.DB, login, "initial-Pw-1"), false)
	itest.Equal(t, "stored hash after failures", storedHash(t, e, uid), hashcat)
	if f := authCount(t, c, e.DB, uid, "hashcat"); f != nil {
		t.Fatalf("execute_kw with the passlib password: %v", f)
	}
}

// testAuthUpgrade stores hashes made by passlib at 25000 rounds (Odoo 14's
// default) as the admin's, as a database migrated from Odoo has them: a
// successful execute_kw or login upgrades them to 600000 rounds. e hashes at
// real rounds (newRealEnv); the admin, whose calls are the test's only ones,
// is the user whose hash is replaced.
func testAuthUpgrade(t *testing.T, e *itest.Env) {
	c := itest.JSONCaller{Base: e.Srv.URL}
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
	itest.WantFault(t, c.Protocol(), authCount(t, c, e.DB, uid, "wrong"), 3, "Access Denied")
	itest.Equal(t, "stored hash after a failure", storedHash(t, e, uid), hashcat)
	// execute_kw verifies the passlib hash and upgrades it,
	if f := authCount(t, c, e.DB, uid, "hashcat"); f != nil {
		t.Fatalf("execute_kw with the passlib password: %v", f)
	}
	h := wantUpgraded(hashcat)
	if ok, rehash := auth.VerifyPassword("hashcat", h, auth.MinRounds); !ok || rehash {
		t.Fatalf("the upgraded hash does not verify the password (ok=%v, rehash=%v)", ok, rehash)
	}

	// and so does login.
	const pw = "correct horse battery staple"
	old := itest.PasslibHash(t, pw, []byte("odoo14-default!!"), 25000)
	setStoredHash(t, e, uid, old)
	itest.Equal(t, "login with a wrong password", itest.Login(t, c, e.DB, "admin", "hashcat"), false)
	itest.Equal(t, "stored hash after a failure", storedHash(t, e, uid), old)
	itest.Equal(t, "login with the passlib password", itest.Login(t, c, e.DB, "admin", pw), uid)
	wantUpgraded(old)
	// Login derives every time: this one verifies the upgraded hash.
	itest.Equal(t, "login after the upgrade", itest.Login(t, c, e.DB, "admin", pw), uid)
	if f := authCount(t, itest.XMLCaller{Base: e.Srv.URL}, e.DB, uid, pw); f != nil {
		t.Errorf("execute_kw after the upgrade: %v", f)
	}
}

func mustAB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := itest.AB64.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testAuthLogs logs everything at debug level, with the access log, in
// both log formats, while passwords, keys and a session id fly past, and
// finds none of them in the log; every access line has its fields.
func testAuthLogs(t *testing.T, e *itest.Env) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) { testAuthLogsIn(t, e, format) })
	}
}

func testAuthLogsIn(t *testing.T, e *itest.Env, format string) {
	var buf itest.SyncBuffer
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	log := slog.New(slog.NewTextHandler(&buf, opts))
	if format == "json" {
		log = slog.New(slog.NewJSONHandler(&buf, opts))
	}
	set := itest.NewSet(e.Store, services.Config{ListDB: true, MasterPassword: itest.MasterPassword, Log: log})
	itest.RegisterTestModel(set.Registry())
	url := itest.Serve(t, itest.NewHandler(t, set, godoorpc.Options{Log: log, AccessLog: true}))
	const wrong, userPw, wrongMaster = "wrong-Secret-4711", "user-Secret-0815", "wrong-Master-0042"
	const wrongKey = "wrong-Key-Secret-2323"
	secrets := []string{wrong, itest.AdminPassword, userPw, itest.MasterPassword, wrongMaster, wrongKey}
	calls := 0
	for _, c := range []itest.Caller{itest.XMLCaller{Base: url}, itest.JSONCaller{Base: url}} {
		itest.Equal(t, "wrong login", itest.Login(t, c, e.DB, "admin", wrong), false)
		itest.Equal(t, "login", itest.Login(t, c, e.DB, "admin", itest.AdminPassword), int64(2))
		if v, _ := c.Call(t, "common", "authenticate", e.DB, "admin", itest.AdminPassword, map[string]any{}); v != int64(2) {
			t.Errorf("authenticate = %#v", v)
		}
		itest.WantFault(t, c.Protocol(), authCount(t, c, e.DB, int64(2), wrong), 3, "Access Denied")
		if f := authCount(t, c, e.DB, int64(2), itest.AdminPassword); f != nil {
			t.Fatal(f)
		}
		// An internal error is logged, with the call's credentials around.
		_, f := itest.KwAs(t, c, e.DB, int64(2), itest.AdminPassword, "test.rpc", "raise_unexpected")
		itest.WantFault(t, c.Protocol(), f, 1, "Internal server error")
		// A password in a method's arguments.
		login := itest.UniqueName("logged_")
		uid := itest.CreateUser(t, c, e.DB, login, userPw)
		itest.Equal(t, "new user login", itest.Login(t, c, e.DB, login, userPw), uid)
		itest.Equal(t, "new user wrong login", itest.Login(t, c, e.DB, login, wrong), false)
		itest.WantFault(t, c.Protocol(), authCount(t, c, e.DB, int64(99999), userPw), 3, "Access Denied")
		_, f = c.Call(t, "common", "login", "no_such_db", "admin", itest.AdminPassword)
		itest.WantFault(t, c.Protocol(), f, 1, "does not exist")
		_, f = c.Call(t, "db", "list_countries", wrongMaster)
		itest.WantFault(t, c.Protocol(), f, 3, "Access Denied")
		itest.MustDB(t, c, "list_countries", itest.MasterPassword)
		calls += 13 // authCreateUser is one call
	}
	// A web session's id, and keys in each header that carries one.
	sid := itest.WebSession(t, url, e.DB, "admin", itest.AdminPassword)
	secrets = append(secrets, sid)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+wrong))
	for _, h := range [][3]string{{"user", "Cookie", "session_id=" + sid}, {"bearer", "Authorization", "Bearer " + wrongKey},
		{"api_key", "API-KEY", wrongKey}, {"basic_api_key", "Authorization", basic}} {
		req, _ := http.NewRequest(http.MethodGet, url+"/auth/whoami/"+h[0]+"?db="+e.DB, nil)
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
		if a["model"] == "res.partner" && a["method"] == "search_count" && a["db"] == e.DB && a["outcome"] == "ok" {
			sawModel = true
		}
	}
	if !sawModel {
		t.Errorf("no access line of a search_count on res.partner in %s:\n%s", e.DB, out)
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

// testAuthCooldown checks the login cool-down (base.login_cooldown_after
// failures within base.login_cooldown_duration seconds), kept in the
// database per source address, as Odoo counts it.
func testAuthCooldown(t *testing.T, e *itest.Env) {
	proxied := itest.NewHandler(t, e.Set, godoorpc.Options{ProxyMode: true})
	// Admin calls come from an address of their own, never blocked.
	admin := itest.JSONCaller{Base: authFront(t, proxied, "198.51.100.200")}
	itest.SetParam(t, admin, e.DB, "base.login_cooldown_after", "5")
	itest.SetParam(t, admin, e.DB, "base.login_cooldown_duration", "60")
	suffix := itest.UniqueName("")
	userA, userB, userC, userD := "cool_a"+suffix, "cool_b"+suffix, "cool_c"+suffix, "cool_d"+suffix
	const pwA, pwB, pwC, pwD = "cool-A-pw", "cool-B-pw", "cool-C-pw", "cool-D-pw"
	uidA := itest.CreateUser(t, admin, e.DB, userA, pwA)
	uidB := itest.CreateUser(t, admin, e.DB, userB, pwB)
	itest.CreateUser(t, admin, e.DB, userC, pwC)
	// userD never logs in before it is refused: a cached check skips the
	// cool-down, as in Odoo.
	uidD := itest.CreateUser(t, admin, e.DB, userD, pwD)

	addr1 := authFront(t, proxied, "203.0.113.1")
	wantCooldown := func(t *testing.T, c itest.Caller, login string, uid int64, pw string) {
		t.Helper()
		itest.Equal(t, "login during the cool-down", itest.Login(t, c, e.DB, login, pw), false)
		f := authCount(t, c, e.DB, uid, pw)
		itest.WantFault(t, c.Protocol(), f, 3, cooldownText)
		if f != nil && f.String != cooldownText {
			t.Errorf("cool-down fault text = %q, want Odoo's %q", f.String, cooldownText)
		}
	}

	t.Run("proxy mode", func(t *testing.T) {
		for i := 0; i < 5; i++ {
			itest.Equal(t, "wrong password", itest.Login(t, itest.XMLCaller{Base: addr1}, e.DB, userA, "wrong"), false)
		}
		for _, c := range []itest.Caller{itest.XMLCaller{Base: addr1}, itest.JSONCaller{Base: addr1}} {
			wantCooldown(t, c, userA, uidA, pwA)
		}
		// Another address is not blocked (the X-Forwarded-For address is
		// the one counted), not even for the login that failed: nobody
		// can lock a user out from elsewhere.
		addr2 := itest.XMLCaller{Base: authFront(t, proxied, "203.0.113.2")}
		itest.Equal(t, "another user from another address", itest.Login(t, addr2, e.DB, userB, pwB), uidB)
		itest.Equal(t, "the failing login from another address", itest.Login(t, addr2, e.DB, userA, pwA), uidA)
	})

	// Issue item 2: wrong passwords for one login, sent from many
	// addresses, cool down those addresses and never the login.
	// cheapUser makes a user whose password has a 1000-round hash, as an
	// old Odoo database may hold: wrong passwords for it cost little, and
	// the right one upgrades the hash.
	cheapUser := func(t *testing.T, login, pw string) int64 {
		t.Helper()
		pool, err := e.Store.Open(context.Background(), e.DB)
		if err != nil {
			t.Fatal(err)
		}
		uid := itest.CreateUser(t, admin, e.DB, login, "initial-"+pw)
		itest.HandSQL(t, e.Store, pool, e.DB, "UPDATE res_users SET password = ? WHERE id = ?",
			itest.PasslibHash(t, pw, []byte("cheap-user-salt!"), 1000), uid)
		return uid
	}

	t.Run("flood of one login from many addresses", func(t *testing.T) {
		login := "cool_flood" + suffix
		const pw = "cool-Flood-pw"
		uid := cheapUser(t, login, pw)
		flooders := make([]itest.Caller, 12)
		for i := range flooders {
			flooders[i] = itest.XMLCaller{Base: authFront(t, proxied, fmt.Sprintf("203.0.113.%d", 100+i))}
		}
		for _, c := range flooders {
			itest.Equal(t, "a wrong password", itest.Login(t, c, e.DB, login, "wrong"), false)
		}
		for range 4 {
			itest.Equal(t, "a wrong password again", itest.Login(t, flooders[0], e.DB, login, "wrong"), false)
		}
		// The address that failed five times is cooled down, even with the
		// right password; the login is not, from any other address.
		wantCooldown(t, flooders[0], login, uid, pw)
		other := itest.JSONCaller{Base: authFront(t, proxied, "203.0.113.99")}
		itest.Equal(t, "the flooded login from another address", itest.Login(t, other, e.DB, login, pw), uid)
		itest.Equal(t, "the flooded login from an address that failed once", itest.Login(t, flooders[1], e.DB, login, pw), uid)
		if f := authCount(t, itest.JSONCaller{Base: authFront(t, proxied, "203.0.113.98")}, e.DB, uid, pw); f != nil {
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
		c := itest.XMLCaller{Base: srv.URL}
		for range 5 {
			itest.Equal(t, "a wrong password", itest.Login(t, c, e.DB, login, "wrong"), false)
		}
		wantCooldown(t, c, login, uid, pw)
		itest.Equal(t, "from another proxy hop", itest.Login(t, itest.XMLCaller{Base: authFront(t, proxied, "203.0.113.121")}, e.DB, login, pw), uid)
	})

	t.Run("second process", func(t *testing.T) {
		setB := itest.NewSet(e.Store, services.Config{})
		b := authFront(t, itest.NewHandler(t, setB, godoorpc.Options{ProxyMode: true}), "203.0.113.1")
		for _, c := range []itest.Caller{itest.JSONCaller{Base: b}, itest.XMLCaller{Base: b}} {
			wantCooldown(t, c, userA, uidA, pwA)
		}
	})

	t.Run("disabled", func(t *testing.T) {
		itest.SetParam(t, admin, e.DB, "base.login_cooldown_after", "0")
		itest.Equal(t, "login with the cool-down off", itest.Login(t, itest.XMLCaller{Base: addr1}, e.DB, userA, pwA), uidA)
		if f := authCount(t, itest.JSONCaller{Base: addr1}, e.DB, uidA, pwA); f != nil {
			t.Errorf("execute_kw with the cool-down off: %v", f)
		}
		itest.SetParam(t, admin, e.DB, "base.login_cooldown_after", "5")
	})

	// Without proxy_mode, X-Forwarded-For is the client's word and is
	// ignored: failures count against the real peer (loopback here).
	t.Run("forged X-Forwarded-For", func(t *testing.T) {
		t.Cleanup(func() {
			// Unblock loopback for whatever runs next on this database.
			itest.SetParam(t, admin, e.DB, "base.login_cooldown_after", "0")
			itest.Login(t, itest.XMLCaller{Base: e.Srv.URL}, e.DB, userB, pwB)
			itest.SetParam(t, admin, e.DB, "base.login_cooldown_after", "5")
		})
		forged := itest.XMLCaller{Base: authFront(t, e.H, "203.0.113.3")}
		for i := 0; i < 5; i++ {
			itest.Equal(t, "wrong password", itest.Login(t, forged, e.DB, userC, "wrong"), false)
		}
		// Another user behind another forged address is refused: the
		// peer address is blocked.
		for _, c := range []itest.Caller{itest.JSONCaller{Base: authFront(t, e.H, "203.0.113.4")}, itest.XMLCaller{Base: e.Srv.URL}} {
			wantCooldown(t, c, userD, uidD, pwD)
		}
		// The forged address itself was never counted.
		itest.Equal(t, "login from the forged address through a trusted proxy",
			itest.Login(t, itest.XMLCaller{Base: authFront(t, proxied, "203.0.113.3")}, e.DB, userB, pwB), uidB)
	})
}
