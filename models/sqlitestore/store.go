// Package sqlitestore is godoo's default models.Store: one SQLite file per
// Odoo database name, <dataDir>/db/<name>.sqlite, opened with the pure-Go
// driver modernc.org/sqlite and bun's sqlitedialect.
//
// Every connection runs with WAL journaling, a busy timeout, foreign keys on
// and synchronous=NORMAL, and starts transactions with BEGIN IMMEDIATE. The
// facts below were verified against modernc.org/sqlite v1.38.0 (SQLite
// 3.50.1) by this package's tests:
//
//   - `_txlock=immediate` is honoured: a transaction takes the write lock at
//     BEGIN, so concurrent writers queue on the busy timeout and never fail
//     with SQLITE_BUSY_SNAPSHOT when a read transaction upgrades to a write.
//   - `sql.TxOptions{ReadOnly: true}` is accepted. The driver then issues a
//     plain (deferred) BEGIN instead of BEGIN IMMEDIATE, so read-only calls
//     never wait for the write lock. It does not enforce read-only-ness: a
//     write inside such a transaction still succeeds (or fails with BUSY if
//     another writer holds the lock). services may pass the flag unchanged.
//   - Extended result codes are enabled by the driver on every connection, so
//     (*sqlite.Error).Code() is 2067, 1555, 787, 1299, 275, 517… rather than
//     the primary codes 19 and 5.
//   - The isolation level in sql.TxOptions is ignored; SQLite transactions
//     are always serializable.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storeutil"
)

var _ models.Store = (*Store)(nil)

// suffix is the file name extension of every database file.
const suffix = ".sqlite"

// Defaults for the options.
const (
	// DefaultBusyTimeout is how long a connection waits for the write lock
	// before BEGIN IMMEDIATE fails with SQLITE_BUSY (a retryable error).
	DefaultBusyTimeout = 5 * time.Second
	// DefaultMaxOpenConns bounds each database's pool. SQLite has a single
	// writer per file, so extra connections only add concurrent readers (WAL
	// lets them run beside the writer). Eight covers the parallel read-only
	// calls one database sees in practice while bounding memory (every
	// connection has its own page cache) and file descriptors; callers beyond
	// it wait in database/sql's queue, which honours their context, rather
	// than in SQLite's busy handler, which does not.
	DefaultMaxOpenConns = 8
	// idleTimeout closes connections of databases nobody uses any more.
	idleTimeout = 5 * time.Minute
)

// errClosed is returned by every method after Close.
var errClosed = errors.New("sqlitestore: store is closed")

// Option configures a Store.
type Option func(*Store)

// WithBusyTimeout sets how long a connection waits for another connection's
// write lock before failing with a retryable busy error.
func WithBusyTimeout(d time.Duration) Option {
	return func(s *Store) { s.busyTimeout = d }
}

// WithMaxOpenConns sets the maximum number of connections of each database's
// pool (DefaultMaxOpenConns when n <= 0).
func WithMaxOpenConns(n int) Option {
	return func(s *Store) {
		if n > 0 {
			s.maxOpen = n
		}
	}
}

// Store keeps one SQLite file per database name and caches one pool per name.
// It is safe for concurrent use. It assumes that no other process manages the
// same data directory.
type Store struct {
	dir         string // <dataDir>/db, absolute
	busyTimeout time.Duration
	maxOpen     int

	pools *storeutil.Pools

	// mu guards probes, which map the WAL index of open databases
	// (CommitMark; nil when it cannot be mapped); it is taken before any
	// method of pools.
	mu     sync.Mutex
	probes map[string]*markProbe
}

// New returns a store that keeps its databases in <dataDir>/db, creating the
// directory (mode 0700) when it is missing.
func New(dataDir string, opts ...Option) (*Store, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: data directory: %w", err)
	}
	s := &Store{
		dir:         filepath.Join(abs, "db"),
		busyTimeout: DefaultBusyTimeout,
		maxOpen:     DefaultMaxOpenConns,
		pools:       storeutil.NewPools(errClosed),
		probes:      make(map[string]*markProbe),
	}
	for _, opt := range opts {
		opt(s)
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	return s, nil
}

// Dialect returns "sqlite".
func (s *Store) Dialect() string { return "sqlite" }

