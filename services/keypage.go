package services

import (
	"context"
	"time"

	"github.com/godoo/godoo/models"
)

// The key admin page (/web/keys) acts as the user of a web session, never
// as the superuser: each of its operations is one transaction run with the
// session's identity, through the same model methods RPC clients call
// (generate, rotate, revoke, write on the key models), so that the access
// rules, the ownership checks and the audit are those of every other
// channel. Its changes need a fresh identity check, as Odoo's key wizard
// does: a stolen session cookie alone cannot mint or revoke keys.

// ErrIdentityCheck is the answer of a key page change when the session's
// password check is older than models.IdentityWindow: the page asks for
// the password (ConfirmIdentity) before the change is made.
var ErrIdentityCheck error = models.UserErrorf("Confirm your password to change API keys.")

// KeyPage is what the key page shows a session's user: their own native
// keys, or for a system administrator every key of both kinds and the
// audit rows asked for.
type KeyPage struct {
	Login string
	Admin bool
	Keys  []KeyInfo
	Audit []AuditEntry
}

// KeyPage describes the keys the session's user may see and, for a system
// administrator, the audit rows audit selects, in one read transaction. It
// never returns a secret.
func (w *Web) KeyPage(ctx context.Context, s Session, audit AuditFilter) (KeyPage, error) {
	res, err := w.asSession(ctx, s, true, func(ctx context.Context, env *models.Env, admin bool) (any, error) {
		f := KeyFilter{}
		if !admin {
			f = KeyFilter{Kind: KeyNative, Login: s.Login}
		}
		keys, err := findKeys(ctx, env, f)
		if err != nil || !admin {
			return KeyPage{Login: s.Login, Keys: keys}, err
		}
		rows, err := readAudit(ctx, env, audit)
		return KeyPage{Login: s.Login, Admin: true, Keys: keys, Audit: rows}, err
	})
	if err != nil {
		return KeyPage{}, err
	}
	return res.(KeyPage), nil
}

// MakeKey makes a key from the key page and returns it with the clear key,
// shown once. A user makes native keys of their own (with the expiry rules
// of generate); a system administrator makes keys of either kind for any
// user, with restrictions. Errors: ErrIdentityCheck; AccessError when a
// user asks for more than their own plain native key; those of generate
// and CreateAPIKey.
func (w *Web) MakeKey(ctx context.Context, s Session, o KeyOptions) (NewKeyResult, error) {
	if err := o.check(); err != nil {
		return NewKeyResult{}, err
	}
	res, err := w.asSession(ctx, s, false, func(ctx context.Context, env *models.Env, admin bool) (any, error) {
		if err := freshIdentity(env); err != nil {
			return nil, err
		}
		if admin {
			return makeKey(ctx, env, o)
		}
		if o.Kind != KeyNative || (o.Login != "" && o.Login != s.Login) || !o.Limits.zero() {
			return nil, models.AccessErrorf("Only system administrators may make header keys, keys for other users or restricted keys.")
		}
		var expiry any = false
		if !o.Expires.IsZero() {
			expiry = o.Expires.UTC().Format(models.DatetimeLayout)
		}
		clear, err := env.Registry.Call(ctx, env, "res.users.apikeys", "generate", []any{o.Scope, o.Name, expiry}, nil)
		if err != nil {
			return nil, err
		}
		key, _ := clear.(string)
		if key == "" {
			return nil, ErrIdentityCheck // generate answered its identity wizard
		}
		return NewKeyResult{KeyInfo: KeyInfo{Kind: KeyNative, Name: o.Name, Login: s.Login, Scope: o.Scope, State: "active"}, Clear: key}, nil
	})
	if err != nil {
		return NewKeyResult{}, err
	}
	return res.(NewKeyResult), nil
}

// RestrictKey sets the restrictions of a key from the key page, for system
// administrators (the write methods of both key models check it), and the
// expiry of a header key (native keys keep theirs: rotate makes a new one).
// expires is the zero time for none. Errors: ErrIdentityCheck; AccessError
// for others; ValidationError for a pattern or range that does not parse.
func (w *Web) RestrictKey(ctx context.Context, s Session, kind string, id int64, l KeyLimits, expires time.Time) error {
	if err := checkKind(kind, false); err != nil {
		return err
	}
	_, err := w.asSession(ctx, s, false, func(ctx context.Context, env *models.Env, admin bool) (any, error) {
		if err := freshIdentity(env); err != nil {
			return nil, err
		}
		model, vals := "res.users.apikeys", l.vals()
		if kind == KeyHeader {
			model = "auth.api.key"
			vals["expiration_date"] = false
			if !expires.IsZero() {
				vals["expiration_date"] = expires.UTC().Format(models.DatetimeLayout)
			}
		}
		return env.Registry.Call(ctx, env, model, "write", []any{[]any{id}, vals}, nil)
	})
	return err
}

