package models

import (
	"context"
	"database/sql"
	"errors"

	"github.com/uptrace/bun"
)

// NativeKey is a native key row as authentication needs it.
type NativeKey struct {
	ID     int64
	UserID int64
	Hash   string
	Login  string
	// Scope is empty for a global key.
	Scope string
	// Expires is the expiration_date in DatetimeLayout, empty for a
	// persistent key.
	Expires string
	// Limits are the key's restrictions, compiled when the row was read;
	// nil restricts nothing.
	Limits *KeyLimits
}

// UsableFor reports whether the key serves scope at now (DatetimeLayout): a
// global key or one of that scope, not expired. Callers cache key rows and
// check this on every use, so that an expiry needs no notice.
func (k NativeKey) UsableFor(scope, now string) bool {
	return (k.Scope == "" || k.Scope == scope) && (k.Expires == "" || k.Expires >= now)
}

// NativeKeysByIndex returns the keys of active users whose indexed part is
// index, whatever their scope and expiry (see UsableFor). It is one read on
// an index; for godoo keys the index is unique in practice, for Odoo keys
// (8-character prefixes) there may be a few.
func NativeKeysByIndex(ctx context.Context, db bun.IDB, index string) ([]NativeKey, error) {
	rows, err := db.QueryContext(ctx, `SELECT k.id, k.user_id, k.key, u.login, COALESCE(k.scope, ''), k.expiration_date,
		COALESCE(k.allowed_methods, ''), COALESCE(k.allowed_networks, ''), k.read_only
		FROM res_users_apikeys k JOIN res_users u ON u.id = k.user_id
		WHERE k.key_index = ? AND u.active`, index)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NativeKey
	for rows.Next() {
		var k NativeKey
		var expires, readOnly any
		var allowed, networks string
		if err := rows.Scan(&k.ID, &k.UserID, &k.Hash, &k.Login, &k.Scope, &expires, &allowed, &networks, &readOnly); err != nil {
			return nil, err
		}
		k.Expires = expiryText(expires)
		k.Limits = KeyLimitsOf(allowed, networks, Bool(readOnly))
		out = append(out, k)
	}
	return out, rows.Err()
}

// expiryText reads a stored expiration date: "" for none. A value that
// cannot be read as a datetime fails closed: the key counts as expired.
func expiryText(v any) string {
	if v == nil {
		return ""
	}
	if t, ok := FormatTime(v, DatetimeLayout).(string); ok {
		return t
	}
	return "0000-00-00 00:00:00"
}

