package rpc

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
	"github.com/godoo/godoo/rpc/jsonrpc"
	"github.com/godoo/godoo/rpc/xmlrpc"
)

// Every error a client hears of is a *models.Error (anything else is an
// unexpected, internal error), and this file is the one place where it
// becomes an answer: a fault on XML-RPC, an error envelope on JSON-RPC and
// on the web client's routes, a refusal on the routes with an auth mode,
// an HTTP status and body on JSON-2. The table below says, for each kind
// and reason, what each protocol answers; errors nobody classified are
// logged here with a reference and reach the client as that reference
// only.

// Odoo's RPC_FAULT_CODE_* constants (odoo/addons/base/controllers/rpc.py).
const (
	faultApplicationError = 1
	faultWarning          = 2
	faultAccessDenied     = 3
	faultAccessError      = 4
)

// key picks a row of the table.
type key struct {
	kind   models.Kind
	reason models.Reason
}

// row is how the protocols answer one kind of error, or one reason of a
// kind. A row with a reason sets only what it answers differently; the
// rest comes from its kind's row.
type row struct {
	// fault is the faultCode of /xmlrpc/2 (and says how the legacy
	// /xmlrpc fault reads: see legacyFault).
	fault int
	// warning is the exception the legacy /xmlrpc faultCode names for
	// fault 2 and 4 ("UserError" in "warning -- UserError\n\n<message>").
	warning string
	// status is the HTTP status of JSON-2, and of a route's refusal of an
	// error without a route answer of its own.
	status int
	// web is the web client routes' envelope, when it is not the plain
	// "Odoo Server Error" one.
	web *webAnswer
	// route is a route's refusal, for the refusals of its auth mode.
	route *refusal
	// json2 is JSON-2's answer, when it is not made from the kind's.
	json2 *json2Answer
}

// webAnswer is the error envelope of a web client route: its code and
// message, and the exception its data names with the message.
type webAnswer struct {
	code            int
	message         string
	name, exception string
}

// refusal is the answer of a route whose auth mode refused the request:
// {"error": code, "message": text}. The texts are fixed: they never echo a
// key, a password or a login.
type refusal struct {
	status    int
	challenge string // WWW-Authenticate
	code      string
	message   string // the error's own message replaces it, when it has one
}

// json2Answer is a JSON-2 answer of its own: status, werkzeug exception,
// message (the error's when empty), what follows the message in its
// arguments, and the WWW-Authenticate challenge.
type json2Answer struct {
	status    int
	name      string
	message   string
	extra     []any
	challenge string
}

const (
	basicChallenge  = `Basic realm="godoo", charset="UTF-8"`
	bearerChallenge = "Bearer"
)

