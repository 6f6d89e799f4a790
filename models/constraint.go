package models

import "strings"

// Constraint types reported in ConstraintError.Type. They are the same on both
// stores, whatever the driver calls them.
const (
	ConstraintUnique     = "unique"
	ConstraintForeignKey = "foreign_key"
	ConstraintNotNull    = "not_null"
	ConstraintCheck      = "check"
)

// ConstraintError describes a database constraint violation in driver-neutral
// terms. The stores' Classify put it in the chain of a KindValidation *Error,
// so that model code finds it with errors.As and builds Odoo's "The operation
// cannot be completed: …" message from its own schema.
//
// What is known depends on the store. PostgreSQL names the table and the
// constraint for every type and the column for not-null violations. SQLite
// never names a foreign-key constraint or its table; for unique violations it
// names the table and the columns (Column holds them comma-separated, in index
// order, and Constraint is empty unless the index is on an expression); for
// check violations it gives only the constraint name, or the expression of an
// unnamed one, in Constraint.
type ConstraintError struct {
	Type       string // ConstraintUnique, ConstraintForeignKey, ConstraintNotNull or ConstraintCheck
	Table      string
	Column     string
	Constraint string
	Err        error // the driver error
}

// Error returns the driver's text, since Detail already serves as the message
// of the *Error that wraps this one and would otherwise be repeated.
func (e *ConstraintError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return e.Detail()
}

// Unwrap returns the driver error.
func (e *ConstraintError) Unwrap() error { return e.Err }

// Detail is a short English description built from the structured fields,
// such as `unique constraint "res_users_login_key" failed on res_users`.
func (e *ConstraintError) Detail() string {
	var b strings.Builder
	switch e.Type {
	case ConstraintForeignKey:
		b.WriteString("foreign key")
	case ConstraintNotNull:
		b.WriteString("not-null")
	default:
		b.WriteString(e.Type)
	}
	b.WriteString(" constraint")
	if e.Constraint != "" {
		b.WriteString(` "` + e.Constraint + `"`)
	}
	b.WriteString(" failed")
	switch {
	case e.Table != "" && e.Column != "" && !strings.Contains(e.Column, ","):
		b.WriteString(" on " + e.Table + "." + e.Column)
	case e.Table != "" && e.Column != "":
		b.WriteString(" on " + e.Table + " (" + e.Column + ")")
	case e.Table != "":
		b.WriteString(" on " + e.Table)
	case e.Column != "":
		b.WriteString(" on column " + e.Column)
	}
	return b.String()
}
