package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/godoo/godoo/models"
)

var _ models.ReplicaStore = (*Store)(nil)

// replicaConnectTimeout bounds the connection to a replica that does not
// answer, in seconds: reads then go to the primary rather than wait.
const replicaConnectTimeout = "2"

// WithReplica sends the reads of read-only calls to a streaming replica of
// the server (Odoo's db_replica_host and db_replica_port): dsn is read as
// New's, and each database's replica pool uses it with the database
// replaced. An empty dsn leaves reads on the primary.
func WithReplica(dsn string) Option {
	return func(s *Store) { s.replicaDSN = dsn }
}

// WithListen sets the server the LISTEN connections of WatchAuth use,
// which must reach PostgreSQL directly: a pooler in transaction mode
// cannot carry LISTEN, since each transaction may run on another backend.
// An empty dsn listens through the main DSN.
func WithListen(dsn string) Option {
	return func(s *Store) { s.listenDSN = dsn }
}

// HasReplica reports whether a replica is configured.
func (s *Store) HasReplica() bool { return s.replica != nil }

// OpenReplica returns the replica pool of database name, opened lazily and
// cached; nil, nil when no replica is configured. The primary's Open checks
// that godoo created the database; the replica replays the primary, so it
// has the same databases.
func (s *Store) OpenReplica(ctx context.Context, name string) (*bun.DB, error) {
	if s.replica == nil {
		return nil, nil
	}
	if !models.ValidDBName(name) {
		return nil, models.ErrInvalidDBName(name)
	}
	return s.replicas.Open(ctx, name, s.connectReplica)
}

// connectReplica opens the replica pool of name. A replica that cannot be
// reached is not cached, so the next read tries again.
func (s *Store) connectReplica(ctx context.Context, name string) (*bun.DB, error) {
	sqldb, err := s.newPool(s.replica.withDB(name))
	if err != nil {
		return nil, fmt.Errorf("pgstore: open replica %s: %w", name, err)
	}
	if err := sqldb.PingContext(ctx); err != nil {
		_ = sqldb.Close()
		return nil, fmt.Errorf("pgstore: open replica %s: %w", name, err)
	}
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

// ReplicaRefusedWrite reports whether err is a hot standby's refusal to
// write (read_only_sql_transaction, 25006): the call was not read-only
// after all and must run again on the primary.
func (s *Store) ReplicaRefusedWrite(err error) bool { return hasCode(err, "25006") }

// PrimaryPosition returns the primary's current WAL position.
func (s *Store) PrimaryPosition(ctx context.Context, db *bun.DB) (string, error) {
	var pos string
	err := db.QueryRowContext(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&pos)
	return pos, err
}

// ReplayedPast reports whether the replica has replayed the WAL up to pos.
func (s *Store) ReplayedPast(ctx context.Context, rdb *bun.DB, pos string) (bool, error) {
	var done bool
	err := rdb.QueryRowContext(ctx, "SELECT COALESCE(pg_last_wal_replay_lsn() >= ?::pg_lsn, false)", pos).Scan(&done)
	return done, err
}

// closeReplica closes and forgets the replica pool of name, if any.
func (s *Store) closeReplica(name string) error {
	db := s.replicas.Remove(name)
	if db == nil {
		return nil
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("pgstore: close replica %s: %w", name, err)
	}
	return nil
}

// RecordWrite notes that uid wrote now in godoo_recent_writes, an unlogged
// table of the primary (migration 0014): one row per user, so it stays as
// small as the users who ever wrote. It runs after the write committed,
// in a statement of its own, so that concurrent writes of one user never
// wait for each other's row lock until their commits; the client has not
// had its answer yet, so no read of its can come before the row.
func (s *Store) RecordWrite(ctx context.Context, db *bun.DB, uid int64) error {
	_, err := db.ExecContext(ctx, "INSERT INTO godoo_recent_writes (uid, at) VALUES (?, clock_timestamp()) "+
		"ON CONFLICT (uid) DO UPDATE SET at = excluded.at", uid)
	return err
}

// LastWrite returns how long ago uid last wrote, by the primary's clock
// alone, so that the processes' clocks need not agree.
func (s *Store) LastWrite(ctx context.Context, db *bun.DB, uid int64) (time.Duration, bool, error) {
	var secs float64
	err := db.QueryRowContext(ctx, "SELECT EXTRACT(EPOCH FROM clock_timestamp() - at)::float8 FROM godoo_recent_writes WHERE uid = ?", uid).Scan(&secs)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return time.Duration(secs * float64(time.Second)), true, nil
}
