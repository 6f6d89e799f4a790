package sqlitestore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/sqlitestore"
)

// newStore returns a store in a fresh data directory, closed at the end of
// the test.
func newStore(tb testing.TB, opts ...sqlitestore.Option) *sqlitestore.Store {
	tb.Helper()
	return newStoreIn(tb, tb.TempDir(), opts...)
}

func newStoreIn(tb testing.TB, dataDir string, opts ...sqlitestore.Option) *sqlitestore.Store {
	tb.Helper()
	s, err := sqlitestore.New(dataDir, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
	})
	return s
}

// mustCreate creates a database with a table t(n) holding rows 1..rows.
func mustCreate(tb testing.TB, s models.Store, name string, rows int) *bun.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := s.Create(ctx, name)
	if err != nil {
		tb.Fatalf("Create(%q): %v", name, err)
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (n INTEGER NOT NULL)"); err != nil {
		tb.Fatal(err)
	}
	for i := 1; i <= rows; i++ {
		if _, err := db.ExecContext(ctx, "INSERT INTO t (n) VALUES (?)", i); err != nil {
			tb.Fatal(err)
		}
	}
	return db
}

// count returns the number of rows of t.
func count(tb testing.TB, db bun.IDB) int {
	tb.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT count(*) FROM t").Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// wantKind fails unless err is a *models.Error of kind k.
func wantKind(tb testing.TB, err error, k models.Kind) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want %v", k)
	}
	if got := models.KindOf(err); got != k || models.AsError(err) == nil {
		tb.Fatalf("got %v (%v), want kind %v", err, got, k)
	}
}

// wantNoDatabase fails unless err is models.ErrNoDatabase.
func wantNoDatabase(tb testing.TB, err error) {
	tb.Helper()
	wantKind(tb, err, models.KindServer)
	if got := models.AsError(err).ExceptionName(); got != "psycopg2.OperationalError" {
		tb.Fatalf("exception %q, want psycopg2.OperationalError", got)
	}
}

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		name string
		dir  string
	}{
		{"OK", "data"},
		{"Nested", filepath.Join("a", "b", "c")},
		{"SpecialCharacters", "data dir #1 %20 ?x=y"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dataDir := filepath.Join(t.TempDir(), tc.dir)
			s := newStoreIn(t, dataDir)
			fi, err := os.Stat(filepath.Join(dataDir, "db"))
			if err != nil {
				t.Fatal(err)
			}
			if perm := fi.Mode().Perm(); perm != 0o700 {
				t.Errorf("db directory mode %v, want 0700", perm)
			}
			if s.Dialect() != "sqlite" {
				t.Errorf("Dialect() = %q", s.Dialect())
			}
			// The DSN must survive the characters of the path.
			db := mustCreate(t, s, "x1", 2)
			if got := count(t, db); got != 2 {
				t.Errorf("count = %d", got)
			}
			if want := filepath.Join(dataDir, "db", "x1.sqlite"); s.Path("x1") != want {
				t.Errorf("Path = %q, want %q", s.Path("x1"), want)
			}
			if _, err := os.Stat(s.Path("x1")); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestCreateOpenExistsList(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	dbDir := filepath.Dir(s.Path("x"))

	if names, err := s.List(ctx); err != nil || names == nil || len(names) != 0 {
		t.Fatalf("List on empty store = %#v, %v; want empty non-nil", names, err)
	}
	created := map[string]*bun.DB{}
	for _, name := range []string{"beta", "alpha", "a.b", "a-b", "a_b", "Z9"} {
		created[name] = mustCreate(t, s, name, 1)
	}
	// Files that are not databases, or not valid names, are not listed.
	for _, f := range []string{"notes.txt", "bad name.sqlite", "-x.sqlite", "alpha.sqlite-wal.sqlite.bak"} {
		if err := os.WriteFile(filepath.Join(dbDir, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dbDir, "dir.sqlite"), 0o700); err != nil {
		t.Fatal(err)
	}

	names, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Z9", "a-b", "a.b", "a_b", "alpha", "beta"}; !slices.Equal(names, want) {
		t.Errorf("List = %q, want %q", names, want)
	}

	for _, tc := range []struct {
		name string
		want bool
	}{
		{"alpha", true},
		{"a.b", true},
		{"gamma", false},
		{"dir", false},
		{"../db/alpha", false},
		{"", false},
	} {
		t.Run("Exists/"+tc.name, func(t *testing.T) {
			got, err := s.Exists(ctx, tc.name)
			if err != nil || got != tc.want {
				t.Errorf("Exists(%q) = %v, %v; want %v", tc.name, got, err, tc.want)
			}
		})
	}

	t.Run("OpenReturnsCreatedPool", func(t *testing.T) {
		for name, want := range created {
			got, err := s.Open(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("Open(%q) returned a new pool", name)
			}
		}
	})

	t.Run("OpenAfterReopen", func(t *testing.T) {
		s2 := newStoreIn(t, filepath.Dir(dbDir))
		db, err := s2.Open(ctx, "alpha")
		if err != nil {
			t.Fatal(err)
		}
		if got := count(t, db); got != 1 {
			t.Errorf("count = %d, want 1", got)
		}
	})

	t.Run("ErrAlreadyExists", func(t *testing.T) {
		_, err := s.Create(ctx, "alpha")
		wantKind(t, err, models.KindUser)
		if got := models.AsError(err).Message; got != "Database alpha already exists" {
			t.Errorf("message %q", got)
		}
		if got := count(t, created["alpha"]); got != 1 {
			t.Errorf("existing database changed: count = %d", got)
		}
	})

	t.Run("FileMode", func(t *testing.T) {
		fi, err := os.Stat(s.Path("alpha"))
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("mode %v, want 0600", perm)
		}
	})
}

func TestOpenMissing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for _, name := range []string{"missing", "also.missing"} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Open(ctx, name)
			wantNoDatabase(t, err)
			if _, err := os.Stat(s.Path(name)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Open created %s: %v", s.Path(name), err)
			}
			if ok, err := s.Exists(ctx, name); ok || err != nil {
				t.Errorf("Exists = %v, %v", ok, err)
			}
		})
	}
}