// Path returns the file that holds the database name. It does not check the
// name; callers validate it first.
func (s *Store) Path(name string) string { return filepath.Join(s.dir, name+suffix) }

// dsn is the driver's connection string for a database file. mode=rw keeps
// SQLite itself from creating a missing file; the _pragma values run on every
// new connection (the driver runs busy_timeout first).
func (s *Store) dsn(path string) string {
	q := url.Values{}
	q.Set("mode", "rw")
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(s.busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), OmitHost: true, RawQuery: q.Encode()}
	return u.String()
}

// Open returns the pool of an existing database. It returns
// models.ErrInvalidDBName for a bad name and models.ErrNoDatabase when the file
// does not exist; it never creates one.
func (s *Store) Open(ctx context.Context, name string) (*bun.DB, error) {
	if !models.ValidDBName(name) {
		return nil, models.ErrInvalidDBName(name)
	}
	return s.pools.Open(ctx, name, s.connect)
}

// connect opens the pool of the database file of name.
func (s *Store) connect(ctx context.Context, name string) (*bun.DB, error) {
	path := s.Path(name)
	if ok, err := isFile(path); err != nil {
		return nil, err
	} else if !ok {
		return nil, models.ErrNoDatabase(name)
	}
	sqldb, err := sql.Open("sqlite", s.dsn(path))
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", name, err)
	}
	sqldb.SetMaxOpenConns(s.maxOpen)
	sqldb.SetMaxIdleConns(s.maxOpen)
	sqldb.SetConnMaxIdleTime(idleTimeout)
	// Ping opens the first connection, which applies the pragmas (switching
	// the file to WAL) and fails early on a file that is not a database.
	if err := sqldb.PingContext(ctx); err != nil {
		_ = sqldb.Close()
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CANTOPEN {
			return nil, models.ErrNoDatabase(name)
		}
		return nil, fmt.Errorf("sqlitestore: open %s: %w", name, err)
	}
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// closePool closes and forgets the pool of name, if any. The caller holds
// name's lock. Closing the last connection checkpoints the WAL and deletes the
// -wal and -shm files, so the main file is then the whole database.
func (s *Store) closePool(name string) error {
	s.closeProbe(name)
	db := s.pools.Remove(name)
	if db == nil {
		return nil
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("sqlitestore: close %s: %w", name, err)
	}
	return nil
}

// Exists reports whether the database file exists. Invalid names never exist.
func (s *Store) Exists(_ context.Context, name string) (bool, error) {
	if !models.ValidDBName(name) {
		return false, nil
	}
	return isFile(s.Path(name))
}

// List returns the names of the database files in the data directory, sorted.
// Files whose names are not valid database names are ignored.
func (s *Store) List(_ context.Context) ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: list: %w", err)
	}
	names := []string{}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), suffix)
		if !ok || !e.Type().IsRegular() || !models.ValidDBName(name) {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}

// Create makes a new empty database file and returns its pool. It returns a
// UserError when the name is invalid or taken.
func (s *Store) Create(ctx context.Context, name string) (*bun.DB, error) {
	if !models.ValidDBName(name) {
		return nil, models.ErrInvalidDBName(name)
	}
	unlock, err := s.pools.Lock(ctx, name)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := s.createFile(name); err != nil {
		return nil, err
	}
	db, err := s.pools.OpenLocked(ctx, name, s.connect)
	if err != nil {
		_ = s.removeFiles(name)
		return nil, err
	}
	return db, nil
}

