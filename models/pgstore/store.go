// Package pgstore is the PostgreSQL models.Store: one PostgreSQL database per
// Odoo database name, opened with github.com/lib/pq and bun's pgdialect.
//
// The configured DSN names a maintenance database (postgres by default) on
// which CREATE, DROP and ALTER DATABASE and the listing run; each Odoo
// database's pool uses the same DSN with the database replaced. Databases that
// godoo creates carry the comment 'godoo'. Only those are listed, opened,
// renamed, duplicated or dropped, so the server's other databases (postgres,
// templates, other applications') are never touched.
package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/lib/pq"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storeutil"
)

var _ models.Store = (*Store)(nil)

// marker is the database comment that tells godoo's databases apart.
const marker = "godoo"

// Pool settings.
const (
	// idleTimeout closes connections of databases nobody uses any more, so
	// that many databases do not pin many backends.
	idleTimeout = 5 * time.Minute
	// maxLifetime recycles connections, which releases backend memory and
	// moves clients after a failover.
	maxLifetime = time.Hour
	// exclusiveTries bounds the attempts of a statement that needs a
	// database without other sessions (DROP, RENAME, TEMPLATE).
	exclusiveTries = 5
)

// SQL run on the maintenance database.
const (
	markedSQL = `SELECT EXISTS (SELECT 1 FROM pg_database d WHERE d.datname = $1
		AND NOT d.datistemplate AND shobj_description(d.oid, 'pg_database') = '` + marker + `')`
	anySQL       = `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`
	listSQL      = `SELECT datname FROM pg_database d WHERE NOT datistemplate AND shobj_description(d.oid, 'pg_database') = '` + marker + `' ORDER BY 1`
	terminateSQL = `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`
)

// errClosed is returned by every method after Close.
var errClosed = errors.New("pgstore: store is closed")

// Option configures a Store.
type Option func(*Store)

// WithMaxOpenConns sets the maximum number of connections of each database's
// pool (4 × runtime.NumCPU() when n <= 0). Mind PostgreSQL's max_connections:
// every open database may use this many.
func WithMaxOpenConns(n int) Option {
	return func(s *Store) {
		if n > 0 {
			s.maxOpen = n
		}
	}
}

// Store keeps one PostgreSQL database per name and caches one pool per name.
// It is safe for concurrent use.
type Store struct {
	params    params // connection parameters, without dbname
	maintName string
	maint     *sql.DB
	maxOpen   int
	// feedPing is how often a LISTEN connection is pinged (pingEvery;
	// tests shorten it).
	feedPing time.Duration

	pools *storeutil.Pools

	// replicaDSN and listenDSN are WithReplica's and WithListen's, read
	// by New into replica (nil when none) and listen.
	replicaDSN, listenDSN string
	replica, listen       params
	// replicas are the replica pools, one per database.
	replicas *storeutil.Pools

	// mu guards watches, the LISTEN connections of WatchAuth; it is taken
	// before any method of pools.
	mu      sync.Mutex
	watches map[*watch]bool

	// settling, when set (tests), is called by SettleAuth each time it
	// found listeners that have not acknowledged its barrier yet.
	settling func(name string, seq int64, pending int)
	// listenDialing, when set (tests), is called before each dial of a
	// LISTEN connection, and the function it returns with the outcome.
	listenDialing func() (dialed func(error))
}

