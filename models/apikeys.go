package models

import (
	"context"
	"strconv"
	"time"
)

// NewKeyFunc makes a new key: the clear key (shown once), its indexed public
// part and its stored hash. The auth layer provides it.
type NewKeyFunc func() (clear, index, hash string, err error)

// apikeysModel is res.users.apikeys: native keys, used in place of a
// password over RPC and as bearer keys. Clients never write the table
// directly; keys are made by generate (or the description wizard) and
// removed by remove/revoke/unlink, all of which check ownership.
func apikeysModel() *Model {
	m := &Model{Name: "res.users.apikeys", Description: "Users API Keys", Table: "res_users_apikeys", Order: "id"}
	for _, f := range []*Field{
		{Name: "name", Type: Char, String: "Description", Column: "name", Required: true, Readonly: true},
		{Name: "user_id", Type: Many2one, String: "User", Column: "user_id", Relation: "res.users", Required: true, Readonly: true},
		{Name: "scope", Type: Char, String: "Scope", Column: "scope", Readonly: true},
		{Name: "expiration_date", Type: Datetime, String: "Expiration Date", Column: "expiration_date", Readonly: true},
		{Name: "last_used", Type: Datetime, String: "Last Used", Column: "last_used", Readonly: true},
	} {
		m.AddField(f)
	}
	m.Rule = ownKeysRule
	m.AddMethod(&Method{Name: "create", Params: []string{"vals_list"}, Required: 1, Fn: func(context.Context, *Env, *Model, []int64, Args) (any, error) {
		return nil, AccessErrorf("API keys are created with generate() or the key wizard, which show the key once.")
	}})
	m.AddMethod(&Method{Name: "write", Params: []string{"vals"}, Required: 1, Record: true, Fn: func(context.Context, *Env, *Model, []int64, Args) (any, error) {
		return nil, AccessErrorf("API keys cannot be modified; revoke the key and generate a new one.")
	}})
	m.AddMethod(withSessionIdentityCheck(&Method{Name: "generate", Params: []string{"scope", "name", "expiration_date"}, Fn: rpcGenerateKey}))
	remove := func(ctx context.Context, env *Env, m *Model, ids []int64, _ Args) (any, error) {
		return true, env.RemoveAPIKeys(ctx, ids)
	}
	// remove is Odoo's button, behind the identity check; revoke (Odoo's
	// RPC method) and unlink are for programs, which prove their identity
	// on every call, and need the check only when called with a web
	// session.
	m.AddMethod(withIdentityCheck(&Method{Name: "remove", Record: true, Fn: remove}))
	for _, name := range []string{"revoke", "unlink"} {
		m.AddMethod(withSessionIdentityCheck(&Method{Name: name, Record: true, Fn: remove}))
	}
	return m
}

// ownKeysRule lets users see their own keys; system administrators see all.
func ownKeysRule(ctx context.Context, env *Env) ([]any, error) {
	admin, err := env.HasGroup(ctx, "base.group_system")
	if err != nil || admin {
		return nil, err
	}
	return []any{[]any{"user_id", "=", env.UID}}, nil
}

// descriptionModel is res.users.apikeys.description, the wizard of Odoo's
// key creation flow: create({'name': ...}) then make_key().
func descriptionModel() *Model {
	m := &Model{Name: "res.users.apikeys.description", Description: "API Key Description", Table: "res_users_apikeys_description"}
	for _, f := range []*Field{
		{Name: "name", Type: Char, String: "Description", Column: "name", Required: true},
		{Name: "duration", Type: Selection, String: "Duration", Column: "duration", Selection: [][2]string{
			{"1", "1 Day"}, {"7", "1 Week"}, {"30", "1 Month"}, {"90", "3 Months"}, {"180", "6 Months"},
			{"365", "1 Year"}, {"0", "Persistent Key"}, {"-1", "Custom Date"}}},
		{Name: "expiration_date", Type: Datetime, String: "Expiration Date", Column: "expiration_date"},
	} {
		m.AddField(f)
	}
	m.Rule = func(_ context.Context, env *Env) ([]any, error) {
		return []any{[]any{"create_uid", "=", env.UID}}, nil
	}
	m.AddMethod(withIdentityCheck(&Method{Name: "make_key", Record: true, Fn: makeKey}))
	m.AddMethod(&Method{Name: "check_access_make_key", Record: true, ReadOnly: true, Fn: func(ctx context.Context, env *Env, _ *Model, _ []int64, _ Args) (any, error) {
		return true, env.checkMakeKey(ctx)
	}})
	return m
}