// RotateKey rotates the native key id from the key page (the owner or a
// system administrator, as rotate checks) and returns the new key with its
// clear key, shown once; the old one works for overlap more. Errors:
// ErrIdentityCheck; those of rotate.
func (w *Web) RotateKey(ctx context.Context, s Session, id int64, overlap time.Duration) (NewKeyResult, error) {
	res, err := w.asSession(ctx, s, false, func(ctx context.Context, env *models.Env, admin bool) (any, error) {
		if err := freshIdentity(env); err != nil {
			return nil, err
		}
		old, err := findKeys(ctx, env, KeyFilter{Kind: KeyNative, IDs: []int64{id}})
		if err != nil {
			return nil, err
		}
		if len(old) != 1 || (!admin && old[0].Login != s.Login) {
			return nil, models.UserErrorf("No native API key with id %d.", id)
		}
		clear, err := env.Registry.Call(ctx, env, "res.users.apikeys", "rotate", []any{[]any{id}}, map[string]any{"overlap": overlap.Seconds()})
		if err != nil {
			return nil, err
		}
		key, _ := clear.(string)
		if key == "" {
			return nil, ErrIdentityCheck
		}
		out := NewKeyResult{KeyInfo: old[0], Clear: key}
		out.ID = 0 // the new key's id is shown with the list
		return out, nil
	})
	if err != nil {
		return NewKeyResult{}, err
	}
	return res.(NewKeyResult), nil
}

// RevokeKey removes a key from the key page: a user's own native key, or
// for a system administrator any key of either kind. Errors:
// ErrIdentityCheck; UserError for a key the user cannot see; AccessError.
func (w *Web) RevokeKey(ctx context.Context, s Session, kind string, id int64) error {
	if err := checkKind(kind, false); err != nil {
		return err
	}
	_, err := w.asSession(ctx, s, false, func(ctx context.Context, env *models.Env, admin bool) (any, error) {
		if err := freshIdentity(env); err != nil {
			return nil, err
		}
		f := KeyFilter{Kind: kind, IDs: []int64{id}}
		if !admin {
			f.Login = s.Login
		}
		keys, err := findKeys(ctx, env, f)
		if err != nil {
			return nil, err
		}
		if len(keys) != 1 {
			return nil, models.UserErrorf("No %s API key with id %d.", kind, id)
		}
		if kind == KeyHeader {
			return env.Registry.Call(ctx, env, "auth.api.key", "unlink", []any{[]any{id}}, nil)
		}
		return env.Registry.Call(ctx, env, "res.users.apikeys", "revoke", []any{[]any{id}}, nil)
	})
	return err
}

// ConfirmIdentity checks the session user's password again, as Odoo's
// identity check wizard does, and marks the session's identity checked
// now. Errors: AccessDenied for a wrong password (counted, logged and
// cooled down as a failed login is).
func (w *Web) ConfirmIdentity(ctx context.Context, s Session, password string) error {
	db, err := w.c.open(ctx, s.DB)
	if err != nil {
		return err
	}
	uid, err := w.passwordLogin(ctx, db, s.DB, s.Login, password, remoteAddr(ctx))
	if err != nil {
		return err
	}
	if uid != s.UID {
		return models.ErrAccessDenied
	}
	if s.rowID == 0 {
		return ErrSessionExpired
	}
	if err := models.SetSessionIdentityCheck(ctx, db, s.rowID, w.c.cfg.Now()); err != nil {
		return w.c.store.Classify(err)
	}
	return nil
}

// asSession runs fn in one transaction as the session's user, with the
// session's identity check, telling fn whether the user is a system
// administrator.
func (w *Web) asSession(ctx context.Context, s Session, readOnly bool, fn func(ctx context.Context, env *models.Env, admin bool) (any, error)) (any, error) {
	if s.UID <= 0 || s.DB == "" {
		return nil, models.ErrAccessDenied
	}
	db, err := w.c.open(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	id := s.Identity()
	return w.c.run(ctx, db, s.UID, readOnly, func(ctx context.Context, env *models.Env) (any, error) {
		withIdentityCheck(env, id)
		admin, err := env.HasGroup(ctx, "base.group_system")
		if err != nil {
			return nil, err
		}
		return fn(ctx, env, admin)
	})
}

// freshIdentity refuses a change when the session's password check is
// stale.
func freshIdentity(env *models.Env) error {
	if env.IdentityFresh() {
		return nil
	}
	return ErrIdentityCheck
}
