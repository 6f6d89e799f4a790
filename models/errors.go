package models

import (
	"errors"
	"fmt"

	"github.com/godoo/godoo/models/py"
)

// Kind classifies an error the way Odoo's exception hierarchy does, so that the
// protocol layer can pick a fault code without looking at error text.
type Kind int

// The error kinds. The zero value is KindInternal so that an unclassified
// *Error never leaks as something the client is allowed to read.
const (
	// KindInternal is an unexpected failure; its message is hidden from clients.
	KindInternal Kind = iota
	// KindUser is odoo.exceptions.UserError.
	KindUser
	// KindValidation is odoo.exceptions.ValidationError (constraint failures).
	KindValidation
	// KindMissing is odoo.exceptions.MissingError (records that do not exist).
	KindMissing
	// KindAccess is odoo.exceptions.AccessError (ACL and record rule refusals).
	KindAccess
	// KindAccessDenied is odoo.exceptions.AccessDenied (bad credentials).
	KindAccessDenied
	// KindRetryable marks serialization failures and deadlocks that the
	// transaction runner retries before reporting anything.
	KindRetryable
	// KindServer is a Python-level exception whose message Odoo shows in a
	// fault 1 traceback (TypeError, KeyError, AttributeError, ...). Name holds
	// the Python class so the JSON envelope can report it.
	KindServer
	// KindNotFound is werkzeug's NotFound: what a request names (a
	// database, a model, a method) does not exist.
	KindNotFound
)

// String returns the kind's Odoo exception name.
func (k Kind) String() string {
	switch k {
	case KindUser:
		return "odoo.exceptions.UserError"
	case KindValidation:
		return "odoo.exceptions.ValidationError"
	case KindMissing:
		return "odoo.exceptions.MissingError"
	case KindAccess:
		return "odoo.exceptions.AccessError"
	case KindAccessDenied:
		return "odoo.exceptions.AccessDenied"
	case KindRetryable:
		return "psycopg2.errors.SerializationFailure"
	case KindServer:
		return "builtins.Exception"
	case KindNotFound:
		return "werkzeug.exceptions.NotFound"
	}
	return "builtins.Exception"
}

// Reason says why a request was refused where the kind alone does not:
// each protocol answers some refusals in a way of its own (a route's 401
// with a challenge, JSON-2's 422 for arguments that do not bind). The
// zero value is no particular reason.
type Reason int

// The refusal reasons.
const (
	ReasonNone Reason = iota
	// ReasonNoDatabase (KindNotFound): the request names no database and
	// there is not exactly one.
	ReasonNoDatabase
	// ReasonUnknownDatabase (KindNotFound): the named database does not
	// exist.
	ReasonUnknownDatabase
	// ReasonMissingKey (KindAccessDenied): no API-KEY header.
	ReasonMissingKey
	// ReasonInvalidKey (KindAccessDenied): the API-KEY is unknown,
	// archived or disabled.
	ReasonInvalidKey
	// ReasonKeyGroup (KindAccessDenied): the key is valid but in none of
	// the route's key groups.
	ReasonKeyGroup
	// ReasonMissingBasic (KindAccessDenied): no HTTP Basic credentials.
	ReasonMissingBasic
	// ReasonInvalidBasic (KindAccessDenied): wrong HTTP Basic credentials.
	ReasonInvalidBasic
	// ReasonMissingBearer (KindAccessDenied): no bearer token (nor, where
	// one would do, an API-KEY).
	ReasonMissingBearer
	// ReasonInvalidBearer (KindAccessDenied): the bearer token is not a
	// usable native key.
	ReasonInvalidBearer
	// ReasonNoSession (KindAccessDenied): no valid web session: missing,
	// expired, destroyed or invalidated (Odoo's SessionExpiredException).
	ReasonNoSession
	// ReasonSessionDatabase (KindAccessDenied): the request names another
	// database than its session's.
	ReasonSessionDatabase
	// ReasonBrowserSession (KindAccessDenied): a browser session cookie
	// where a key is required.
	ReasonBrowserSession
	// ReasonArguments (KindServer, a TypeError): the call's arguments do
	// not bind to the method's parameters, as opposed to a TypeError the
	// method raises.
	ReasonArguments
	// reasonEnd follows the last reason; new reasons go before it.
	reasonEnd
)

// Reasons lists every refusal reason but ReasonNone, for the tests that
// check each has its name and its row in the protocols' table.
func Reasons() []Reason {
	out := make([]Reason, 0, reasonEnd-1)
	for r := ReasonNone + 1; r < reasonEnd; r++ {
		out = append(out, r)
	}
	return out
}

