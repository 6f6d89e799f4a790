package pgstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/storetest"
)

// TestDumpRestore: Dump writes a database with pg_dump in both formats,
// and Restore makes a marked database of each after prepare ran on it; a
// restore that fails, for any reason, leaves no database behind, not even
// the one of a temporary name.
func TestDumpRestore(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := prefix(t)
	pgstore.WithTempNames(t, p)
	mustCreate(t, s, p+"src", 3)
	dir := t.TempDir()
	addRow := func(ctx context.Context, db *bun.DB) error {
		_, err := db.ExecContext(ctx, "INSERT INTO t (n) VALUES (4)")
		return err
	}

	files := map[models.DumpFormat]string{}
	for format, magic := range map[models.DumpFormat]string{models.DumpPlain: "--", models.DumpCustom: "PGDMP"} {
		file := filepath.Join(dir, p+magic)
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		var dumped storetest.Progress
		if err := s.Dump(ctx, p+"src", format, f, &dumped); err != nil {
			t.Fatal(err)
		}
		f.Close()
		b, _ := os.ReadFile(file)
		if !strings.HasPrefix(string(b), magic) || dumped.Done != int64(len(b)) {
			t.Errorf("dump %d starts %.16q, progress counted %d of %d bytes", format, b, dumped.Done, len(b))
		}
		files[format] = file

		name := p + "dst" + map[models.DumpFormat]string{models.DumpPlain: "plain", models.DumpCustom: "custom"}[format]
		if err := s.Restore(ctx, name, format, file, addRow, models.NoProgress{}); err != nil {
			t.Fatal(err)
		}
		db, err := s.Open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if got := count(t, db); got != 4 {
			t.Errorf("restored count = %d, want the 3 dumped rows and prepare's", got)
		}
		if names, _ := s.List(ctx); !strings.Contains(strings.Join(names, ","), name) {
			t.Errorf("the restored database %s is not listed: %v", name, names)
		}
	}

	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, append([]byte("PGDMP"), make([]byte, 100)...), 0o600); err != nil {
		t.Fatal(err)
	}
	badSQL := filepath.Join(dir, "bad.sql")
	if err := os.WriteFile(badSQL, []byte("CREATE TABLE t (n integer);\nINSERT INTO t VALUES (1);\nSELECT no_such_function();\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	failing := func(context.Context, *bun.DB) error { return errors.New("prepare failed") }
	for _, tc := range []struct {
		name    string
		db      string
		format  models.DumpFormat
		file    string
		prepare func(context.Context, *bun.DB) error
		want    string
	}{
		{"name taken", p + "src", models.DumpPlain, files[models.DumpPlain], addRow, "already exists"},
		{"prepare fails", p + "fresh", models.DumpCustom, files[models.DumpCustom], failing, "prepare failed"},
		{"damaged custom dump", p + "fresh", models.DumpCustom, garbage, addRow, "pg_restore"},
		{"SQL that fails half way", p + "fresh", models.DumpPlain, badSQL, addRow, "no_such_function"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Restore(ctx, tc.db, tc.format, tc.file, tc.prepare, models.NoProgress{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
			if pgExists(t, p+"fresh") || pgExists(t, p+"restore_1") {
				t.Error("a failed restore left a database")
			}
		})
	}
	wantNoDatabase(t, s.Dump(ctx, p+"nope", models.DumpPlain, &strings.Builder{}, models.NoProgress{}))
}

// TestFindTool: PostgreSQL's programs are found on PATH or in the
// versioned directories, and a missing one is an error that says how to
// get it.
func TestFindTool(t *testing.T) {
	empty := t.TempDir()
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "pg_dump"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", empty)
	if got, err := pgstore.FindTool("pg_dump", []string{empty, bin}); err != nil || got != filepath.Join(bin, "pg_dump") {
		t.Errorf("FindTool in the versioned directories = %q, %v", got, err)
	}
	_, err := pgstore.FindTool("pg_dump", []string{empty})
	if e := models.AsError(err); e == nil || !strings.HasPrefix(e.Error(), "Command `pg_dump` not found.") || !strings.Contains(e.Error(), "install PostgreSQL's client programs") {
		t.Errorf("FindTool of a missing program: %v", err)
	}
	t.Setenv("PATH", bin)
	if got, err := pgstore.FindTool("pg_dump", nil); err != nil || got != filepath.Join(bin, "pg_dump") {
		t.Errorf("FindTool on PATH = %q, %v", got, err)
	}
}

// TestToolCommand: the client programs get the connection in --dbname,
// without the password, which goes in their environment, and without the
// driver's own parameters, which libpq would refuse.
func TestToolCommand(t *testing.T) {
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "pg_dump"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	const secret = "s3cret-Pw"
	args, env, err := pgstore.ToolCommand("postgres://godoo:"+secret+"@db.example:5433/postgres?sslmode=disable&binary_parameters=yes", "pg_dump", "mydb")
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Join(args, " ")
	if strings.Contains(line, secret) || strings.Contains(line, "binary_parameters") {
		t.Errorf("the command line shows the password or a driver parameter: %s", line)
	}
	for _, want := range []string{"dbname='mydb'", "host='db.example'", "port='5433'", "user='godoo'", "sslmode='disable'"} {
		if !strings.Contains(line, want) {
			t.Errorf("the command line lacks %s: %s", want, line)
		}
	}
	if !slices.Contains(env, "PGPASSWORD="+secret) {
		t.Error("the password is not in the program's environment")
	}
}
