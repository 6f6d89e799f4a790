package models

import (
	"errors"
	"fmt"
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
	}
	return "builtins.Exception"
}

// Error is godoo's application error. Message is safe to show to the client
// for every kind except KindInternal.
type Error struct {
	Kind    Kind
	Name    string // Python exception class for KindServer, e.g. "builtins.TypeError"
	Message string
	Err     error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
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

// Retryable wraps a driver error that a new transaction may not hit again.
func Retryable(err error) error {
	return &Error{Kind: KindRetryable, Message: "concurrent update", Err: err}
}
