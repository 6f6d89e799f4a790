package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kolo/xmlrpc"
	"github.com/lib/pq"

	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/services"
)

// The command line is driven through run, as main calls it, with the
// environment isolated: every GODOO_* variable is unset and HOME points to a
// temporary directory, so no test reads or writes the real configuration.

func isolate(t testing.TB) {
	t.Helper()
	vars := []string{"GODOO_CONFIG", "GODOO_PASSWORD", "GODOO_ADMIN_PASSWORD", "XDG_DATA_HOME"}
	for _, s := range settings {
		vars = append(vars, s.env)
	}
	for _, v := range vars {
		t.Setenv(v, "") // restores the original value when the test ends
		os.Unsetenv(v)
	}
	t.Setenv("HOME", t.TempDir())
}

type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\nstdout:\n" + r.stdout + "\nstderr:\n" + r.stderr
}

func runGodoo(t testing.TB, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// mustRun runs a command that must succeed.
func mustRun(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	r := runGodoo(t, stdin, args...)
	if r.code != 0 {
		t.Fatalf("godoo %s: %s", strings.Join(args, " "), r)
	}
	return r
}

func lines(s string) []string {
	return strings.Fields(s)
}

func unique(prefix string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

func TestVersion(t *testing.T) {
	isolate(t)
	r := mustRun(t, "", "version")
	if !strings.Contains(r.stdout, "godoo "+Version) || !strings.Contains(r.stdout, "18.0") {
		t.Errorf("version printed %q", r.stdout)
	}
}

var synopses = map[string][]string{
	"serve":       {"serve"},
	"db create":   {"db", "create"},
	"db list":     {"db", "list"},
	"db drop":     {"db", "drop"},
	"db dump":     {"db", "dump"},
	"db restore":  {"db", "restore"},
	"user create": {"user", "create"},
	"user passwd": {"user", "passwd"},
	"version":     {"version"},
	"bench":       {"bench"},
}

func TestHelp(t *testing.T) {
	isolate(t)
	for _, flag := range []string{"--help", "-h", "help"} {
		r := mustRun(t, "", flag)
		for name := range synopses {
			if !strings.Contains(r.stdout, "godoo "+name) {
				t.Errorf("godoo %s does not show the synopsis of %s:\n%s", flag, name, r.stdout)
			}
		}
	}
	for name, args := range synopses {
		for _, flag := range []string{"--help", "-h"} {
			r := runGodoo(t, "", append(slices.Clone(args), flag)...)
			if r.code != 0 {
				t.Errorf("godoo %s %s: %s", name, flag, r)
			}
			if !strings.Contains(r.stdout+r.stderr, "Usage: godoo "+name) {
				t.Errorf("godoo %s %s does not print its synopsis: %s", name, flag, r)
			}
		}
	}
	// The groups of subcommands take --help too.
	for _, group := range []string{"db", "user"} {
		r := runGodoo(t, "", group, "--help")
		if r.code != 0 || !strings.Contains(r.stdout+r.stderr, "godoo "+group+" ") {
			t.Errorf("godoo %s --help: %s", group, r)
		}
	}

	r := runGodoo(t, "")
	if r.code != 2 || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("godoo without a command: %s", r)
	}
	r = runGodoo(t, "", "frobnicate")
	if r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %s", r)
	}
	r = runGodoo(t, "", "db", "frobnicate")
	if r.code != 2 || !strings.Contains(r.stderr, "frobnicate") {
		t.Errorf("unknown db subcommand: %s", r)
	}
	r = runGodoo(t, "", "db", "list", "--no-such-flag")
	if r.code != 2 {
		t.Errorf("unknown flag: %s", r)
	}
}

// login checks a password the way a client would, through the services.
func login(t *testing.T, dir, db, user, password string) any {
	t.Helper()
	store, err := sqlitestore.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	uid, err := newServices(store, services.Config{}).Common.Login(context.Background(), db, user, password)
	if err != nil {
		t.Fatalf("login %s on %s: %v", user, db, err)
	}
	return uid
}

