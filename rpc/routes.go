package rpc

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/godoo/godoo/rpc/jsonrpc"
)

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
// act as it with services.Object.Execute. The database is the one named by
// the X-Odoo-Database header, else the db query parameter, else the only
// one. The credential headers a mode consumed are removed from the request
// the handler sees, so that it cannot log or forward them by mistake.
// Route panics on an unknown mode or AuthPassword (which needs a call's
// parameters), or on KeyGroup with a mode without keys.
func (h *Handler) Route(pattern string, mode AuthMode, handler http.Handler, opts ...RouteOption) {
	if _, ok := h.modes[mode]; !ok || mode == AuthPassword {
		panic(fmt.Sprintf("rpc: route %s: unknown auth mode %q", pattern, mode))
	}
	rt := &route{h: h, mode: mode, next: handler}
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
	h      *Handler
	mode   AuthMode
	groups []string
	next   http.Handler
}

func (rt *route) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rt.mode == AuthNone {
		rt.next.ServeHTTP(w, r)
		return
	}
	g, err := rt.h.identify(r, rt.mode, Claims{DB: requestedDB(r), KeyGroups: rt.groups})
	if err != nil {
		writeRefusal(w, rt.h.fault(r, abandoned(r.Context(), err), r.Method+" "+r.URL.Path))
		return
	}
	r2 := r.Clone(newIdentityContext(r.Context(), g.id))
	if drop := rt.h.modes[rt.mode].consumed; drop != nil {
		drop(r2)
	}
	rt.next.ServeHTTP(w, r2)
}

// whoamiModes are the modes that get a built-in /auth/whoami/<mode> route.
var whoamiModes = []AuthMode{AuthPublic, AuthUser, AuthAPIKey, AuthBearer, AuthBasicAPIKey}

// registerWhoami adds GET /auth/whoami/<mode>, one route per mode, which
// answer the resolved identity as JSON so that curl can show each mode.
// Options.WhoamiKeyGroups limits the header keys of its key modes.
func (h *Handler) registerWhoami() {
	for _, m := range whoamiModes {
		var opts []RouteOption
		if len(h.opts.WhoamiKeyGroups) > 0 && (m == AuthAPIKey || m == AuthBasicAPIKey) {
			opts = append(opts, KeyGroup(h.opts.WhoamiKeyGroups...))
		}
		h.RouteFunc("GET /auth/whoami/"+string(m), m, whoami, opts...)
	}
}

func whoami(w http.ResponseWriter, r *http.Request) {
	id, _ := IdentityFrom(r.Context())
	body := map[string]any{"uid": id.UID, "login": id.Login, "mode": id.Mode, "db": id.DB}
	if id.KeyName != "" {
		body["key_name"] = id.KeyName
	}
	var buf bytes.Buffer
	_ = jsonrpc.Encode(&buf, body)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, buf.Bytes())
}
