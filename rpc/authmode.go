package rpc

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/services"
)

// AuthMode is how a request proves who it runs as: the counterpart of the
// auth argument of Odoo's @route, and of the credentials an RPC call
// carries. Every endpoint of the front has one (see authModes).
type AuthMode string

// The auth modes.
const (
	// AuthNone runs the handler without any identity (Odoo's auth='none').
	AuthNone AuthMode = "none"
	// AuthPublic is Odoo's auth='public': the user of the request's web
	// session when it has a valid one, the public user (base.public_user)
	// otherwise.
	AuthPublic AuthMode = "public"
	// AuthUser is Odoo's auth='user': the user of the web session that
	// /web/session/authenticate opened, given in the session_id cookie or
	// the X-Openerp-Session-Id header, on the session's database. A
	// missing, expired or destroyed session answers 401 "Session expired";
	// a request naming another database than the session's answers 403.
	// The key page (/web/keys) resolves its session through this mode
	// too, and sends a browser without one to the login form instead.
	AuthUser AuthMode = "user"
	// AuthAPIKey runs the handler as the user of the auth.api.key given in
	// the API-KEY header (HTTP-API-KEY is accepted too), the OCA
	// auth_api_key mode. Missing or refused keys answer 403.
	AuthAPIKey AuthMode = "api_key"
	// AuthBearer runs the handler as the owner of the native key given as
	// "Authorization: Bearer <key>" (Odoo 18's auth='bearer'). Missing or
	// refused keys answer 401 with WWW-Authenticate: Bearer.
	AuthBearer AuthMode = "bearer"
	// AuthBasicAPIKey needs both valid HTTP Basic credentials in
	// Authorization and a valid API-KEY, and runs as the key's user. A Basic
	// failure answers 401 with WWW-Authenticate: Basic, a key failure 403.
	AuthBasicAPIKey AuthMode = "basic_api_key"
	// AuthPassword is how XML-RPC and JSON-RPC's object.execute and
	// execute_kw authenticate: the database, uid and password (or API
	// key) are the call's first parameters. Routes cannot use it.
	AuthPassword AuthMode = "password"
)

// Claims are what a request offers toward an identity besides its
// headers: the database it names (the X-Odoo-Database header or db query
// parameter of a route, the db of an RPC call), the route's key groups,
// and the uid and password of an RPC call.
type Claims struct {
	DB        string
	UID       int64
	Password  string
	KeyGroups []string
	// json2 is JSON-2's way with bearer keys: an API-KEY header key does
	// as well, and a browser session without a key is refused.
	json2 bool
}

// AuthFunc turns a request into who it runs as, or a refusal: a
// *models.Error of KindAccessDenied (or KindNotFound for the database)
// with its reason, which rpc/errors.go's table answers on each protocol.
type AuthFunc func(r *http.Request, c Claims) (auth.Identity, error)

// grant is what an auth mode resolved: the identity, and for AuthUser the
// session itself, which the web client's routes answer with.
type grant struct {
	id       auth.Identity
	session  services.Session
	explicit bool // the session id came in X-Openerp-Session-Id
}

// mode is one entry of the table of auth modes.
type mode struct {
	resolve func(h *Handler, r *http.Request, c Claims) (grant, error)
	// consumed removes the credentials the mode read from the request a
	// route's handler sees, so that it cannot log or forward them by
	// mistake.
	consumed func(r *http.Request)
}

// authModes is the one table of auth modes: every endpoint of the front
// (RPC calls, the web client's routes, JSON-2, whoami and the routes added
// with Route) turns its requests into an identity through it.
var authModes = map[AuthMode]mode{
	AuthNone:   {resolve: func(*Handler, *http.Request, Claims) (grant, error) { return grant{}, nil }},
	AuthPublic: {resolve: public, consumed: dropSessionCredentials},
	AuthUser: {resolve: func(h *Handler, r *http.Request, c Claims) (grant, error) {
		sid, explicit := sessionID(r)
		s, err := h.set.Auth.User(r.Context(), services.Credentials{DB: c.DB, Session: sid, Host: requestHost(r, h.opts.ProxyMode)})
		return grant{id: s.Identity(), session: s, explicit: explicit}, err
	}, consumed: dropSessionCredentials},
	AuthAPIKey: {resolve: func(h *Handler, r *http.Request, c Claims) (grant, error) {
		id, err := h.set.Auth.APIKey(r.Context(), services.Credentials{DB: c.DB, APIKey: headerKey(r), KeyGroups: c.KeyGroups})
		return grant{id: id}, err
	}, consumed: dropKeyHeaders},
	AuthBearer: {resolve: bearer, consumed: func(r *http.Request) { r.Header.Del("Authorization") }},
	AuthBasicAPIKey: {resolve: func(h *Handler, r *http.Request, c Claims) (grant, error) {
		cr := services.Credentials{DB: c.DB, APIKey: headerKey(r), KeyGroups: c.KeyGroups}
		cr.BasicUser, cr.BasicPass, cr.HasBasic = r.BasicAuth()
		id, err := h.set.Auth.BasicAPIKey(r.Context(), cr)
		return grant{id: id}, err
	}, consumed: func(r *http.Request) {
		dropKeyHeaders(r)
		r.Header.Del("Authorization")
	}},
	AuthPassword: {resolve: func(h *Handler, r *http.Request, c Claims) (grant, error) {
		id, err := h.set.Auth.Password(r.Context(), services.Credentials{DB: c.DB, UID: c.UID, Password: c.Password})
		return grant{id: id}, err
	}},
}