// checkMakeKey allows key creation to internal users, and to portal users
// when the system parameter portal.allow_api_keys is set (Odoo's portal
// flow); their keys then last at most the portal group's api_key_duration
// (one day unless set).
func (env *Env) checkMakeKey(ctx context.Context) error {
	if env.IsSuperuser() {
		return nil
	}
	ok, err := env.HasGroup(ctx, "base.group_user")
	if err != nil || ok {
		return err
	}
	allow, _, err := ConfigParam(ctx, env.DB, "portal.allow_api_keys")
	if err != nil {
		return env.Classify(err)
	}
	if allow == "" || allow == "False" || allow == "0" {
		return AccessErrorf("Only internal users can create API keys")
	}
	portal, err := env.HasGroup(ctx, "base.group_portal")
	if err != nil {
		return err
	}
	if !portal {
		return AccessErrorf("Only internal and portal users can create API keys")
	}
	return nil
}

func makeKey(ctx context.Context, env *Env, m *Model, ids []int64, _ Args) (any, error) {
	if len(ids) != 1 {
		return nil, ServerErrorf("builtins.ValueError", "Expected singleton: %s", recordRepr(m.Name, ids))
	}
	if err := env.checkMakeKey(ctx); err != nil {
		return nil, err
	}
	recs, err := env.Read(ctx, m, ids, []string{"name", "duration", "expiration_date"}, false)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, MissingErrorf("Record does not exist or has been deleted.\n(Record: %s, User: %d)", recordRepr(m.Name, ids), env.UID)
	}
	r := recs[0]
	var expiry any = false
	switch d, _ := r["duration"].(string); d {
	case "", "0":
		if d == "" {
			// No choice made: the longest the user may have.
			days, persistent, err := env.maxKeyDays(ctx)
			if err != nil {
				return nil, err
			}
			if !persistent {
				expiry = env.Now.Add(time.Duration(days*24) * time.Hour).Format(DatetimeLayout)
			}
		}
	case "-1":
		expiry = r["expiration_date"]
	default:
		n, _ := strconv.Atoi(d)
		expiry = env.Now.AddDate(0, 0, n).Format(DatetimeLayout)
	}
	key, _, err := env.GenerateAPIKey(ctx, env.UID, "", r["name"].(string), expiry)
	if err != nil {
		return nil, err
	}
	if err := env.Sudo().Unlink(ctx, m, ids); err != nil {
		return nil, err
	}
	return map[string]any{
		"type": "ir.actions.act_window", "res_model": "res.users.apikeys.show", "name": "API Key Ready",
		"views": []any{[]any{false, "form"}}, "target": "new", "context": map[string]any{"default_key": key},
	}, nil
}

func rpcGenerateKey(ctx context.Context, env *Env, _ *Model, _ []int64, a Args) (any, error) {
	if err := env.checkMakeKey(ctx); err != nil {
		return nil, err
	}
	scope, _ := a["scope"].(string)
	name, _ := a["name"].(string)
	if name == "" {
		return nil, UserErrorf("The API key must have a name.")
	}
	key, _, err := env.GenerateAPIKey(ctx, env.UID, scope, name, a["expiration_date"])
	return key, err
}

// maxKeyDays is the longest key lifetime the user may choose: unlimited for
// system administrators, else the largest api_key_duration of the user's
// groups, 1 day when none sets one.
func (env *Env) maxKeyDays(ctx context.Context) (days float64, persistent bool, err error) {
	if env.IsSuperuser() {
		return 0, true, nil
	}
	admin, err := env.HasGroup(ctx, "base.group_system")
	if err != nil || admin {
		return 0, admin, err
	}
	var max any
	if _, err := env.scalar(ctx, &max, `SELECT MAX(g.api_key_duration) FROM res_groups g
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
	days, persistent, err := env.maxKeyDays(ctx)
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
	rows, err := env.query(ctx, "SELECT id, user_id, name FROM res_users_apikeys WHERE id IN ("+placeholders(len(ids))+")", int64Args(ids)...)
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
		if _, err := env.exec(ctx, "DELETE FROM res_users_apikeys WHERE id = ?", k.id); err != nil {
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
	_, err := env.exec(ctx, `INSERT INTO auth_key_audit (at, event, kind, key_id, key_name, user_id, actor_uid, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, env.NowText(), event, kind, keyID, keyName, uid, env.UID, env.RemoteAddr)
	return err
}
