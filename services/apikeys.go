package services

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
)

// The two kinds of API keys.
const (
	// KeyNative is a res.users.apikeys key: given in the password slot of
	// login, authenticate, execute and execute_kw, or as a bearer key.
	KeyNative = "native"
	// KeyHeader is an auth.api.key key (OCA auth_api_key): given in the
	// API-KEY header of the routes that accept it.
	KeyHeader = "header"
)

// KeyOptions describe a key made from the command line.
type KeyOptions struct {
	// Kind is KeyNative (the default) or KeyHeader.
	Kind string
	// Login is the key's user: the user every request with the key runs as.
	Login string
	Name  string
	// Scope restricts a native key ("" is global: RPC and bearer routes).
	Scope string
	// Expires is when the key stops working; the zero time makes a
	// persistent key, which the command line may create as the superuser.
	Expires time.Time
	// Limits are the key's restrictions (models.KeyLimits); the zero value
	// restricts nothing.
	Limits KeyLimits
}

// KeyLimits are the restrictions of a key as the command line gives and
// shows them: MODEL:METHODS patterns, read-only, source address ranges.
type KeyLimits struct {
	Allow    []string
	ReadOnly bool
	From     []string
}

// vals are the restriction fields of l, for a write.
func (l KeyLimits) vals() map[string]any {
	return map[string]any{"allowed_methods": strings.Join(l.Allow, "\n"), "read_only": l.ReadOnly,
		"allowed_networks": strings.Join(l.From, "\n")}
}

// zero reports whether l restricts nothing.
func (l KeyLimits) zero() bool { return len(l.Allow) == 0 && !l.ReadOnly && len(l.From) == 0 }

// KeyInfo describes a stored key. It never holds a secret: the clear key is
// known only when it is made (NewKeyResult).
type KeyInfo struct {
	ID    int64
	Kind  string
	Name  string
	Login string
	// Scope is "" for global keys and for header keys.
	Scope string
	// Expires and LastUsed are UTC "YYYY-MM-DD HH:MM:SS", "" for never.
	Expires  string
	LastUsed string
	// State is "active", "expired", "archived" (a header key) or
	// "user archived" (a native key, which stops working with its user).
	State string
	// Limits are the key's restrictions.
	Limits KeyLimits
}

// NewKeyResult is a key just made: the stored description and the clear
// key, which is shown once and never stored.
type NewKeyResult struct {
	KeyInfo
	Clear string
}

// KeyFilter selects keys for ListAPIKeys and RevokeAPIKeys. Empty fields
// select everything.
type KeyFilter struct {
	Kind  string // KeyNative, KeyHeader, or "" for both
	Login string
	Name  string
	IDs   []int64
}

// CreateAPIKey makes a key as the superuser, in one transaction, and
// returns it with the clear key. Native keys are made by the same code as
// res.users.apikeys.generate; header keys get a random godoo-format key of
// which only the hash is stored. Errors: UserError for an unknown user, a
// missing name, a native key for an archived user or an expiry in the past;
// ValidationError for a header key name already in use.
func (s *Database) CreateAPIKey(ctx context.Context, dbname string, o KeyOptions) (NewKeyResult, error) {
	if err := o.check(); err != nil {
		return NewKeyResult{}, err
	}
	db, err := s.c.open(ctx, dbname)
	if err != nil {
		return NewKeyResult{}, err
	}
	res, err := s.c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return makeKey(ctx, env, o)
	})
	if err != nil {
		return NewKeyResult{}, err
	}
	return res.(NewKeyResult), nil
}

// check defaults o's kind to native and refuses what no key can be.
func (o *KeyOptions) check() error {
	if o.Kind == "" {
		o.Kind = KeyNative
	}
	if err := checkKind(o.Kind, false); err != nil {
		return err
	}
	if o.Name == "" {
		return models.UserErrorf("The API key must have a name.")
	}
	if o.Kind == KeyHeader && o.Scope != "" {
		return models.UserErrorf("Header keys have no scope.")
	}
	return nil
}