func TestInvalidNames(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	mustCreate(t, s, "good", 0)
	dataDir := filepath.Dir(filepath.Dir(s.Path("good")))

	for _, name := range []string{
		"", "x", "../x", "..", "a/b", `a\b`, `a"b`, "a'b", "a b", "_x", ".hidden",
		"a;DROP", "x\x00y", "é1", "a123456789012345678901234567890123456789012345678901234567890123",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Open(ctx, name)
			wantKind(t, err, models.KindUser)
			_, err = s.Create(ctx, name)
			wantKind(t, err, models.KindUser)
			wantKind(t, s.Drop(ctx, name), models.KindUser)
			wantKind(t, s.Rename(ctx, "good", name), models.KindUser)
			wantKind(t, s.Rename(ctx, name, "other"), models.KindUser)
			wantKind(t, s.Duplicate(ctx, "good", name), models.KindUser)
			wantKind(t, s.Duplicate(ctx, name, "other"), models.KindUser)
			if ok, err := s.Exists(ctx, name); ok || err != nil {
				t.Errorf("Exists = %v, %v", ok, err)
			}
		})
	}

	// Nothing was created anywhere in the data directory.
	var files []string
	err := filepath.WalkDir(dataDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, "-wal") && !strings.HasSuffix(path, "-shm") {
			files = append(files, filepath.Base(path))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(files, []string{"good.sqlite"}) {
		t.Errorf("files %q, want only good.sqlite", files)
	}
}

func TestDuplicate(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	src := mustCreate(t, s, "src", 3)

	// A transaction in progress on src is not part of the copy.
	tx, err := src.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO t (n) VALUES (99)"); err != nil {
		t.Fatal(err)
	}
	if err := s.Duplicate(ctx, "src", "dst"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}

	dst, err := s.Open(ctx, "dst")
	if err != nil {
		t.Fatal(err)
	}
	if got := count(t, dst); got != 3 {
		t.Errorf("dst count = %d, want 3", got)
	}
	// The copy is independent and in WAL mode like every database.
	if _, err := dst.ExecContext(ctx, "INSERT INTO t (n) VALUES (4)"); err != nil {
		t.Fatal(err)
	}
	if got := count(t, src); got != 3 {
		t.Errorf("src count = %d, want 3", got)
	}
	var mode string
	if err := dst.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
	if fi, err := os.Stat(s.Path("dst")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("dst file: %v, %v", fi, err)
	}
	names, _ := s.List(ctx)
	if !slices.Equal(names, []string{"dst", "src"}) {
		t.Errorf("List = %q", names)
	}

	for _, tc := range []struct {
		name     string
		src, dst string
		check    func(testing.TB, error)
	}{
		{"ErrTargetExists", "src", "dst", func(tb testing.TB, err error) { wantKind(tb, err, models.KindUser) }},
		{"ErrSameName", "src", "src", func(tb testing.TB, err error) { wantKind(tb, err, models.KindUser) }},
		{"ErrNoSource", "nope", "dst2", wantNoDatabase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, s.Duplicate(ctx, tc.src, tc.dst))
		})
	}
	if _, err := os.Stat(s.Path("dst2")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("failed duplicate left %s: %v", s.Path("dst2"), err)
	}
	if got := count(t, dst); got != 4 {
		t.Errorf("dst changed by a failed duplicate: count = %d", got)
	}
}

