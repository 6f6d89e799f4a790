package sqlitestore_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/sqlitestore"
)

// sqliteCode returns the extended result code of the *sqlite.Error in err's
// chain, or -1.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return -1
}

// TestPragmas checks the settings of several distinct connections of a pool.
func TestPragmas(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, sqlitestore.WithBusyTimeout(1234*time.Millisecond))
	db := mustCreate(t, s, "pragmas", 0)

	conns := make([]bun.Conn, 3) // held together, so they are distinct
	for i := range conns {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	for i, c := range conns {
		for _, tc := range []struct {
			pragma string
			want   string
		}{
			{"journal_mode", "wal"},
			{"foreign_keys", "1"},
			{"synchronous", "1"}, // NORMAL
			{"busy_timeout", "1234"},
		} {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("conn %d: PRAGMA %s = %q, want %q", i, tc.pragma, got, tc.want)
			}
		}
	}
}

// TestDSNDoesNotCreate shows that the connection string alone (mode=rw)
// keeps SQLite from creating a missing file, beyond Open's own check.
func TestDSNDoesNotCreate(t *testing.T) {
	s := newStore(t)
	path := s.Path("ghost")
	raw, err := sql.Open("sqlite", s.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	err = raw.PingContext(context.Background())
	if code := sqliteCode(err); code&0xff != sqlite3.SQLITE_CANTOPEN {
		t.Errorf("ping: code %d (%v), want SQLITE_CANTOPEN", code, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s created: %v", path, err)
	}
}

// TestBeginImmediate shows that _txlock=immediate is honoured: a transaction
// holds the write lock from BEGIN, so a second one fails at BEGIN with a
// retryable SQLITE_BUSY once the busy timeout runs out, before it did
// anything. It also shows what ReadOnly does with this driver. How long
// SQLite's busy handler waits is not timed here: it sleeps in steps that
// need not add up to the timeout; TestPragmas shows that every connection
// has the timeout.
func TestBeginImmediate(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, sqlitestore.WithBusyTimeout(50*time.Millisecond))
	db := mustCreate(t, s, "locks", 1)

	tx1, err := db.BeginTx(ctx, nil) // no statement yet
	if err != nil {
		t.Fatal(err)
	}
	defer tx1.Rollback()

	t.Run("SecondWriterBusyAtBegin", func(t *testing.T) {
		tx2, err := db.BeginTx(ctx, nil)
		if err == nil {
			tx2.Rollback()
			t.Fatal("second BEGIN succeeded: transactions are not IMMEDIATE")
		}
		if code := sqliteCode(err); code != sqlite3.SQLITE_BUSY {
			t.Errorf("code %d, want SQLITE_BUSY (5): %v", code, err)
		}
		wantKind(t, s.Classify(err), models.KindRetryable)
	})

	t.Run("ReadOnlyIsDeferred", func(t *testing.T) {
		// The driver accepts ReadOnly and issues a plain BEGIN, so readers
		// do not wait for the writer.
		ro, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatalf("ReadOnly refused: %v", err)
		}
		defer ro.Rollback()
		if got := count(t, ro); got != 1 {
			t.Errorf("count = %d", got)
		}
		// ReadOnly is not enforced: a write tries to take the lock.
		_, err = ro.ExecContext(ctx, "INSERT INTO t (n) VALUES (2)")
		if code := sqliteCode(err); code != sqlite3.SQLITE_BUSY {
			t.Errorf("write in ReadOnly tx: code %d (%v), want SQLITE_BUSY", code, err)
		}
	})

	if err := tx1.Rollback(); err != nil {
		t.Fatal(err)
	}

	t.Run("ReadOnlyNotEnforced", func(t *testing.T) {
		ro, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Rollback()
		if _, err := ro.ExecContext(ctx, "INSERT INTO t (n) VALUES (3)"); err != nil {
			t.Errorf("write in ReadOnly tx without contention: %v", err)
		}
	})
}

// TestConcurrentWriters runs read-then-write transactions from many
// goroutines. With BEGIN IMMEDIATE they queue on the busy timeout and all
// succeed; the same workload on a pool with deferred transactions fails with
// SQLITE_BUSY_SNAPSHOT, the upgrade failure that BEGIN IMMEDIATE avoids.
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	db := mustCreate(t, s, "writers", 0)
	if _, err := db.ExecContext(ctx, "CREATE TABLE counter (v INTEGER NOT NULL); INSERT INTO counter VALUES (0)"); err != nil {
		t.Fatal(err)
	}

	increment := func(ctx context.Context, tx bun.Tx) error {
		var v int
		if err := tx.QueryRowContext(ctx, "SELECT v FROM counter").Scan(&v); err != nil {
			return err
		}
		// Hold the write lock a moment, so that the others queue on the
		// busy timeout. Nothing waits for this sleep: the outcome is the
		// same whatever its length or the machine's load.
		time.Sleep(2 * time.Millisecond)
		_, err := tx.ExecContext(ctx, "UPDATE counter SET v = ?", v+1)
		return err
	}

	const writers = 16
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() { errs[i] = db.RunInTx(ctx, nil, increment) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	var v int
	if err := db.QueryRowContext(ctx, "SELECT v FROM counter").Scan(&v); err != nil || v != writers {
		t.Errorf("counter = %d, %v; want %d (lost updates)", v, err, writers)
	}

	t.Run("DeferredFailsWithBusySnapshot", func(t *testing.T) {
		// The same file through a pool without _txlock, in two steps so the
		// outcome is deterministic: both read, one writes and commits, the
		// other's write must fail because its snapshot is stale.
		raw, err := sql.Open("sqlite", "file:"+s.Path("writers")+"?_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		a, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Rollback()
		b, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Rollback()
		for _, tx := range []*sql.Tx{a, b} {
			if err := tx.QueryRowContext(ctx, "SELECT v FROM counter").Scan(&v); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := a.ExecContext(ctx, "UPDATE counter SET v = v + 1"); err != nil {
			t.Fatal(err)
		}
		if err := a.Commit(); err != nil {
			t.Fatal(err)
		}
		_, err = b.ExecContext(ctx, "UPDATE counter SET v = v + 1")
		if code := sqliteCode(err); code != sqlite3.SQLITE_BUSY_SNAPSHOT {
			t.Fatalf("code %d (%v), want SQLITE_BUSY_SNAPSHOT (517)", code, err)
		}
		wantKind(t, s.Classify(err), models.KindRetryable)
	})
}