// New returns a store for the PostgreSQL server of dsn, a
// postgres://user:pass@host:port/maint?sslmode=disable URL or a libpq
// key=value string. Its database (postgres when empty) is the maintenance
// database. New does not connect; the first call that needs the server does.
func New(dsn string, opts ...Option) (*Store, error) {
	p, err := parseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("pgstore: dsn: %w", err)
	}
	maintName := p["dbname"]
	if maintName == "" {
		maintName = "postgres"
	}
	delete(p, "dbname")
	onePass(p)
	s := &Store{
		params:    p,
		maintName: maintName,
		maxOpen:   4 * runtime.NumCPU(),
		feedPing:  pingEvery,
		pools:     storeutil.NewPools(errClosed),
		replicas:  storeutil.NewPools(errClosed),
		watches:   make(map[*watch]bool),
	}
	for _, opt := range opts {
		opt(s)
	}
	s.listen = p
	if s.listenDSN != "" {
		if s.listen, err = parseDSN(s.listenDSN); err != nil {
			return nil, fmt.Errorf("pgstore: listen dsn: %w", err)
		}
		delete(s.listen, "dbname")
	}
	if s.replicaDSN != "" {
		if s.replica, err = parseDSN(s.replicaDSN); err != nil {
			return nil, fmt.Errorf("pgstore: replica dsn: %w", err)
		}
		delete(s.replica, "dbname")
		onePass(s.replica)
		if _, ok := s.replica["connect_timeout"]; !ok {
			s.replica["connect_timeout"] = replicaConnectTimeout
		}
	}
	s.maint, err = sql.Open("postgres", p.withDB(maintName))
	if err != nil {
		return nil, fmt.Errorf("pgstore: dsn: %w", err)
	}
	// Administration is rare and sequential; listing and existence checks are
	// short. A few connections suffice.
	s.maint.SetMaxOpenConns(4)
	s.maint.SetMaxIdleConns(2)
	s.maint.SetConnMaxIdleTime(idleTimeout)
	return s, nil
}

// Dialect returns "pg".
func (s *Store) Dialect() string { return "pg" }

// Open returns the pool of a database godoo created. It returns
// models.ErrInvalidDBName for a bad name and models.ErrNoDatabase when the
// database does not exist or is not godoo's; it never creates one.
func (s *Store) Open(ctx context.Context, name string) (*bun.DB, error) {
	if !models.ValidDBName(name) {
		return nil, models.ErrInvalidDBName(name)
	}
	return s.pools.Open(ctx, name, s.connect)
}

