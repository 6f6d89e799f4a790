package main

import (
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCommandHelp: each command's --help lists its own flags, each with its
// default, and no other command's.
func TestCommandHelp(t *testing.T) {
	isolate(t)
	cases := []struct {
		path      string
		want, not []string
	}{
		{"serve", []string{"--http-addr HOST:PORT", "--proxy-mode BOOL", "default False", "--max-depth N", "default 64",
			"--log-level LEVEL", "default info", "GODOO_LOG_LEVEL", "-c, --config FILE"}, []string{"--admin-password", "--demo", "--kind"}},
		{"db create", []string{"--admin-password PW", "--demo", "--lang CODE", "default en_US", "--admin-login LOGIN", "default admin",
			"--data-dir DIR", "default ~/.local/share/godoo"}, []string{"--http-addr", "--proxy-mode", "--email"}},
		{"db list", []string{"--data-dir DIR", "--db-url URL"}, []string{"--admin-password", "--demo", "--lang", "--http-addr"}},
		{"db drop", []string{"--data-dir DIR"}, []string{"--admin-password", "--demo"}},
		{"db dump", []string{"--format zip|dump", "default zip", "--data-dir DIR", "--db-url URL"}, []string{"--admin-password", "--copy"}},
		{"db restore", []string{"--copy", "--data-dir DIR", "--db-url URL"}, []string{"--format", "--admin-password"}},
		{"user create", []string{"--email EMAIL", "--admin", "--password PW", "--db NAME"}, []string{"--demo", "--scope"}},
		{"user passwd", []string{"--password PW", "--db NAME"}, []string{"--email", "--admin\n", "--name"}},
		{"apikey create", []string{"--scope SCOPE", "--expires", "--kind native|header", "default native"}, []string{"--http-addr"}},
		{"apikey list", []string{"--kind native|header", "--user LOGIN"}, []string{"--scope", "--expires"}},
		{"apikey revoke", []string{"--name NAME"}, []string{"--scope", "--expires"}},
		{"bench", []string{"--clients N,N,...", "default 1,8,32", "--duration DURATION", "default 3s", "--pairs N", "default 5"},
			[]string{"--master-password", "--config"}},
		{"healthcheck", []string{"--url URL", "--timeout DURATION", "default 5s", "--http-addr HOST:PORT"}, []string{"--data-dir"}},
		{"completion", []string{"bash|zsh|fish"}, []string{"--"}},
		{"config reference", []string{"Markdown"}, []string{"--"}},
		{"version", []string{"Usage: godoo version"}, []string{"--"}},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			r := mustRun(t, "", append(strings.Fields(tc.path), "--help")...)
			if !strings.HasPrefix(r.stdout, "Usage: godoo "+tc.path) {
				t.Errorf("help does not start with the usage line:\n%s", r.stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("help lacks %q:\n%s", w, r.stdout)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(r.stdout, w) {
					t.Errorf("help shows %q, which is not this command's:\n%s", w, r.stdout)
				}
			}
			// Every flag the command parses is listed, and nothing else.
			fs, _ := lookupCommand(tc.path).flags()
			var parsed, listed []string
			for _, d := range flagDocs(fs) {
				parsed = append(parsed, d.name)
			}
			for _, m := range regexp.MustCompile(`(?m)^  (?:-\w, )?--([\w-]+)`).FindAllStringSubmatch(r.stdout, -1) {
				listed = append(listed, m[1])
			}
			if !slices.Equal(parsed, listed) {
				t.Errorf("help lists %v, the command parses %v", listed, parsed)
			}
		})
	}
	// Every command is in the table, its help in godoo --help.
	usage := mustRun(t, "", "--help").stdout
	for _, c := range commands {
		if !strings.Contains(usage, c.usageLine()+"\n") {
			t.Errorf("godoo --help lacks %q", c.usageLine())
		}
	}
}

// TestSynopsisFlags: the flags a usage line names are the command's.
func TestSynopsisFlags(t *testing.T) {
	for _, c := range commands {
		fs, _ := c.flags()
		for _, m := range regexp.MustCompile(`--([\w-]+)`).FindAllStringSubmatch(c.synopsis, -1) {
			if fs.Lookup(m[1]) == nil {
				t.Errorf("the usage of godoo %s names --%s, which it does not take", c.path, m[1])
			}
		}
	}
}

