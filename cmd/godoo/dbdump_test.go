package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/services"
)

// TestDBDumpRestoreCommands: db dump writes a file in either format that
// db restore makes a working database from, with the users that were
// dumped; --copy gives the copy a new database.uuid; an existing name or
// file is refused; progress is drawn on a terminal only. On SQLite, and on
// PostgreSQL with GODOO_TEST_DSN.
func TestDBDumpRestoreCommands(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	t.Run("sqlite", func(t *testing.T) {
		testDBDumpRestore(t, []string{"--data-dir", dir}, func() models.Store {
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
		testDBDumpRestore(t, []string{"--db-url", dsn}, func() models.Store {
			s, err := pgstore.New(dsn)
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
}

func testDBDumpRestore(t *testing.T, where []string, open func() models.Store) {
	run := func(args ...string) result { t.Helper(); return mustRun(t, "", append(args, where...)...) }
	name := unique("clidump_")
	var made []string
	t.Cleanup(func() {
		for _, n := range made {
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

	for _, format := range []string{"zip", "dump"} {
		file := filepath.Join(files, name+"."+format)
		r := run("db", "dump", name, file, "--format", format)
		if r.stdout != "dumped database "+name+" to "+file+"\n" || r.stderr != "" {
			t.Errorf("db dump printed %q and %q (no terminal: nothing on standard error)", r.stdout, r.stderr)
		}
		restored := unique("clirest_")
		made = append(made, restored)
		r = run("db", "restore", restored, file)
		if r.stdout != "restored database "+restored+" from "+file+"\n" || r.stderr != "" {
			t.Errorf("db restore printed %q and %q", r.stdout, r.stderr)
		}
		equal(t, "bob's login in the restored "+format, cliLogin(t, open, restored, "bob", "bob-Pw-1"), bob)
		equal(t, "database.uuid of the restored "+format, cliUUID(t, open, restored), cliUUID(t, open, name))

		copied := unique("clicopy_")
		made = append(made, copied)
		run("db", "restore", copied, file, "--copy")
		if cliUUID(t, open, copied) == cliUUID(t, open, name) {
			t.Errorf("restore --copy of the %s kept the database.uuid", format)
		}

		if r := runGodoo(t, "", append([]string{"db", "restore", name, file}, where...)...); r.code != 1 || !strings.Contains(r.stderr, "Database already exists") {
			t.Errorf("db restore over an existing database: %s", r)
		}
		if r := runGodoo(t, "", append([]string{"db", "dump", name, file}, where...)...); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
			t.Errorf("db dump over an existing file: %s", r)
		}
	}
	if r := runGodoo(t, "", append([]string{"db", "dump", "missing", filepath.Join(files, "missing.zip")}, where...)...); r.code != 1 || !strings.Contains(r.stderr, `"missing"`) {
		t.Errorf("db dump of a missing database: %s", r)
	}
	if _, err := os.Stat(filepath.Join(files, "missing.zip")); err == nil {
		t.Error("db dump of a missing database left a file")
	}

	// On a terminal, both commands show their steps and how long they took.
	saved := progressOn
	t.Cleanup(func() { progressOn = saved })
	progressOn = func(io.Writer) bool { return true }
	file := filepath.Join(files, "shown.zip")
	r := run("db", "dump", name, file)
	for _, want := range []string{"db dump " + name + ": dumping", "db dump " + name + ": done in "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the dump's progress lacks %q: %q", want, r.stderr)
		}
	}
	shown := unique("clishown_")
	made = append(made, shown)
	r = run("db", "restore", shown, file)
	for _, want := range []string{"db restore " + shown + ": reading the dump", "db restore " + shown + ": restoring",
		"db restore " + shown + ": checking and migrating", "db restore " + shown + ": done in "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the restore's progress lacks %q: %q", want, r.stderr)
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