// public is AuthPublic. As Odoo's, a session that is no longer valid
// (expired, ended, of another database) is not an error on a public
// route: the request runs as the public user.
func public(h *Handler, r *http.Request, c Claims) (grant, error) {
	if sid, explicit := sessionID(r); sid != "" {
		s, err := h.set.Auth.User(r.Context(), services.Credentials{DB: c.DB, Session: sid, Host: requestHost(r, h.opts.ProxyMode)})
		if err == nil {
			return grant{id: s.Identity(), session: s, explicit: explicit}, nil
		}
	}
	id, err := h.set.Auth.Public(r.Context(), services.Credentials{DB: c.DB})
	return grant{id: id}, err
}

// bearer is AuthBearer, and JSON-2's variant of it.
func bearer(h *Handler, r *http.Request, c Claims) (grant, error) {
	cr := services.Credentials{DB: c.DB, Bearer: bearerToken(r.Header.Get("Authorization"))}
	if c.json2 {
		cr.APIKey, cr.KeyGroups = headerKey(r), c.KeyGroups
		if sid, explicit := sessionID(r); sid != "" && !explicit {
			if sdb, ok := services.SessionDatabase(sid); ok && cr.DB != "" && sdb != cr.DB {
				return grant{}, models.Refused(models.KindAccessDenied, models.ReasonSessionDatabase)
			}
			if cr.Bearer == "" && cr.APIKey == "" {
				// A browser session is only for interactive use, which
				// godoo's JSON-2 does not serve: scripts send a key.
				return grant{}, models.Refused(models.KindAccessDenied, models.ReasonBrowserSession)
			}
		}
		if cr.Bearer == "" && cr.APIKey != "" {
			id, err := h.set.Auth.APIKey(r.Context(), cr)
			return grant{id: id}, err
		}
	}
	id, err := h.set.Auth.Bearer(r.Context(), cr)
	return grant{id: id}, err
}

// passwordKind is the kind of credential given as a password: a native
// key when it has a key's shape (as the authenticator reads it), else a
// password.
func passwordKind(password string) string {
	if _, isKey := auth.ParseKey(password); isKey {
		return "native_key"
	}
	return "password"
}

// loggedIn counts a login (common.login and authenticate, the web
// client's session authenticate) among the authentications: refused when
// the credentials were, ok when they opened a session or gave a uid.
func (h *Handler) loggedIn(pw any, err error, refused bool) {
	password, _ := pw.(string)
	if err != nil {
		e := models.AsError(err)
		if e == nil || e.Kind != models.KindAccessDenied {
			return // no credentials were checked: no database, bad arguments
		}
		refused = true
	}
	h.opts.Metrics.authenticated(passwordKind(password), !refused)
}

// identify turns r into who it runs as under mode: the one way every
// endpoint authenticates its requests.
func (h *Handler) identify(r *http.Request, m AuthMode, c Claims) (grant, error) {
	entry, ok := h.modes[m]
	if !ok {
		return grant{}, fmt.Errorf("rpc: unknown auth mode %q", m)
	}
	g, err := entry.resolve(h, r, c)
	h.opts.Metrics.authenticated(credentialKind(m, c, g), err == nil)
	if err == nil {
		exchangeOf(r.Context()).noteIdentity(g.id)
	}
	return g, err
}

// credentialKind is the kind of credential mode m checked, for the
// metrics: password, native_key (a key given in the password of an RPC
// call, as the authenticator reads it),
// header_key, bearer, basic or session; "" for the modes without one.
func credentialKind(m AuthMode, c Claims, g grant) string {
	switch m {
	case AuthPassword:
		return passwordKind(c.Password)
	case AuthAPIKey:
		return "header_key"
	case AuthBearer:
		if g.id.Mode == string(AuthAPIKey) {
			return "header_key"
		}
		return "bearer"
	case AuthBasicAPIKey:
		return "basic"
	case AuthUser:
		return "session"
	}
	return ""
}