// NativeKeyIndexes returns the key ids of the native keys of active users,
// or nil when there are more than max.
func NativeKeyIndexes(ctx context.Context, db bun.IDB, max int) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT k.key_index FROM res_users_apikeys k
		JOIN res_users u ON u.id = k.user_id WHERE u.active LIMIT ?`, max+1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var index string
		if err := rows.Scan(&index); err != nil {
			return nil, err
		}
		out[index] = true
	}
	if len(out) > max {
		return nil, rows.Err()
	}
	return out, rows.Err()
}

// AuthGeneration reads the counter that migration 0005_auth_changes bumps in
// every transaction changing credentials, on stores without an AuthFeed.
func AuthGeneration(ctx context.Context, db bun.IDB) (int64, error) {
	var g int64
	err := db.QueryRowContext(ctx, "SELECT generation FROM godoo_auth_generation WHERE id = 1").Scan(&g)
	return g, err
}

// HeaderKey is an auth.api.key row as the API-KEY route check needs it.
type HeaderKey struct {
	ID     int64
	Name   string
	UserID int64
	Login  string
	// Usable is false for archived keys, and for keys of archived users
	// whose company turned archived_user_disable_auth_api_key on.
	Usable bool
	Groups []string // codes of the key's groups
	// Expires is the expiration_date in DatetimeLayout, "" for none; the
	// caller compares it with the time of each use, so that a cached row
	// expires without a notice.
	Expires string
	// Limits are the key's restrictions, compiled when the row was read;
	// nil restricts nothing.
	Limits *KeyLimits
}

const headerKeySelect = `SELECT k.id, k.name, k.user_id, u.login, k.active, u.active, c.archived_user_disable_auth_api_key,
	k.expiration_date, COALESCE(k.allowed_methods, ''), COALESCE(k.allowed_networks, ''), k.read_only
	FROM auth_api_key k JOIN res_users u ON u.id = k.user_id JOIN res_company c ON c.id = u.company_id `

// HeaderKeyByHash finds a header key by the hash of the key (one read on a
// unique index).
func HeaderKeyByHash(ctx context.Context, db bun.IDB, hash string) (HeaderKey, bool, error) {
	return scanHeaderKey(ctx, db, db.QueryRowContext(ctx, headerKeySelect+"WHERE k.key_hash = ?", hash))
}

// HeaderKeyByName finds a header key by name, for keys whose secret comes
// from the server configuration.
func HeaderKeyByName(ctx context.Context, db bun.IDB, name string) (HeaderKey, bool, error) {
	return scanHeaderKey(ctx, db, db.QueryRowContext(ctx, headerKeySelect+"WHERE k.name = ?", name))
}

func scanHeaderKey(ctx context.Context, db bun.IDB, row *sql.Row) (HeaderKey, bool, error) {
	var k HeaderKey
	var keyActive, userActive, disable, expires, readOnly any
	var allowed, networks string
	err := row.Scan(&k.ID, &k.Name, &k.UserID, &k.Login, &keyActive, &userActive, &disable, &expires, &allowed, &networks, &readOnly)
	if errors.Is(err, sql.ErrNoRows) {
		return HeaderKey{}, false, nil
	}
	if err != nil {
		return HeaderKey{}, false, err
	}
	k.Usable = Bool(keyActive) && (Bool(userActive) || !Bool(disable))
	k.Expires = expiryText(expires)
	k.Limits = KeyLimitsOf(allowed, networks, Bool(readOnly))
	rows, err := db.QueryContext(ctx, `SELECT g.code FROM auth_api_key_group g
		JOIN auth_api_key_group_rel r ON r.group_id = g.id WHERE r.key_id = ? ORDER BY g.code`, k.ID)
	if err != nil {
		return HeaderKey{}, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return HeaderKey{}, false, err
		}
		k.Groups = append(k.Groups, code)
	}
	return k, true, rows.Err()
}

// TouchKeys records when keys were last used; callers batch the uses of
// many requests into one call, made in one transaction.
func TouchKeys(ctx context.Context, db bun.IDB, table string, lastUsed map[int64]string) error {
	if table != "res_users_apikeys" && table != "auth_api_key" {
		return errors.New("touch keys: unknown table " + table)
	}
	for id, at := range lastUsed {
		if _, err := db.ExecContext(ctx, "UPDATE "+table+" SET last_used = ? WHERE id = ? AND (last_used IS NULL OR last_used < ?)", at, id, at); err != nil {
			return err
		}
	}
	return nil
}

// AuditFailure records a failed attempt on a known key (right key id, wrong
// secret, or a key refused for its state). It never receives the secret.
func AuditFailure(ctx context.Context, db bun.IDB, kind string, keyID int64, at, ip string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO auth_key_audit (at, event, kind, key_id, ip) VALUES (?, 'failed', ?, ?, ?)`,
		at, kind, keyID, ip)
	return err
}

// AuditRefusal records a call a key's restrictions refused: the key (kind
// native or header, and its id; the name of a native key is read from its
// row), its user, the client (address, user agent, protocol), and the model
// and method it asked for. It never receives the secret.
func AuditRefusal(ctx context.Context, db bun.IDB, at, kind string, keyID int64, keyName string, uid int64, ip, userAgent, protocol, model, method string) error {
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	name := any(keyName)
	if keyName == "" {
		name = nil
	}
	_, err := db.ExecContext(ctx, `INSERT INTO auth_key_audit (at, event, kind, key_id, key_name, user_id, ip, user_agent, protocol, model, method)
		VALUES (?, 'refused', ?, ?, COALESCE(?, (SELECT name FROM res_users_apikeys WHERE id = ? AND ? = 'native')), ?, ?, ?, ?, ?, ?)`,
		at, kind, keyID, name, keyID, kind, uid, ip, userAgent, protocol, model, method)
	return err
}
