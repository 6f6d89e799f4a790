package models

import (
	"context"
	"database/sql"
	"errors"

	"github.com/uptrace/bun"
)

// RecordKeyFailure counts one failed key attempt under key at now (Unix
// milliseconds) in auth_key_failure, which every process sharing the
// database reads, unless the counter is already at limit failures within
// the window that ends at now: then nothing changes and counted is false,
// with until the end of that lock-out. A counter whose last failure is
// older than the window starts again at one. The statement is one atomic
// upsert, so concurrent processes never count past the limit.
func RecordKeyFailure(ctx context.Context, db bun.IDB, key string, now, window int64, limit int) (failures int64, counted bool, until int64, err error) {
	cutoff := now - window
	err = db.QueryRowContext(ctx, `INSERT INTO auth_key_failure (key, failures, last_at) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN auth_key_failure.last_at <= ? THEN 1 ELSE auth_key_failure.failures + 1 END,
			last_at = excluded.last_at
		WHERE auth_key_failure.failures < ? OR auth_key_failure.last_at <= ?
		RETURNING failures`, key, now, cutoff, limit, cutoff).Scan(&failures)
	if err == nil {
		return failures, true, now + window, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, 0, err
	}
	// Locked out already (by this process or another): the lock-out ends a
	// window after the failure that reached the limit.
	var last int64
	err = db.QueryRowContext(ctx, "SELECT failures, last_at FROM auth_key_failure WHERE key = ?", key).Scan(&failures, &last)
	if err != nil {
		return 0, false, 0, err
	}
	return failures, false, last + window, nil
}

// PruneKeyFailures deletes the counters whose last failure is at or before
// cutoff (Unix milliseconds): they no longer limit anything.
func PruneKeyFailures(ctx context.Context, db bun.IDB, cutoff int64) error {
	_, err := db.ExecContext(ctx, "DELETE FROM auth_key_failure WHERE last_at <= ?", cutoff)
	return err
}
