package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// EnsureSchema creates what the registry's declarations need and db lacks,
// as Odoo's auto-init does when a module is loaded: missing tables with
// their columns, foreign keys and unique constraints, missing columns of
// existing tables, link tables and indexes. It never drops or alters what
// exists. It returns the statements it ran, none when the schema was
// complete.
//
// A database's history is the numbered migrations (package migrations),
// which services applies first; EnsureSchema then adds what declarations
// added since. It runs in one transaction; on PostgreSQL, processes that
// open one database at once serialise on the migrations' advisory lock, so
// each statement runs once.
//
// A required column added to a table that has rows is left nullable unless
// it has a default (PostgreSQL and SQLite cannot give the rows a value),
// and a foreign key is only created with its column (SQLite cannot add one
// to an existing column); SchemaDiff reports both.
func EnsureSchema(ctx context.Context, db *bun.DB, dialect string, r *Registry) ([]string, error) {
	var ran []string
	err := db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		var err error
		ran, err = EnsureSchemaIn(ctx, tx, dialect, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ran, nil
}

// EnsureSchemaIn is EnsureSchema within the caller's transaction tx, so
// that a module's tables and columns are created with its records or
// not at all (both stores roll DDL back).
func EnsureSchemaIn(ctx context.Context, tx bun.Tx, dialect string, r *Registry) ([]string, error) {
	if err := lockSchema(ctx, tx, dialect); err != nil {
		return nil, err
	}
	live, err := inspect(ctx, tx, dialect)
	if err != nil {
		return nil, fmt.Errorf("inspect the schema: %w", err)
	}
	stmts, err := plan(ctx, tx, dialect, r.schema(), live)
	if err != nil {
		return nil, err
	}
	for _, q := range stmts {
		// The driver's own Exec: DDL takes no arguments, and bun would
		// read a ? of a default as a placeholder.
		if _, err := tx.Tx.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("ensure the schema: %s: %w", q, err)
		}
	}
	return stmts, nil
}

// plan lists the statements that give live what spec has.
func plan(ctx context.Context, tx bun.IDB, dialect string, spec schemaSpec, live liveSchema) ([]string, error) {
	var stmts, fks, indexes []string
	for _, t := range spec.tables {
		if !live.hasTable(t.name) {
			stmts = append(stmts, createTableDDL(dialect, t))
			for _, c := range t.columns {
				if c.ref != "" && dialect == "pg" {
					fks = append(fks, addFKDDL(t.name, c))
				}
			}
			for _, ix := range t.indexes {
				if live.wants(dialect, ix) {
					indexes = append(indexes, indexDDL(t.name, ix))
				}
			}
			continue
		}
		for _, c := range t.columns {
			if lc, ok := live.columns[t.name][c.name]; ok {
				if c.perCompany {
					single, err := singleValued(ctx, tx, dialect, t.name, c.name, lc.typ)
					if err != nil || !single {
						if err != nil {
							return nil, err
						}
						continue
					}
					conv, err := perCompanyDDL(ctx, tx, dialect, t.name, c)
					if err != nil {
						return nil, err
					}
					stmts = append(stmts, conv...)
				}
				continue
			}
			notNull := c.notNull && c.def != nil
			if c.notNull && c.def == nil && dialect == "pg" {
				// PostgreSQL adds a NOT NULL column without a default to an
				// empty table only; SQLite to no table.
				empty, err := isEmpty(ctx, tx, t.name)
				if err != nil {
					return nil, err
				}
				notNull = empty
			}
			stmts = append(stmts, "ALTER TABLE "+t.name+" ADD COLUMN "+columnDDL(dialect, c, notNull)+inlineFK(dialect, t.name, c))
			if c.ref != "" && dialect == "pg" {
				fks = append(fks, addFKDDL(t.name, c))
			}
		}
		for _, u := range t.uniques {
			if !live.hasIndex(t.name, u.Columns, true) {
				stmts = append(stmts, uniqueDDL(dialect, t.name, u))
			}
		}
		for _, ix := range t.indexes {
			if live.wants(dialect, ix) && !live.hasIndexOf(t.name, ix) {
				indexes = append(indexes, indexDDL(t.name, ix))
			}
		}
	}
	for _, l := range spec.links {
		if !live.hasTable(l.name) {
			stmts = append(stmts, createLinkDDL(l)...)
		}
	}
	shared, err := sharedIDsDDL(ctx, tx, dialect, spec)
	if err != nil {
		return nil, err
	}
	stmts = append(stmts, shared...)
	return append(append(stmts, fks...), indexes...), nil
}