// String names the reason, for logs and error texts.
func (r Reason) String() string {
	switch r {
	case ReasonNoDatabase:
		return "no database selected"
	case ReasonUnknownDatabase:
		return "unknown database"
	case ReasonMissingKey:
		return "missing API key"
	case ReasonInvalidKey:
		return "invalid API key"
	case ReasonKeyGroup:
		return "API key not in the route's groups"
	case ReasonMissingBasic:
		return "missing Basic credentials"
	case ReasonInvalidBasic:
		return "invalid Basic credentials"
	case ReasonMissingBearer:
		return "missing bearer token"
	case ReasonInvalidBearer:
		return "invalid bearer token"
	case ReasonNoSession:
		return "no session"
	case ReasonSessionDatabase:
		return "database differs from the session's"
	case ReasonBrowserSession:
		return "browser session without a key"
	case ReasonArguments:
		return "arguments do not match the signature"
	}
	return "no reason"
}

// Error is godoo's application error, the only one: every failure a
// client may hear of is one, and rpc turns it into each protocol's answer.
// Message is safe to show to the client for every kind except
// KindInternal; it may be empty when Reason says enough.
type Error struct {
	Kind   Kind
	Name   string // Python exception class for KindServer, e.g. "builtins.TypeError"
	Reason Reason
	// Message replaces the default text of Reason, when there is one.
	Message string
	// Repr is what a Python traceback prints of the exception after its
	// name when that is not Message: a KeyError prints the repr of its key
	// (see KeyError).
	Repr string
	Err  error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	if e.Message == "" && e.Reason != ReasonNone {
		return "refused: " + e.Reason.String()
	}
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap lets errors.Is and errors.As see the cause.
func (e *Error) Unwrap() error { return e.Err }

// ExceptionName is the dotted Python name Odoo reports for this error.
func (e *Error) ExceptionName() string {
	if e.Name != "" {
		return e.Name
	}
	return e.Kind.String()
}

// KindOf returns the kind of the first *Error in err's chain, KindInternal when
// there is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ReasonOf returns the reason of the first *Error in err's chain,
// ReasonNone when there is none.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ReasonNone
}

// Refused builds the refusal of a request for reason, of kind
// KindAccessDenied (credentials) or KindNotFound (databases).
func Refused(kind Kind, reason Reason) error {
	return &Error{Kind: kind, Reason: reason}
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// UserErrorf builds a UserError.
func UserErrorf(format string, args ...any) error {
	return &Error{Kind: KindUser, Message: fmt.Sprintf(format, args...)}
}

// ValidationErrorf builds a ValidationError.
func ValidationErrorf(format string, args ...any) error {
	return &Error{Kind: KindValidation, Message: fmt.Sprintf(format, args...)}
}

// MissingErrorf builds a MissingError.
func MissingErrorf(format string, args ...any) error {
	return &Error{Kind: KindMissing, Message: fmt.Sprintf(format, args...)}
}

// AccessErrorf builds an AccessError.
func AccessErrorf(format string, args ...any) error {
	return &Error{Kind: KindAccess, Message: fmt.Sprintf(format, args...)}
}

// ErrAccessDenied is Odoo's AccessDenied with its fixed message. Callers never
// say why credentials failed, so that nothing helps an attacker.
var ErrAccessDenied = &Error{Kind: KindAccessDenied, Message: "Access Denied"}

// AccessDeniedf builds an AccessDenied with a specific message (cool-down).
func AccessDeniedf(format string, args ...any) error {
	return &Error{Kind: KindAccessDenied, Message: fmt.Sprintf(format, args...)}
}

// ServerErrorf builds a Python-level exception (fault 1 with a message) such as
// builtins.TypeError. name is the dotted Python class name.
func ServerErrorf(name, format string, args ...any) error {
	return &Error{Kind: KindServer, Name: name, Message: fmt.Sprintf(format, args...)}
}

// KeyError is Python's KeyError of key, a string or None: Odoo's JSON-RPC
// message is the key itself ("child_of", "None"), a traceback prints its
// repr ("KeyError: 'child_of'", "KeyError: None").
func KeyError(key any) error {
	msg, ok := key.(string)
	if !ok {
		msg = py.Repr(key)
	}
	return &Error{Kind: KindServer, Name: "builtins.KeyError", Message: msg, Repr: py.Repr(key)}
}

// Retryable wraps a driver error that a new transaction may not hit again.
func Retryable(err error) error {
	return &Error{Kind: KindRetryable, Message: "concurrent update", Err: err}
}
