package sqlitestore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestDumpRestore: Dump writes a consistent copy of a database in use, and
// Restore makes a database of it after prepare has run on it; a restore
// that fails, for any reason, leaves neither a database nor a temporary
// file behind.
func TestDumpRestore(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	src := mustCreate(t, s, "src", 3)

	// A transaction in progress on src is not part of the dump.
	tx, err := src.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO t (n) VALUES (99)"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "src.dump")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	var dumped storetest.Progress
	if err := s.Dump(ctx, "src", models.DumpPlain, f, &dumped); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if dumped.Units == 0 || dumped.Done != dumped.Units {
		t.Errorf("dump progress: %d of %d pages", dumped.Done, dumped.Units)
	}

	addRow := func(ctx context.Context, db *bun.DB) error {
		_, err := db.ExecContext(ctx, "INSERT INTO t (n) VALUES (4)")
		return err
	}
	if err := s.Restore(ctx, "dst", models.DumpPlain, file, addRow, models.NoProgress{}); err != nil {
		t.Fatal(err)
	}
	dst, err := s.Open(ctx, "dst")
	if err != nil {
		t.Fatal(err)
	}
	if got := count(t, dst); got != 4 {
		t.Errorf("restored count = %d, want the 3 dumped rows and prepare's", got)
	}
	if got := count(t, src); got != 3 {
		t.Errorf("src count = %d, want 3", got)
	}
	var mode string
	if err := dst.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
	if fi, err := os.Stat(s.Path("dst")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("restored file: %v, %v", fi, err)
	}

	garbage := filepath.Join(t.TempDir(), "garbage")
	if err := os.WriteFile(garbage, append([]byte("SQLite format 3\x00"), make([]byte, 200)...), 0o600); err != nil {
		t.Fatal(err)
	}
	failing := func(context.Context, *bun.DB) error { return errors.New("prepare failed") }
	for _, tc := range []struct {
		name, db, file string
		prepare        func(context.Context, *bun.DB) error
		check          func(testing.TB, error)
	}{
		{"name taken", "src", file, addRow, func(tb testing.TB, err error) { wantKind(tb, err, models.KindUser) }},
		{"prepare fails", "fresh", file, failing, wantError("prepare failed")},
		{"not a database", "fresh", garbage, addRow, wantError("not a database")},
		{"missing file", "fresh", filepath.Join(t.TempDir(), "none"), addRow, wantError("no such file")},
		{"invalid name", "../x", file, addRow, func(tb testing.TB, err error) { wantKind(tb, err, models.KindUser) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, s.Restore(ctx, tc.db, models.DumpPlain, tc.file, tc.prepare, models.NoProgress{}))
			if ok, _ := s.Exists(ctx, "fresh"); ok {
				t.Error("a failed restore left the database")
			}
			entries, _ := os.ReadDir(filepath.Dir(s.Path("src")))
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".tmp") || strings.Contains(e.Name(), ".tmp-") {
					t.Errorf("a failed restore left %s", e.Name())
				}
			}
		})
	}
	if got := count(t, src); got != 3 {
		t.Errorf("src changed by a refused restore: count = %d", got)
	}
	wantNoDatabase(t, s.Dump(ctx, "nope", models.DumpPlain, &strings.Builder{}, models.NoProgress{}))
}

// wantError fails unless err says what.
func wantError(what string) func(testing.TB, error) {
	return func(tb testing.TB, err error) {
		tb.Helper()
		if err == nil || !strings.Contains(err.Error(), what) {
			tb.Fatalf("got %v, want an error saying %q", err, what)
		}
	}
}

// writingProgress commits a row to t through another connection each time
// the dump reports progress, that is between two steps of the copy.
type writingProgress struct {
	t      *testing.T
	db     *bun.DB
	writes int
}

func (w *writingProgress) Total(int64) {}

func (w *writingProgress) Add(int64) {
	if _, err := w.db.ExecContext(context.Background(), "INSERT INTO t (n) VALUES (0)"); err != nil {
		w.t.Error(err)
	}
	w.writes++
}

// TestDumpWhileWriting: a dump is the database as it was when the dump
// began, even when other connections commit between its steps (which,
// without one snapshot for the whole copy, would make SQLite start the
// copy again and take in later rows, or never end on a busy database).
func TestDumpWhileWriting(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	db := mustCreate(t, s, "busy", 0)
	for _, q := range []string{
		"WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 1000) INSERT INTO t (n) SELECT i FROM r",
		"CREATE TABLE pad (b BLOB)",
		// Some 2 000 pages, several steps of the copy.
		"WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 2000) INSERT INTO pad SELECT randomblob(4000) FROM r",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "busy.dump")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	w := &writingProgress{t: t, db: db}
	err = s.Dump(ctx, "busy", models.DumpPlain, f, w)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if w.writes < 2 {
		t.Fatalf("only %d commits during the dump: the test needs several steps", w.writes)
	}
	if err := s.Restore(ctx, "copy", models.DumpPlain, file, func(context.Context, *bun.DB) error { return nil }, models.NoProgress{}); err != nil {
		t.Fatal(err)
	}
	dumped, err := s.Open(ctx, "copy")
	if err != nil {
		t.Fatal(err)
	}
	if got := count(t, dumped); got != 1000 {
		t.Errorf("the dump holds %d rows of t, want the 1000 there were when it began (%d were committed during it)", got, w.writes)
	}
	if got := count(t, db); got != 1000+w.writes {
		t.Errorf("the database holds %d rows, want %d", got, 1000+w.writes)
	}
}
