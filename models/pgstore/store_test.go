package pgstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lib/pq"
	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
)

// testDSN returns GODOO_TEST_DSN or skips the test.
func testDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("GODOO_TEST_DSN")
	if dsn == "" {
		tb.Skip("GODOO_TEST_DSN not set")
	}
	return dsn
}

// prefix returns a database name prefix unique to this test; every database
// that starts with it when the test ends, godoo's or not, is dropped when
// the tests are done (TestMain).
func prefix(tb testing.TB) string {
	tb.Helper()
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	p := "godoo_test_" + hex.EncodeToString(b) + "_"
	admin := adminDB(tb)
	tb.Cleanup(func() {
		ctx := context.Background()
		rows, err := admin.QueryContext(ctx, "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", p)
		if err != nil {
			tb.Error(err)
			return
		}
		var names []string
		for rows.Next() {
			var n string
			_ = rows.Scan(&n)
			names = append(names, n)
		}
		rows.Close()
		dropLater(names...)
	})
	return p
}

// adminDB is a plain connection to the maintenance database of GODOO_TEST_DSN.
func adminDB(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open("postgres", testDSN(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// rawDB is a plain connection to database name, made as another application
// would, outside the store.
func rawDB(tb testing.TB, name string) *sql.DB {
	tb.Helper()
	_, dsn, err := pgstore.ConnStrings(testDSN(tb), name)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// newStore returns a store on GODOO_TEST_DSN, closed at the end of the test.
func newStore(tb testing.TB, opts ...pgstore.Option) *pgstore.Store {
	tb.Helper()
	s, err := pgstore.New(testDSN(tb), opts...)
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
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (n integer NOT NULL)"); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO t SELECT generate_series(1, ?)", rows); err != nil {
		tb.Fatal(err)
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

// pgExists reports whether any database of that name exists.
func pgExists(tb testing.TB, name string) bool {
	tb.Helper()
	var ok bool
	err := adminDB(tb).QueryRowContext(context.Background(),
		"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&ok)
	if err != nil {
		tb.Fatal(err)
	}
	return ok
}

// ours returns the names in list that start with p.
func ours(list []string, p string) []string {
	var r []string
	for _, n := range list {
		if strings.HasPrefix(n, p) {
			r = append(r, n)
		}
	}
	return r
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

func TestConnStrings(t *testing.T) {
	for _, tc := range []struct {
		name      string
		dsn       string
		maint, db string
	}{
		{
			"URL", "postgres://bob:s3cr%27t@db.example:5433/maint?sslmode=disable",
			`binary_parameters='yes' dbname='maint' host='db.example' password='s3cr\'t' port='5433' sslmode='disable' user='bob'`,
			`binary_parameters='yes' dbname='odoo1' host='db.example' password='s3cr\'t' port='5433' sslmode='disable' user='bob'`,
		},
		{
			"URLWithoutDatabase", "postgresql://bob@localhost/?sslmode=disable",
			`binary_parameters='yes' dbname='postgres' host='localhost' sslmode='disable' user='bob'`,
			`binary_parameters='yes' dbname='odoo1' host='localhost' sslmode='disable' user='bob'`,
		},
		{
			"KeyValue", `host=/run/postgresql user=bob dbname=maint password='a b\\c'`,
			`binary_parameters='yes' dbname='maint' host='/run/postgresql' password='a b\\c' user='bob'`,
			`binary_parameters='yes' dbname='odoo1' host='/run/postgresql' password='a b\\c' user='bob'`,
		},
		{
			"KeyValueWithoutDatabase", "host = localhost  sslmode=disable",
			`binary_parameters='yes' dbname='postgres' host='localhost' sslmode='disable'`,
			`binary_parameters='yes' dbname='odoo1' host='localhost' sslmode='disable'`,
		},
		{"Empty", "", `binary_parameters='yes' dbname='postgres'`, `binary_parameters='yes' dbname='odoo1'`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			maint, db, err := pgstore.ConnStrings(tc.dsn, "odoo1")
			if err != nil {
				t.Fatal(err)
			}
			if maint != tc.maint || db != tc.db {
				t.Errorf("got\n %s\n %s\nwant\n %s\n %s", maint, db, tc.maint, tc.db)
			}
		})
	}
	for _, dsn := range []string{"host", "password='open", "mysql://x", "postgres://[::1"} {
		t.Run("Err/"+dsn, func(t *testing.T) {
			if _, err := pgstore.New(dsn); err == nil {
				t.Errorf("New(%q) accepted", dsn)
			}
		})
	}
}

func TestCreateOpenExistsList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := prefix(t)
	s := newStore(t)
	if s.Dialect() != "pg" {
		t.Errorf("Dialect() = %q", s.Dialect())
	}

	created := map[string]*bun.DB{}
	for _, n := range []string{"beta", "alpha", "a.b", "A-b"} {
		created[p+n] = mustCreate(t, s, p+n, 1)
	}
	// A database of another application, without the marker.
	foreign := p + "foreign"
	if _, err := adminDB(t).ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(foreign)); err != nil {
		t.Fatal(err)
	}

	list, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{p + "A-b", p + "a.b", p + "alpha", p + "beta"}; !slices.Equal(ours(list, p), want) {
		t.Errorf("List = %q, want %q", ours(list, p), want)
	}
	for _, n := range []string{"postgres", "template0", "template1", foreign} {
		if slices.Contains(list, n) {
			t.Errorf("List contains %s", n)
		}
	}

	for _, tc := range []struct {
		name string
		want bool
	}{
		{p + "alpha", true},
		{p + "A-b", true},
		{p + "a-b", false},
		{p + "gamma", false},
		{foreign, false},
		{"postgres", false},
		{"template1", false},
		{`a"b`, false},
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

	t.Run("OpenFromAnotherStore", func(t *testing.T) {
		db, err := newStore(t).Open(ctx, p+"alpha")
		if err != nil {
			t.Fatal(err)
		}
		if got := count(t, db); got != 1 {
			t.Errorf("count = %d", got)
		}
		var enc string
		if err := db.QueryRowContext(ctx, "SHOW server_encoding").Scan(&enc); err != nil || enc != "UTF8" {
			t.Errorf("encoding %q, %v", enc, err)
		}
	})

	t.Run("ForeignDatabaseUntouched", func(t *testing.T) {
		for _, name := range []string{foreign, "postgres", "template1"} {
			_, err := s.Open(ctx, name)
			wantNoDatabase(t, err)
			wantNoDatabase(t, s.Drop(ctx, name))
			wantNoDatabase(t, s.Rename(ctx, name, p+"stolen"))
			wantNoDatabase(t, s.Duplicate(ctx, name, p+"copy"))
		}
		if !pgExists(t, foreign) || pgExists(t, p+"stolen") || pgExists(t, p+"copy") {
			t.Error("a foreign database was changed")
		}
	})

	t.Run("ErrAlreadyExists", func(t *testing.T) {
		for _, name := range []string{p + "alpha", foreign, "postgres"} {
			_, err := s.Create(ctx, name)
			wantKind(t, err, models.KindUser)
			if got, want := models.AsError(err).Message, "Database "+name+" already exists"; got != want {
				t.Errorf("message %q, want %q", got, want)
			}
		}
		if got := count(t, created[p+"alpha"]); got != 1 {
			t.Errorf("existing database changed: count = %d", got)
		}
	})
}

func TestOpenMissing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := prefix(t)
	s := newStore(t)
	name := p + "missing"
	_, err := s.Open(ctx, name)
	wantNoDatabase(t, err)
	if pgExists(t, name) {
		t.Error("Open created the database")
	}
	if ok, err := s.Exists(ctx, name); ok || err != nil {
		t.Errorf("Exists = %v, %v", ok, err)
	}
}

func TestInvalidNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := prefix(t)
	s := newStore(t)
	good := p + "good"
	mustCreate(t, s, good, 0)
	for _, name := range []string{
		"", "x", "../x", `a"b`, "a'b", "a b", "a;b", "_x", "a\x00b",
		p + strings.Repeat("x", 64),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Open(ctx, name)
			wantKind(t, err, models.KindUser)
			_, err = s.Create(ctx, name)
			wantKind(t, err, models.KindUser)
			wantKind(t, s.Drop(ctx, name), models.KindUser)
			wantKind(t, s.Rename(ctx, good, name), models.KindUser)
			wantKind(t, s.Rename(ctx, name, p+"other"), models.KindUser)
			wantKind(t, s.Duplicate(ctx, good, name), models.KindUser)
			wantKind(t, s.Duplicate(ctx, name, p+"other"), models.KindUser)
			if ok, err := s.Exists(ctx, name); ok || err != nil {
				t.Errorf("Exists = %v, %v", ok, err)
			}
		})
	}
	list, _ := s.List(ctx)
	if got := ours(list, p); !slices.Equal(got, []string{good}) {
		t.Errorf("List = %q", got)
	}
}

func TestDuplicate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := prefix(t)
	s := newStore(t)
	src, dst := p+"src", p+"dst"
	srcDB := mustCreate(t, s, src, 3)
	// Another application's session on src is ended, as Odoo does.
	other := rawDB(t, src)
	if err := other.PingContext(ctx); err != nil {
		t.Fatal(err)
	}

	if err := s.Duplicate(ctx, src, dst); err != nil {
		t.Fatal(err)
	}
	db, err := s.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	if got := count(t, db); got != 3 {
		t.Errorf("dst count = %d, want 3", got)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO t VALUES (4)"); err != nil {
		t.Fatal(err)
	}
	// Our pool of src was closed for the copy; Open gives a new one.
	if err := srcDB.PingContext(ctx); err == nil {
		t.Error("src pool still open after Duplicate")
	}
	srcDB, err = s.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if got := count(t, srcDB); got != 3 {
		t.Errorf("src count = %d, want 3", got)
	}
	list, _ := s.List(ctx)
	if got := ours(list, p); !slices.Equal(got, []string{dst, src}) {
		t.Errorf("List = %q", got)
	}

	for _, tc := range []struct {
		name     string
		src, dst string
		check    func(testing.TB, error)
	}{
		{"ErrTargetExists", src, dst, func(tb testing.TB, err error) { wantKind(tb, err, models.KindUser) }},
		{"ErrSameName", src, src, func(tb testing.TB, err error) { wantKind(tb, err, models.KindUser) }},
		{"ErrNoSource", p + "nope", p + "dst2", wantNoDatabase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, s.Duplicate(ctx, tc.src, tc.dst))
		})
	}
	if pgExists(t, p+"dst2") {
		t.Error("failed duplicate created dst2")
	}
}