// table is the one mapping from errors to answers.
var table = map[key]row{
	{models.KindInternal, models.ReasonNone}:     {fault: faultApplicationError, status: http.StatusInternalServerError},
	{models.KindRetryable, models.ReasonNone}:    {fault: faultApplicationError, status: http.StatusInternalServerError},
	{models.KindServer, models.ReasonNone}:       {fault: faultApplicationError, status: http.StatusInternalServerError},
	{models.KindUser, models.ReasonNone}:         {fault: faultWarning, warning: "UserError", status: http.StatusUnprocessableEntity},
	{models.KindValidation, models.ReasonNone}:   {fault: faultWarning, warning: "UserError", status: http.StatusUnprocessableEntity},
	{models.KindMissing, models.ReasonNone}:      {fault: faultWarning, warning: "MissingError", status: http.StatusNotFound},
	{models.KindAccess, models.ReasonNone}:       {fault: faultAccessError, warning: "AccessError", status: http.StatusForbidden},
	{models.KindAccessDenied, models.ReasonNone}: {fault: faultAccessDenied, status: http.StatusForbidden},
	{models.KindNotFound, models.ReasonNone}: {fault: faultApplicationError, status: http.StatusNotFound,
		web: &webAnswer{code: 404, message: "404: Not Found", name: "werkzeug.exceptions.NotFound",
			exception: "404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."},
		json2: &json2Answer{status: http.StatusNotFound, name: "werkzeug.exceptions.NotFound"}},

	// A call's arguments that do not bind to the method: a TypeError
	// everywhere, but JSON-2, whose arguments are all named, refuses them.
	{models.KindServer, models.ReasonArguments}: {
		json2: &json2Answer{status: http.StatusUnprocessableEntity, name: "werkzeug.exceptions.UnprocessableEntity"}},

	// The database of a route request.
	{models.KindNotFound, models.ReasonNoDatabase}: {
		route: &refusal{http.StatusBadRequest, "", "database_required",
			"No database selected: name one with the X-Odoo-Database header or the db query parameter."},
		json2: noDatabase},
	{models.KindNotFound, models.ReasonUnknownDatabase}: {
		route: &refusal{http.StatusNotFound, "", "database_not_found", "Database not found."},
		json2: noDatabase},

	// The credentials of the auth modes. JSON-2 refuses every key alike.
	{models.KindAccessDenied, models.ReasonMissingKey}: {
		route: &refusal{http.StatusForbidden, "", "access_denied", "Missing API key: send it in the API-KEY header."},
		json2: invalidKey},
	{models.KindAccessDenied, models.ReasonInvalidKey}: {
		route: &refusal{http.StatusForbidden, "", "access_denied", "Access Denied"},
		json2: invalidKey},
	{models.KindAccessDenied, models.ReasonKeyGroup}: {
		route: &refusal{http.StatusForbidden, "", "access_denied", "This API key is not allowed on this route."},
		json2: invalidKey},
	{models.KindAccessDenied, models.ReasonMissingBasic}: {
		route: &refusal{http.StatusUnauthorized, basicChallenge, "unauthorized", "HTTP Basic credentials are required."},
		json2: invalidKey},
	{models.KindAccessDenied, models.ReasonInvalidBasic}: {
		route: &refusal{http.StatusUnauthorized, basicChallenge, "unauthorized", "Invalid HTTP Basic credentials."},
		json2: invalidKey},
	{models.KindAccessDenied, models.ReasonMissingBearer}: {
		route: &refusal{http.StatusUnauthorized, bearerChallenge, "unauthorized",
			"User not authenticated, use an API Key with a Bearer Authorization header."},
		json2: &json2Answer{status: http.StatusUnauthorized, name: "werkzeug.exceptions.Unauthorized",
			message: `User not authenticated, use the "Authorization" header`, extra: []any{401}, challenge: bearerChallenge}},
	{models.KindAccessDenied, models.ReasonInvalidBearer}: {
		route: &refusal{http.StatusUnauthorized, bearerChallenge, "unauthorized", "Invalid apikey"},
		json2: invalidKey},
	{models.KindAccessDenied, models.ReasonNoSession}: {
		web: &webAnswer{code: 100, message: "Odoo Session Expired", name: "odoo.http.SessionExpiredException",
			exception: "Session expired"},
		route: &refusal{http.StatusUnauthorized, "", "session_expired", "Session expired"},
		json2: invalidKey},
	{models.KindAccessDenied, models.ReasonSessionDatabase}: {
		route: &refusal{http.StatusForbidden, "", "access_denied", "The request names another database than its session's."},
		json2: &json2Answer{status: http.StatusForbidden, name: "werkzeug.exceptions.Forbidden",
			message: "Cannot use both the session_id cookie and the x-odoo-database header."}},
	{models.KindAccessDenied, models.ReasonBrowserSession}: {
		route: &refusal{http.StatusForbidden, "", "access_denied", "Access Denied"},
		json2: &json2Answer{status: http.StatusForbidden, name: "werkzeug.exceptions.Forbidden",
			message: `Missing "Authorization" or Sec-headers for interactive usage`}},
}

// noDatabase is JSON-2's answer to a request without a database it can
// use, named or not.
var noDatabase = &json2Answer{status: http.StatusNotFound, name: "werkzeug.exceptions.NotFound",
	message: "404 Not Found: no database selected; send X-Odoo-Database"}

// invalidKey is JSON-2's answer to any refused key.
var invalidKey = &json2Answer{status: http.StatusUnauthorized, name: "werkzeug.exceptions.Unauthorized",
	message: "Invalid apikey", extra: []any{401}, challenge: bearerChallenge}

// fault is everything a client may see of one error, computed once from
// the table by toFault and rendered by each protocol.
type fault struct {
	row      row    // the kind's row, with the reason's answers
	reason   bool   // the error has a reason with a row of its own
	code     int    // /xmlrpc/2 faultCode
	name     string // the exception's dotted Python name
	message  string // the message the client may read
	repr     string // what a traceback prints of the exception after its name
	debug    string // a Python-style traceback
	internal bool   // an unexpected error: message is its reference text
	method   string
	own      string // the error's own message, for refusals that take it
}