// singleValued reports whether the column of a company-dependent field
// still holds one value per record, as it did before the field became
// company-dependent. On PostgreSQL the column's type says so. On SQLite a
// text column and a JSON one are both TEXT, so the values decide: a column
// with a value that is not a JSON object was never converted (json_type is
// only asked of valid JSON, as it fails on anything else).
func singleValued(ctx context.Context, tx bun.IDB, dialect, table, col, typ string) (bool, error) {
	if typ != sqlType(dialect, JSON, 0) {
		return true, nil
	}
	if dialect == "pg" {
		return false, nil
	}
	var n int
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+table+" WHERE "+col+" IS NOT NULL AND "+
		"CASE WHEN json_valid("+col+") THEN json_type("+col+") ELSE '' END <> 'object' LIMIT 1) x").Scan(&n)
	if err != nil {
		return false, fmt.Errorf("inspect %s.%s: %w", table, col, err)
	}
	return n > 0, nil
}

// perCompanyDDL turns the single-value column of a field that became
// company-dependent into its JSON column. Until then that one value was
// what every company saw, so it stays every company's value: a record
// with a company keeps it as its company's, and a record of no company
// (or of a model without company_id) keeps it for each company there is.
// Its index and foreign key go: a JSON column has neither. SQLite cannot
// change a column's type, so the values move to a new column that then
// takes the old one's place.
func perCompanyDDL(ctx context.Context, tx bun.IDB, dialect, table string, c columnSpec) ([]string, error) {
	var companies, main int64
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(MIN(id), 1) FROM res_company").Scan(&companies, &main); err != nil {
		return nil, fmt.Errorf("the companies: %w", err)
	}
	col := c.name
	key := strconv.FormatInt(main, 10)
	if dialect == "pg" {
		// A column's conversion cannot hold a subquery: the values are
		// first the main company's, then the shared ones every company's.
		company := key
		if c.companyCol != "" {
			company = "COALESCE(" + c.companyCol + ", " + key + ")"
		}
		stmts := []string{
			"ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + fkName(table, col),
			"DROP INDEX IF EXISTS " + table + "_" + col + "_index",
			"ALTER TABLE " + table + " ALTER COLUMN " + col + " DROP DEFAULT, ALTER COLUMN " + col + " DROP NOT NULL",
			"ALTER TABLE " + table + " ALTER COLUMN " + col + " TYPE JSONB USING CASE WHEN " + col + " IS NULL THEN NULL ELSE jsonb_build_object((" +
				company + ")::text, " + col + ") END",
		}
		if companies > 1 {
			shared := table + "." + col + " IS NOT NULL"
			if c.companyCol != "" {
				shared += " AND " + table + "." + c.companyCol + " IS NULL"
			}
			stmts = append(stmts, "UPDATE "+table+" SET "+col+" = (SELECT jsonb_object_agg(rc.id::text, "+table+"."+col+" -> '"+key+"') FROM res_company rc) WHERE "+shared)
		}
		return stmts, nil
	}
	value := "json_object('" + key + "', " + col + ")"
	if companies > 0 {
		value = "(SELECT json_group_object(CAST(rc.id AS TEXT), " + table + "." + col + ") FROM res_company rc)"
	}
	if c.companyCol != "" {
		value = "CASE WHEN " + c.companyCol + " IS NULL THEN " + value + " ELSE json_object(CAST(" + c.companyCol + " AS TEXT), " + col + ") END"
	}
	tmp := col + "__per_company"
	return []string{
		"DROP INDEX IF EXISTS " + table + "_" + col + "_index",
		"ALTER TABLE " + table + " ADD COLUMN " + tmp + " TEXT",
		"UPDATE " + table + " SET " + tmp + " = CASE WHEN " + col + " IS NULL THEN NULL ELSE " + value + " END",
		"ALTER TABLE " + table + " DROP COLUMN " + col,
		"ALTER TABLE " + table + " RENAME COLUMN " + tmp + " TO " + col,
	}, nil
}