// makeKey makes the key o (checked) describes in env's transaction, as
// env's user: the command line's superuser, or the key page's
// administrator.
func makeKey(ctx context.Context, env *models.Env, o KeyOptions) (NewKeyResult, error) {
	uid, active, err := userByLogin(ctx, env, o.Login)
	if err != nil {
		return NewKeyResult{}, err
	}
	out := NewKeyResult{KeyInfo: KeyInfo{Kind: o.Kind, Name: o.Name, Login: o.Login, Scope: o.Scope, State: "active", Limits: o.Limits}}
	var expiry any = false
	if !o.Expires.IsZero() {
		out.Expires = o.Expires.UTC().Format(models.DatetimeLayout)
		expiry = out.Expires
	}
	if o.Kind == KeyHeader {
		clear, _, _, err := auth.NewKey()
		if err != nil {
			return NewKeyResult{}, err
		}
		vals := o.Limits.vals()
		vals["name"], vals["key"], vals["user_id"], vals["expiration_date"] = o.Name, clear, uid, expiry
		id, err := env.Create(ctx, env.Registry.Model("auth.api.key"), vals)
		if err != nil {
			return NewKeyResult{}, err
		}
		out.ID, out.Clear = id, clear
		return out, nil
	}
	if !active {
		return NewKeyResult{}, models.UserErrorf("The user %s is archived: a native key of an archived user never works.", o.Login)
	}
	clear, id, err := env.GenerateAPIKey(ctx, uid, o.Scope, o.Name, expiry)
	if err != nil {
		return NewKeyResult{}, err
	}
	if !o.Limits.zero() {
		if err := env.Write(ctx, env.Registry.Model("res.users.apikeys"), []int64{id}, o.Limits.vals()); err != nil {
			return NewKeyResult{}, err
		}
	}
	out.ID, out.Clear = id, clear
	return out, nil
}

// ListAPIKeys describes the keys f selects, native keys first, each kind
// by id. It never returns a secret.
func (s *Database) ListAPIKeys(ctx context.Context, dbname string, f KeyFilter) ([]KeyInfo, error) {
	if err := checkKind(f.Kind, true); err != nil {
		return nil, err
	}
	db, err := s.c.open(ctx, dbname)
	if err != nil {
		return nil, err
	}
	res, err := s.c.run(ctx, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
		return findKeys(ctx, env, f)
	})
	if err != nil {
		return nil, err
	}
	return res.([]KeyInfo), nil
}

// RevokeAPIKeys removes the keys of one kind that f selects by ids or by
// name, in one transaction, and returns what it removed: native keys are
// removed as res.users.apikeys.revoke does, header keys deleted. The next
// request with a removed key fails in every process. Errors: UserError when
// an id or the name matches no key of that kind (nothing is removed then).
func (s *Database) RevokeAPIKeys(ctx context.Context, dbname string, f KeyFilter) ([]KeyInfo, error) {
	if f.Kind == "" {
		f.Kind = KeyNative
	}
	if err := checkKind(f.Kind, false); err != nil {
		return nil, err
	}
	if len(f.IDs) == 0 && f.Name == "" {
		return nil, models.UserErrorf("Name the keys to revoke by id or by name.")
	}
	db, err := s.c.open(ctx, dbname)
	if err != nil {
		return nil, err
	}
	res, err := s.c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		keys, err := findKeys(ctx, env, f)
		if err != nil {
			return nil, err
		}
		found := map[int64]bool{}
		ids := make([]int64, 0, len(keys))
		for _, k := range keys {
			found[k.ID] = true
			ids = append(ids, k.ID)
		}
		for _, id := range f.IDs {
			if !found[id] {
				return nil, models.UserErrorf("No %s API key with id %d%s.", f.Kind, id, ofUser(f.Login))
			}
		}
		if len(keys) == 0 {
			return nil, models.UserErrorf("No %s API key named %q%s.", f.Kind, f.Name, ofUser(f.Login))
		}
		if f.Kind == KeyNative {
			err = env.RemoveAPIKeys(ctx, ids)
		} else {
			err = env.Unlink(ctx, env.Registry.Model("auth.api.key"), ids)
		}
		return keys, err
	})
	if err != nil {
		return nil, err
	}
	return res.([]KeyInfo), nil
}

func checkKind(kind string, allowBoth bool) error {
	switch {
	case kind == KeyNative || kind == KeyHeader:
		return nil
	case kind == "" && allowBoth:
		return nil
	}
	return models.UserErrorf("Unknown key kind %q: use %s or %s.", kind, KeyNative, KeyHeader)
}

