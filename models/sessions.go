package models

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"
)

// WebSession is one row of http_session: a logged-in web session. It never
// holds the session id, only what the session check compares.
type WebSession struct {
	ID    int64
	UID   int64
	Login string
	// Token binds the session to the user's credentials at login; see
	// services for how it is computed.
	Token    string
	Created  time.Time
	LastSeen time.Time
	Expires  time.Time
	// IdentityChecked is when the user last passed the identity check in
	// this session (zero for never).
	IdentityChecked time.Time
}

// InsertSession stores a new session under the hash of its id.
func InsertSession(ctx context.Context, db bun.IDB, sidHash string, s WebSession, ip string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO http_session (sid_hash, uid, login, token, created, last_seen, expires, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, sidHash, s.UID, s.Login, s.Token,
		s.Created.UTC().Format(DatetimeLayout), s.LastSeen.UTC().Format(DatetimeLayout), s.Expires.UTC().Format(DatetimeLayout), ip)
	return err
}

// SessionByHash finds the session whose id hashes to sidHash; ok is false
// when there is none.
func SessionByHash(ctx context.Context, db bun.IDB, sidHash string) (WebSession, bool, error) {
	var s WebSession
	var created, lastSeen, expires, checked any
	err := db.QueryRowContext(ctx, `SELECT id, uid, login, token, created, last_seen, expires, identity_check_last FROM http_session WHERE sid_hash = ?`, sidHash).
		Scan(&s.ID, &s.UID, &s.Login, &s.Token, &created, &lastSeen, &expires, &checked)
	if errors.Is(err, sql.ErrNoRows) {
		return WebSession{}, false, nil
	}
	if err != nil {
		return WebSession{}, false, err
	}
	for _, f := range []struct {
		dst *time.Time
		v   any
	}{{&s.Created, created}, {&s.LastSeen, lastSeen}, {&s.Expires, expires}} {
		text, _ := FormatTime(f.v, DatetimeLayout).(string)
		t, err := time.Parse(DatetimeLayout, text)
		if err != nil {
			return WebSession{}, false, errors.New("http_session: unreadable timestamp")
		}
		*f.dst = t
	}
	if text, ok := FormatTime(checked, DatetimeLayout).(string); ok {
		if t, err := time.Parse(DatetimeLayout, text); err == nil {
			s.IdentityChecked = t
		}
	}
	return s, true, nil
}

// SetSessionIdentityCheck records that the user of session id passed the
// identity check at.
func SetSessionIdentityCheck(ctx context.Context, db bun.IDB, id int64, at time.Time) error {
	_, err := db.ExecContext(ctx, "UPDATE http_session SET identity_check_last = ? WHERE id = ?", at.UTC().Format(DatetimeLayout), id)
	return err
}

// TouchSession records a use of session id at lastSeen, valid until expires.
func TouchSession(ctx context.Context, db bun.IDB, id int64, lastSeen, expires time.Time) error {
	_, err := db.ExecContext(ctx, "UPDATE http_session SET last_seen = ?, expires = ? WHERE id = ?",
		lastSeen.UTC().Format(DatetimeLayout), expires.UTC().Format(DatetimeLayout), id)
	return err
}

// DeleteSession removes the session whose id hashes to sidHash and reports
// whether there was one.
func DeleteSession(ctx context.Context, db bun.IDB, sidHash string) (bool, error) {
	res, err := db.ExecContext(ctx, "DELETE FROM http_session WHERE sid_hash = ?", sidHash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// DeleteSessionByID removes one session row.
func DeleteSessionByID(ctx context.Context, db bun.IDB, id int64) error {
	_, err := db.ExecContext(ctx, "DELETE FROM http_session WHERE id = ?", id)
	return err
}

// DeleteExpiredSessions removes the sessions whose expiry is before now.
func DeleteExpiredSessions(ctx context.Context, db bun.IDB, now time.Time) (int64, error) {
	res, err := db.ExecContext(ctx, "DELETE FROM http_session WHERE expires < ?", now.UTC().Format(DatetimeLayout))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