// isEmpty reports whether table has no row.
func isEmpty(ctx context.Context, tx bun.IDB, table string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+table+" LIMIT 1) x").Scan(&n)
	return n == 0, err
}

// SchemaDiff lists how db's schema differs from what the registry's
// declarations need: a missing table, column, link table, foreign key,
// unique constraint or index, a column of another type, a required column
// that accepts NULL, a foreign key with another ON DELETE, and a column of
// a model's table that nothing declares. Nothing is listed for a schema
// that matches. Tables that no model has (migrations' own) are not looked
// at.
func SchemaDiff(ctx context.Context, db bun.IDB, dialect string, r *Registry) ([]string, error) {
	live, err := inspect(ctx, db, dialect)
	if err != nil {
		return nil, err
	}
	spec := r.schema()
	var out []string
	for _, t := range spec.tables {
		cols, ok := live.columns[t.name]
		if !ok {
			out = append(out, "table "+t.name+" is missing")
			continue
		}
		declared := map[string]bool{}
		for _, c := range t.columns {
			declared[c.name] = true
			lc, ok := cols[c.name]
			if !ok {
				out = append(out, "column "+t.name+"."+c.name+" is missing")
				continue
			}
			if want := sqlType(dialect, c.typ, c.size); lc.typ != want {
				out = append(out, fmt.Sprintf("column %s.%s is %s, not %s", t.name, c.name, lc.typ, want))
			}
			if c.notNull && !lc.notNull {
				out = append(out, "column "+t.name+"."+c.name+" accepts NULL")
			}
			out = append(out, diffFK(live, t.name, c.name, c.ref, c.onDelete)...)
		}
		for name := range cols {
			if !declared[name] {
				out = append(out, "column "+t.name+"."+name+" is not declared")
			}
		}
		for _, u := range t.uniques {
			if !live.hasIndex(t.name, u.Columns, true) {
				out = append(out, "unique constraint "+u.Name+" on "+t.name+" ("+strings.Join(u.Columns, ", ")+") is missing")
			}
		}
		for _, ix := range t.indexes {
			if live.wants(dialect, ix) && !live.hasIndexOf(t.name, ix) {
				out = append(out, "index on "+t.name+" ("+strings.Join(ix.Columns, ", ")+") is missing")
			}
		}
	}
	for _, l := range spec.links {
		cols, ok := live.columns[l.name]
		if !ok {
			out = append(out, "link table "+l.name+" is missing")
			continue
		}
		for i, c := range l.cols {
			lc, ok := cols[c]
			if !ok {
				out = append(out, "column "+l.name+"."+c+" is missing")
				continue
			}
			if lc.typ != "INTEGER" || !lc.notNull {
				out = append(out, "column "+l.name+"."+c+" is not INTEGER NOT NULL")
			}
			out = append(out, diffFK(live, l.name, c, l.refs[i], "cascade")...)
		}
		if len(cols) != 2 {
			out = append(out, fmt.Sprintf("link table %s has %d columns", l.name, len(cols)))
		}
		if !live.hasUnique(l.name, l.cols[:]) {
			out = append(out, "link table "+l.name+" has no unique key over its columns")
		}
	}
	return out, nil
}

// diffFK compares the foreign key of table.column with what it must be:
// none when ref is empty.
func diffFK(live liveSchema, table, column, ref, onDelete string) []string {
	fk, ok := live.fks[table][column]
	switch {
	case ref == "" && ok:
		return []string{"column " + table + "." + column + " has a foreign key to " + fk.ref + " that is not declared"}
	case ref == "":
		return nil
	case !ok:
		return []string{"foreign key of " + table + "." + column + " to " + ref + " is missing"}
	case fk.ref != ref || fk.onDelete != onDelete:
		return []string{fmt.Sprintf("foreign key of %s.%s is to %s ON DELETE %s, not to %s ON DELETE %s", table, column, fk.ref, fk.onDelete, ref, onDelete)}
	}
	return nil
}
