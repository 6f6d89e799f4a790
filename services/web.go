package services

import (
	"context"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// Web resolves who a request to an HTTP route (as opposed to an RPC call)
// runs as, one method per route auth mode, and runs model methods as that
// identity. The rpc package reads the credentials from the request and
// turns the typed errors below into HTTP answers.
type Web struct{ c *core }

// Web returns the web-route service of the set.
func (s *Set) Web() *Web { return &Web{s.core} }

// Identity is who an HTTP route's request runs as.
type Identity struct {
	// DB is the database the identity belongs to.
	DB    string
	UID   int64
	Login string
	// Mode is the route auth mode that resolved the identity: public,
	// user, api_key, bearer or basic_api_key.
	Mode string
	// KeyID and KeyName name the key used, when there is one (KeyName is
	// only known for auth.api.key header keys).
	KeyID   int64
	KeyName string
	// Groups are the codes of the header key's groups (auth.api.key.group).
	Groups []string
	// session is the web session's identity check, for mode user.
	session *sessionCheck
}

// refuse is the refusal of a route request's credentials for reason.
func refuse(r models.Reason) error { return models.Refused(models.KindAccessDenied, r) }

// noDatabase is the refusal of a route request whose database is not
// there for reason.
func noDatabase(r models.Reason) error { return models.Refused(models.KindNotFound, r) }

// Credentials are what a request to an HTTP route carries. Secrets are
// compared and forgotten; they never reach a log or an error.
type Credentials struct {
	// DB is the database asked for (X-Odoo-Database header or db query
	// parameter); empty selects the only database.
	DB string
	// APIKey is the API-KEY (or HTTP-API-KEY) header.
	APIKey string
	// Bearer is the token of an "Authorization: Bearer" header.
	Bearer string
	// HasBasic is true when Authorization carried Basic credentials.
	HasBasic             bool
	BasicUser, BasicPass string
	// KeyGroups restricts header keys to those in at least one of these
	// group codes; empty accepts every key.
	KeyGroups []string
}

// selectDB opens the database asked for, or the only one when none is
// named. Errors: KindNotFound (ReasonNoDatabase, ReasonUnknownDatabase).
func (w *Web) selectDB(ctx context.Context, name string) (*bun.DB, string, error) {
	if name == "" {
		names, err := w.c.store.List(ctx)
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
	if !w.c.recentlyFound(name) {
		ok, err := w.c.store.Exists(ctx, name)
		if err != nil {
			return nil, "", err
		}
		if !ok {
			return nil, "", noDatabase(models.ReasonUnknownDatabase)
		}
		w.c.found(name)
	}
	db, err := w.c.open(ctx, name)
	if err != nil {
		return nil, "", err
	}
	return db, name, nil
}

// Public resolves the public user (base.public_user), as Odoo's
// auth='public' routes run without a session.
func (w *Web) Public(ctx context.Context, cr Credentials) (Identity, error) {
	db, name, err := w.selectDB(ctx, cr.DB)
	if err != nil {
		return Identity{}, err
	}
	res, err := w.c.run(ctx, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
		uid, err := env.XMLID(ctx, "base.public_user")
		if err != nil || uid == 0 {
			return nil, err
		}
		u, _, err := models.UserByID(ctx, env.DB, uid)
		return u, err
	})
	if err != nil {
		return Identity{}, err
	}
	u, ok := res.(models.UserCredentials)
	if !ok {
		return Identity{}, &models.Error{Kind: models.KindInternal, Message: "database " + name + " has no public user (base.public_user)"}
	}
	return Identity{DB: name, UID: u.ID, Login: u.Login, Mode: "public"}, nil
}

// APIKey resolves the user of an API-KEY header key (OCA auth_api_key),
// archived or not, unless its company disables keys of archived users.
// Passwords are never accepted here. Errors: AccessDenied
// (ReasonMissingKey), the database refusals, then AccessDenied
// (ReasonInvalidKey, ReasonKeyGroup).
func (w *Web) APIKey(ctx context.Context, cr Credentials) (Identity, error) {
	if cr.APIKey == "" {
		return Identity{}, refuse(models.ReasonMissingKey)
	}
	db, name, err := w.selectDB(ctx, cr.DB)
	if err != nil {
		return Identity{}, err
	}
	return w.headerKey(ctx, db, name, cr)
}

func (w *Web) headerKey(ctx context.Context, db *bun.DB, name string, cr Credentials) (Identity, error) {
	if cr.APIKey == "" {
		return Identity{}, refuse(models.ReasonMissingKey)
	}
	ip := remoteAddr(ctx)
	id, groups, err := w.c.auth.HeaderKey(ctx, db, name, cr.APIKey, ip)
	if models.KindOf(w.c.refused(ctx, err)) == models.KindAccessDenied {
		return Identity{}, refuse(models.ReasonInvalidKey) // the authenticator logged it
	}
	if err != nil {
		return Identity{}, err
	}
	if len(cr.KeyGroups) > 0 && !intersects(cr.KeyGroups, groups) {
		w.c.auth.Refused(ip, name, id.Login, "key_group")
		return Identity{}, refuse(models.ReasonKeyGroup)
	}
	return Identity{DB: name, UID: id.UID, Login: id.Login, Mode: "api_key", KeyID: id.KeyID, KeyName: id.KeyName, Groups: groups}, nil
}

// Bearer resolves the owner of a native key (res.users.apikeys, scope rpc
// or global) given as "Authorization: Bearer <key>", Odoo 18's
// auth='bearer'. Errors: the database refusals, then AccessDenied
// (ReasonMissingBearer, ReasonInvalidBearer).
func (w *Web) Bearer(ctx context.Context, cr Credentials) (Identity, error) {
	if cr.Bearer == "" {
		return Identity{}, refuse(models.ReasonMissingBearer)
	}
	db, name, err := w.selectDB(ctx, cr.DB)
	if err != nil {
		return Identity{}, err
	}
	ip := remoteAddr(ctx)
	id, err := w.c.auth.BearerKey(ctx, db, name, cr.Bearer, ip)
	if models.KindOf(w.c.refused(ctx, err)) == models.KindAccessDenied {
		return Identity{}, refuse(models.ReasonInvalidBearer) // the authenticator logged it
	}
	if err != nil {
		return Identity{}, err
	}
	return Identity{DB: name, UID: id.UID, Login: id.Login, Mode: "bearer", KeyID: id.KeyID}, nil
}

// BasicAPIKey is the dual scheme: valid HTTP Basic credentials and a valid
// API-KEY, running as the key's user. Basic credentials are checked against
// the configured Basic users (Config.BasicUsers) or, when there are none,
// against the users' passwords of the database. Basic is checked first.
// Errors: AccessDenied (ReasonMissingBasic), the database refusals,
// AccessDenied (ReasonInvalidBasic, with the cool-down's text when it
// refused), then those of APIKey.
func (w *Web) BasicAPIKey(ctx context.Context, cr Credentials) (Identity, error) {
	if !cr.HasBasic || cr.BasicUser == "" {
		return Identity{}, refuse(models.ReasonMissingBasic)
	}
	db, name, err := w.selectDB(ctx, cr.DB)
	if err != nil {
		return Identity{}, err
	}
	ip := remoteAddr(ctx)
	if users := w.c.cfg.BasicUsers; len(users) > 0 {
		if !w.c.auth.ConfiguredBasic(cr.BasicUser, cr.BasicPass, users[cr.BasicUser]) {
			_ = w.c.refused(ctx, models.ErrAccessDenied)
			w.c.auth.Refused(ip, name, cr.BasicUser, "basic")
			return Identity{}, refuse(models.ReasonInvalidBasic)
		}
	} else {
		_, err := w.c.auth.Basic(ctx, db, name, cr.BasicUser, cr.BasicPass, ip)
		if e := models.AsError(w.c.refused(ctx, err)); e != nil && e.Kind == models.KindAccessDenied {
			re := &models.Error{Kind: models.KindAccessDenied, Reason: models.ReasonInvalidBasic}
			if e.Message != models.ErrAccessDenied.Message {
				re.Message = e.Message // the cool-down's own text
			}
			return Identity{}, re
		}
		if err != nil {
			return Identity{}, err
		}
	}
	id, err := w.headerKey(ctx, db, name, cr)
	if err != nil {
		return Identity{}, err
	}
	id.Mode = "basic_api_key"
	return id, nil
}

// Execute runs a model method as id in one transaction, the way a route
// handler of a program that embeds godoo acts as the route's user.
// Errors: AccessDenied for an identity without a user; those of the method.
func (w *Web) Execute(ctx context.Context, id Identity, model, method string, args []any, kwargs map[string]any) (any, error) {
	if id.UID <= 0 || id.DB == "" {
		return nil, models.ErrAccessDenied
	}
	db, err := w.c.open(ctx, id.DB)
	if err != nil {
		return nil, err
	}
	_, meth, err := w.c.registry.Lookup(model, method)
	if err != nil {
		return nil, err
	}
	if args == nil {
		args = []any{}
	}
	return w.c.run(ctx, db, id.UID, meth.ReadOnly, func(ctx context.Context, env *models.Env) (any, error) {
		if s := id.session; s != nil {
			env.Identity = &models.IdentityCheck{Last: s.last, Record: func(ctx context.Context, at time.Time) error {
				return models.SetSessionIdentityCheck(ctx, env.DB, s.rowID, at)
			}}
		}
		return w.c.registry.Call(ctx, env, model, method, args, kwargs)
	})
}

// sessionCheck is the identity check of the web session a call comes with.
type sessionCheck struct {
	rowID int64
	last  time.Time
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