// newRequestID makes the reference an unexpected error is logged under; a
// variable so that tests can fix it.
var newRequestID = requestID

// toFault maps an error to what the client sees. It is the only place where
// a Go error becomes an Odoo fault; unclassified errors are logged here with a
// request id and reach the client only as that id.
func toFault(err error, log *slog.Logger, method string) fault {
	e := models.AsError(err)
	if e == nil || e.Kind == models.KindInternal || e.Kind == models.KindRetryable {
		id := newRequestID()
		switch {
		case log == nil:
		case errors.Is(err, context.Canceled):
			// The client went away: nothing failed on the server's side, and
			// nobody reads the answer.
			log.Debug("call abandoned: the client went away", "id", id, "method", method, "err", err)
		default:
			log.Error("internal error", "id", id, "method", method, "err", err)
		}
		msg := "Internal server error (reference " + id + "); see the server log."
		return fault{row: table[key{models.KindInternal, models.ReasonNone}], code: faultApplicationError,
			name: "builtins.Exception", message: msg, repr: msg, debug: traceback(method, "Exception", msg), internal: true, method: method}
	}
	r, ok := table[key{e.Kind, models.ReasonNone}]
	if !ok {
		r = table[key{models.KindServer, models.ReasonNone}]
	}
	f := fault{method: method, own: e.Message}
	if rr, ok := table[key{e.Kind, e.Reason}]; ok && e.Reason != models.ReasonNone {
		f.reason = true
		r.web, r.route = or(rr.web, r.web), or(rr.route, r.route)
		r.json2 = or(rr.json2, r.json2)
	}
	f.row, f.code = r, r.fault
	msg := e.Message
	switch {
	case msg != "":
	case e.Err != nil:
		msg = e.Err.Error()
	case f.reason && r.route != nil:
		msg = r.route.message // a refusal told on a protocol of its own
	}
	f.name, f.message = e.ExceptionName(), msg
	f.repr = exceptionText(f.name, msg)
	if e.Repr != "" {
		f.repr = e.Repr
	}
	f.debug = traceback(method, pythonName(f.name), f.repr)
	return f
}

func or[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}

// xmlFault is the fault of /xmlrpc/2: the bare message for Odoo's own
// exceptions, the traceback text for any other exception.
func (f fault) xmlFault() (code int, text string) {
	if f.code == faultApplicationError {
		return f.code, f.debug
	}
	return f.code, f.message
}

// legacyFault is the fault of the legacy /xmlrpc routes, whose faultCode
// is a string: "warning -- <exception>\n\n<message>" for Odoo's warnings,
// "AccessDenied" for refused credentials, the message itself (with the
// traceback as faultString) for any other exception.
func (f fault) legacyFault() (code, text string) {
	switch {
	case f.row.warning != "":
		return "warning -- " + f.row.warning + "\n\n" + f.message, ""
	case f.code == faultAccessDenied:
		return "AccessDenied", f.message
	}
	return f.repr, f.debug // Python's str() of the exception
}

// envelope renders Odoo's JSON-RPC error envelope, {"jsonrpc", "id",
// "error": {code, message, data}}, with data shaped like Odoo's
// serialize_exception. The web client's routes answer some errors with
// their own code (an expired session, a missing model).
func (f fault) envelope(id json.RawMessage, web bool) []byte {
	code, message := 200, "Odoo Server Error"
	name, msg, debug := f.name, f.message, f.debug
	if a := f.row.web; web && a != nil {
		code, message = a.code, a.message
		name, msg = a.name, a.exception
		debug = traceback(f.method, a.name, msg)
	}
	var buf bytes.Buffer
	buf.WriteString(`{"jsonrpc": "2.0", "id": `)
	buf.Write(id)
	buf.WriteString(`, "error": {"code": ` + strconv.Itoa(code) + `, "message": `)
	_ = jsonrpc.Encode(&buf, message)
	buf.WriteString(`, "data": `)
	// Odoo 18's serialize_exception builds the dict in this order.
	_ = jsonrpc.Encode(&buf, models.DictOf([]string{"name", "debug", "message", "arguments", "context"},
		[]any{name, debug, msg, []any{msg}, map[string]any{}}))
	buf.WriteString("}}")
	return buf.Bytes()
}

