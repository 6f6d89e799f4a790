package services

import (
	"context"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// Auth turns what a request carries into who it runs as: one method per
// auth mode of the HTTP front, each returning the identity or a refusal
// (a *models.Error of KindAccessDenied, or KindNotFound for the database,
// with its reason). rpc reads the credentials from the request; nothing
// here knows HTTP.
type Auth struct{ c *core }

// Credentials are what a request carries toward an identity. Secrets are
// compared and forgotten; they never reach a log or an error.
type Credentials struct {
	// DB is the database asked for (X-Odoo-Database header or db query
	// parameter of a route, the db of an RPC call); empty selects the
	// only database on the routes.
	DB string
	// UID and Password are those of an RPC call (execute, execute_kw);
	// the password may be an API key.
	UID      int64
	Password string
	// APIKey is the API-KEY (or HTTP-API-KEY) header.
	APIKey string
	// Bearer is the token of an "Authorization: Bearer" header.
	Bearer string
	// HasBasic is true when Authorization carried Basic credentials.
	HasBasic             bool
	BasicUser, BasicPass string
	// Session is the web session id the request carries (session_id
	// cookie or X-Openerp-Session-Id header), and Host the host name it
	// asked for, for dbfilter.
	Session, Host string
	// KeyGroups restricts header keys to those in at least one of these
	// group codes; empty accepts every key.
	KeyGroups []string
}

// Password checks the password (or API key) of an RPC call for its uid,
// as Odoo's execute and execute_kw do on every call, and waits the refusal
// delay when it is refused. Errors: those of opening the database, then
// AccessDenied.
func (a *Auth) Password(ctx context.Context, cr Credentials) (auth.Identity, error) {
	db, err := a.c.open(ctx, cr.DB)
	if err != nil {
		return auth.Identity{}, err
	}
	k, err := a.c.auth.CheckCall(ctx, db, cr.DB, cr.UID, cr.Password, remoteAddr(ctx))
	if err != nil {
		return auth.Identity{}, a.c.refused(ctx, err)
	}
	return auth.Identity{DB: cr.DB, UID: cr.UID, KeyID: k.ID, Limits: k.Limits, Mode: "password"}, nil
}

// User resolves the web session a request carries, Odoo's auth='user',
// refusing a request that names another database than the session's.
// Errors: ErrSessionExpired; AccessDenied (ReasonSessionDatabase).
func (a *Auth) User(ctx context.Context, cr Credentials) (Session, error) {
	s, err := (&Web{a.c}).Session(ctx, SessionRequest{ID: cr.Session, Host: cr.Host})
	if err != nil {
		return Session{}, err
	}
	if cr.DB != "" && cr.DB != s.DB {
		return Session{}, refuse(models.ReasonSessionDatabase)
	}
	return s, nil
}

// refuse is the refusal of a route request's credentials for reason.
func refuse(r models.Reason) error { return models.Refused(models.KindAccessDenied, r) }

// noDatabase is the refusal of a route request whose database is not
// there for reason.
func noDatabase(r models.Reason) error { return models.Refused(models.KindNotFound, r) }

// selectDB opens the database asked for, or the only one when none is
// named. Errors: KindNotFound (ReasonNoDatabase, ReasonUnknownDatabase).
func (a *Auth) selectDB(ctx context.Context, name string) (*bun.DB, string, error) {
	if name == "" {
		names, err := a.c.store.List(ctx)
		if err != nil {
			return nil, "", err
		}
		if len(names) != 1 {
			return nil, "", noDatabase(models.ReasonNoDatabase)
		}
		name = names[0]
	}
	if !models.ValidDBName(name) {
		return nil, "", noDatabase(models.ReasonUnknownDatabase)
	}
	// A database found less than a second ago is not looked up again: on
	// PostgreSQL the look-up is a statement on the server's maintenance
	// database, and it was the only one of a JSON-2 or API-KEY call besides
	// the call's own. One that another process drops is refused again
	// within the second.
	if !a.c.recentlyFound(name) {
		ok, err := a.c.store.Exists(ctx, name)
		if err != nil {
			return nil, "", err
		}
		if !ok {
			return nil, "", noDatabase(models.ReasonUnknownDatabase)
		}
		a.c.found(name)
	}
	db, err := a.c.open(ctx, name)
	if err != nil {
		return nil, "", err
	}
	return db, name, nil
}

// Public resolves the public user (base.public_user), as Odoo's
// auth='public' routes run without a session.
func (a *Auth) Public(ctx context.Context, cr Credentials) (auth.Identity, error) {
	db, name, err := a.selectDB(ctx, cr.DB)
	if err != nil {
		return auth.Identity{}, err
	}
	res, err := a.c.run(ctx, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
		uid, err := env.XMLID(ctx, "base.public_user")
		if err != nil || uid == 0 {
			return nil, err
		}
		u, _, err := models.UserByID(ctx, env.DB, uid)
		return u, err
	})
	if err != nil {
		return auth.Identity{}, err
	}
	u, ok := res.(models.UserCredentials)
	if !ok {
		return auth.Identity{}, &models.Error{Kind: models.KindInternal, Message: "database " + name + " has no public user (base.public_user)"}
	}
	return auth.Identity{DB: name, UID: u.ID, Login: u.Login, Mode: "public"}, nil
}

