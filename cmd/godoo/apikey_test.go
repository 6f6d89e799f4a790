package main

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/services"
)

var cliKeyRE = regexp.MustCompile(`^` + auth.KeyPattern + `$`)

// createdKey runs apikey create and returns the key from the last line of
// its output, checking that no other line and no log line shows it.
func createdKey(t *testing.T, args ...string) string {
	t.Helper()
	r := mustRun(t, "", append([]string{"apikey", "create"}, args...)...)
	out := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	key := out[len(out)-1]
	if !cliKeyRE.MatchString(key) {
		t.Fatalf("the last line of apikey create is not a key: %s", r)
	}
	if len(out) < 2 || strings.Contains(strings.Join(out[:len(out)-1], "\n"), key) || strings.Contains(r.stderr, key) {
		t.Errorf("apikey create shows the key elsewhere than alone on its last line: %s", r)
	}
	return key
}

// keyChecker checks keys the way clients use them, through a fresh set of
// services on the store, as another process would.
type keyChecker struct {
	t     *testing.T
	store func() models.Store
	db    string
}

func (kc keyChecker) login(login, key string) any {
	kc.t.Helper()
	store := kc.store()
	defer store.Close()
	uid, err := newServices(store, services.Config{}).Common.Login(context.Background(), kc.db, login, key)
	if err != nil {
		kc.t.Fatalf("login %s: %v", login, err)
	}
	return uid
}

// works reports whether execute_kw accepts key for uid; refusals are not
// counted by the login cool-down, so the test can make as many as it likes.
func (kc keyChecker) works(uid int64, key string) bool {
	kc.t.Helper()
	store := kc.store()
	defer store.Close()
	set := newServices(store, services.Config{})
	id, err := set.Auth.Password(context.Background(), services.Credentials{DB: kc.db, UID: uid, Password: key})
	if err == nil {
		_, err = set.Object.Execute(context.Background(), id, "res.users", "context_get", nil, nil)
	}
	if err != nil && models.KindOf(err) != models.KindAccessDenied {
		kc.t.Fatalf("execute_kw: %v", err)
	}
	return err == nil
}

// call runs model.method for uid with key from address ip, as execute_kw
// does, and returns the error's kind (-1 for none).
func (kc keyChecker) call(uid int64, key, ip, model, method string, args ...any) models.Kind {
	kc.t.Helper()
	store := kc.store()
	defer store.Close()
	set := newServices(store, services.Config{RefusalDelay: -1})
	ctx := services.WithRemoteAddr(context.Background(), ip)
	id, err := set.Auth.Password(ctx, services.Credentials{DB: kc.db, UID: uid, Password: key})
	if err == nil {
		_, err = set.Object.Execute(ctx, id, model, method, args, nil)
	}
	if err == nil {
		return -1
	}
	return models.KindOf(err)
}

// headerWorks reports whether key is a usable API-KEY header key, and of
// which user.
func (kc keyChecker) headerWorks(key string) (int64, bool) {
	kc.t.Helper()
	store := kc.store()
	defer store.Close()
	set := newServices(store, services.Config{})
	pool, err := store.Open(context.Background(), kc.db)
	if err != nil {
		kc.t.Fatal(err)
	}
	id, err := set.Authenticator().HeaderKey(context.Background(), pool, kc.db, key, "192.0.2.1")
	if err != nil && models.KindOf(err) != models.KindAccessDenied {
		kc.t.Fatal(err)
	}
	return id.UID, err == nil
}

// listed runs apikey list and returns its lines split into fields.
func listed(t *testing.T, args ...string) [][]string {
	t.Helper()
	r := mustRun(t, "", append([]string{"apikey", "list"}, args...)...)
	var out [][]string
	for _, line := range strings.Split(strings.TrimRight(r.stdout, "\n"), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 9 {
			t.Fatalf("apikey list line %q has %d fields, want 9", line, len(f))
		}
		out = append(out, f)
	}
	return out
}

// byName indexes list lines by kind and name.
func byName(lines [][]string) map[string][]string {
	out := map[string][]string{}
	for _, f := range lines {
		out[f[1]+" "+f[2]] = f
	}
	return out
}

