package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/services"
)

// TestDBDumpRestoreCommands: db dump writes a file in either format that
// db restore makes a working database from, with the users that were
// dumped; --copy gives the copy a new database.uuid, a restore without it
// keeps the original's; an existing name or file is refused; progress is
// drawn on a terminal only. On SQLite, and on
// PostgreSQL with GODOO_TEST_DSN, each format restored once per store and
// --copy given to the other format on each, so that both stores together
// restore each format with and without it.
func TestDBDumpRestoreCommands(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	t.Run("sqlite", func(t *testing.T) {
		testDBDumpRestore(t, []string{"--data-dir", dir}, "dump", func() models.Store {
			s, err := sqlitestore.New(dir)
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
	t.Run("pg", func(t *testing.T) {
		dsn := os.Getenv("GODOO_TEST_DSN")
		if dsn == "" {
			t.Skip("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
		}
		testDBDumpRestore(t, []string{"--db-url", dsn}, "zip", func() models.Store {
			s, err := pgstore.New(dsn)
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
}

// testDBDumpRestore dumps a database in each format and restores each
// file once, with --copy for the format copied and without it for the
// other.
func testDBDumpRestore(t *testing.T, where []string, copied string, open func() models.Store) {
	run := func(args ...string) result { t.Helper(); return mustRun(t, "", append(args, where...)...) }
	name := unique("clidump_")
	var made []string
	t.Cleanup(func() {
		for _, n := range made {
			if i := slices.Index(where, "--db-url"); i >= 0 {
				dropPG(t, where[i+1], n)
				continue
			}
			runGodoo(t, "", append([]string{"db", "drop", n}, where...)...)
		}
	})
	made = append(made, name)
	run("db", "create", name, "--admin-password", "cli-Admin-1")
	run("user", "create", "bob", "--db", name, "--password", "bob-Pw-1")
	files := t.TempDir()
	bob := cliLogin(t, open, name, "bob", "bob-Pw-1")
	if _, ok := bob.(int64); !ok {
		t.Fatalf("bob cannot log in: %#v", bob)
	}

	// A restore makes a whole database, the dearest step here, so each
	// format is restored once: the zip without a terminal, the dump on a
	// terminal, where both commands show their steps and how long they
	// took, and the copied format with --copy.
	saved := progressOn
	t.Cleanup(func() { progressOn = saved })
	for _, tc := range []struct {
		format         string
		copy, terminal bool
	}{{"zip", copied == "zip", false}, {"dump", copied == "dump", true}} {
		progressOn = func(io.Writer) bool { return tc.terminal }
		file := filepath.Join(files, name+"."+tc.format)
		r := run("db", "dump", name, file, "--format", tc.format)
		if r.stdout != "dumped database "+name+" to "+file+"\n" {
			t.Errorf("db dump printed %q", r.stdout)
		}
		wantSteps(t, tc.terminal, r.stderr, "db dump "+name+": dumping", "db dump "+name+": done in ")
		restored := unique("clirest_")
		made = append(made, restored)
		args := []string{"db", "restore", restored, file}
		if tc.copy {
			args = append(args, "--copy")
		}
		r = run(args...)
		if r.stdout != "restored database "+restored+" from "+file+"\n" {
			t.Errorf("db restore printed %q", r.stdout)
		}
		wantSteps(t, tc.terminal, r.stderr, "db restore "+restored+": reading the dump", "db restore "+restored+": restoring",
			"db restore "+restored+": checking and migrating", "db restore "+restored+": done in ")
		equal(t, "bob's login in the restored "+tc.format, cliLogin(t, open, restored, "bob", "bob-Pw-1"), bob)
		if u := cliUUID(t, open, restored); tc.copy && u == cliUUID(t, open, name) {
			t.Errorf("restore --copy of the %s kept the database.uuid", tc.format)
		} else if !tc.copy {
			equal(t, "database.uuid of the restored "+tc.format, u, cliUUID(t, open, name))
		}

		if r := runGodoo(t, "", append([]string{"db", "restore", name, file}, where...)...); r.code != 1 || !strings.Contains(r.stderr, "Database already exists") {
			t.Errorf("db restore over an existing database: %s", r)
		}
		if r := runGodoo(t, "", append([]string{"db", "dump", name, file}, where...)...); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
			t.Errorf("db dump over an existing file: %s", r)
		}
	}
	progressOn = saved
	if r := runGodoo(t, "", append([]string{"db", "dump", "missing", filepath.Join(files, "missing.zip")}, where...)...); r.code != 1 || !strings.Contains(r.stderr, `"missing"`) {
		t.Errorf("db dump of a missing database: %s", r)
	}
	if _, err := os.Stat(filepath.Join(files, "missing.zip")); err == nil {
		t.Error("db dump of a missing database left a file")
	}
}

// wantSteps checks a command's standard error: on a terminal it holds
// every step, elsewhere nothing.
func wantSteps(t *testing.T, terminal bool, stderr string, steps ...string) {
	t.Helper()
	if !terminal {
		if stderr != "" {
			t.Errorf("standard error without a terminal: %q, want nothing", stderr)
		}
		return
	}
	for _, want := range steps {
		if !strings.Contains(stderr, want) {
			t.Errorf("the progress lacks %q: %q", want, stderr)
		}
	}
}

// cliLogin checks a password through the services on the store open makes.
func cliLogin(t *testing.T, open func() models.Store, db, login, password string) any {
	t.Helper()
	store := open()
	defer store.Close()
	uid, err := newServices(store, services.Config{}).Common.Login(context.Background(), db, login, password)
	if err != nil {
		t.Fatalf("login %s on %s: %v", login, db, err)
	}
	return uid
}

// cliUUID reads database.uuid of db.
func cliUUID(t *testing.T, open func() models.Store, db string) string {
	t.Helper()
	store := open()
	defer store.Close()
	pool, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	var uuid string
	if err := pool.QueryRow("SELECT value FROM ir_config_parameter WHERE key = 'database.uuid'").Scan(&uuid); err != nil {
		t.Fatalf("database.uuid of %s: %v", db, err)
	}
	return uuid
}
