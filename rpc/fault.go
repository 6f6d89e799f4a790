package rpc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/godoo/godoo/models"
)

// Odoo's RPC_FAULT_CODE_* constants (odoo/addons/base/controllers/rpc.py).
const (
	faultApplicationError = 1
	faultWarning          = 2
	faultAccessDenied     = 3
	faultAccessError      = 4
)

// fault is everything a client may see of an error, computed once by the
// single mapping table below and rendered by each protocol.
type fault struct {
	code          int    // /xmlrpc/2 faultCode
	legacyCode    string // legacy /xmlrpc faultCode
	legacyString  string // legacy /xmlrpc faultString
	name          string // JSON data.name
	message       string // JSON data.message, and faultString on /xmlrpc/2
	debug         string // JSON data.debug: a Python-style traceback
	internal      bool
	jsonHTTPCode  int
	sessionExpiry bool
}

// toFault maps an error to what the client sees. It is the only place where
// a Go error becomes an Odoo fault; unclassified errors are logged here with a
// request id and reach the client only as that id.
func toFault(err error, log *slog.Logger, method string) fault {
	e := models.AsError(err)
	if e == nil || e.Kind == models.KindInternal || e.Kind == models.KindRetryable {
		id := requestID()
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
		tb := traceback(method, "Exception", msg)
		return fault{code: faultApplicationError, legacyCode: msg, legacyString: tb, name: "builtins.Exception",
			message: tb, debug: tb, internal: true, jsonHTTPCode: 500}
	}
	msg := e.Message
	if e.Err != nil && e.Message == "" {
		msg = e.Err.Error()
	}
	f := fault{name: e.ExceptionName(), message: msg, debug: traceback(method, pythonName(e.ExceptionName()), msg)}
	switch e.Kind {
	case models.KindAccess:
		f.code, f.legacyCode, f.jsonHTTPCode = faultAccessError, "warning -- AccessError\n\n"+msg, 403
	case models.KindAccessDenied:
		f.code, f.legacyCode, f.legacyString, f.jsonHTTPCode = faultAccessDenied, "AccessDenied", msg, 403
	case models.KindMissing:
		f.code, f.legacyCode, f.jsonHTTPCode = faultWarning, "warning -- MissingError\n\n"+msg, 404
	case models.KindUser, models.KindValidation:
		f.code, f.legacyCode, f.jsonHTTPCode = faultWarning, "warning -- UserError\n\n"+msg, 422
	default: // KindServer: a Python exception, shown as a traceback
		f.code, f.legacyCode, f.legacyString, f.jsonHTTPCode = faultApplicationError, msg, f.debug, 500
		f.message = msg
	}
	return f
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

// xmlFaultString is the faultString of /xmlrpc/2: the bare message for Odoo's
// own exceptions, the traceback text for any other exception.
func (f fault) xmlFaultString() string {
	if f.code == faultApplicationError {
		return f.debug
	}
	return f.message
}

// pythonName is how a Python traceback names an exception class: with its
// module, unless that is builtins (psycopg2.errors.InvalidRowCountInLimitClause,
// odoo.exceptions.UserError, but ValueError).
func pythonName(dotted string) string {
	return strings.TrimPrefix(dotted, "builtins.")
}

// traceback renders an error in the shape of a Python traceback, which
// clients parse for the last line. godoo has no Python frames to show.
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
