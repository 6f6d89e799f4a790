package models

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"
)

// NewKeyFunc makes a new key: the clear key (shown once), its indexed public
// part and its stored hash. The auth layer provides it.
type NewKeyFunc func() (clear, index, hash string, err error)

// MaxKeyDays is the longest key lifetime the user may choose: unlimited for
// system administrators, else the largest api_key_duration of the user's
// groups, 1 day when none sets one.
func (env *Env) MaxKeyDays(ctx context.Context) (days float64, persistent bool, err error) {
	if env.IsSuperuser() {
		return 0, true, nil
	}
	admin, err := env.HasGroup(ctx, "base.group_system")
	if err != nil || admin {
		return 0, admin, err
	}
	var max any
	if _, err := env.Scalar(ctx, &max, `SELECT MAX(g.api_key_duration) FROM res_groups g
		JOIN res_groups_users_rel r ON r.gid = g.id WHERE r.uid = ?`, env.UID); err != nil {
		return 0, false, err
	}
	days, _ = toFloat(max)
	if days <= 0 {
		days = 1
	}
	return days, false, nil
}

// GenerateAPIKey creates a native key for uid and returns the clear key,
// which is never stored. expiration is a datetime string or false; users
// other than system administrators must give one within their maximum.
func (env *Env) GenerateAPIKey(ctx context.Context, uid int64, scope, name string, expiration any) (string, int64, error) {
	if env.Registry.NewAPIKey == nil {
		return "", 0, &Error{Kind: KindInternal, Message: "no key generator configured"}
	}
	days, persistent, err := env.MaxKeyDays(ctx)
	if err != nil {
		return "", 0, err
	}
	f := &Field{Name: "expiration_date", Type: Datetime}
	exp, err := f.toDB(expiration)
	if err != nil {
		return "", 0, err
	}
	if exp == nil && !persistent {
		return "", 0, UserErrorf("You must set an expiration date for your API key: only administrators may create persistent keys.")
	}
	if exp != nil {
		t, _ := time.Parse(DatetimeLayout, exp.(string))
		if t.Before(env.Now) {
			return "", 0, UserErrorf("The expiration date of an API key cannot be in the past.")
		}
		if !persistent && t.After(env.Now.Add(time.Duration(days*24*float64(time.Hour)))) {
			return "", 0, UserErrorf("You cannot exceed %s days.", strconv.FormatFloat(days, 'f', -1, 64))
		}
	}
	clear, index, hash, err := env.Registry.NewAPIKey()
	if err != nil {
		return "", 0, err
	}
	var sc any
	if scope != "" {
		sc = scope
	}
	var id int64
	env.credentialsChanged("res_users_apikeys")
	err = env.DB.QueryRowContext(ctx, `INSERT INTO res_users_apikeys (name, user_id, scope, expiration_date, key_index, key,
		create_uid, write_uid, create_date, write_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		name, uid, sc, exp, index, hash, env.UID, env.UID, env.NowText(), env.NowText()).Scan(&id)
	if err != nil {
		return "", 0, env.Classify(err)
	}
	if err := env.Audit(ctx, "created", "native", id, name, uid); err != nil {
		return "", 0, err
	}
	return clear, id, nil
}

// RemoveAPIKeys deletes native keys: the owner's own, or any key for a
// system administrator. Removal takes effect at the next request in every
// process, since every key check reads the key's row.
func (env *Env) RemoveAPIKeys(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	type row struct {
		id, uid int64
		name    string
	}
	rows, err := env.Query(ctx, "SELECT id, user_id, name FROM res_users_apikeys WHERE id IN ("+Placeholders(len(ids))+")", IDArgs(ids)...)
	if err != nil {
		return err
	}
	var keys []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.uid, &r.name); err != nil {
			rows.Close()
			return err
		}
		keys = append(keys, r)
	}
	rows.Close()
	admin, err := env.HasGroup(ctx, "base.group_system")
	if err != nil {
		return err
	}
	for _, k := range keys {
		if !admin && !env.IsSuperuser() && k.uid != env.UID {
			return AccessErrorf("You can not remove API keys unless they're yours or you are a system user")
		}
	}
	for _, k := range keys {
		env.credentialsChanged("res_users_apikeys")
		if _, err := env.Exec(ctx, "DELETE FROM res_users_apikeys WHERE id = ?", k.id); err != nil {
			return err
		}
		if err := env.Audit(ctx, "revoked", "native", k.id, k.name, k.uid); err != nil {
			return err
		}
	}
	return nil
}

// Audit records a key event. It never receives a secret.
func (env *Env) Audit(ctx context.Context, event, kind string, keyID int64, keyName string, uid int64) error {
	_, err := env.Exec(ctx, `INSERT INTO auth_key_audit (at, event, kind, key_id, key_name, user_id, actor_uid, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, env.NowText(), event, kind, keyID, keyName, uid, env.UID, env.RemoteAddr)
	return err
}

// RotateAPIKey replaces the native key id with a new key of the same user,
// name, scope, expiry and restrictions, and returns the new clear key. The
// old key keeps working for overlap (not past its own expiry), so that the
// programs using it can move to the new one; with no overlap it is removed
// at once. Only the key's owner or a system administrator may rotate it.
// Errors: UserError for an unknown key (or one the caller may not see),
// AccessError for another user's key, those of GenerateAPIKey.
func (env *Env) RotateAPIKey(ctx context.Context, id int64, overlap time.Duration) (string, int64, error) {
	var (
		uid                      int64
		name, scope, allow, from string
		expires, readOnly        any
	)
	err := env.DB.QueryRowContext(ctx, `SELECT user_id, name, COALESCE(scope, ''), expiration_date,
		COALESCE(allowed_methods, ''), COALESCE(allowed_networks, ''), read_only FROM res_users_apikeys WHERE id = ?`, id).
		Scan(&uid, &name, &scope, &expires, &allow, &from, &readOnly)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, UserErrorf("No native API key with id %d.", id)
	}
	if err != nil {
		return "", 0, env.Classify(err)
	}
	if uid != env.UID && !env.IsSuperuser() {
		admin, err := env.HasGroup(ctx, "base.group_system")
		if err != nil {
			return "", 0, err
		}
		if !admin {
			return "", 0, AccessErrorf("You can not rotate API keys unless they're yours or you are a system user")
		}
	}
	var expiry any = false
	old := expiryText(expires)
	if old != "" {
		expiry = old
	}
	clear, newID, err := env.GenerateAPIKey(ctx, uid, scope, name, expiry)
	if err != nil {
		return "", 0, err
	}
	if _, err := env.Exec(ctx, `UPDATE res_users_apikeys SET allowed_methods = ?, allowed_networks = ?, read_only = ? WHERE id = ?`,
		nullText(allow), nullText(from), Bool(readOnly), newID); err != nil {
		return "", 0, err
	}
	if overlap <= 0 {
		return clear, newID, env.RemoveAPIKeys(ctx, []int64{id})
	}
	until := env.Now.Add(overlap).UTC().Format(DatetimeLayout)
	if old == "" || until < old {
		env.credentialsChanged("res_users_apikeys")
		if _, err := env.Exec(ctx, "UPDATE res_users_apikeys SET expiration_date = ? WHERE id = ?", until, id); err != nil {
			return "", 0, err
		}
	}
	if err := env.Audit(ctx, "rotated", "native", id, name, uid); err != nil {
		return "", 0, err
	}
	return clear, newID, nil
}

// nullText is NULL for an empty text, the text otherwise.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