func TestAPIKeyHelp(t *testing.T) {
	isolate(t)
	r := mustRun(t, "", "--help")
	for _, sub := range []string{"create", "list", "revoke"} {
		if !strings.Contains(r.stdout, "godoo apikey "+sub) {
			t.Errorf("the usage lacks apikey %s:\n%s", sub, r.stdout)
		}
		r := runGodoo(t, "", "apikey", sub, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Usage: godoo apikey "+sub) || !strings.Contains(r.stdout, "--kind") {
			t.Errorf("apikey %s --help: %s", sub, r)
		}
	}
	if r := runGodoo(t, "", "apikey", "--help"); r.code != 0 || !strings.Contains(r.stdout, "godoo apikey create") {
		t.Errorf("apikey --help: %s", r)
	}
	if r := runGodoo(t, "", "apikey"); r.code != 2 {
		t.Errorf("apikey without a subcommand: %s", r)
	}
	if r := runGodoo(t, "", "apikey", "spin"); r.code != 2 || !strings.Contains(r.stderr, "spin") {
		t.Errorf("unknown apikey subcommand: %s", r)
	}
}

func TestAPIKeyCommands(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	const db = "keysdb"
	mustRun(t, "", "db", "create", db, "--admin-password", "cli-Admin-1", "--data-dir", dir)
	mustRun(t, "", "user", "create", "bob", "--db", db, "--password", "bob-Pw-1", "--data-dir", dir)
	kc := keyChecker{t: t, db: db, store: func() models.Store {
		s, err := sqlitestore.New(dir)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}}
	testAPIKeyCommands(t, kc, "--data-dir", dir, "--db", db)
	testAPIKeyLimitCommands(t, kc, "--data-dir", dir, "--db", db)

	// --db may be left out while there is only one database.
	key := createdKey(t, "--data-dir", dir, "--user", "admin", "--name", "no db flag")
	equal(t, "login with the key made without --db", kc.login("admin", key), int64(2))
	mustRun(t, "", "db", "create", "other", "--admin-password", "cli-Admin-2", "--data-dir", dir)
	if r := runGodoo(t, "", "apikey", "list", "--data-dir", dir); r.code != 2 || !strings.Contains(r.stderr, "--db") {
		t.Errorf("apikey list with two databases and no --db: %s", r)
	}
}

