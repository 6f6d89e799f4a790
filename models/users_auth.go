package models

import (
	"context"
	"database/sql"
	"errors"

	"github.com/uptrace/bun"
)

// UserCredentials is what authentication needs to know about a user. It is
// read on the pool, outside any call's transaction.
type UserCredentials struct {
	ID          int64
	Login       string
	Hash        string
	Active      bool
	AuthVersion int64
}

// UserByLogin finds an active or archived user by exact login; ok is false
// when there is none.
func UserByLogin(ctx context.Context, db bun.IDB, login string) (UserCredentials, bool, error) {
	return scanUser(db.QueryRowContext(ctx,
		"SELECT id, login, COALESCE(password, ''), active, auth_version FROM res_users WHERE login = ?", login))
}

// UserByID finds a user by id; ok is false when there is none.
func UserByID(ctx context.Context, db bun.IDB, uid int64) (UserCredentials, bool, error) {
	return scanUser(db.QueryRowContext(ctx,
		"SELECT id, login, COALESCE(password, ''), active, auth_version FROM res_users WHERE id = ?", uid))
}

// UserAuthState returns only what a cached credential check must re-read on
// every call: whether the user is active and its auth_version.
func UserAuthState(ctx context.Context, db bun.IDB, uid int64) (active bool, version int64, ok bool, err error) {
	var a any
	err = db.QueryRowContext(ctx, "SELECT active, auth_version FROM res_users WHERE id = ?", uid).Scan(&a, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return false, 0, false, nil
	}
	if err != nil {
		return false, 0, false, err
	}
	return Bool(a), version, true, nil
}

func scanUser(row *sql.Row) (UserCredentials, bool, error) {
	var u UserCredentials
	var active any
	err := row.Scan(&u.ID, &u.Login, &u.Hash, &active, &u.AuthVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return UserCredentials{}, false, nil
	}
	if err != nil {
		return UserCredentials{}, false, err
	}
	u.Active = Bool(active)
	return u, true, nil
}

// SetPasswordHash stores a new hash for uid (a rehash after a verification
// found too few rounds) without changing auth_version: the password itself
// did not change.
func SetPasswordHash(ctx context.Context, db bun.IDB, uid int64, hash string) error {
	_, err := db.ExecContext(ctx, "UPDATE res_users SET password = ? WHERE id = ?", hash, uid)
	return err
}

// ConfigParam reads an ir.config_parameter value; ok is false when unset.
func ConfigParam(ctx context.Context, db bun.IDB, key string) (string, bool, error) {
	var v string
	err := db.QueryRowContext(ctx, "SELECT value FROM ir_config_parameter WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, err
}

// LoginFailures returns the failure count and last failure time recorded
// under key; zero when there is none.
func LoginFailures(ctx context.Context, db bun.IDB, key string) (int64, string, error) {
	var n int64
	var last any
	err := db.QueryRowContext(ctx, "SELECT failures, last_failure FROM auth_login_failure WHERE key = ?", key).Scan(&n, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", err
	}
	s, _ := FormatTime(last, DatetimeLayout).(string)
	return n, s, nil
}

// RecordLoginFailure counts one more failure under key at now.
func RecordLoginFailure(ctx context.Context, db bun.IDB, key, now string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO auth_login_failure (key, failures, last_failure) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET failures = auth_login_failure.failures + 1, last_failure = excluded.last_failure`, key, now)
	return err
}

// PruneLoginFailures deletes the failure counts whose last failure is
// before cutoff (a datetime in DatetimeLayout), so that failures from ever
// new addresses cannot grow the table without bound.
func PruneLoginFailures(ctx context.Context, db bun.IDB, cutoff string) error {
	_, err := db.ExecContext(ctx, "DELETE FROM auth_login_failure WHERE last_failure < ?", cutoff)
	return err
}

// ClearLoginFailures forgets the failures recorded under keys.
func ClearLoginFailures(ctx context.Context, db bun.IDB, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	_, err := db.ExecContext(ctx, "DELETE FROM auth_login_failure WHERE key IN ("+Placeholders(len(keys))+")", args...)
	return err
}

// BumpAuthVersion marks ids' credentials as changed, so that every process
// drops what it cached about them at its next check.
func (env *Env) BumpAuthVersion(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	env.credentialsChanged("res_users")
	_, err := env.Exec(ctx, "UPDATE res_users SET auth_version = auth_version + 1 WHERE id IN ("+Placeholders(len(ids))+")", IDArgs(ids)...)
	return err
}
