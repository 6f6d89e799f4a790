package sqlitestore

import (
	"errors"
	"strconv"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/godoo/godoo/models"
)

// Classify translates a modernc.org/sqlite error by its extended result code.
// Constraint violations become a KindValidation *models.Error whose chain holds
// a *models.ConstraintError; SQLITE_BUSY and SQLITE_LOCKED (with all their
// extended codes, such as SQLITE_BUSY_SNAPSHOT) become KindRetryable. Nil,
// errors that are already classified and every other error are returned
// unchanged.
func (s *Store) Classify(err error) error { return Classify(err) }

// Classify is Store.Classify without a store.
func Classify(err error) error {
	var se *sqlite.Error
	if err == nil || models.AsError(err) != nil || !errors.As(err, &se) {
		return err
	}
	code := se.Code()
	var typ string
	switch code {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		typ = models.ConstraintUnique
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_TRIGGER:
		// SQLite reports an ON DELETE RESTRICT refusal as a trigger
		// constraint; godoo's schema has no triggers of its own, so the
		// code means a foreign key here.
		typ = models.ConstraintForeignKey
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		typ = models.ConstraintNotNull
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		typ = models.ConstraintCheck
	}
	if typ != "" {
		ce := &models.ConstraintError{Type: typ, Err: err}
		fillDetail(ce, se)
		return &models.Error{Kind: models.KindValidation, Message: ce.Detail(), Err: ce}
	}
	switch code & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return models.Retryable(err)
	}
	return err
}

// fillDetail copies what SQLite says about the failing constraint into ce. The
// kind of violation comes from the code; only the names are read from the
// message, which SQLite formats as "<KIND> constraint failed: <detail>" where
// detail is "table.col[, table.col…]" for unique and not-null violations, "index
// 'name'" for a unique index on expressions, the constraint name (or the
// expression of an unnamed one) for check violations, and absent for foreign
// keys. The driver prefixes the generic text of the code and appends " (code)".
func fillDetail(ce *models.ConstraintError, se *sqlite.Error) {
	const marker = " constraint failed: "
	msg := strings.TrimSuffix(se.Error(), " ("+strconv.Itoa(se.Code())+")")
	i := strings.Index(msg, marker)
	if i < 0 {
		return
	}
	detail := msg[i+len(marker):]
	switch ce.Type {
	case models.ConstraintCheck:
		ce.Constraint = detail
	case models.ConstraintUnique, models.ConstraintNotNull:
		if idx, ok := strings.CutPrefix(detail, "index '"); ok {
			ce.Constraint = strings.TrimSuffix(idx, "'")
			return
		}
		var cols []string
		for _, tc := range strings.Split(detail, ", ") {
			table, col, ok := strings.Cut(tc, ".")
			if !ok {
				return
			}
			ce.Table = table
			cols = append(cols, col)
		}
		ce.Column = strings.Join(cols, ",")
	}
}
