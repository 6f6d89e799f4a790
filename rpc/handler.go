// Package rpc serves Odoo's external API over HTTP: XML-RPC on /xmlrpc/2 and
// the legacy /xmlrpc, JSON-RPC on /jsonrpc. It is the only package that knows
// HTTP and the only place where errors become Odoo faults.
package rpc

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	gorilla "github.com/gorilla/rpc/v2"

	"github.com/godoo/godoo/services"
)

// Options bound what one request may cost.
type Options struct {
	// MaxBodyBytes limits request bodies (default 128 MiB, Odoo's
	// DEFAULT_MAX_CONTENT_LENGTH).
	MaxBodyBytes int64
	// BodyTimeout bounds the time to receive a request body, from the
	// moment its headers have been read (default 30 seconds).
	BodyTimeout time.Duration
	// MaxDepth limits the nesting of arrays and structs in a request.
	MaxDepth int
	// Timeout bounds the work of one call (default 5 minutes).
	Timeout time.Duration
	// ProxyMode trusts X-Forwarded-For for the client address, as Odoo's
	// proxy_mode does.
	ProxyMode bool
	Log       *slog.Logger
}

// Handler is godoo's HTTP front: the RPC routes, /web/health, the
// /auth/whoami/<mode> routes and the routes added with Route.
type Handler struct {
	mux   *http.ServeMux
	opts  Options
	body  bodyPolicy
	web   *services.Web
	auth  *services.Auth
	ready atomic.Bool
}

// NewHandler builds the routes over set. The handler answers /web/health
// with 503 until SetReady(true).
func NewHandler(set *services.Set, opts Options) *Handler {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 128 << 20
	}
	if opts.BodyTimeout <= 0 {
		opts.BodyTimeout = 30 * time.Second
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 64
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Minute
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{mux: http.NewServeMux(), opts: opts, web: set.Web(), auth: set.Auth,
		body: bodyPolicy{max: opts.MaxBodyBytes, timeout: opts.BodyTimeout}}
	receivers := map[string]any{
		"common": &commonEndpoint{svc: set.Common, log: opts.Log},
		"object": &objectEndpoint{svc: set.Object, auth: set.Auth, log: opts.Log},
		"db":     &dbEndpoint{svc: set.Database, log: opts.Log},
	}
	methods := newMethodTable(receivers)
	newServer := func(contentType string, codec gorilla.Codec) *gorilla.Server {
		s := gorilla.NewServer()
		s.RegisterCodec(codec, contentType)
		for name, recv := range receivers {
			if err := s.RegisterService(recv, name); err != nil {
				panic(fmt.Sprintf("rpc: register %s: %v", name, err))
			}
		}
		return s
	}
	xml2 := newServer("text/xml", &xmlCodec{body: h.body, maxDepth: opts.MaxDepth, methods: methods, log: opts.Log})
	xmlLegacy := newServer("text/xml", &xmlCodec{legacy: true, body: h.body, maxDepth: opts.MaxDepth, methods: methods, log: opts.Log})
	jsonSrv := newServer("application/json", &jsonCodec{methods: methods, log: opts.Log})

	// XML-RPC never looks at the request's Content-Type (Odoo's routes are
	// plain HTTP routes), so it is forced before gorilla picks a codec.
	forceXML := func(s http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Set("Content-Type", "text/xml")
			s.ServeHTTP(w, r)
		})
	}
	h.mux.Handle("/xmlrpc/2/{service}", forceXML(xml2))
	h.mux.Handle("/xmlrpc/{service}", forceXML(xmlLegacy))
	h.mux.HandleFunc("/jsonrpc", func(w http.ResponseWriter, r *http.Request) {
		if call, ok := readJSONRequest(w, r, h.body, opts.MaxDepth); ok {
			jsonSrv.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), jsonCallKey{}, call)))
		}
	})
	h.mux.HandleFunc("GET /web/health", h.health)
	h.registerWeb(set)
	h.registerWhoami()
	j2 := &json2{web: h.web, auth: h.auth, log: opts.Log, body: h.body, maxDepth: opts.MaxDepth}
	h.mux.Handle("/json/2", j2)
	h.mux.Handle("/json/2/", j2)
	h.mux.HandleFunc("GET /doc-bearer/{file}", j2.docBearer)
	return h
}

// SetReady marks the server as able to answer calls, for /web/health.
func (h *Handler) SetReady(ok bool) { h.ready.Store(ok) }

// Handle registers an extra route on the same middleware chain, for
// programs that embed godoo. It checks no credentials; see Route for routes
// with an auth mode.
func (h *Handler) Handle(pattern string, handler http.Handler) { h.mux.Handle(pattern, handler) }

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !h.ready.Load() {
		writeJSON(w, http.StatusServiceUnavailable, []byte(`{"status": "fail"}`))
		return
	}
	// Any non-empty value asks, as Python's truth test of the parameter.
	if r.URL.Query().Get("db_server_status") != "" {
		h.healthDB(w, r)
		return
	}
	writeJSON(w, http.StatusOK, []byte(`{"status": "pass"}`))
}

// ServeHTTP applies the middleware every route shares: a last-resort
// recover, the body limits, the call timeout and the client address.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			h.opts.Log.Error("panic serving request", "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		}
	}()
	if !h.body.admit(w, r) {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.opts.Timeout)
	defer cancel()
	ctx = services.WithRemoteAddr(ctx, h.clientAddr(r))
	h.mux.ServeHTTP(w, r.WithContext(ctx))
}

// clientAddr is the peer address, or, when proxy mode is on (and only
// then: the header is trivially forged), the last X-Forwarded-For hop: the
// address the trusted proxy saw, as werkzeug's ProxyFix (x_for=1) gives
// Odoo. The hops before it are the client's own word, and taking the first
// would let any client pick the address its failures are counted under.
func (h *Handler) clientAddr(r *http.Request) string {
	if h.opts.ProxyMode {
		if vs := r.Header.Values("X-Forwarded-For"); len(vs) > 0 {
			xff := vs[len(vs)-1]
			if i := strings.LastIndexByte(xff, ','); i >= 0 {
				xff = xff[i+1:]
			}
			if hop := strings.TrimSpace(xff); hop != "" {
				return hop
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
