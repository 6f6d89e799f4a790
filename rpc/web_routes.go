package rpc

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/godoo/godoo/models/py"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/jsonrpc"
	"github.com/godoo/godoo/services"
)

// The web client's JSON routes that client libraries use instead of
// /jsonrpc (spec/protocol.md §4): log in with /web/session/authenticate,
// keep the session_id cookie, call /web/dataset/call_kw. Each is a
// JSON-RPC route with the envelope of /jsonrpc (§3): Content-Type checked
// as there, params by name, errors as HTTP 200 envelopes, and a missing,
// expired or destroyed session answered with the code-100 "Odoo Session
// Expired" error.

// webRoutes serves the web client's JSON routes.
type webRoutes struct {
	h   *Handler
	web *services.Web
}

// registerWeb adds the web-client routes to the mux.
func (h *Handler) registerWeb() {
	wr := &webRoutes{h: h, web: h.set.Web()}
	h.mux.Handle("/web/session/authenticate", wr.route("authenticate", AuthNone, wr.authenticate))
	h.mux.Handle("/web/session/get_session_info", wr.route("get_session_info", AuthUser, wr.sessionInfo))
	h.mux.Handle("/web/session/check", wr.route("check", AuthUser, func(*webCall) (any, error) { return nil, nil }))
	h.mux.Handle("/web/session/destroy", wr.route("destroy", AuthUser, wr.destroy))
	h.mux.Handle("/web/session/modules", wr.route("modules", AuthUser, func(*webCall) (any, error) { return wr.web.Modules(), nil }))
	h.mux.Handle("/web/session/get_lang_list", wr.route("get_lang_list", AuthNone, func(*webCall) (any, error) { return h.set.Database.ListLang(), nil }))
	callKw := wr.route("call_kw", AuthUser, wr.callKw)
	h.mux.Handle("/web/dataset/call_kw", callKw)
	h.mux.Handle("/web/dataset/call_kw/", callKw)
	h.mux.Handle("/web/dataset/call_button", wr.route("call_button", AuthUser, wr.callButton))
	h.mux.Handle("/web/action/load", wr.route("load", AuthUser, wr.loadAction))
	h.mux.Handle("/web/webclient/version_info", wr.route("version_info", AuthNone, func(*webCall) (any, error) { return wr.web.VersionInfo(), nil }))
	h.mux.Handle("/web/database/list", wr.route("list", AuthNone, func(c *webCall) (any, error) {
		return wr.web.Databases(c.r.Context(), requestHost(c.r, h.opts.ProxyMode))
	}))
	h.mux.HandleFunc("GET /web/version", wr.version)
}

// webCall is one request to a web JSON route.
type webCall struct {
	r      *http.Request
	params map[string]any
	// session is the request's session on user routes.
	session services.Session
	// cookie, when set, goes out with a successful answer.
	cookie *http.Cookie
}

// route serves fn as a JSON-RPC route behind mode (AuthNone, or AuthUser
// for the routes of a session): the checks of /jsonrpc, the envelope, the
// id echoed (null when absent), the result omitted when nil.
func (wr *webRoutes) route(name string, mode AuthMode, fn func(*webCall) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call, ok := readJSONRequest(w, r, wr.h.body, wr.h.opts.MaxDepth)
		if !ok {
			return
		}
		exchangeOf(r.Context()).call(protoWeb, "web", "", name)
		r = withKeyOrders(r, call)
		c := &webCall{r: r}
		id := call.env.ID
		res, err := wr.h.run(r.Context(), name, func() (any, error) { return wr.dispatch(c, call, mode, fn) })
		if err != nil {
			writeJSON(w, http.StatusOK, wr.h.fault(r, err, name).envelope(id, true))
			return
		}
		bp := getBuf()
		defer func() { putBuf(bp, *bp) }()
		b, err := appendResult(*bp, id, res)
		*bp = b
		if err != nil {
			writeJSON(w, http.StatusOK, wr.h.fault(r, err, name).envelope(id, true))
			return
		}
		if c.cookie != nil {
			http.SetCookie(w, c.cookie)
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, b)
	})
}

// dispatch takes the params of the envelope that readJSONRequest decoded,
// proves the session of a user route, and runs fn.
func (wr *webRoutes) dispatch(c *webCall, call *jsonCall, mode AuthMode, fn func(*webCall) (any, error)) (any, error) {
	if call.err != nil {
		return nil, call.err
	}
	switch p := call.env.Params.(type) {
	case nil:
		c.params = map[string]any{}
	case map[string]any:
		c.params = p
	default:
		return nil, models.ServerErrorf("builtins.TypeError", "params must be an object")
	}
	if mode != AuthNone {
		g, err := wr.h.identify(c.r, mode, Claims{})
		if err != nil {
			return nil, err
		}
		c.session = g.session
		if s := g.session; s.Refresh && !g.explicit {
			c.cookie = wr.sessionCookie(c.r, s.ID, s.MaxAge, s.Expires)
		}
	}
	return fn(c)
}

