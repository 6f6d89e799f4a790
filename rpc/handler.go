package rpc

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

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
	// proxy_mode does, and X-Request-Id for the request id.
	ProxyMode bool
	Log       *slog.Logger
	// AccessLog writes one line per request at info level to Log: its id,
	// client address, protocol, database, uid, model, method, outcome,
	// status, duration and size, never a secret or an argument's value.
	AccessLog bool
	// Metrics, when set, counts every request (see NewMetrics); the
	// program serves Metrics.Handler where it wants.
	Metrics *Metrics
	// JSON2KeyGroups and WhoamiKeyGroups limit the header keys (API-KEY)
	// JSON-2 and the /auth/whoami/api_key and basic_api_key routes accept
	// to those of these key groups (auth.api.key.group codes), as KeyGroup
	// does for a route; empty accepts every key.
	JSON2KeyGroups, WhoamiKeyGroups []string
	// AfterLarge, when set, runs in a goroutine of its own once a request
	// whose body or answer was LargeBytes or more has been answered: the
	// program collects the garbage such a request left, so that the next
	// one does not pile onto it.
	AfterLarge func()
	LargeBytes int64
}

// Handler is godoo's HTTP front: every request, whatever its protocol,
// comes in through ServeHTTP, which bounds it (body size and time, call
// time), recovers from a panic and notes the client's address; each
// endpoint then reads its request, proves who it runs as through the one
// table of auth modes (authmode.go), runs it through the services, and
// answers errors through the one table of errors (errors.go).
type Handler struct {
	mux   *http.ServeMux
	opts  Options
	body  bodyPolicy
	set   *services.Set
	modes map[AuthMode]mode
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
	h := &Handler{mux: http.NewServeMux(), opts: opts, set: set, modes: maps.Clone(authModes),
		body: bodyPolicy{max: opts.MaxBodyBytes, timeout: opts.BodyTimeout}}
	h.mux.HandleFunc("/xmlrpc/2/{service}", h.serveXMLRPC(false))
	h.mux.HandleFunc("/xmlrpc/{service}", h.serveXMLRPC(true))
	h.mux.HandleFunc("/jsonrpc", h.serveJSONRPC)
	h.mux.HandleFunc("GET /web/health", h.health)
	h.mux.HandleFunc("GET /readyz", h.readyz)
	h.mux.HandleFunc("GET /livez", h.livez)
	h.registerWeb()
	h.registerPages()
	h.registerWhoami()
	h.registerContent()
	h.mux.HandleFunc("/json/2", h.serveJSON2)
	h.mux.HandleFunc("/json/2/", h.serveJSON2)
	h.mux.HandleFunc("GET /doc-bearer/{file}", h.docBearer)
	h.mux.HandleFunc("/", h.notFound)
	return h
}

// SetReady marks the server as able to answer calls, for /web/health.
func (h *Handler) SetReady(ok bool) { h.ready.Store(ok) }

// Handle registers an extra route on the same middleware chain, for
// programs that embed godoo. It checks no credentials; see Route for routes
// with an auth mode.
func (h *Handler) Handle(pattern string, handler http.Handler) { h.mux.Handle(pattern, handler) }

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	if !h.ready.Load() {
		writeHealth(w, http.StatusServiceUnavailable, `{"status": "fail"}`)
		return
	}
	// Any non-empty value asks, as Python's truth test of the parameter.
	if r.URL.Query().Get("db_server_status") != "" {
		h.healthDB(w, r)
		return
	}
	writeHealth(w, http.StatusOK, `{"status": "pass"}`)
}

// writeHealth answers /web/health with Odoo's headers: Content-Type
// application/json (without a charset) and Cache-Control no-store.
func writeHealth(w http.ResponseWriter, status int, body string) {
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// ServeHTTP is the one entry of every request: its id (the trusted
// proxy's X-Request-Id, else a new one, returned in the answer's
// X-Request-Id), a last-resort recover, the body limits, the call timeout
// and the client address, then the route; once answered, the request is
// counted in the metrics and written to the access log.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cell := exchangePool.Get().(*exchangeCell)
	x := &cell.x
	*x = exchange{start: time.Now()}
	if h.opts.ProxyMode {
		x.id = incomingRequestID(r)
	}
	if x.id == "" {
		x.id = newExchangeID()
	}
	w.Header().Set(requestIDHeader, x.id)
	cell.w.ResponseWriter = w
	if r.ProtoMajor == 1 {
		// HTTP/2 writes a connection from a goroutine of its own, for
		// every stream: only HTTP/1's answers are held (oneanswer.go).
		cell.w.conn = answerConnOf(r.Context())
	}
	remote := h.clientAddr(r)
	r2 := r
	defer func() {
		d := time.Since(x.start)
		if x.protocol == "" {
			x.protocol, x.service, x.method = patternLabels(r2.Pattern)
		}
		h.opts.Metrics.observe(x, d)
		if h.opts.AccessLog {
			h.logAccess(r.Context(), x, remote, d)
		}
		if h.opts.AfterLarge != nil && h.opts.LargeBytes > 0 && max(x.bodyBytes, x.bytes) >= h.opts.LargeBytes {
			go h.opts.AfterLarge()
		}
		cell.w.ResponseWriter, cell.w.conn = nil, nil
		*x = exchange{}
		exchangePool.Put(cell)
	}()
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			h.opts.Log.Error("panic serving request", "request_id", x.id, "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			x.err = fmt.Errorf("panic: %v", p)
			http.Error(&cell.w, "Internal Server Error", http.StatusInternalServerError)
		}
	}()
	if !h.body.admit(&cell.w, r) {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.opts.Timeout)
	defer cancel()
	ctx = services.WithRemoteAddr(ctx, remote)
	ctx = services.WithClient(ctx, services.Client{UserAgent: r.UserAgent(), Protocol: pathProtocol(r.URL.Path), RequestID: x.id})
	ctx = context.WithValue(ctx, exchangeKey{}, x)
	r2 = r.WithContext(ctx)
	h.mux.ServeHTTP(&cell.w, r2)
}

// patternLabels are the labels of a request no endpoint described: those
// of its route's pattern, which the program registered, so they are
// bounded; other for a request no route matched.
func patternLabels(pattern string) (protocol, service, method string) {
	switch pattern {
	case "", "/":
		return protoOther, otherLabel, otherLabel
	case "GET /web/health", "GET /readyz", "GET /livez":
		return protoHealth, "", pattern
	case "GET /metrics":
		return protoMetrics, "", pattern
	}
	return protoRoute, "", pattern
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

// pathProtocol names the protocol of a request by its path, for the key
// audit: xmlrpc, jsonrpc, json2, web (the web client's routes) or http (the
// other routes).
func pathProtocol(path string) string {
	switch {
	case strings.HasPrefix(path, "/xmlrpc/"):
		return "xmlrpc"
	case path == "/jsonrpc":
		return "jsonrpc"
	case strings.HasPrefix(path, "/json/2/"):
		return "json2"
	case strings.HasPrefix(path, "/web/"):
		return "web"
	}
	return "http"
}