func TestDBAndUserCommands(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	const name, other = "clidb", "clidb2"

	r := mustRun(t, "", "db", "create", name, "--admin-password", "cli-Admin-1", "--data-dir", dir, "--demo")
	if !strings.Contains(r.stdout, "created database "+name) {
		t.Errorf("db create printed %q", r.stdout)
	}
	equalLines(t, "db list", mustRun(t, "", "db", "list", "--data-dir", dir).stdout, name)
	// The commands hash with the test rounds of TestMain.
	file, err := sql.Open("sqlite", filepath.Join(dir, "db", name+".sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	var hash string
	err = file.QueryRow("SELECT password FROM res_users WHERE login = 'admin'").Scan(&hash)
	file.Close()
	if err != nil || !strings.HasPrefix(hash, "$pbkdf2-sha512$1000$") {
		t.Errorf("the admin's hash starts %.24s (%v), want 1000 rounds", hash, err)
	}
	if uid := login(t, dir, name, "admin", "cli-Admin-1"); uid != int64(2) {
		t.Errorf("admin login = %#v", uid)
	}
	if uid, ok := login(t, dir, name, "demo", "demo").(int64); !ok || uid <= 2 {
		t.Errorf("--demo: demo login = %#v", uid)
	}

	// Flags before the positional argument; no --demo.
	mustRun(t, "", "db", "create", "--data-dir", dir, "--admin-password", "cli-Admin-2", other)
	equalLines(t, "db list", mustRun(t, "", "db", "list", "--data-dir", dir).stdout, name, other)
	equal(t, "admin login in the second database", login(t, dir, other, "admin", "cli-Admin-2"), int64(2))
	equal(t, "demo login without --demo", login(t, dir, other, "demo", "demo"), false)

	r = runGodoo(t, "", "db", "create", "clidb3", "--data-dir", dir)
	if r.code != 2 || !strings.Contains(r.stderr, "--admin-password") {
		t.Errorf("db create without --admin-password: %s", r)
	}
	r = runGodoo(t, "", "db", "create", name, "--admin-password", "x", "--data-dir", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("db create of an existing database: %s", r)
	}
	r = runGodoo(t, "", "db", "create", "--admin-password", "x", "--data-dir", dir)
	if r.code != 2 {
		t.Errorf("db create without a name: %s", r)
	}
	equalLines(t, "db list", mustRun(t, "", "db", "list", "--data-dir", dir).stdout, name, other)

	// Users.
	r = mustRun(t, "", "user", "create", "bob", "--db", name, "--password", "bob-Pw-1", "--data-dir", dir)
	if !strings.Contains(r.stdout, "created user bob") {
		t.Errorf("user create printed %q", r.stdout)
	}
	uid, ok := login(t, dir, name, "bob", "bob-Pw-1").(int64)
	if !ok {
		t.Fatal("bob cannot log in with the password given to user create")
	}
	mustRun(t, "bob-Pw-2\n", "user", "passwd", "bob", "--db", name, "--data-dir", dir)
	equal(t, "login with the password read from stdin", login(t, dir, name, "bob", "bob-Pw-2"), uid)
	equal(t, "login with the old password", login(t, dir, name, "bob", "bob-Pw-1"), false)
	// Flags first, password on stdin without a final newline.
	mustRun(t, "bob-Pw-3", "user", "passwd", "--data-dir", dir, "--db", name, "bob")
	equal(t, "login after the second passwd", login(t, dir, name, "bob", "bob-Pw-3"), uid)
	r = runGodoo(t, "", "user", "passwd", "bob", "--db", name, "--data-dir", dir)
	if r.code != 2 {
		t.Errorf("user passwd without any password: %s", r)
	}
	r = runGodoo(t, "x\n", "user", "passwd", "nobody", "--db", name, "--data-dir", dir)
	if r.code != 1 {
		t.Errorf("user passwd of an unknown login: %s", r)
	}

	r = mustRun(t, "", "db", "drop", other, "--data-dir", dir)
	if !strings.Contains(r.stdout, "dropped database "+other) {
		t.Errorf("db drop printed %q", r.stdout)
	}
	equalLines(t, "db list after drop", mustRun(t, "", "db", "list", "--data-dir", dir).stdout, name)
	r = runGodoo(t, "", "db", "drop", other, "--data-dir", dir)
	if r.code != 1 || !strings.Contains(r.stderr, `there is no database "`+other+`"`) {
		t.Errorf("db drop of a missing database: %s", r)
	}
	mustRun(t, "", "db", "drop", "--data-dir", dir, name)
	equalLines(t, "db list after the last drop", mustRun(t, "", "db", "list", "--data-dir", dir).stdout)
}

func TestDBCommandsPostgres(t *testing.T) {
	dsn := os.Getenv("GODOO_TEST_DSN")
	if dsn == "" {
		t.Skip("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
	}
	isolate(t)
	maint, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { maint.Close() })
	pgExists := func(name string) bool {
		t.Helper()
		var ok bool
		if err := maint.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	name, foreign := unique("clipg_"), unique("cliforeign_")
	t.Cleanup(func() {
		for _, n := range []string{name, foreign} {
			if _, err := maint.Exec("DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(n)); err != nil {
				t.Errorf("cleanup %s: %v", n, err)
			}
		}
	})
	// A database of another application on the same server.
	if _, err := maint.Exec("CREATE DATABASE " + pq.QuoteIdentifier(foreign)); err != nil {
		t.Fatal(err)
	}

	mustRun(t, "", "db", "create", name, "--admin-password", "cli-Admin-1", "--db-url", dsn)
	listed := lines(mustRun(t, "", "db", "list", "--db-url", dsn).stdout)
	if !slices.Contains(listed, name) {
		t.Errorf("db list %v lacks %s", listed, name)
	}
	for _, n := range []string{foreign, "postgres", "template0", "template1"} {
		if slices.Contains(listed, n) {
			t.Errorf("db list shows the foreign database %s: %v", n, listed)
		}
	}
	// GODOO_DB_URL selects PostgreSQL too.
	t.Setenv("GODOO_DB_URL", dsn)
	if !slices.Contains(lines(mustRun(t, "", "db", "list").stdout), name) {
		t.Error("db list with GODOO_DB_URL does not show the database")
	}
	os.Unsetenv("GODOO_DB_URL")

	// godoo never drops a database it did not create.
	r := runGodoo(t, "", "db", "drop", foreign, "--db-url", dsn)
	if r.code != 1 || !pgExists(foreign) {
		t.Errorf("db drop of a foreign database: %s (still there: %v)", r, pgExists(foreign))
	}
	mustRun(t, "", "db", "drop", name, "--db-url", dsn)
	if pgExists(name) || slices.Contains(lines(mustRun(t, "", "db", "list", "--db-url", dsn).stdout), name) {
		t.Errorf("%s still exists after db drop", name)
	}
}

// fakeDB makes an empty database file named name in dir's store, cheap
// enough to tell data directories apart by what db list prints.
func fakeDB(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "db", name+".sqlite"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestConfigPrecedence(t *testing.T) {
	isolate(t)
	tmp := t.TempDir()
	fileDir, envDir, flagDir := filepath.Join(tmp, "file"), filepath.Join(tmp, "env"), filepath.Join(tmp, "flag")
	fakeDB(t, fileDir, "fromfile")
	fakeDB(t, envDir, "fromenv")
	fakeDB(t, flagDir, "fromflag")
	fakeDB(t, filepath.Join(os.Getenv("HOME"), ".local", "share", "godoo"), "fromdefault")
	conf := filepath.Join(tmp, "odoo.conf")
	text := "; an odoo.conf\n[options]\n# comment\ndata_dir = " + fileDir + "\nlog_level = warn\n\n[other]\ndata_dir = " + envDir + "\n"
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}

	list := func(args ...string) string {
		t.Helper()
		return strings.TrimSpace(mustRun(t, "", append([]string{"db", "list"}, args...)...).stdout)
	}
	equal(t, "default", list(), "fromdefault")
	equal(t, "--config", list("--config", conf), "fromfile")
	equal(t, "-c", list("-c", conf), "fromfile")
	t.Setenv("GODOO_CONFIG", conf)
	equal(t, "GODOO_CONFIG", list(), "fromfile")
	t.Setenv("GODOO_DATA_DIR", envDir)
	equal(t, "GODOO_DATA_DIR over the file", list("--config", conf), "fromenv")
	equal(t, "--data-dir over GODOO_DATA_DIR", list("--config", conf, "--data-dir", flagDir), "fromflag")
	equal(t, "--data-dir before --config", list("--data-dir", flagDir, "-c", conf), "fromflag")

	r := runGodoo(t, "", "db", "list", "--config", filepath.Join(tmp, "missing.conf"))
	if r.code == 0 {
		t.Errorf("a missing config file is not an error: %s", r)
	}
}

// syncBuffer collects a server's output while the test reads it.
type syncBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan struct{} // made by written, closed by the next write
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.wrote != nil {
		close(b.wrote)
		b.wrote = nil
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// written returns a channel closed at the next write.
func (b *syncBuffer) written() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.wrote == nil {
		b.wrote = make(chan struct{})
	}
	return b.wrote
}

// server is one running "godoo serve".
type server struct {
	addr        string
	out, errOut *syncBuffer
	stop        context.CancelFunc
	done        chan int
}

// readyRE is the line serve prints once it answers calls, with the address
// it listens on.
var readyRE = regexp.MustCompile(`godoo is ready on http://(\S+)\n`)

// serveGuard bounds the start of serve: a failure guard far beyond the
// seconds a start takes on a loaded machine.
const serveGuard = 2 * time.Minute

// startServe runs serve in a goroutine, on a port the system picks, with
// serveContext replaced by one the test cancels, and returns once serve
// printed that it is ready (and where).
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	return startServeOn(t, &server{out: &syncBuffer{}, errOut: &syncBuffer{}}, args...)
}

// startServeOn is startServe with the output buffers of s.
func startServeOn(t *testing.T, s *server, args ...string) *server {
	t.Helper()
	s.done = make(chan int, 1)
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	saved := serveContext
	serveContext = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	t.Cleanup(func() { serveContext = saved })
	args = append([]string{"serve", "--http-addr", "127.0.0.1:0"}, args...)
	go func() { s.done <- run(args, strings.NewReader(""), s.out, s.errOut) }()
	t.Cleanup(func() { s.shutdown(t) })

	guard := time.NewTimer(serveGuard)
	defer guard.Stop()
	for {
		wrote := s.out.written()
		if m := readyRE.FindStringSubmatch(s.out.String()); m != nil {
			s.addr = m[1]
			break
		}
		select {
		case <-wrote:
		case code := <-s.done:
			s.done <- code
			t.Fatalf("serve exited with %d before it was ready:\n%s\n%s", code, s.out, s.errOut)
		case <-guard.C:
			t.Fatalf("serve is not ready after %v:\n%s\n%s", serveGuard, s.out, s.errOut)
		}
	}
	resp, err := http.Get("http://" + s.addr + "/web/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != `{"status": "pass"}` {
		t.Errorf("/web/health once ready = %d %q", resp.StatusCode, body)
	}
	return s
}

// shutdown stops the server (once) and checks that it exits cleanly.
func (s *server) shutdown(t *testing.T) {
	t.Helper()
	if s.stop == nil {
		return
	}
	s.stop()
	s.stop = nil
	select {
	case code := <-s.done:
		if code != 0 {
			t.Errorf("serve exited with %d:\n%s", code, s.errOut)
		}
	case <-time.After(30 * time.Second):
		t.Error("serve did not stop")
	}
}

func (s *server) login(t *testing.T, db, user, password string) any {
	t.Helper()
	client, err := xmlrpc.NewClient("http://"+s.addr+"/xmlrpc/2/common", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	var uid any
	if err := client.Call("login", []any{db, user, password}, &uid); err != nil {
		t.Fatalf("login: %v", err)
	}
	if n, ok := uid.(int64); ok {
		return n
	}
	return uid
}

var generatedRE = regexp.MustCompile(`Created database "odoo"\. Log in as admin with the password (\S+)`)

func TestServe(t *testing.T) {
	isolate(t)
	dir := t.TempDir()

	first := startServe(t, "--data-dir", dir)
	m := generatedRE.FindStringSubmatch(first.out.String())
	if m == nil {
		t.Fatalf("the first start did not print the generated password:\n%s", first.out)
	}
	password := m[1]
	if len(password) < 20 {
		t.Errorf("generated password %q is short", password)
	}
	equal(t, "login with the generated password", first.login(t, "odoo", "admin", password), int64(2))
	equal(t, "login with another password", first.login(t, "odoo", "admin", "admin"), false)
	first.shutdown(t)
	if strings.Contains(first.errOut.String(), password) {
		t.Errorf("the generated password is in the log:\n%s", first.errOut)
	}

	second := startServe(t, "--data-dir", dir)
	if out := second.out.String(); strings.Contains(out, "Created database") || strings.Contains(out, password) {
		t.Errorf("the second start printed a password:\n%s", out)
	}
	equal(t, "login after a restart", second.login(t, "odoo", "admin", password), int64(2))
	second.shutdown(t)
	equalLines(t, "databases", mustRun(t, "", "db", "list", "--data-dir", dir).stdout, "odoo")

	// A database written by a newer godoo is reported and left aside; the
	// others are served.
	mustRun(t, "", "db", "create", "future", "--data-dir", dir, "--admin-password", "future-Admin-1")
	futureDB, err := sql.Open("sqlite", filepath.Join(dir, "db", "future.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := futureDB.Exec("INSERT INTO godoo_migrations (name, applied_at) VALUES ('9999_future.sql', '2030-01-01 00:00:00')"); err != nil {
		t.Fatal(err)
	}
	futureDB.Close()
	third := startServe(t, "--data-dir", dir)
	if out := third.out.String(); !strings.Contains(out, `Database "future" is not served`) {
		t.Errorf("serve did not report the newer database:\n%s", out)
	}
	equal(t, "login next to a newer database", third.login(t, "odoo", "admin", password), int64(2))
	third.shutdown(t)

	r := runGodoo(t, "", "serve", "extra", "--data-dir", dir)
	if r.code != 2 {
		t.Errorf("serve with an argument: %s", r)
	}
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func equalLines(t *testing.T, what, out string, want ...string) {
	t.Helper()
	got := lines(out)
	if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s printed %q, want %q", what, got, want)
	}
}
