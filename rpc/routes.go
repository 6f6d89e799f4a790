package rpc

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/services"
)

// AuthMode is how an HTTP route authenticates its requests: the counterpart
// of the auth argument of Odoo's @route.
type AuthMode string

// The route auth modes.
const (
	// AuthNone runs the handler without any identity (Odoo's auth='none').
	AuthNone AuthMode = "none"
	// AuthPublic runs the handler as the public user, base.public_user
	// (Odoo's auth='public' without a session).
	AuthPublic AuthMode = "public"
	// AuthUser is Odoo's auth='user': the user of the web session that
	// /web/session/authenticate opened, given in the session_id cookie or
	// the X-Openerp-Session-Id header, on the session's database. A
	// missing, expired or destroyed session answers 401 "Session expired";
	// a request naming another database than the session's answers 403.
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
)

func (m AuthMode) valid() bool {
	switch m {
	case AuthNone, AuthPublic, AuthUser, AuthAPIKey, AuthBearer, AuthBasicAPIKey:
		return true
	}
	return false
}

// Identity is who a route's request runs as.
type Identity = auth.Identity

type identityKey struct{}

// IdentityFrom returns the identity the route's auth mode resolved; ok is
// false on AuthNone routes and outside a route.
func IdentityFrom(ctx context.Context) (id Identity, ok bool) {
	id, ok = ctx.Value(identityKey{}).(Identity)
	return id, ok
}

func newIdentityContext(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// RouteOption adjusts a route registered with Handler.Route.
type RouteOption func(*route)

// KeyGroup restricts an api_key or basic_api_key route to the keys of the
// auth.api.key.group of one of these codes; other keys get 403. A route
// without KeyGroup accepts every key.
func KeyGroup(codes ...string) RouteOption {
	return func(rt *route) { rt.groups = append(rt.groups, codes...) }
}

// Route registers handler on pattern (a net/http ServeMux pattern such as
// "GET /my_service") behind the auth mode, on the same middleware chain as
// the RPC routes. The handler reads the identity with IdentityFrom and may
// act as it with services.Web.Execute. The database is the one named by the
// X-Odoo-Database header, else the db query parameter, else the only one.
// The credential headers a mode consumed are removed from the request the
// handler sees, so that it cannot log or forward them by mistake. Route
// panics on an unknown mode, or on KeyGroup with a mode without keys.
func (h *Handler) Route(pattern string, mode AuthMode, handler http.Handler, opts ...RouteOption) {
	if !mode.valid() {
		panic(fmt.Sprintf("rpc: route %s: unknown auth mode %q", pattern, mode))
	}
	rt := &route{mode: mode, next: handler, auth: h.auth, log: h.opts.Log, proxy: h.opts.ProxyMode}
	for _, o := range opts {
		o(rt)
	}
	if len(rt.groups) > 0 && mode != AuthAPIKey && mode != AuthBasicAPIKey {
		panic(fmt.Sprintf("rpc: route %s: KeyGroup needs auth mode api_key or basic_api_key, not %q", pattern, mode))
	}
	h.mux.Handle(pattern, rt)
}

// RouteFunc is Route for a handler function.
func (h *Handler) RouteFunc(pattern string, mode AuthMode, fn func(http.ResponseWriter, *http.Request), opts ...RouteOption) {
	h.Route(pattern, mode, http.HandlerFunc(fn), opts...)
}

type route struct {
	mode   AuthMode
	groups []string
	next   http.Handler
	auth   *services.Auth
	log    *slog.Logger
	proxy  bool // read the host from X-Forwarded-Host, for dbfilter
}

func (rt *route) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rt.mode == AuthNone {
		rt.next.ServeHTTP(w, r)
		return
	}
	ctx := r.Context()
	cr := services.Credentials{DB: requestedDB(r), KeyGroups: rt.groups}
	var id Identity
	var err error
	switch rt.mode {
	case AuthPublic:
		id, err = rt.auth.Public(ctx, cr)
	case AuthUser:
		cr.Session, _ = sessionID(r)
		cr.Host = requestHost(r, rt.proxy)
		var s services.Session
		s, err = rt.auth.User(ctx, cr)
		id = s.Identity()
	case AuthAPIKey:
		cr.APIKey = headerKey(r)
		id, err = rt.auth.APIKey(ctx, cr)
	case AuthBearer:
		cr.Bearer = bearerToken(r.Header.Get("Authorization"))
		id, err = rt.auth.Bearer(ctx, cr)
	case AuthBasicAPIKey:
		cr.BasicUser, cr.BasicPass, cr.HasBasic = r.BasicAuth()
		cr.APIKey = headerKey(r)
		id, err = rt.auth.BasicAPIKey(ctx, cr)
	}
	if err != nil {
		rt.refuse(w, r, err)
		return
	}
	r2 := r.Clone(newIdentityContext(ctx, id))
	switch rt.mode {
	case AuthUser:
		dropSessionCredentials(r2)
	case AuthAPIKey:
		dropKeyHeaders(r2.Header)
	case AuthBearer:
		r2.Header.Del("Authorization")
	case AuthBasicAPIKey:
		dropKeyHeaders(r2.Header)
		r2.Header.Del("Authorization")
	}
	rt.next.ServeHTTP(w, r2)
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

func dropKeyHeaders(h http.Header) {
	h.Del("API-KEY")
	h.Del("HTTP-API-KEY")
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

// refuse answers a request the auth mode refused, or that failed while
// being authenticated (see rpc/errors.go).
func (rt *route) refuse(w http.ResponseWriter, r *http.Request, err error) {
	writeRefusal(w, toFault(abandoned(r.Context(), err), rt.log, r.Method+" "+r.URL.Path))
}

// whoamiModes are the modes that get a built-in /auth/whoami/<mode> route.
var whoamiModes = []AuthMode{AuthPublic, AuthUser, AuthAPIKey, AuthBearer, AuthBasicAPIKey}

// registerWhoami adds GET /auth/whoami/<mode>, one route per mode, which
// answer the resolved identity as JSON so that curl can show each mode.
func (h *Handler) registerWhoami() {
	for _, m := range whoamiModes {
		h.RouteFunc("GET /auth/whoami/"+string(m), m, whoami)
	}
}

func whoami(w http.ResponseWriter, r *http.Request) {
	id, _ := IdentityFrom(r.Context())
	body := map[string]any{"uid": id.UID, "login": id.Login, "mode": id.Mode, "db": id.DB}
	if id.KeyName != "" {
		body["key_name"] = id.KeyName
	}
	var buf bytes.Buffer
	_ = encodeJSON(&buf, body)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, buf.Bytes())
}