func ofUser(login string) string {
	if login == "" {
		return ""
	}
	return " of " + login
}

// userByLogin finds an active or archived user by exact login.
func userByLogin(ctx context.Context, env *models.Env, login string) (uid int64, active bool, err error) {
	if login == "" {
		return 0, false, models.UserErrorf("Give the key's user (a login).")
	}
	users := env.Registry.Model("res.users")
	ids, err := env.Search(ctx, users, []any{[]any{"login", "=", login}, []any{"active", "in", []any{true, false}}}, models.SearchOptions{})
	if err != nil {
		return 0, false, err
	}
	if len(ids) != 1 {
		return 0, false, models.UserErrorf("No user with login %q.", login)
	}
	recs, err := env.Read(ctx, users, ids, []string{"active"}, false)
	if err != nil || len(recs) == 0 {
		return 0, false, err
	}
	return ids[0], recs[0]["active"] == true, nil
}

// findKeys reads the keys f selects through the ORM, as the superuser.
func findKeys(ctx context.Context, env *models.Env, f KeyFilter) ([]KeyInfo, error) {
	env = env.WithContext(map[string]any{"active_test": false})
	var uid int64
	if f.Login != "" {
		var err error
		if uid, _, err = userByLogin(ctx, env, f.Login); err != nil {
			return nil, err
		}
	}
	var out []KeyInfo
	for _, kind := range []string{KeyNative, KeyHeader} {
		if f.Kind != "" && f.Kind != kind {
			continue
		}
		m := env.Registry.Model("res.users.apikeys")
		fields := []string{"name", "user_id", "scope", "expiration_date", "last_used", "allowed_methods", "read_only", "allowed_networks"}
		if kind == KeyHeader {
			m = env.Registry.Model("auth.api.key")
			fields = []string{"name", "user_id", "active", "expiration_date", "last_used", "allowed_methods", "read_only", "allowed_networks"}
		}
		domain := []any{}
		if uid != 0 {
			domain = append(domain, []any{"user_id", "=", uid})
		}
		if f.Name != "" {
			domain = append(domain, []any{"name", "=", f.Name})
		}
		if len(f.IDs) > 0 {
			ids := make([]any, len(f.IDs))
			for i, id := range f.IDs {
				ids[i] = id
			}
			domain = append(domain, []any{"id", "in", ids})
		}
		ids, err := env.Search(ctx, m, domain, models.SearchOptions{Order: "id"})
		if err != nil {
			return nil, err
		}
		recs, err := env.Read(ctx, m, ids, fields, false)
		if err != nil {
			return nil, err
		}
		users, err := keyUsers(ctx, env, recs)
		if err != nil {
			return nil, err
		}
		now := env.NowText()
		for _, r := range recs {
			id, _ := r["id"].(int64)
			owner, _ := r["user_id"].(int64)
			k := KeyInfo{ID: id, Kind: kind, Name: text(r["name"]), Login: users[owner].login, Scope: text(r["scope"]),
				Expires: text(r["expiration_date"]), LastUsed: text(r["last_used"]), State: "active",
				Limits: KeyLimits{Allow: models.SplitKeyList(text(r["allowed_methods"]), false), ReadOnly: r["read_only"] == true,
					From: models.SplitKeyList(text(r["allowed_networks"]), true)}}
			switch {
			case kind == KeyHeader && r["active"] != true:
				k.State = "archived"
			case k.Expires != "" && k.Expires < now:
				k.State = "expired"
			case kind == KeyNative && !users[owner].active:
				k.State = "user archived"
			}
			out = append(out, k)
		}
	}
	return out, nil
}

type keyUser struct {
	login  string
	active bool
}

// keyUsers reads the login and active flag of the keys' users.
func keyUsers(ctx context.Context, env *models.Env, recs []models.Record) (map[int64]keyUser, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, r := range recs {
		if id, ok := r["user_id"].(int64); ok && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	out := map[int64]keyUser{}
	if len(ids) == 0 {
		return out, nil
	}
	users, err := env.Read(ctx, env.Registry.Model("res.users"), ids, []string{"login", "active"}, false)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		id, _ := u["id"].(int64)
		out[id] = keyUser{login: text(u["login"]), active: u["active"] == true}
	}
	return out, nil
}