// connect opens the pool of name after checking that godoo created it.
func (s *Store) connect(ctx context.Context, name string) (*bun.DB, error) {
	if ok, err := s.query(ctx, markedSQL, name); err != nil {
		return nil, err
	} else if !ok {
		return nil, models.ErrNoDatabase(name)
	}
	sqldb, err := s.newPool(s.params.withDB(name))
	if err != nil {
		return nil, fmt.Errorf("pgstore: open %s: %w", name, err)
	}
	if err := sqldb.PingContext(ctx); err != nil {
		_ = sqldb.Close()
		if hasCode(err, "3D000") { // invalid_catalog_name: dropped meanwhile
			return nil, models.ErrNoDatabase(name)
		}
		return nil, fmt.Errorf("pgstore: open %s: %w", name, err)
	}
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

// onePass makes lib/pq send each statement with parameters in one
// exchange (Parse, Bind, Execute, Sync) unless the DSN says otherwise:
// by default it parses an unnamed statement, waits for its description,
// then binds it, and between the two a pooler in transaction mode (a
// statement outside a transaction is a transaction of its own) may give
// the connection to another client, whose next statement replaces the
// unnamed one. One exchange also saves a round trip per statement. Its
// parameters are sent as text, as before, except []byte in binary.
func onePass(p params) {
	if _, ok := p["binary_parameters"]; !ok {
		p["binary_parameters"] = "yes"
	}
}

// newPool opens a database's pool of connections to conn, without
// connecting yet.
func (s *Store) newPool(conn string) (*sql.DB, error) {
	sqldb, err := sql.Open("postgres", conn)
	if err != nil {
		return nil, err
	}
	sqldb.SetMaxOpenConns(s.maxOpen)
	// Every open connection may stay idle: closing and reopening them under
	// load costs a backend start each time.
	sqldb.SetMaxIdleConns(s.maxOpen)
	sqldb.SetConnMaxIdleTime(idleTimeout)
	sqldb.SetConnMaxLifetime(maxLifetime)
	return sqldb, nil
}

// closePool closes and forgets the pool of name, if any. The caller holds
// name's lock.
func (s *Store) closePool(name string) error {
	s.closeWatches(name)
	if err := s.closeReplica(name); err != nil {
		return err
	}
	db := s.pools.Remove(name)
	if db == nil {
		return nil
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("pgstore: close %s: %w", name, err)
	}
	return nil
}

// Exists reports whether a database of that name exists and was created by
// godoo. Invalid names never exist.
func (s *Store) Exists(ctx context.Context, name string) (bool, error) {
	if !models.ValidDBName(name) {
		return false, nil
	}
	return s.query(ctx, markedSQL, name)
}

// List returns the names of the databases godoo created, sorted.
func (s *Store) List(ctx context.Context) ([]string, error) {
	if err := s.pools.Err(); err != nil {
		return nil, err
	}
	rows, err := s.maint.QueryContext(ctx, listSQL)
	if err != nil {
		return nil, fmt.Errorf("pgstore: list: %w", err)
	}
	defer rows.Close()
	names := []string{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("pgstore: list: %w", err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: list: %w", err)
	}
	return names, nil
}

// Create makes a new empty UTF-8 database, marks it as godoo's and returns its
// pool. It returns a UserError when the name is invalid or taken by any
// database, godoo's or not.
func (s *Store) Create(ctx context.Context, name string) (*bun.DB, error) {
	if !models.ValidDBName(name) {
		return nil, models.ErrInvalidDBName(name)
	}
	unlock, err := s.pools.Lock(ctx, name)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := s.checkFree(ctx, name); err != nil {
		return nil, err
	}
	stmt := "CREATE DATABASE " + pq.QuoteIdentifier(name) + " ENCODING 'UTF8' TEMPLATE template0"
	if err := s.createMarked(ctx, name, stmt, ""); err != nil {
		return nil, err
	}
	db, err := s.pools.OpenLocked(ctx, name, s.connect)
	if err != nil {
		_ = s.dropDatabase(context.WithoutCancel(ctx), name)
		return nil, err
	}
	return db, nil
}

// Drop closes the pool of name, ends the other sessions on the database and
// drops it. It returns models.ErrNoDatabase when no database of that name was
// created by godoo.
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
	if err := s.checkMarked(ctx, name); err != nil {
		return err
	}
	return s.dropDatabase(ctx, name)
}

// Rename closes the pool of oldName, ends the other sessions on it and
// renames it; the marker comment stays with the database. It returns
// models.ErrNoDatabase when oldName is not godoo's and a UserError when
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
	if err := s.checkMarked(ctx, oldName); err != nil {
		return err
	}
	if err := s.checkFree(ctx, newName); err != nil {
		return err
	}
	if err := s.closePool(oldName); err != nil {
		return err
	}
	stmt := "ALTER DATABASE " + pq.QuoteIdentifier(oldName) + " RENAME TO " + pq.QuoteIdentifier(newName)
	if err := s.execExclusive(ctx, oldName, stmt); err != nil {
		return s.adminError("rename", oldName, newName, err)
	}
	return nil
}

// Duplicate copies src into a new database dst with CREATE DATABASE …
// TEMPLATE, which needs src without sessions: our pool of src is closed and
// the other sessions are ended. It returns models.ErrNoDatabase when src is
// not godoo's and a UserError when dst is invalid or taken.
func (s *Store) Duplicate(ctx context.Context, src, dst string) error {
	for _, n := range []string{src, dst} {
		if !models.ValidDBName(n) {
			return models.ErrInvalidDBName(n)
		}
	}
	unlock, err := s.pools.Lock(ctx, src, dst)
	if err != nil {
		return err
	}
	defer unlock()
	if err := s.checkMarked(ctx, src); err != nil {
		return err
	}
	if err := s.checkFree(ctx, dst); err != nil {
		return err
	}
	if err := s.closePool(src); err != nil {
		return err
	}
	stmt := "CREATE DATABASE " + pq.QuoteIdentifier(dst) + " TEMPLATE " + pq.QuoteIdentifier(src)
	return s.createMarked(ctx, dst, stmt, src)
}