// createFile creates the empty file of a new database (an empty file is an
// empty SQLite database). O_EXCL makes the existence check atomic.
func (s *Store) createFile(name string) error {
	f, err := os.OpenFile(s.Path(name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return models.UserErrorf("Database %s already exists", name)
	}
	if err != nil {
		return fmt.Errorf("sqlitestore: create %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("sqlitestore: create %s: %w", name, err)
	}
	// A WAL left behind by a crash would otherwise be replayed into the
	// new, empty file.
	return s.removeCompanions(name)
}

// Drop closes the pool of name and deletes its files. It returns
// models.ErrNoDatabase when there is no such database.
func (s *Store) Drop(ctx context.Context, name string) error {
	if !models.ValidDBName(name) {
		return models.ErrInvalidDBName(name)
	}
	unlock, err := s.pools.Lock(ctx, name)
	if err != nil {
		return err
	}
	defer unlock()
	if err := s.closePool(name); err != nil {
		return err
	}
	if ok, err := isFile(s.Path(name)); err != nil {
		return err
	} else if !ok {
		return models.ErrNoDatabase(name)
	}
	return s.removeFiles(name)
}

// Rename closes the pool of oldName and renames its file. It returns
// models.ErrNoDatabase when oldName does not exist and a UserError when
// newName is invalid or taken.
func (s *Store) Rename(ctx context.Context, oldName, newName string) error {
	for _, n := range []string{oldName, newName} {
		if !models.ValidDBName(n) {
			return models.ErrInvalidDBName(n)
		}
	}
	unlock, err := s.pools.Lock(ctx, oldName, newName)
	if err != nil {
		return err
	}
	defer unlock()
	if ok, err := isFile(s.Path(oldName)); err != nil {
		return err
	} else if !ok {
		return models.ErrNoDatabase(oldName)
	}
	if ok, err := isFile(s.Path(newName)); err != nil {
		return err
	} else if ok {
		return models.UserErrorf("Database %s already exists", newName)
	}
	if err := s.closePool(oldName); err != nil {
		return err
	}
	if err := s.removeCompanions(newName); err != nil {
		return err
	}
	// The WAL normally went away with the pool; if another process still
	// holds one, it belongs to the file and moves with it.
	if err := renameIfExists(s.Path(oldName)+"-wal", s.Path(newName)+"-wal"); err != nil {
		return fmt.Errorf("sqlitestore: rename %s: %w", oldName, err)
	}
	if err := os.Rename(s.Path(oldName), s.Path(newName)); err != nil {
		return fmt.Errorf("sqlitestore: rename %s: %w", oldName, err)
	}
	return s.removeCompanions(oldName)
}

// Duplicate copies src into a new database dst with VACUUM INTO, which takes a
// consistent snapshot while src stays in use. It returns models.ErrNoDatabase
// when src does not exist and a UserError when dst is invalid or taken.
func (s *Store) Duplicate(ctx context.Context, src, dst string) error {
	for _, n := range []string{src, dst} {
		if !models.ValidDBName(n) {
			return models.ErrInvalidDBName(n)
		}
	}
	if src == dst {
		return models.UserErrorf("Database %s already exists", dst)
	}
	unlock, err := s.pools.Lock(ctx, src, dst)
	if err != nil {
		return err
	}
	defer unlock()
	db, err := s.pools.OpenLocked(ctx, src, s.connect)
	if err != nil {
		return err
	}
	// VACUUM INTO accepts an existing file only when it is empty, so creating
	// it first keeps the O_EXCL check and the 0600 mode.
	if err := s.createFile(dst); err != nil {
		return err
	}
	// The target is a bound value, not SQL text: VACUUM INTO takes any
	// expression.
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", s.Path(dst)); err != nil {
		_ = s.removeFiles(dst)
		return fmt.Errorf("sqlitestore: duplicate %s: %w", src, s.Classify(err))
	}
	return nil
}

// Close closes every open pool. The store cannot be used afterwards.
func (s *Store) Close() error {
	s.mu.Lock()
	pools := s.pools.Close()
	probes := s.probes
	s.probes = make(map[string]*markProbe)
	s.mu.Unlock()
	for _, p := range probes {
		if p != nil {
			p.close()
		}
	}
	return storeutil.CloseAll("sqlitestore", pools)
}

// removeFiles deletes a database's file and its companions, companions first
// so that a crash never leaves a WAL for a later file of the same name.
func (s *Store) removeFiles(name string) error {
	if err := s.removeCompanions(name); err != nil {
		return err
	}
	if err := os.Remove(s.Path(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sqlitestore: remove %s: %w", name, err)
	}
	return nil
}

// removeCompanions deletes the WAL, shared-memory and rollback journal files
// of a database, if any.
func (s *Store) removeCompanions(name string) error {
	for _, ext := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(s.Path(name) + ext); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("sqlitestore: remove %s: %w", name, err)
		}
	}
	return nil
}

// isFile reports whether path is an existing regular file.
func isFile(path string) (bool, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlitestore: %w", err)
	}
	return fi.Mode().IsRegular(), nil
}

// renameIfExists renames from to to unless from does not exist.
func renameIfExists(from, to string) error {
	err := os.Rename(from, to)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
