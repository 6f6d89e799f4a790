package rpc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
)

// An exchange is one request as the front serves it: its id, and what the
// endpoints learn of it on the way (protocol, service, model, method, the
// identity's database and uid, the error answered), which the access log
// line and the metrics report once the answer is written. Its model and
// method are label values already bounded (see labels.go): the names the
// registry or the tables of the front know, "other" for anything else, so
// that neither the log nor the metrics carry what a client made up.
type exchange struct {
	id       string
	start    time.Time
	protocol string
	service  string
	model    string
	method   string
	db       string
	uid      int64
	err      error
	status   int
	bytes    int64
	// bodyBytes is the size of the request body read.
	bodyBytes int64
}

// The protocols of the exchanges.
const (
	protoXMLRPC  = "xmlrpc"
	protoJSONRPC = "jsonrpc"
	protoWeb     = "web"
	protoJSON2   = "json2"
	protoRoute   = "route"
	protoHealth  = "health"
	protoMetrics = "metrics"
	protoOther   = "other"
)

type exchangeKey struct{}

// exchangeOf returns the request's exchange; nil outside ServeHTTP, and
// every method of a nil exchange does nothing.
func exchangeOf(ctx context.Context) *exchange {
	x, _ := ctx.Value(exchangeKey{}).(*exchange)
	return x
}

// call notes the protocol, service and method of an RPC call.
func (x *exchange) call(protocol, service, model, method string) {
	if x == nil {
		return
	}
	x.protocol, x.service, x.model, x.method = protocol, service, model, method
}

// noteIdentity notes who the request runs as.
func (x *exchange) noteIdentity(id auth.Identity) {
	if x == nil {
		return
	}
	x.db, x.uid = id.DB, id.UID
}

// noteError notes the error the request is answered with.
func (x *exchange) noteError(err error) {
	if x != nil {
		x.err = err
	}
}

// noteWriteError notes that writing the answer failed: the client went
// away (or stopped reading), so the request is logged and counted as
// abandoned, unless an error was answered already.
func (x *exchange) noteWriteError(err error) {
	if x != nil && x.err == nil {
		x.err = fmt.Errorf("%w: writing the answer: %w", context.Canceled, err)
	}
}

// outcome is how the request ended, one of a few values: ok, refused
// (credentials or database refused), the kind of the error answered,
// abandoned (the client went away), or rejected (refused by HTTP before
// any call: a body too large, another Content-Type, no such route).
func (x *exchange) outcome() string {
	if x.err == nil {
		if x.status >= 400 {
			return "rejected"
		}
		return "ok"
	}
	if errors.Is(x.err, context.Canceled) {
		return "abandoned"
	}
	e := models.AsError(x.err)
	if e == nil {
		return "internal"
	}
	return kindOutcome(e.Kind)
}

// kindOutcome is the outcome of an error of kind k.
func kindOutcome(k models.Kind) string {
	switch k {
	case models.KindUser:
		return "user_error"
	case models.KindValidation:
		return "validation_error"
	case models.KindMissing:
		return "missing_error"
	case models.KindAccess:
		return "access_error"
	case models.KindAccessDenied, models.KindNotFound:
		return "refused"
	case models.KindServer:
		return "server_error"
	}
	return "internal"
}

// recorder is the ResponseWriter of an exchange: it notes the status and
// the bytes written.
type recorder struct {
	http.ResponseWriter
	x *exchange
	// conn is the request's connection when it came through a Listener
	// (see writeBody).
	conn *answerConn
}

func (w *recorder) WriteHeader(status int) {
	if w.x.status == 0 {
		w.x.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.x.status == 0 {
		w.x.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.x.bytes += int64(n)
	if err != nil {
		w.x.noteWriteError(err)
	}
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes a flush on, for handlers that stream.
func (w *recorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// exchangeCell is what one request needs besides its context, taken from
// a pool so that observing a request allocates little.
type exchangeCell struct {
	x exchange
	w recorder
}

var exchangePool = sync.Pool{New: func() any { c := &exchangeCell{}; c.w.x = &c.x; return c }}

// requestIDHeader carries the request id, in both directions.
const requestIDHeader = "X-Request-Id"

// requestIDPrefix makes the ids of this process unlike those of another:
// random at start, then a counter, so that an id costs no randomness.
var (
	requestIDPrefix = func() string {
		var b [4]byte
		_, _ = rand.Read(b[:])
		return hex.EncodeToString(b[:])
	}()
	requestCount atomic.Uint64
)

// newExchangeID makes a request id: the process's prefix and a counter.
func newExchangeID() string {
	var b [32]byte
	n := copy(b[:], requestIDPrefix)
	b[n] = '-'
	return string(strconv.AppendUint(b[:n+1], requestCount.Add(1), 16))
}

// incomingRequestID is the X-Request-Id a trusted proxy set, when it is a
// plausible id: printable ASCII without spaces, at most 128 bytes, so
// that it can neither forge log lines nor grow them without bound.
func incomingRequestID(r *http.Request) string {
	v := r.Header.Get(requestIDHeader)
	if v == "" || len(v) > 128 {
		return ""
	}
	for i := 0; i < len(v); i++ {
		if v[i] <= ' ' || v[i] > '~' || v[i] == '"' || v[i] == '\\' {
			return ""
		}
	}
	return v
}

// logAccess writes the access log line of x: what was asked, by whom and
// how it ended, never a secret or an argument's value.
func (h *Handler) logAccess(ctx context.Context, x *exchange, remote string, d time.Duration) {
	if !h.opts.Log.Enabled(ctx, slog.LevelInfo) {
		return // the attributes are not even made
	}
	h.opts.Log.LogAttrs(ctx, slog.LevelInfo, "request",
		slog.String("request_id", x.id),
		slog.String("remote", remote),
		slog.String("protocol", x.protocol),
		slog.String("db", x.db),
		slog.Int64("uid", x.uid),
		slog.String("model", x.model),
		slog.String("method", x.method),
		slog.String("outcome", x.outcome()),
		slog.Int("status", x.status),
		slog.Duration("duration", d),
		slog.Int64("bytes", x.bytes))
}

// fault is toFault for a request: the error is noted on the request's
// exchange (its outcome), and an unexpected one is logged with the
// request's id beside its reference.
func (h *Handler) fault(r *http.Request, err error, method string) fault {
	x := exchangeOf(r.Context())
	x.noteError(err)
	log := h.opts.Log
	if e := models.AsError(err); x != nil && (e == nil || e.Kind == models.KindInternal || e.Kind == models.KindRetryable) {
		log = log.With("request_id", x.id)
	}
	return toFault(err, log, method)
}

// rpcCall notes an RPC call of service.method on protocol.
func (x *exchange) rpcCall(protocol, service, method string) {
	if x == nil {
		return
	}
	x.protocol = protocol
	x.service, x.method = rpcLabels(service, method)
}

// modelCall notes a call of model.method, with the registry's names.
func (x *exchange) modelCall(h *Handler, model, method string) {
	if x == nil {
		return
	}
	x.model, x.method = modelLabels(h.set.Registry(), model, method)
}