// args binds the named params to dst in the order of sig.params, with
// Python's TypeError for missing required ones. Unknown params are
// ignored, as Odoo drops them.
func (c *webCall) args(sig signature, dst ...any) error {
	var missing []string
	for _, name := range sig.params[:sig.required] {
		if _, ok := c.params[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return typeError(py.MissingArguments(sig.name, missing))
	}
	for i, d := range dst {
		v, ok := c.params[sig.params[i]]
		if !ok {
			continue
		}
		if err := assign(sig, i, v, d); err != nil {
			return err
		}
	}
	return nil
}

func (wr *webRoutes) authenticate(c *webCall) (any, error) {
	var db, login, password string
	sig := signature{name: "Session.authenticate", params: []string{"db", "login", "password", "base_location"}, required: 3}
	if err := c.args(sig, &db, &login, &password); err != nil {
		return nil, err
	}
	prev, _ := sessionID(c.r)
	s, info, err := wr.web.Authenticate(c.r.Context(), services.WebLogin{DB: db, Login: login, Password: password,
		Host: requestHost(c.r, wr.h.opts.ProxyMode), PreviousID: prev})
	wr.h.loggedIn(password, err, false)
	if err != nil {
		return nil, err
	}
	c.cookie = wr.sessionCookie(c.r, s.ID, s.MaxAge, s.Expires)
	return info, nil
}

func (wr *webRoutes) sessionInfo(c *webCall) (any, error) {
	return wr.web.SessionInfo(c.r.Context(), c.session)
}

func (wr *webRoutes) destroy(c *webCall) (any, error) {
	if err := wr.web.Logout(c.r.Context(), c.session); err != nil {
		return nil, err
	}
	c.cookie = wr.sessionCookie(c.r, "", -time.Second, time.Unix(0, 0))
	return nil, nil
}

// callButton is /web/dataset/call_button: call_kw for the methods behind
// form buttons, answering the action dict they return, or false. OdooRPC
// makes API keys this way (res.users.apikeys.description, make_key).
func (wr *webRoutes) callButton(c *webCall) (any, error) {
	res, err := wr.callKw(c)
	if err != nil {
		return nil, err
	}
	if action, ok := res.(map[string]any); ok && action["type"] != nil {
		return action, nil
	}
	return false, nil
}

func (wr *webRoutes) callKw(c *webCall) (any, error) {
	var model, method string
	var args []any
	var kwargs map[string]any
	sig := signature{name: "DataSet.call_kw", params: []string{"model", "method", "args", "kwargs", "path"}, required: 4}
	err := c.args(sig, &model, &method, &args, &kwargs)
	exchangeOf(c.r.Context()).modelCall(wr.h, model, method)
	if err != nil {
		return nil, err
	}
	return wr.web.CallKw(c.r.Context(), c.session, model, method, args, kwargs)
}

// loadAction is /web/action/load: an action by id, external id or path.
func (wr *webRoutes) loadAction(c *webCall) (any, error) {
	var actionID, context any
	sig := signature{name: "Action.load", params: []string{"action_id", "context"}, required: 1}
	if err := c.args(sig, &actionID, &context); err != nil {
		return nil, err
	}
	return wr.web.LoadAction(c.r.Context(), c.session, actionID)
}

// version is GET /web/version: {"version_info": [...], "version": "18.0"}.
func (wr *webRoutes) version(w http.ResponseWriter, _ *http.Request) {
	v := wr.web.VersionInfo()
	info, _ := v.Get("server_version_info")
	version, _ := v.Get("server_version")
	var buf bytes.Buffer
	_ = jsonrpc.Encode(&buf, models.DictOf([]string{"version_info", "version"}, []any{info, version}))
	writeJSON(w, http.StatusOK, buf.Bytes())
}

// healthDB answers /web/health?db_server_status=1: whether the database
// server answers, and 500 with "fail" when it does not.
func (h *Handler) healthDB(w http.ResponseWriter, r *http.Request) {
	if h.set.Web().DBServerStatus(r.Context()) {
		writeHealth(w, http.StatusOK, `{"status": "pass", "db_server_status": true}`)
		return
	}
	writeHealth(w, http.StatusInternalServerError, `{"status": "fail", "db_server_status": false}`)
}

// sessionCookie is Odoo's session cookie (HttpOnly, Path=/, Max-Age the
// idle limit, and the matching Expires; a negative maxAge deletes it),
// with two attributes Odoo does not set: SameSite=Lax, so that other sites
// cannot make a browser call the JSON routes with it, and Secure when the
// request came over HTTPS through the trusted proxy, so that the browser
// never sends it in clear.
func (wr *webRoutes) sessionCookie(r *http.Request, id string, maxAge time.Duration, expires time.Time) *http.Cookie {
	return &http.Cookie{Name: sessionCookieName, Value: id, Path: "/", MaxAge: int(maxAge / time.Second),
		Expires: expires.UTC(), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: requestHTTPS(r, wr.h.opts.ProxyMode)}
}

// requestHTTPS reports whether the client reached godoo over HTTPS: in
// proxy mode, what the trusted proxy says in X-Forwarded-Proto (its last
// value, the one the proxy itself added, as Odoo's ProxyFix reads it);
// otherwise whether the connection itself is TLS.
func requestHTTPS(r *http.Request, proxy bool) bool {
	if proxy {
		if v := r.Header.Values("X-Forwarded-Proto"); len(v) > 0 {
			last := v[len(v)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			return strings.EqualFold(strings.TrimSpace(last), "https")
		}
	}
	return r.TLS != nil
}