// text is a Char or Datetime value read by the ORM, "" for false.
func text(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if v == nil || v == false {
		return ""
	}
	return fmt.Sprint(v)
}

// RotateAPIKey replaces the native key id, as the superuser, with a new key
// of the same user, name, scope, expiry and restrictions, and returns it
// with the clear key. The old key keeps working for overlap (not past its
// own expiry); with no overlap it is revoked at once. Errors: UserError for
// an unknown key id.
func (s *Database) RotateAPIKey(ctx context.Context, dbname string, id int64, overlap time.Duration) (NewKeyResult, error) {
	db, err := s.c.open(ctx, dbname)
	if err != nil {
		return NewKeyResult{}, err
	}
	res, err := s.c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		clear, newID, err := env.RotateAPIKey(ctx, id, overlap)
		if err != nil {
			return nil, err
		}
		keys, err := findKeys(ctx, env, KeyFilter{Kind: KeyNative, IDs: []int64{newID}})
		if err != nil || len(keys) != 1 {
			return nil, err
		}
		return NewKeyResult{KeyInfo: keys[0], Clear: clear}, nil
	})
	if err != nil {
		return NewKeyResult{}, err
	}
	return res.(NewKeyResult), nil
}

// AuditEntry is one row of the key audit (auth.key.audit). It never holds
// a secret.
type AuditEntry struct {
	ID int64
	// At is UTC "YYYY-MM-DD HH:MM:SS".
	At, Event, Kind string
	KeyID           int64
	KeyName         string
	UserID          int64
	IP, UserAgent   string
	// Protocol, Model and Method are those of a refused call.
	Protocol, Model, Method string
}

// AuditFilter selects rows of the key audit: those of one key id (0 for
// every key) since a time (the zero time for all), of one event ("" for
// all); Limit, when positive, keeps only the newest rows.
type AuditFilter struct {
	KeyID int64
	Since time.Time
	Event string
	Limit int
}

// KeyAudit reads the key audit as the superuser, oldest first.
func (s *Database) KeyAudit(ctx context.Context, dbname string, f AuditFilter) ([]AuditEntry, error) {
	db, err := s.c.open(ctx, dbname)
	if err != nil {
		return nil, err
	}
	res, err := s.c.run(ctx, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
		return readAudit(ctx, env, f)
	})
	if err != nil {
		return nil, err
	}
	return res.([]AuditEntry), nil
}

// readAudit reads the audit rows f selects as env's user: oldest first, or
// with a Limit the newest Limit rows, newest first.
func readAudit(ctx context.Context, env *models.Env, f AuditFilter) ([]AuditEntry, error) {
	domain := []any{}
	if f.KeyID != 0 {
		domain = append(domain, []any{"key_id", "=", f.KeyID})
	}
	if !f.Since.IsZero() {
		domain = append(domain, []any{"at", ">=", f.Since.UTC().Format(models.DatetimeLayout)})
	}
	if f.Event != "" {
		domain = append(domain, []any{"event", "=", f.Event})
	}
	o := models.SearchOptions{Order: "at, id"}
	if f.Limit > 0 {
		o = models.SearchOptions{Order: "at desc, id desc", Limit: int64(f.Limit)}
	}
	recs, err := env.SearchRead(ctx, env.Registry.Model("auth.key.audit"), domain, o,
		[]string{"at", "event", "kind", "key_id", "key_name", "user_id", "ip", "user_agent", "protocol", "model", "method"}, false)
	if err != nil {
		return nil, err
	}
	out := make([]AuditEntry, 0, len(recs))
	for _, r := range recs {
		id, _ := r["id"].(int64)
		key, _ := r["key_id"].(int64)
		uid, _ := r["user_id"].(int64)
		out = append(out, AuditEntry{ID: id, At: text(r["at"]), Event: text(r["event"]), Kind: text(r["kind"]), KeyID: key,
			KeyName: text(r["key_name"]), UserID: uid, IP: text(r["ip"]), UserAgent: text(r["user_agent"]),
			Protocol: text(r["protocol"]), Model: text(r["model"]), Method: text(r["method"])})
	}
	return out, nil
}