// SetAuthMode replaces how mode turns requests into identities on every
// endpoint of h that uses it, for programs that embed godoo and prove
// identities their own way (behind a gateway that authenticated the caller
// already, say). fn's errors are answered as the mode's own. Call it
// before serving. It panics on an unknown mode, and on AuthUser, whose
// web client routes need the session itself.
func (h *Handler) SetAuthMode(m AuthMode, fn AuthFunc) {
	entry, ok := h.modes[m]
	if !ok || m == AuthUser {
		panic(fmt.Sprintf("rpc: auth mode %q cannot be set", m))
	}
	entry.resolve = func(_ *Handler, r *http.Request, c Claims) (grant, error) {
		id, err := fn(r, c)
		return grant{id: id}, err
	}
	h.modes[m] = entry
}

// AuthModeFunc returns how mode turns requests into identities on h, so
// that a replacement set with SetAuthMode can build on it.
func (h *Handler) AuthModeFunc(m AuthMode) AuthFunc {
	entry, ok := h.modes[m]
	if !ok {
		panic(fmt.Sprintf("rpc: unknown auth mode %q", m))
	}
	return func(r *http.Request, c Claims) (auth.Identity, error) {
		g, err := entry.resolve(h, r, c)
		return g.id, err
	}
}

type identityKey struct{}

// IdentityFrom returns the identity the route's auth mode resolved; ok is
// false on AuthNone routes and outside a route.
func IdentityFrom(ctx context.Context) (id auth.Identity, ok bool) {
	id, ok = ctx.Value(identityKey{}).(auth.Identity)
	return id, ok
}

func newIdentityContext(ctx context.Context, id auth.Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// requestedDB is the database a route request names: the X-Odoo-Database
// header, else the db query parameter; empty selects the only database.
func requestedDB(r *http.Request) string {
	if db := strings.TrimSpace(r.Header.Get("X-Odoo-Database")); db != "" {
		return db
	}
	return r.URL.Query().Get("db")
}

// headerKey reads the OCA key header: API-KEY, or HTTP-API-KEY as
// fastapi_auth_api_key names it.
func headerKey(r *http.Request) string {
	if k := r.Header.Get("API-KEY"); k != "" {
		return k
	}
	return r.Header.Get("HTTP-API-KEY")
}

func dropKeyHeaders(r *http.Request) {
	r.Header.Del("API-KEY")
	r.Header.Del("HTTP-API-KEY")
}

// bearerToken matches an Authorization value case-insensitively against
// "bearer<spaces><token>", as Odoo does (no further parsing); "" when the
// value is something else.
func bearerToken(v string) string {
	const scheme = "bearer"
	if len(v) <= len(scheme) || !strings.EqualFold(v[:len(scheme)], scheme) {
		return ""
	}
	rest := v[len(scheme):]
	if rest[0] != ' ' && rest[0] != '\t' {
		return ""
	}
	return strings.TrimSpace(rest)
}

// sessionCookieName is Odoo's session cookie.
const sessionCookieName = "session_id"

// sessionHeader is the header Odoo 16 and 17 read the session id from
// ("explicit" sessions, never echoed as a cookie).
const sessionHeader = "X-Openerp-Session-Id"

// sessionID is the session id a request carries: the X-Openerp-Session-Id
// header (explicit), else the first session_id cookie. A client that sends
// back the whole Set-Cookie string as its Cookie header still has its
// session_id pair read first.
func sessionID(r *http.Request) (sid string, explicit bool) {
	if v := strings.TrimSpace(r.Header.Get(sessionHeader)); v != "" {
		return v, true
	}
	for _, c := range r.Cookies() {
		if c.Name == sessionCookieName {
			return c.Value, false
		}
	}
	return "", false
}

// dropSessionCredentials removes the session id from the request a route
// handler sees.
func dropSessionCredentials(r *http.Request) {
	r.Header.Del(sessionHeader)
	cookies := r.Cookies()
	r.Header.Del("Cookie")
	for _, c := range cookies {
		if c.Name != sessionCookieName {
			r.AddCookie(c)
		}
	}
}

// requestHost is the host the client asked for, for dbfilter's %h and %d:
// X-Forwarded-Host in proxy mode, else Host.
func requestHost(r *http.Request, proxy bool) string {
	if proxy {
		if fh := r.Header.Get("X-Forwarded-Host"); fh != "" {
			first, _, _ := strings.Cut(fh, ",")
			return strings.TrimSpace(first)
		}
	}
	return r.Host
}