// Close closes every open pool and the maintenance connection. The store
// cannot be used afterwards.
func (s *Store) Close() error {
	pools := s.pools.Close()
	replicas := s.replicas.Close()
	s.closeWatches("")
	errs := []error{storeutil.CloseAll("pgstore", pools), storeutil.CloseAll("pgstore", replicas)}
	if err := s.maint.Close(); err != nil {
		errs = append(errs, fmt.Errorf("pgstore: close: %w", err))
	}
	return errors.Join(errs...)
}

// query runs a one-boolean query with one argument on the maintenance
// database.
func (s *Store) query(ctx context.Context, q, arg string) (bool, error) {
	if err := s.pools.Err(); err != nil {
		return false, err
	}
	var ok bool
	if err := s.maint.QueryRowContext(ctx, q, arg).Scan(&ok); err != nil {
		return false, fmt.Errorf("pgstore: %s: %w", arg, err)
	}
	return ok, nil
}

// checkMarked returns models.ErrNoDatabase unless godoo created name.
func (s *Store) checkMarked(ctx context.Context, name string) error {
	ok, err := s.query(ctx, markedSQL, name)
	if err == nil && !ok {
		err = models.ErrNoDatabase(name)
	}
	return err
}

// checkFree returns a UserError when any database, godoo's or not, has name.
func (s *Store) checkFree(ctx context.Context, name string) error {
	ok, err := s.query(ctx, anySQL, name)
	if err == nil && ok {
		err = models.UserErrorf("Database %s already exists", name)
	}
	return err
}

// createMarked runs a CREATE DATABASE statement for name (exclusively on
// template when it is set) and marks the new database. CREATE DATABASE cannot
// run in a transaction, so a failed COMMENT drops the database again.
func (s *Store) createMarked(ctx context.Context, name, stmt, template string) error {
	var err error
	if template != "" {
		err = s.execExclusive(ctx, template, stmt)
	} else {
		_, err = s.maint.ExecContext(ctx, stmt)
	}
	if err != nil {
		return s.adminError("create", template, name, err)
	}
	comment := "COMMENT ON DATABASE " + pq.QuoteIdentifier(name) + " IS " + pq.QuoteLiteral(marker)
	if _, err := s.maint.ExecContext(ctx, comment); err != nil {
		_ = s.dropDatabase(context.WithoutCancel(ctx), name)
		return fmt.Errorf("pgstore: mark %s: %w", name, err)
	}
	return nil
}

// dropDatabase ends the sessions on name and drops it.
func (s *Store) dropDatabase(ctx context.Context, name string) error {
	if err := s.execExclusive(ctx, name, "DROP DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		return s.adminError("drop", name, "", err)
	}
	return nil
}

// execExclusive runs stmt, which needs database db without other sessions,
// after ending those sessions. A session that connects in between makes stmt
// fail with object_in_use (55006); it is then tried again.
func (s *Store) execExclusive(ctx context.Context, db, stmt string) error {
	for try := 1; ; try++ {
		// Best effort, as Odoo's _drop_conn: a role without the right to
		// signal some backend still gets the clearer error of stmt.
		_, _ = s.maint.ExecContext(ctx, terminateSQL, db)
		_, err := s.maint.ExecContext(ctx, stmt)
		if err == nil || !hasCode(err, "55006") || try == exclusiveTries {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(try) * 100 * time.Millisecond):
		}
	}
}

// adminError turns a failed CREATE, DROP or ALTER DATABASE into the error the
// caller sees: a taken name (duplicate_database, 42P04) is a UserError, a
// missing one (invalid_catalog_name, 3D000) is models.ErrNoDatabase.
func (s *Store) adminError(op, src, dst string, err error) error {
	switch {
	case hasCode(err, "42P04"):
		return models.UserErrorf("Database %s already exists", dst)
	case hasCode(err, "3D000") && src != "":
		return models.ErrNoDatabase(src)
	}
	name := src
	if name == "" {
		name = dst
	}
	return fmt.Errorf("pgstore: %s %s: %w", op, name, err)
}

// hasCode reports whether err holds a PostgreSQL error with SQLSTATE code.
func hasCode(err error, code string) bool {
	var pe *pq.Error
	return errors.As(err, &pe) && string(pe.Code) == code
}