func TestRename(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := prefix(t)
	s := newStore(t)
	oldName, newName, taken := p+"old", p+"new", p+"taken"
	old := mustCreate(t, s, oldName, 2)
	mustCreate(t, s, taken, 0)

	for _, tc := range []struct {
		name     string
		from, to string
		check    func(testing.TB, error)
	}{
		{"ErrTargetExists", oldName, taken, func(tb testing.TB, err error) { wantKind(tb, err, models.KindUser) }},
		{"ErrSameName", oldName, oldName, func(tb testing.TB, err error) { wantKind(tb, err, models.KindUser) }},
		{"ErrNoSource", p + "nope", p + "new2", wantNoDatabase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, s.Rename(ctx, tc.from, tc.to))
		})
	}
	if err := old.PingContext(ctx); err != nil {
		t.Fatalf("pool closed by a failed rename: %v", err)
	}

	other := rawDB(t, oldName)
	if err := other.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Rename(ctx, oldName, newName); err != nil {
		t.Fatal(err)
	}
	if err := old.PingContext(ctx); err == nil {
		t.Error("old pool still open after Rename")
	}
	_, err := s.Open(ctx, oldName)
	wantNoDatabase(t, err)
	db, err := s.Open(ctx, newName)
	if err != nil {
		t.Fatal(err)
	}
	if got := count(t, db); got != 2 {
		t.Errorf("count = %d, want 2", got)
	}
	list, _ := s.List(ctx)
	if got := ours(list, p); !slices.Equal(got, []string{newName, taken}) {
		t.Errorf("List = %q (the marker must follow the rename)", got)
	}
}