func TestAPIKeyCommandsPostgres(t *testing.T) {
	dsn := os.Getenv("GODOO_TEST_DSN")
	if dsn == "" {
		t.Skip("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
	}
	isolate(t)
	db := unique("clikeys_")
	t.Cleanup(func() { dropPG(t, dsn, db) })
	mustRun(t, "", "db", "create", db, "--admin-password", "cli-Admin-1", "--db-url", dsn)
	mustRun(t, "", "user", "create", "bob", "--db", db, "--password", "bob-Pw-1", "--db-url", dsn)
	kc := keyChecker{t: t, db: db, store: func() models.Store {
		s, err := pgstore.New(dsn)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}}
	// GODOO_DB_URL selects the server as --db-url does.
	t.Setenv("GODOO_DB_URL", dsn)
	testAPIKeyCommands(t, kc, "--db", db)
	testAPIKeyLimitCommands(t, kc, "--db", db)
	mustRun(t, "", "db", "drop", db)
}

// testAPIKeyCommands drives create, list and revoke for both kinds on a
// database with the users admin and bob; store gives the flags that name
// the store and the database.
func testAPIKeyCommands(t *testing.T, kc keyChecker, store ...string) {
	args := func(a ...string) []string { return append(append([]string{}, store...), a...) }
	bobUID, ok := kc.login("bob", "bob-Pw-1").(int64)
	if !ok {
		t.Fatal("bob cannot log in")
	}

	// A persistent global key for a user who is no administrator: the
	// command line runs as the superuser.
	persistent := createdKey(t, args("--user", "bob", "--name", "ci deploy")...)
	equal(t, "login with the new key", kc.login("bob", persistent), bobUID)
	equal(t, "execute_kw with the new key", kc.works(bobUID, persistent), true)
	equal(t, "the key for another user", kc.login("admin", persistent), false)

	before := time.Now().UTC()
	scoped := createdKey(t, args("--user", "bob", "--name", "plugin", "--scope", "odoo.plugin.x", "--expires", "30d")...)
	equal(t, "a key of another scope over RPC", kc.works(bobUID, scoped), false)
	expiring := createdKey(t, args("--user", "admin", "--name", "until", "--expires", "2099-12-31")...)
	equal(t, "admin's key with an expiry", kc.works(2, expiring), true)
	header := createdKey(t, args("--user", "bob", "--name", "shop", "--kind", "header")...)
	if uid, ok := kc.headerWorks(header); !ok || uid != bobUID {
		t.Errorf("the header key made by apikey create: uid %d, ok %v", uid, ok)
	}
	equal(t, "a header key in the password slot", kc.works(bobUID, header), false)

	all := byName(listed(t, args()...))
	if len(all) != 4 {
		t.Errorf("apikey list shows %d keys, want 4: %v", len(all), all)
	}
	ci := all["native ci deploy"]
	if ci == nil || ci[3] != "bob" || ci[4] != "-" || ci[5] != "-" || ci[6] != "-" || ci[7] != "active" {
		t.Errorf("list line of the persistent key = %q", ci)
	}
	plugin := all["native plugin"]
	if plugin == nil || plugin[4] != "odoo.plugin.x" || plugin[7] != "active" {
		t.Fatalf("list line of the scoped key = %q", plugin)
	}
	exp, err := time.Parse(models.DatetimeLayout, plugin[5])
	if err != nil || exp.Sub(before.AddDate(0, 0, 30)) < -time.Second || exp.Sub(before.AddDate(0, 0, 30)) > time.Minute {
		t.Errorf("a 30d key expires at %q, want 30 days after %s", plugin[5], before)
	}
	equal(t, "expiry of --expires 2099-12-31", all["native until"][5], "2099-12-31 23:59:59")
	if h := all["header shop"]; h == nil || h[3] != "bob" || h[4] != "-" || h[5] != "-" || h[7] != "active" {
		t.Errorf("list line of the header key = %q", h)
	}
	out := mustRun(t, "", append([]string{"apikey", "list"}, args()...)...).stdout
	for _, key := range []string{persistent, scoped, expiring, header} {
		if strings.Contains(out, key[len(auth.KeyPrefix)+17:]) {
			t.Errorf("apikey list shows a secret:\n%s", out)
		}
	}
	equal(t, "keys listed with --kind header", len(listed(t, args("--kind", "header")...)), 1)
	equal(t, "keys listed with --user admin", len(listed(t, args("--user", "admin")...)), 1)
	equal(t, "keys listed with --name plugin", len(listed(t, args("--name", "plugin")...)), 1)

	// Mistakes.
	for _, bad := range [][]string{
		{"create", "--user", "bob"},
		{"create", "--name", "x"},
		{"create", "--user", "bob", "--name", "x", "--expires", "2001-01-01"},
		{"create", "--user", "bob", "--name", "x", "--expires", "soon"},
		{"create", "--user", "bob", "--name", "x", "--expires", "-3d"},
		{"create", "--user", "bob", "--name", "x", "--kind", "header", "--scope", "rpc"},
		{"create", "--user", "bob", "--name", "x", "--read-only=maybe"},
		{"rotate"},
		{"rotate", "abc"},
		{"rotate", "1", "--overlap", "soon"},
		{"create", "--user", "bob", "--name", "x", "--kind", "bearer"},
		{"create", "extra", "--user", "bob", "--name", "x"},
		{"revoke"},
		{"revoke", "abc"},
		{"list", "--scope", "rpc"},
	} {
		if r := runGodoo(t, "", append(append([]string{"apikey"}, bad...), store...)...); r.code != 2 {
			t.Errorf("godoo apikey %s: %s", strings.Join(bad, " "), r)
		}
	}
	for _, bad := range [][]string{
		{"create", "--user", "nobody", "--name", "x"},
		{"create", "--user", "bob", "--name", "shop", "--kind", "header"}, // name in use
		{"revoke", "999999"},
		{"revoke", "--name", "no such key"},
		{"revoke", all["native until"][0], "--kind", "header"}, // a native id
	} {
		if r := runGodoo(t, "", append(append([]string{"apikey"}, bad...), store...)...); r.code != 1 {
			t.Errorf("godoo apikey %s: %s", strings.Join(bad, " "), r)
		}
	}
	equal(t, "keys after the mistakes", len(listed(t, args()...)), 4)

	// Revocation by id and by name, each kind.
	r := mustRun(t, "", append([]string{"apikey", "revoke", ci[0]}, store...)...)
	if !strings.Contains(r.stdout, "revoked native API key "+ci[0]+` "ci deploy" of bob`) {
		t.Errorf("apikey revoke printed %q", r.stdout)
	}
	equal(t, "a revoked key", kc.works(bobUID, persistent), false)
	equal(t, "login with a revoked key", kc.login("bob", persistent), false)
	equal(t, "another key after a revocation", kc.works(2, expiring), true)
	mustRun(t, "", append([]string{"apikey", "revoke", "--name", "shop", "--kind", "header"}, store...)...)
	if _, ok := kc.headerWorks(header); ok {
		t.Error("a revoked header key still works")
	}
	mustRun(t, "", append([]string{"apikey", "revoke", "--name", "until", "--user", "admin"}, store...)...)
	equal(t, "a key revoked by name", kc.works(2, expiring), false)
	left := listed(t, args()...)
	if len(left) != 1 || left[0][2] != "plugin" {
		t.Errorf("keys left = %q", left)
	}
	id, _ := strconv.ParseInt(left[0][0], 10, 64)
	mustRun(t, "", append([]string{"apikey", "revoke", strconv.FormatInt(id, 10), "--kind", "native"}, store...)...)
	equal(t, "keys left at the end", len(listed(t, args()...)), 0)
}

func TestParseExpiry(t *testing.T) {
	now := time.Date(2026, 3, 4, 10, 20, 30, 0, time.UTC)
	for _, tc := range []struct {
		in, want string // want "" for a persistent key, "error" for an error
	}{
		{"", ""},
		{"never", ""},
		{"30d", "2026-04-03 10:20:30"},
		{"2w", "2026-03-18 10:20:30"},
		{"12h", "2026-03-04 22:20:30"},
		{"90m", "2026-03-04 11:50:30"},
		{"2026-12-31", "2026-12-31 23:59:59"},
		{"2026-12-31 08:00", "2026-12-31 08:00:00"},
		{"2026-12-31T08:00:05", "2026-12-31 08:00:05"},
		{"2026-12-31T08:00:05+02:00", "2026-12-31 06:00:05"},
		{"2026-03-04", "2026-03-04 23:59:59"},
		{"2026-03-03", "error"},
		{"0d", "error"},
		{"-1h", "error"},
		{"tomorrow", "error"},
		{"31/12/2026", "error"},
	} {
		got, err := parseExpiry(tc.in, now)
		switch {
		case tc.want == "error":
			if err == nil {
				t.Errorf("parseExpiry(%q) = %v, want an error", tc.in, got)
			}
		case err != nil:
			t.Errorf("parseExpiry(%q): %v", tc.in, err)
		case tc.want == "":
			if !got.IsZero() {
				t.Errorf("parseExpiry(%q) = %v, want a persistent key", tc.in, got)
			}
		default:
			equal(t, "parseExpiry("+tc.in+")", got.Format(models.DatetimeLayout), tc.want)
		}
	}
}

// testAPIKeyLimitCommands checks the restrictions apikey create sets and
// apikey list shows, apikey rotate with and without an overlap, and header
// keys with an expiry.
func testAPIKeyLimitCommands(t *testing.T, kc keyChecker, store ...string) {
	args := func(extra ...string) []string { return append(extra, store...) }
	limited := createdKey(t, args("--user", "bob", "--name", "limited", "--allow", "res.partner:search_count",
		"--allow", "*:context_get", "--read-only", "--from", "127.0.0.0/8", "--from", "10.0.0.0/8")...)
	bobUID := kc.login("bob", "bob-Pw-1").(int64)
	lines := listed(t, args("--name", "limited")...)
	if len(lines) != 1 || lines[0][8] != "read-only; allow res.partner:search_count *:context_get; from 127.0.0.0/8 10.0.0.0/8" {
		t.Fatalf("list of the restricted key = %q", lines)
	}
	const none = models.Kind(-1)
	for _, c := range []struct {
		ip, model, method string
		args              []any
		want              models.Kind
	}{
		{"127.0.0.1", "res.users", "context_get", nil, none},
		{"10.9.8.7", "res.partner", "search_count", []any{[]any{}}, none},
		{"127.0.0.1", "res.users", "search_count", []any{[]any{}}, models.KindAccess},
		{"127.0.0.1", "res.partner", "create", []any{map[string]any{"name": "x"}}, models.KindAccess},
		{"192.0.2.1", "res.users", "context_get", nil, models.KindAccessDenied},
	} {
		if got := kc.call(bobUID, limited, c.ip, c.model, c.method, c.args...); got != c.want {
			t.Errorf("restricted key from %s, %s.%s: error kind %v, want %v", c.ip, c.model, c.method, got, c.want)
		}
	}

	// The refused calls are in the audit, with their model and method.
	audit := mustRun(t, "", append([]string{"apikey", "audit", "--key", lines[0][0], "--since", "1h"}, store...)...).stdout
	var refused []string
	for _, line := range strings.Split(strings.TrimRight(audit, "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 11 {
			t.Fatalf("apikey audit line %q has %d fields, want 11", line, len(f))
		}
		if f[1] == "refused" {
			refused = append(refused, f[4]+" "+f[8]+"."+f[9])
		}
	}
	equal(t, "refused calls in the audit", strings.Join(refused, ", "), "limited res.users.search_count, limited res.partner.create")
	if strings.Contains(audit, limited[len(limited)-20:]) {
		t.Errorf("apikey audit shows a secret:\n%s", audit)
	}
	if r := runGodoo(t, "", append([]string{"apikey", "audit", "--since", "soon"}, store...)...); r.code != 2 {
		t.Errorf("apikey audit --since soon: %s", r)
	}

	// Rotation keeps the name and restrictions; the old key works during
	// the overlap, and stops at once without one.
	r := mustRun(t, "", append([]string{"apikey", "rotate", lines[0][0], "--overlap", "1h"}, store...)...)
	out := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	next := out[len(out)-1]
	if !cliKeyRE.MatchString(next) || !strings.Contains(r.stdout, "rotated native API key "+lines[0][0]+` "limited" of bob`) {
		t.Fatalf("apikey rotate printed %s", r)
	}
	for _, key := range []string{limited, next} {
		if got := kc.call(bobUID, key, "127.0.0.1", "res.users", "context_get"); got != none {
			t.Errorf("during the overlap a key is refused: %v", got)
		}
	}
	if got := kc.call(bobUID, next, "127.0.0.1", "res.partner", "create", map[string]any{"name": "x"}); got != models.KindAccess {
		t.Errorf("the rotated key lost read-only: %v", got)
	}
	rotated := listed(t, args("--name", "limited")...)
	if len(rotated) != 2 || rotated[0][5] == "-" || rotated[1][5] != "-" || rotated[1][8] != lines[0][8] {
		t.Errorf("keys after rotating with an overlap = %q", rotated)
	}
	mustRun(t, "", append([]string{"apikey", "rotate", rotated[1][0]}, store...)...)
	if got := kc.call(bobUID, next, "127.0.0.1", "res.users", "context_get"); got != models.KindAccessDenied {
		t.Errorf("a key rotated without overlap: %v", got)
	}
	if r := runGodoo(t, "", append([]string{"apikey", "rotate", "999999"}, store...)...); r.code != 1 {
		t.Errorf("rotating an unknown key: %s", r)
	}

	// Header keys may expire, and carry restrictions too.
	header := createdKey(t, args("--user", "bob", "--name", "expiring shop", "--kind", "header", "--expires", "1d", "--read-only")...)
	if uid, ok := kc.headerWorks(header); !ok || uid != bobUID {
		t.Errorf("an expiring header key: uid %d, ok %v", uid, ok)
	}
	if h := byName(listed(t, args("--kind", "header")...))["header expiring shop"]; h == nil || h[5] == "-" || h[8] != "read-only" {
		t.Errorf("list line of the expiring header key = %q", h)
	}
}

// TestAPIKeyHash checks that apikey hash prints the key_hash of the key on
// standard input, and nothing else.
func TestAPIKeyHash(t *testing.T) {
	isolate(t)
	const key = "shop-key-0123456789abcdef"
	for _, stdin := range []string{key, key + "\n", key + "\r\n"} {
		r := mustRun(t, stdin, "apikey", "hash")
		if r.stdout != auth.ConfigKeyHash(key)+"\n" || strings.Contains(r.stdout+r.stderr, key) {
			t.Errorf("apikey hash of %q: %s", stdin, r)
		}
	}
	if r := runGodoo(t, "", "apikey", "hash"); r.code != 2 {
		t.Errorf("apikey hash without a key: %s", r)
	}
}