// refusal is a route's answer: the refusal of its auth mode, with the
// error's own text when it has one (the login cool-down's), or for any
// other error its status and message.
func (f fault) refusal() refusal {
	if f.reason && f.row.route != nil {
		ref := *f.row.route
		if f.own != "" {
			ref.message = f.own
		}
		return ref
	}
	if f.internal {
		return refusal{status: f.row.status, code: "internal_error", message: f.message}
	}
	return refusal{status: f.row.status, code: "server_error", message: f.message}
}

// json2 is JSON-2's answer: its status, WWW-Authenticate challenge and
// body {name, message, arguments, context, debug}.
func (f fault) json2() (status int, challenge string, body []byte) {
	if a := f.row.json2; a != nil {
		msg := a.message
		if msg == "" {
			msg = f.message
		}
		return a.status, a.challenge, json2Body(a.name, msg, "", append([]any{msg}, a.extra...)...)
	}
	return f.row.status, "", json2Body(f.name, f.message, f.debug, f.message)
}

func json2Body(name, msg, debug string, arguments ...any) []byte {
	var buf bytes.Buffer
	// Odoo 19's serialize_exception, which JSON-2 answers with, builds the
	// dict in this order (Odoo 18's put debug second).
	_ = jsonrpc.Encode(&buf, models.DictOf([]string{"name", "message", "arguments", "context", "debug"},
		[]any{name, msg, arguments, map[string]any{}, debug}))
	return buf.Bytes()
}

// writeXMLFault answers err on /xmlrpc/2, or on the legacy /xmlrpc routes.
func writeXMLFault(w http.ResponseWriter, f fault, legacy bool) {
	bp := getBuf()
	var b []byte
	if legacy {
		code, text := f.legacyFault()
		b = xmlrpc.AppendFault(*bp, code, text)
	} else {
		code, text := f.xmlFault()
		b = xmlrpc.AppendFault(*bp, code, text)
	}
	writeXML(w, b)
	putBuf(bp, b)
}

// writeRefusal answers a route request that its auth mode refused, or
// that failed while being authenticated, with a JSON body {"error": code,
// "message": text}.
func writeRefusal(w http.ResponseWriter, f fault) {
	ref := f.refusal()
	if ref.challenge != "" {
		w.Header().Set("WWW-Authenticate", ref.challenge)
	}
	w.Header().Set("Cache-Control", "no-store")
	var buf bytes.Buffer
	_ = jsonrpc.Encode(&buf, models.DictOf([]string{"error", "message"}, []any{ref.code, ref.message}))
	writeJSON(w, ref.status, buf.Bytes())
}

// writeJSON2Error answers a JSON-2 request that failed.
func writeJSON2Error(w http.ResponseWriter, f fault) {
	status, challenge, body := f.json2()
	if challenge != "" {
		w.Header().Set("WWW-Authenticate", challenge)
	}
	writeJSON(w, status, body)
}

// abandoned marks err as caused by the client going away when ctx, the
// call's context, was cancelled: net/http cancels it when the client's
// connection closes. A query interrupted that way reports a driver error
// (PostgreSQL's "canceling statement due to user request") rather than
// context.Canceled, so the call's context is the only reliable witness. A
// call that ran out of its time (context.DeadlineExceeded) stays an error.
func abandoned(ctx context.Context, err error) error {
	if err == nil || !errors.Is(ctx.Err(), context.Canceled) || errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("%w: %w", context.Canceled, err)
}

// pythonName is how a Python traceback names an exception class: with its
// module, unless that is builtins (psycopg2.errors.InvalidRowCountInLimitClause,
// odoo.exceptions.UserError, but ValueError).
func pythonName(dotted string) string {
	return strings.TrimPrefix(dotted, "builtins.")
}

// traceback renders an error in the shape of a Python traceback, which
// clients parse for the last line. godoo has no Python frames to show.
// exceptionText is what Python prints of an exception in a traceback: its
// message, but a KeyError shows the repr of its key (Odoo's JSON-RPC
// message is the key itself).
func exceptionText(name, msg string) string {
	if name == "builtins.KeyError" {
		return py.Repr(msg)
	}
	return msg
}

func traceback(method, exc, msg string) string {
	if method == "" {
		method = "dispatch"
	}
	return "Traceback (most recent call last):\n  File \"godoo\", line 1, in " + method + "\n" + exc + ": " + msg + "\n"
}

func requestID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