// TestSettingValidation: a value a setting does not allow stops every
// command with a usage error naming the setting, where the value came from
// and the allowed values, whichever source gave it; allowed spellings
// pass.
func TestSettingValidation(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	conf := func(text string) string {
		p := filepath.Join(t.TempDir(), "godoo.conf")
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want []string // in the error; nil when the command must succeed
	}{
		{"log level flag", []string{"serve", "--log-level", "verbose"}, nil,
			[]string{"--log-level", `"verbose"`, "log_level", "debug, debug_rpc", "info, warn, warning, error, critical"}},
		{"proxy mode flag", []string{"serve", "--proxy-mode", "maybe"}, nil, []string{"--proxy-mode", `"maybe"`, "proxy_mode", "True or False"}},
		{"list_db flag", []string{"serve", "--list-db", "sometimes"}, nil, []string{"--list-db", "list_db", "True or False"}},
		{"max depth flag", []string{"serve", "--max-depth", "deep"}, nil, []string{"--max-depth", "max_depth", "an integer from 1"}},
		{"request timeout zero", []string{"serve", "--request-timeout", "0"}, nil, []string{"request_timeout", "from 1 to"}},
		{"body timeout", []string{"serve", "--body-read-timeout", "-1"}, nil, []string{"body_read_timeout", "positive number of seconds"}},
		{"environment", []string{"db", "list"}, map[string]string{"GODOO_PROXY_MODE": "maybe"},
			[]string{"GODOO_PROXY_MODE", "proxy_mode", "True or False"}},
		{"environment port", []string{"db", "list"}, map[string]string{"GODOO_HTTP_PORT": "80000"},
			[]string{"GODOO_HTTP_PORT", "http_port", "from 0 to 65535"}},
		{"config file", []string{"db", "list", "--config", conf("[options]\nlog_level = loud\n")}, nil,
			[]string{"log_level in ", "godoo.conf", `"loud"`, "one of debug"}},
		{"unknown config key", []string{"db", "list", "--config", conf("[options]\naddons_path = /opt/addons\n")}, nil,
			[]string{`unknown key "addons_path"`, "[options]", "admin_passwd", "log_level", "server_version"}},
		{"demo", []string{"db", "create", "x", "--admin-password", "pw", "--demo=maybe"}, nil,
			[]string{"--demo", `"maybe"`, "true and false"}},
		{"key kind", []string{"apikey", "list", "--kind", "both"}, nil, []string{"--kind", `"both"`, "native, header"}},
		{"allowed spellings", []string{"db", "list"}, map[string]string{"GODOO_PROXY_MODE": "yes", "GODOO_LIST_DB": "FALSE",
			"GODOO_LOG_LEVEL": "WARN", "GODOO_BODY_READ_TIMEOUT": "0.5", "GODOO_DB_PORT": "False"}, nil},
		{"odoo.conf unset values", []string{"db", "list", "--config", conf("[options]\ndb_port = False\nhttp_port = None\nproxy_mode = False\ndbfilter =\n")},
			nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			r := runGodoo(t, "", append(tc.args, "--data-dir", dir)...)
			if tc.want == nil {
				if r.code != 0 {
					t.Errorf("refused: %s", r)
				}
				return
			}
			if r.code != 2 {
				t.Errorf("exit %d, want 2 (a usage error): %s", r.code, r)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("the error lacks %q: %s", w, r.stderr)
				}
			}
		})
	}
}

// TestArguments: commands refuse a wrong number of positional arguments
// with their usage line.
func TestArguments(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{{"db", "create"}, {"db", "drop", "a", "b"}, {"serve", "extra"}, {"user", "passwd"},
		{"db", "list", "x"}, {"completion"}, {"completion", "bash", "zsh"}, {"version", "x"}} {
		r := runGodoo(t, "", args...)
		if r.code != 2 || !strings.Contains(r.stderr, "Usage: godoo "+args[0]) {
			t.Errorf("godoo %s: %s", strings.Join(args, " "), r)
		}
	}
	r := runGodoo(t, "", "completion", "tcsh")
	if r.code != 2 || !strings.Contains(r.stderr, "bash, zsh and fish") {
		t.Errorf("completion of an unknown shell: %s", r)
	}
}

