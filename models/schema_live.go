package models

import (
	"context"
	"slices"
	"strings"

	"github.com/uptrace/bun"
)

// liveSchema is what a database has, as far as the declarations say
// anything about it, read from the catalogue of either dialect.
type liveSchema struct {
	// columns by table, then by column.
	columns map[string]map[string]liveColumn
	// indexes by table: every index, unique ones (which unique constraints
	// and primary keys make) included.
	indexes map[string][]liveIndex
	// fks by table, then by column.
	fks map[string]map[string]liveFK
	// trigrams is whether the database has the pg_trgm extension.
	trigrams bool
}

// wants reports whether ix belongs in the database: an index of trigrams
// only on PostgreSQL with pg_trgm.
func (s liveSchema) wants(dialect string, ix Index) bool {
	return ix.Using != IndexTrigram || dialect == "pg" && s.trigrams
}

// hasIndexOf reports whether table has ix: an index of trigrams by its
// name (a plain index may cover the same column), others by their columns.
func (s liveSchema) hasIndexOf(table string, ix Index) bool {
	if ix.Using == IndexTrigram {
		return slices.ContainsFunc(s.indexes[table], func(l liveIndex) bool { return l.name == ix.Name })
	}
	return s.hasIndex(table, ix.Columns, false)
}

type liveColumn struct {
	typ     string // as sqlType writes it: VARCHAR(2), DOUBLE PRECISION...
	notNull bool
}

type liveIndex struct {
	name    string
	columns []string
	unique  bool
}

type liveFK struct {
	ref      string
	onDelete string // "set null", "restrict", "cascade", "no action"
}

func (s liveSchema) hasTable(t string) bool { _, ok := s.columns[t]; return ok }

// hasIndex reports whether table has an index over exactly columns, in
// that order; unique asks for a unique one.
func (s liveSchema) hasIndex(table string, columns []string, unique bool) bool {
	for _, ix := range s.indexes[table] {
		if (ix.unique || !unique) && strings.Join(ix.columns, ",") == strings.Join(columns, ",") {
			return true
		}
	}
	return false
}

// hasUnique reports whether table has a unique index over columns, in any
// order (a link table's primary key may list its columns either way).
func (s liveSchema) hasUnique(table string, columns []string) bool {
	for _, ix := range s.indexes[table] {
		if ix.unique && sameSet(ix.columns, columns) {
			return true
		}
	}
	return false
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || x == y
		}
		if !found {
			return false
		}
	}
	return true
}

// inspect reads the live schema of db.
func inspect(ctx context.Context, db bun.IDB, dialect string) (liveSchema, error) {
	s := liveSchema{columns: map[string]map[string]liveColumn{}, indexes: map[string][]liveIndex{}, fks: map[string]map[string]liveFK{}}
	q := inspectSQLite
	if dialect == "pg" {
		q = inspectPG
	}
	rows, err := db.QueryContext(ctx, q.columns)
	if err != nil {
		return s, err
	}
	for rows.Next() {
		var table, column, typ string
		var notNull bool
		if err := rows.Scan(&table, &column, &typ, &notNull); err != nil {
			rows.Close()
			return s, err
		}
		if s.columns[table] == nil {
			s.columns[table] = map[string]liveColumn{}
		}
		s.columns[table][column] = liveColumn{typ: normalType(typ), notNull: notNull}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s, err
	}
	rows, err = db.QueryContext(ctx, q.indexes)
	if err != nil {
		return s, err
	}
	for rows.Next() {
		var table, name, column string
		var unique bool
		if err := rows.Scan(&table, &name, &unique, &column); err != nil {
			rows.Close()
			return s, err
		}
		ixs := s.indexes[table]
		if n := len(ixs); n > 0 && ixs[n-1].name == name {
			ixs[n-1].columns = append(ixs[n-1].columns, column)
		} else {
			ixs = append(ixs, liveIndex{name: name, unique: unique, columns: []string{column}})
		}
		s.indexes[table] = ixs
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s, err
	}
	if dialect == "pg" {
		err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')").Scan(&s.trigrams)
		if err != nil {
			return s, err
		}
	}
	rows, err = db.QueryContext(ctx, q.fks)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, column, ref, onDelete string
		if err := rows.Scan(&table, &column, &ref, &onDelete); err != nil {
			return s, err
		}
		if s.fks[table] == nil {
			s.fks[table] = map[string]liveFK{}
		}
		s.fks[table][column] = liveFK{ref: ref, onDelete: strings.ToLower(onDelete)}
	}
	return s, rows.Err()
}

// normalType writes a catalogue's column type as sqlType does:
// PostgreSQL's format_type says "character varying(2)".
func normalType(typ string) string {
	t := strings.ToUpper(strings.TrimSpace(typ))
	if rest, ok := strings.CutPrefix(t, "CHARACTER VARYING"); ok {
		t = "VARCHAR" + rest
	}
	if t == "TIMESTAMP WITHOUT TIME ZONE" {
		t = "TIMESTAMP"
	}
	return t
}

// The catalogue queries of each dialect. Each returns, for the tables of
// the database's own schema: columns (table, column, type, not null),
// indexes one row per column in index order (table, index, unique,
// column), and single-column foreign keys (table, column, referenced
// table, ON DELETE). PostgreSQL's are read from pg_catalog, six times
// faster than from information_schema.
var (
	inspectPG = struct{ columns, indexes, fks string }{
		columns: `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
			FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
		indexes: `SELECT t.relname, i.relname, x.indisunique, a.attname
			FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
			JOIN pg_namespace n ON n.oid = t.relnamespace
			JOIN LATERAL unnest(x.indkey) WITH ORDINALITY k(attnum, pos) ON true
			JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
			WHERE n.nspname = current_schema()
			ORDER BY t.relname, i.relname, k.pos`,
		fks: `SELECT t.relname, a.attname, r.relname, CASE c.confdeltype WHEN 'n' THEN 'set null' WHEN 'r' THEN 'restrict'
				WHEN 'c' THEN 'cascade' WHEN 'd' THEN 'set default' ELSE 'no action' END
			FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
			JOIN pg_namespace n ON n.oid = t.relnamespace
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
			WHERE c.contype = 'f' AND n.nspname = current_schema() AND cardinality(c.conkey) = 1`,
	}
	inspectSQLite = struct{ columns, indexes, fks string }{
		columns: `SELECT m.name, p.name, p.type, p."notnull" OR p.pk > 0
			FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
		indexes: `SELECT m.name, l.name, l."unique", i.name
			FROM sqlite_master m JOIN pragma_index_list(m.name) l JOIN pragma_index_info(l.name) i
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
			ORDER BY m.name, l.name, i.seqno`,
		fks: `SELECT m.name, f."from", f."table", f.on_delete
			FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
	}
)
