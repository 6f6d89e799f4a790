package models

import (
	"context"
	"database/sql"
	"slices"

	"github.com/uptrace/bun"
)

// The schema changes of a database's own models and fields (Odoo's custom
// ones), made inside the call's transaction when an ir.model or
// ir.model.fields record is created, renamed or deleted. Both stores
// change their schema transactionally, so a call that fails leaves the
// schema as it was.

// EnsureTables creates, inside db's transaction, what the tables of the
// named models of r and their link tables lack, as EnsureSchema does for
// every table when a database is opened: a missing table with its
// columns, missing columns, link tables, foreign keys and indexes.
func EnsureTables(ctx context.Context, db bun.IDB, dialect string, r *Registry, models []string) error {
	tables := map[string]bool{}
	for _, name := range models {
		if m := r.models[name]; m != nil && !m.Abstract {
			tables[m.Table] = true
		}
	}
	all := r.schema()
	var spec schemaSpec
	for _, t := range all.tables {
		if tables[t.name] {
			spec.tables = append(spec.tables, t)
		}
	}
	for _, l := range all.links {
		if tables[l.refs[0]] || tables[l.refs[1]] {
			spec.links = append(spec.links, l)
		}
	}
	live, err := inspect(ctx, db, dialect)
	if err != nil {
		return err
	}
	stmts, err := plan(ctx, db, dialect, spec, live)
	if err != nil {
		return err
	}
	return execDDL(ctx, db, stmts...)
}

// DropColumn drops a column of table, and its index first (SQLite drops
// no indexed column).
func DropColumn(ctx context.Context, db bun.IDB, table, column string) error {
	return execDDL(ctx, db, "DROP INDEX IF EXISTS "+table+"_"+column+"_index", "ALTER TABLE "+table+" DROP COLUMN "+column)
}

// RenameColumn renames a column of table; its index is dropped, for
// EnsureTables to make again under the new name.
func RenameColumn(ctx context.Context, db bun.IDB, table, from, to string) error {
	return execDDL(ctx, db, "DROP INDEX IF EXISTS "+table+"_"+from+"_index", "ALTER TABLE "+table+" RENAME COLUMN "+from+" TO "+to)
}

// DropTables drops tables that exist, in order: link tables before the
// tables they link.
func DropTables(ctx context.Context, db bun.IDB, dialect string, tables ...string) error {
	live, err := inspect(ctx, db, dialect)
	if err != nil {
		return err
	}
	var stmts []string
	for _, t := range tables {
		if live.hasTable(t) && !slices.Contains(stmts, "DROP TABLE "+t) {
			stmts = append(stmts, "DROP TABLE "+t)
		}
	}
	return execDDL(ctx, db, stmts...)
}

// execDDL runs statements on the driver's own connection: DDL takes no
// arguments, and bun would read a ? of a default as a placeholder.
func execDDL(ctx context.Context, db bun.IDB, stmts ...string) error {
	for _, q := range stmts {
		var err error
		switch x := db.(type) {
		case bun.Tx:
			_, err = x.Tx.ExecContext(ctx, q)
		case *bun.DB:
			_, err = x.DB.ExecContext(ctx, q)
		default:
			_, err = db.ExecContext(ctx, q)
		}
		if err != nil {
			return &Error{Kind: KindServer, Name: "psycopg2.ProgrammingError", Message: err.Error(), Err: err}
		}
	}
	return nil
}

// RegistryVersion is the version of db's extension (its custom models
// and fields): it moves, in the transaction that changes them, with
// RegistryChanged.
func RegistryVersion(ctx context.Context, db bun.IDB) (int64, error) {
	var v int64
	err := db.QueryRowContext(ctx, "SELECT version FROM godoo_registry_version WHERE id = 1").Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return v, err
}

// RegistryChanged moves the version of the database's extension in the
// call's transaction, once per transaction. The table's trigger moves the
// generation of the credential caches too (migration 0013), which is how
// every process learns of the change at its next request; in this process
// the change holds once the transaction commits.
func (e *Env) RegistryChanged(ctx context.Context) error {
	if e.state.registryChanged {
		return nil
	}
	if _, err := e.Exec(ctx, "UPDATE godoo_registry_version SET version = version + 1 WHERE id = 1"); err != nil {
		return err
	}
	e.state.registryChanged = true
	if !e.state.credentials {
		e.state.credentials = true
		if e.CredentialsChanging != nil {
			e.OnCommit(e.CredentialsChanging())
		}
	}
	return nil
}

// TableExists tells whether db has a relation (table, view, index, ...)
// named table: a custom many2many may not take a name that is already
// there, since deleting the field drops it; a database without
// ir_module_module is one being created.
func TableExists(ctx context.Context, db bun.IDB, dialect, table string) (bool, error) {
	q := "SELECT COUNT(*) FROM sqlite_master WHERE name = ?"
	if dialect == "pg" {
		q = `SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relname = ?`
	}
	var n int64
	if err := db.QueryRowContext(ctx, q, table).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}
