package models

import (
	"context"
	"io"
	"time"

	"github.com/uptrace/bun"
)

// Store opens and manages one bun database per Odoo database name. The
// embedded default (models/sqlitestore) keeps one SQLite file per name; the
// PostgreSQL store (models/pgstore) keeps one PostgreSQL database per name.
// Both translate driver errors into the same kinds through Classify, so nothing
// above them ever sees a driver type.
type Store interface {
	// Dialect names the SQL dialect: "sqlite" or "pg".
	Dialect() string
	// Open returns the pool of an existing database, opening it lazily and
	// caching it. It never creates a database: an unknown name returns a
	// KindServer error named psycopg2.OperationalError, as Odoo does.
	Open(ctx context.Context, name string) (*bun.DB, error)
	// Exists reports whether godoo created a database of that name.
	Exists(ctx context.Context, name string) (bool, error)
	// List returns the names of the databases godoo created, sorted.
	List(ctx context.Context) ([]string, error)
	// Create makes a new empty database, marks it as godoo's and returns its
	// pool. It fails with a UserError when the name is taken or invalid.
	Create(ctx context.Context, name string) (*bun.DB, error)
	// Drop closes the database's pool and deletes it.
	Drop(ctx context.Context, name string) error
	// Rename renames a database; its pool is closed first.
	Rename(ctx context.Context, oldName, newName string) error
	// Duplicate copies src into a new database dst.
	Duplicate(ctx context.Context, src, dst string) error
	// Dump writes a consistent copy of database name to w, taken while
	// the database stays in use (db.dump). It returns ErrNoDatabase when
	// there is no such database.
	Dump(ctx context.Context, name string, format DumpFormat, w io.Writer, p Progress) error
	// Restore makes database name from the dump in the file at path,
	// written by Dump in format (db.restore). prepare runs on the restored
	// database before it takes its name; when the restore or prepare
	// fails, nothing of it remains and the name stays free. It returns a
	// UserError when the name is taken.
	Restore(ctx context.Context, name string, format DumpFormat, path string, prepare func(ctx context.Context, db *bun.DB) error, p Progress) error
	// Classify wraps a driver error in *Error with its kind (KindValidation
	// for constraint violations, KindRetryable for serialization failures,
	// deadlocks and busy databases) and returns other errors unchanged.
	Classify(err error) error
	// Close closes every open pool.
	Close() error
}

// AuthEvent is what an AuthFeed reports about a database.
type AuthEvent int

const (
	// AuthFeedUp: notices flow from now on; anything cached before may be
	// stale.
	AuthFeedUp AuthEvent = iota
	// AuthFeedDown: notices may be lost until the next AuthFeedUp.
	AuthFeedDown
	// AuthChanged: a change to credentials was committed (see migration
	// 0005_auth_changes).
	AuthChanged
	// AuthFeedClosed: the watch is over (the pool was closed, the database
	// dropped or renamed, or the store closed); watch again to go on.
	AuthFeedClosed
)

// AuthFeed is implemented by stores that push notice of committed changes to
// credentials to every process sharing a database (PostgreSQL LISTEN/NOTIFY).
// Stores without it are read instead: AuthGeneration on every check.
type AuthFeed interface {
	// WatchAuth starts watching database name and calls on, from one
	// goroutine, for every event until AuthFeedClosed. It returns at once;
	// AuthFeedUp comes when the watch is established. stop ends the watch
	// without waiting: the watch's last event, AuthFeedClosed, follows.
	WatchAuth(name string, on func(AuthEvent)) (stop func())
}

// AuthSettler is implemented by AuthFeeds whose listeners acknowledge the
// notices they handled (migration 0015_feed_acks), so that a process that
// committed a change can wait until every process has forgotten what the
// change made stale.
type AuthSettler interface {
	// SettleAuth returns once every watch of database name that is
	// connected, in any process, has handled the notices of the changes
	// committed before the call: their next request sees the changes.
	// Watches that are not connected are not waited for (a process whose
	// watch is down caches nothing). It returns an error when ctx ends
	// first or the database cannot be asked.
	SettleAuth(ctx context.Context, name string) error
}

// CommitMark identifies the last transaction committed to a database; see
// CommitCounter.
type CommitMark [4]uint32

// CommitCounter is implemented by stores that can tell without a query
// whether anything was committed to a database, by any process, since an
// earlier mark (SQLite's WAL index). The credential checks then read the
// generation counter only when something was.
type CommitCounter interface {
	// CommitMark returns the current mark of database name; ok is false
	// when the store cannot tell now (read the counter every time).
	CommitMark(name string) (mark CommitMark, ok bool)
}

// ValidDBName reports whether name is an acceptable database name. Names become
// file names and SQL identifiers, so nothing else is ever accepted. The rule
// is Odoo's (odoo/service/db.py DBNAME_PATTERN, ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$),
// at most 63 bytes; it is checked byte by byte instead of by a regular
// expression because every call checks its database's name, and the match
// was 2% of the CPU of a small search.
func ValidDBName(name string) bool {
	if len(name) < 2 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '_' && c != '.' && c != '-') {
			return false
		}
	}
	return true
}

// ErrInvalidDBName is returned for names that ValidDBName refuses.
func ErrInvalidDBName(name string) error {
	return UserErrorf("Invalid database name: %q. Only letters, numbers, '_', '-' and '.' are allowed.", name)
}

// ErrNoDatabase is Odoo's answer for a database that does not exist: the
// registry load fails with psycopg2's OperationalError (fault 1).
func ErrNoDatabase(name string) error {
	return ServerErrorf("psycopg2.OperationalError", "FATAL:  database %q does not exist", name)
}

// ReplicaStore is implemented by stores that can send reads to a streaming
// replica of their server. The services run the calls of read-only methods
// there, and again on the primary when the replica refuses a write or does
// not answer.
type ReplicaStore interface {
	// OpenReplica returns the replica pool of database name, or nil, nil
	// when no replica is configured.
	OpenReplica(ctx context.Context, name string) (*bun.DB, error)
	// ReplicaRefusedWrite reports whether err is the replica's refusal of
	// a write: the call was not read-only after all.
	ReplicaRefusedWrite(err error) bool
	// PrimaryPosition returns the primary's current position in its log
	// of changes, through db, the pool of a database on the primary.
	PrimaryPosition(ctx context.Context, db *bun.DB) (string, error)
	// ReplayedPast reports whether the replica of pool rdb has replayed
	// the primary's log up to pos, a PrimaryPosition.
	ReplayedPast(ctx context.Context, rdb *bun.DB, pos string) (bool, error)
	// RecordWrite notes on the primary, through db, that user uid of that
	// database committed a write at at, for every process's
	// read-your-writes (LastWrite).
	RecordWrite(ctx context.Context, db *bun.DB, uid int64, at time.Time) error
	// LastWrite returns when user uid last committed a write, as
	// RecordWrite noted it on the primary through db; ok is false when
	// the user never wrote.
	LastWrite(ctx context.Context, db *bun.DB, uid int64) (at time.Time, ok bool, err error)
}
