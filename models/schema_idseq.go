package models

import (
	"context"
	"sort"
	"strings"

	"github.com/uptrace/bun"
)

// sharedIDsDDL gives the tables that share a sequence of ids
// (Declaration.IDSequence: Odoo's actions) what they lack of it, and
// nothing once they have it.
//
// PostgreSQL: the sequence, each table's id defaulting to its next value
// (instead of the table's own serial), and, when either was missing, the
// sequence moved past every id the tables have or their sequences gave
// (an existing database keeps the ids its tables gave; new ones are
// unique across them and never those of deleted rows).
//
// SQLite, which has no sequences: each table's AUTOINCREMENT counter
// (its sqlite_sequence row) is moved up to every id the other tables
// are given, by a trigger of each table, so that the next id of any of
// them comes after every id of all of them.
func sharedIDsDDL(ctx context.Context, tx bun.IDB, dialect string, spec schemaSpec) ([]string, error) {
	groups := map[string][]string{}
	for _, t := range spec.tables {
		if t.idSeq != "" {
			groups[t.idSeq] = append(groups[t.idSeq], t.name)
		}
	}
	seqs := make([]string, 0, len(groups))
	for s := range groups {
		seqs = append(seqs, s)
	}
	sort.Strings(seqs)
	var out []string
	for _, seq := range seqs {
		tables := groups[seq]
		var stmts []string
		var err error
		if dialect == "pg" {
			stmts, err = pgSharedIDs(ctx, tx, seq, tables)
		} else {
			stmts, err = sqliteSharedIDs(ctx, tx, seq, tables)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, stmts...)
	}
	return out, nil
}

// maxIDOf is an SQL expression of the greatest id of tables, 0 for none.
func maxIDOf(tables []string) string {
	parts := make([]string, len(tables))
	for i, t := range tables {
		parts[i] = "SELECT MAX(id) AS id FROM " + t
	}
	return "(SELECT COALESCE(MAX(id), 0) FROM (" + strings.Join(parts, " UNION ALL ") + ") ids)"
}

// pgSharedIDs is sharedIDsDDL's PostgreSQL part for one sequence.
func pgSharedIDs(ctx context.Context, tx bun.IDB, seq string, tables []string) ([]string, error) {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "+
		"WHERE c.relkind = 'S' AND c.relname = ? AND s.nspname = current_schema()", seq).Scan(&n); err != nil {
		return nil, err
	}
	var stmts []string
	if n == 0 {
		stmts = append(stmts, "CREATE SEQUENCE "+seq)
	}
	want := "nextval('" + seq + "'::regclass)"
	for _, t := range tables {
		var def string
		err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(column_default), '') FROM information_schema.columns "+
			"WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'id'", t).Scan(&def)
		if err != nil {
			return nil, err
		}
		if def != want {
			stmts = append(stmts, "ALTER TABLE "+t+" ALTER COLUMN id SET DEFAULT nextval('"+seq+"')")
		}
	}
	if len(stmts) > 0 {
		// Past every id given: those the tables hold, and those the
		// sequences handed out for rows deleted since (the trailing
		// actions of a table, or of any table once the sequence was
		// shared), which must not come again.
		given := []string{maxIDOf(tables)}
		if n > 0 {
			given = append(given, "(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM "+seq+")")
		}
		for _, t := range tables {
			given = append(given, "COALESCE(pg_sequence_last_value(pg_get_serial_sequence('"+t+"', 'id')::regclass), 0)")
		}
		stmts = append(stmts, "SELECT setval('"+seq+"', GREATEST("+strings.Join(given, ", ")+") + 1, false)")
	}
	return stmts, nil
}

// sqliteSharedIDs is sharedIDsDDL's SQLite part for one sequence.
func sqliteSharedIDs(ctx context.Context, tx bun.IDB, seq string, tables []string) ([]string, error) {
	quoted := make([]string, len(tables))
	for i, t := range tables {
		quoted[i] = "'" + t + "'"
	}
	in := "(" + strings.Join(quoted, ", ") + ")"
	var stmts []string
	for _, t := range tables {
		trigger := t + "_" + seq
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?", trigger).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			continue
		}
		stmts = append(stmts,
			"INSERT INTO sqlite_sequence (name, seq) SELECT '"+t+"', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '"+t+"')",
			"CREATE TRIGGER "+trigger+" AFTER INSERT ON "+t+" BEGIN UPDATE sqlite_sequence SET seq = NEW.id WHERE name IN "+in+" AND seq < NEW.id; END")
	}
	if len(stmts) > 0 {
		// Past every id given, also those of rows deleted since, which
		// a table's counter still holds.
		stmts = append(stmts, "UPDATE sqlite_sequence SET seq = (SELECT MAX(id) FROM (SELECT "+maxIDOf(tables)+" AS id "+
			"UNION ALL SELECT seq FROM sqlite_sequence WHERE name IN "+in+") given) WHERE name IN "+in)
	}
	return stmts, nil
}