// TestStoreWords: a command's errors about the store speak of that store:
// a missing SQLite database is a missing file in the data directory, not
// the PostgreSQL FATAL that Odoo's clients get over RPC, and a PostgreSQL
// server is named by its address, never with its password.
func TestStoreWords(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	commands := [][]string{{"user", "passwd", "bob", "--db", "missing", "--password", "x"}, {"apikey", "list", "--db", "missing"},
		{"db", "drop", "missing"}}
	for _, args := range commands {
		r := runGodoo(t, "", append(args, "--data-dir", dir)...)
		want := `there is no database "missing" in the SQLite data directory ` + dir + " (no file " + filepath.Join(dir, "db", "missing.sqlite") + ")"
		if r.code != 1 || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "FATAL") {
			t.Errorf("godoo %s on SQLite: %s\nwant %q", strings.Join(args, " "), r, want)
		}
	}
	r := runGodoo(t, "", "db", "list", "--db-url", "postgres://godoo:s3cret-pw@127.0.0.1:1/postgres?sslmode=disable")
	if r.code != 1 || !strings.Contains(r.stderr, "the PostgreSQL server at 127.0.0.1:1") || strings.Contains(r.stderr, "s3cret") {
		t.Errorf("db list on a PostgreSQL server that does not answer: %s", r)
	}
	dsn := os.Getenv("GODOO_TEST_DSN")
	if dsn == "" {
		t.Log("GODOO_TEST_DSN is not set: PostgreSQL's words are not tested")
		return
	}
	// The server's address as the message gives it: GODOO_TEST_DSN's
	// (GODOO_TEST_DSN=private gives a port of its own).
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range commands {
		r := runGodoo(t, "", append(args, "--db-url", dsn)...)
		want := `there is no godoo database "missing" on the PostgreSQL server at ` + u.Host
		if dir := u.Query().Get("host"); strings.HasPrefix(dir, "/") {
			want = `there is no godoo database "missing" on the PostgreSQL server at ` + dir
		}
		if r.code != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("godoo %s on PostgreSQL: %s\nwant %q", strings.Join(args, " "), r, want)
		}
	}
}

// TestDBCreateProgress: db create shows its steps on a terminal and writes
// nothing to standard error otherwise.
func TestDBCreateProgress(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	r := mustRun(t, "", "db", "create", "quiet", "--admin-password", "cli-Admin-1", "--data-dir", dir, "--demo")
	if r.stderr != "" {
		t.Errorf("db create wrote to standard error, which is no terminal: %q", r.stderr)
	}
	saved := progressOn
	t.Cleanup(func() { progressOn = saved })
	progressOn = func(io.Writer) bool { return true }
	r = mustRun(t, "", "db", "create", "shown", "--admin-password", "cli-Admin-1", "--data-dir", dir, "--demo")
	for _, want := range []string{"db create shown: creating the database", "db create shown: applying the migrations",
		"db create shown: installing the base and demo data", "db create shown: done in "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the progress lacks %q: %q", want, r.stderr)
		}
	}
	if r.stdout != "created database shown\n" {
		t.Errorf("db create printed %q", r.stdout)
	}
}

// TestPGAddress: messages name a PostgreSQL server by its address, a Unix
// socket's directory included, never by the whole DSN.
func TestPGAddress(t *testing.T) {
	for _, tt := range []struct{ dsn, want string }{
		{"postgres://godoo:pw@db.example:5433/postgres?sslmode=disable", "db.example:5433"},
		{"postgres://postgres@/postgres?host=/tmp/godoo-sharedpg-0/cluster&sslmode=disable", "/tmp/godoo-sharedpg-0/cluster"},
		{"host=/run/postgresql dbname=postgres password=pw", "/run/postgresql:5432"},
		{"dbname=postgres", "localhost:5432"},
	} {
		if got := pgAddress(tt.dsn); got != tt.want {
			t.Errorf("pgAddress(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}