func TestDrop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := prefix(t)
	s := newStore(t)
	name := p + "gone"
	db := mustCreate(t, s, name, 5)
	// A session of another application, inside an open transaction.
	other := rawDB(t, name)
	tx, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "LOCK TABLE t"); err != nil {
		t.Fatal(err)
	}

	if err := s.Drop(ctx, name); err != nil {
		t.Fatal(err)
	}
	if err := db.PingContext(ctx); err == nil {
		t.Error("pool still open after Drop")
	}
	if pgExists(t, name) {
		t.Error("database still exists")
	}
	_, err = s.Open(ctx, name)
	wantNoDatabase(t, err)
	wantNoDatabase(t, s.Drop(ctx, name))

	db2 := mustCreate(t, s, name, 0)
	if db2 == db {
		t.Error("Create returned the dropped pool")
	}
	if got := count(t, db2); got != 0 {
		t.Errorf("new database has %d rows", got)
	}
}

func TestConcurrentOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := prefix(t)
	name := p + "shared"
	mustCreate(t, newStore(t), name, 1)
	s := newStore(t)

	const n = 32
	pools := make([]*bun.DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			dbName := name
			if i%8 == 7 {
				dbName = p + "missing"
			}
			pools[i], errs[i] = s.Open(ctx, dbName)
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
	if pgExists(t, p+"missing") {
		t.Error("Open created a database")
	}
}

func TestClose(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := prefix(t)
	s, err := pgstore.New(testDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	db := mustCreate(t, s, p+"closing", 0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.PingContext(ctx); err == nil {
		t.Error("pool open after Close")
	}
	if _, err := s.Open(ctx, p+"closing"); err == nil {
		t.Error("Open after Close succeeded")
	}
	if _, err := s.List(ctx); err == nil {
		t.Error("List after Close succeeded")
	}
}