func TestRename(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	old := mustCreate(t, s, "old", 2)
	mustCreate(t, s, "taken", 0)

	for _, tc := range []struct {
		name     string
		from, to string
		check    func(testing.TB, error)
	}{
		{"ErrTargetExists", "old", "taken", func(tb testing.TB, err error) { wantKind(tb, err, models.KindUser) }},
		{"ErrSameName", "old", "old", func(tb testing.TB, err error) { wantKind(tb, err, models.KindUser) }},
		{"ErrNoSource", "nope", "new2", wantNoDatabase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, s.Rename(ctx, tc.from, tc.to))
		})
	}
	// Failed renames keep the pool open.
	if err := old.PingContext(ctx); err != nil {
		t.Fatalf("pool closed by a failed rename: %v", err)
	}

	if err := s.Rename(ctx, "old", "new"); err != nil {
		t.Fatal(err)
	}
	if err := old.PingContext(ctx); err == nil {
		t.Error("old pool still open after Rename")
	}
	_, err := s.Open(ctx, "old")
	wantNoDatabase(t, err)
	db, err := s.Open(ctx, "new")
	if err != nil {
		t.Fatal(err)
	}
	if got := count(t, db); got != 2 {
		t.Errorf("count = %d, want 2", got)
	}
	names, _ := s.List(ctx)
	if !slices.Equal(names, []string{"new", "taken"}) {
		t.Errorf("List = %q", names)
	}
	for _, ext := range []string{"", "-wal", "-shm"} {
		if _, err := os.Stat(s.Path("old") + ext); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", s.Path("old")+ext, err)
		}
	}
}

func TestDrop(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	db := mustCreate(t, s, "gone", 5)

	if err := s.Drop(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	if err := db.PingContext(ctx); err == nil {
		t.Error("pool still open after Drop")
	}
	for _, ext := range []string{"", "-wal", "-shm"} {
		if _, err := os.Stat(s.Path("gone") + ext); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", s.Path("gone")+ext, err)
		}
	}
	_, err := s.Open(ctx, "gone")
	wantNoDatabase(t, err)
	wantNoDatabase(t, s.Drop(ctx, "gone"))

	// A database created again under the same name starts empty.
	db2, err := s.Create(ctx, "gone")
	if err != nil {
		t.Fatal(err)
	}
	if db2 == db {
		t.Error("Create returned the dropped pool")
	}
	var n int
	if err := db2.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil || n != 0 {
		t.Errorf("new database has %d objects, %v", n, err)
	}
}

func TestConcurrentOpen(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	mustCreate(t, newStoreIn(t, dataDir), "shared", 1)
	// A second store on the same directory has no pool cached yet.
	s := newStoreIn(t, dataDir)

	const n = 64
	pools := make([]*bun.DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			name := "shared"
			if i%8 == 7 {
				name = "missing" // failing opens of other names run alongside
			}
			pools[i], errs[i] = s.Open(ctx, name)
		})
	}
	close(start)
	wg.Wait()
	var first *bun.DB
	for i := range n {
		if i%8 == 7 {
			wantNoDatabase(t, errs[i])
			continue
		}
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if first == nil {
			first = pools[i]
		}
		if pools[i] != first {
			t.Fatalf("goroutine %d got another pool", i)
		}
	}
	if _, err := os.Stat(s.Path("missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open created %s", s.Path("missing"))
	}
}

func TestOpenCancelled(t *testing.T) {
	s := newStore(t)
	mustCreate(t, s, "cancel", 0)
	s2 := newStoreIn(t, filepath.Dir(filepath.Dir(s.Path("cancel"))))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s2.Open(ctx, "cancel"); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with a cancelled context: %v", err)
	}
	// The failure was not cached.
	if _, err := s2.Open(context.Background(), "cancel"); err != nil {
		t.Error(err)
	}
}

func TestClose(t *testing.T) {
	ctx := context.Background()
	s, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db := mustCreate(t, s, "closing", 0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.PingContext(ctx); err == nil {
		t.Error("pool open after Close")
	}
	if _, err := s.Open(ctx, "closing"); err == nil {
		t.Error("Open after Close succeeded")
	}
	if _, err := s.Create(ctx, "other"); err == nil {
		t.Error("Create after Close succeeded")
	}
}