// APIKey resolves the user of an API-KEY header key (OCA auth_api_key),
// archived or not, unless its company disables keys of archived users.
// Passwords are never accepted here. Errors: AccessDenied
// (ReasonMissingKey), the database refusals, then AccessDenied
// (ReasonInvalidKey, ReasonKeyGroup).
func (a *Auth) APIKey(ctx context.Context, cr Credentials) (auth.Identity, error) {
	if cr.APIKey == "" {
		return auth.Identity{}, refuse(models.ReasonMissingKey)
	}
	db, name, err := a.selectDB(ctx, cr.DB)
	if err != nil {
		return auth.Identity{}, err
	}
	return a.headerKey(ctx, db, name, cr)
}

func (a *Auth) headerKey(ctx context.Context, db *bun.DB, name string, cr Credentials) (auth.Identity, error) {
	if cr.APIKey == "" {
		return auth.Identity{}, refuse(models.ReasonMissingKey)
	}
	ip := remoteAddr(ctx)
	id, err := a.c.auth.HeaderKey(ctx, db, name, cr.APIKey, ip)
	if models.KindOf(a.c.refused(ctx, err)) == models.KindAccessDenied {
		return auth.Identity{}, refuse(models.ReasonInvalidKey) // the authenticator logged it
	}
	if err != nil {
		return auth.Identity{}, err
	}
	if len(cr.KeyGroups) > 0 && !intersects(cr.KeyGroups, id.Groups) {
		a.c.auth.Refused(ip, name, id.Login, "key_group")
		return auth.Identity{}, refuse(models.ReasonKeyGroup)
	}
	return id, nil
}

// Bearer resolves the owner of a native key (res.users.apikeys, scope rpc
// or global) given as "Authorization: Bearer <key>", Odoo 18's
// auth='bearer'. Errors: the database refusals, then AccessDenied
// (ReasonMissingBearer, ReasonInvalidBearer).
func (a *Auth) Bearer(ctx context.Context, cr Credentials) (auth.Identity, error) {
	if cr.Bearer == "" {
		return auth.Identity{}, refuse(models.ReasonMissingBearer)
	}
	db, name, err := a.selectDB(ctx, cr.DB)
	if err != nil {
		return auth.Identity{}, err
	}
	ip := remoteAddr(ctx)
	id, err := a.c.auth.BearerKey(ctx, db, name, cr.Bearer, ip)
	if models.KindOf(a.c.refused(ctx, err)) == models.KindAccessDenied {
		return auth.Identity{}, refuse(models.ReasonInvalidBearer) // the authenticator logged it
	}
	if err != nil {
		return auth.Identity{}, err
	}
	return id, nil
}

// BasicAPIKey is the dual scheme: valid HTTP Basic credentials and a valid
// API-KEY, running as the key's user. Basic credentials are checked against
// the configured Basic users (Config.BasicUsers) or, when there are none,
// against the users' passwords of the database. Basic is checked first.
// Errors: AccessDenied (ReasonMissingBasic), the database refusals,
// AccessDenied (ReasonInvalidBasic, with the cool-down's text when it
// refused), then those of APIKey.
func (a *Auth) BasicAPIKey(ctx context.Context, cr Credentials) (auth.Identity, error) {
	if !cr.HasBasic || cr.BasicUser == "" {
		return auth.Identity{}, refuse(models.ReasonMissingBasic)
	}
	db, name, err := a.selectDB(ctx, cr.DB)
	if err != nil {
		return auth.Identity{}, err
	}
	ip := remoteAddr(ctx)
	if users := a.c.cfg.BasicUsers; len(users) > 0 {
		if !a.c.auth.ConfiguredBasic(cr.BasicUser, cr.BasicPass, users[cr.BasicUser]) {
			_ = a.c.refused(ctx, models.ErrAccessDenied)
			a.c.auth.Refused(ip, name, cr.BasicUser, "basic")
			return auth.Identity{}, refuse(models.ReasonInvalidBasic)
		}
	} else {
		_, err := a.c.auth.Basic(ctx, db, name, cr.BasicUser, cr.BasicPass, ip)
		if e := models.AsError(a.c.refused(ctx, err)); e != nil && e.Kind == models.KindAccessDenied {
			re := &models.Error{Kind: models.KindAccessDenied, Reason: models.ReasonInvalidBasic}
			if e.Message != models.ErrAccessDenied.Message {
				re.Message = e.Message // the cool-down's own text
			}
			return auth.Identity{}, re
		}
		if err != nil {
			return auth.Identity{}, err
		}
	}
	id, err := a.headerKey(ctx, db, name, cr)
	if err != nil {
		return auth.Identity{}, err
	}
	id.Mode = "basic_api_key"
	return id, nil
}

func intersects(want, have []string) bool {
	for _, w := range want {
		for _, h := range have {
			if w == h {
				return true
			}
		}
	}
	return false
}
