package models

import (
	"context"
	"regexp"

	"github.com/uptrace/bun"
)

// Store opens and manages one bun database per Odoo database name. The
// embedded default (models/sqlitestore) keeps one SQLite file per name; the
// PostgreSQL store (models/pgstore) keeps one PostgreSQL database per name.
// Both translate driver errors into the same kinds through Classify, so nothing
// above them ever sees a driver type.
type Store interface {
	// Dialect names the SQL dialect: "sqlite" or "pg".
	Dialect() string
	// Open returns the pool of an existing database, opening it lazily and
	// caching it. It never creates a database: an unknown name returns a
	// KindServer error named psycopg2.OperationalError, as Odoo does.
	Open(ctx context.Context, name string) (*bun.DB, error)
	// Exists reports whether godoo created a database of that name.
	Exists(ctx context.Context, name string) (bool, error)
	// List returns the names of the databases godoo created, sorted.
	List(ctx context.Context) ([]string, error)
	// Create makes a new empty database, marks it as godoo's and returns its
	// pool. It fails with a UserError when the name is taken or invalid.
	Create(ctx context.Context, name string) (*bun.DB, error)
	// Drop closes the database's pool and deletes it.
	Drop(ctx context.Context, name string) error
	// Rename renames a database; its pool is closed first.
	Rename(ctx context.Context, oldName, newName string) error
	// Duplicate copies src into a new database dst.
	Duplicate(ctx context.Context, src, dst string) error
	// Classify wraps a driver error in *Error with its kind (KindValidation
	// for constraint violations, KindRetryable for serialization failures,
	// deadlocks and busy databases) and returns other errors unchanged.
	Classify(err error) error
	// Close closes every open pool.
	Close() error
}

// dbNameRE is Odoo's rule for database names (odoo/service/db.py DBNAME_PATTERN).
var dbNameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`)

// ValidDBName reports whether name is an acceptable database name. Names become
// file names and SQL identifiers, so nothing else is ever accepted.
func ValidDBName(name string) bool {
	return len(name) <= 63 && dbNameRE.MatchString(name)
}

// ErrInvalidDBName is returned for names that ValidDBName refuses.
func ErrInvalidDBName(name string) error {
	return UserErrorf("Invalid database name: %q. Only letters, numbers, '_', '-' and '.' are allowed.", name)
}

// ErrNoDatabase is Odoo's answer for a database that does not exist: the
// registry load fails with psycopg2's OperationalError (fault 1).
func ErrNoDatabase(name string) error {
	return ServerErrorf("psycopg2.OperationalError", "FATAL:  database %q does not exist", name)
}
