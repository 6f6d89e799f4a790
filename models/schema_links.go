package models

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// LinkMove names the link table a many2many had in an older layout of
// its declarations: databases made then keep its rows there, while the
// field now links through the table and columns it declares.
type LinkMove struct {
	// Model and Field are the many2many.
	Model, Field string
	// Table, Column1 and Column2 are the link table it had, Column1
	// holding the ids of Model's records.
	Table, Column1, Column2 string
}

// MoveLinkTables gives the many2many fields of r the rows their link
// tables of an older layout (moves) hold: each old table the database
// still has is copied into the field's table of now (which EnsureSchema
// made), links already there kept once, then dropped; an old table of the
// field's own name whose columns were renamed gets the new names. It runs
// in the caller's transaction tx (services opens it, after EnsureSchema),
// serialised with EnsureSchema on PostgreSQL, and does nothing once the
// old tables are gone; it returns the statements it ran.
func MoveLinkTables(ctx context.Context, tx bun.Tx, dialect string, r *Registry, moves []LinkMove) ([]string, error) {
	moves = slices.DeleteFunc(slices.Clone(moves), func(mv LinkMove) bool { return r.movedLink(mv) == nil })
	if len(moves) == 0 {
		return nil, nil // a database without those modules looks at nothing
	}
	if err := lockSchema(ctx, tx, dialect); err != nil {
		return nil, err
	}
	live, err := inspect(ctx, tx, dialect)
	if err != nil {
		return nil, fmt.Errorf("inspect the schema: %w", err)
	}
	ran := planLinkMoves(dialect, r, live, moves)
	if err := execDDL(ctx, tx, ran...); err != nil {
		return nil, err
	}
	return ran, nil
}

// planLinkMoves lists the statements that move the old link tables of
// moves that live has into r's: the copies first, then the drops, so that
// an old table two fields shared (the two sides of one relation) is read
// for both.
func planLinkMoves(dialect string, r *Registry, live liveSchema, moves []LinkMove) []string {
	var copies, drops []string
	for _, mv := range moves {
		f := r.movedLink(mv)
		old := live.columns[mv.Table]
		_, has1 := old[mv.Column1]
		_, has2 := old[mv.Column2]
		if f == nil || !has1 || !has2 {
			continue // not moved, or gone already
		}
		if f.RelTable == mv.Table {
			// The table keeps its name; its columns take the field's.
			copies = append(copies,
				"DROP INDEX IF EXISTS "+mv.Table+"_"+mv.Column2+"_index",
				"ALTER TABLE "+mv.Table+" RENAME COLUMN "+mv.Column1+" TO "+f.RelCol,
				"ALTER TABLE "+mv.Table+" RENAME COLUMN "+mv.Column2+" TO "+f.RelOther,
				"CREATE INDEX IF NOT EXISTS "+f.RelTable+"_"+f.RelOther+"_index ON "+f.RelTable+" ("+f.RelOther+")")
			continue
		}
		if _, ok := live.columns[f.RelTable]; !ok {
			continue // EnsureSchema makes it first; nothing to copy into
		}
		insert := "INSERT OR IGNORE INTO "
		conflict := ""
		if dialect == "pg" {
			insert, conflict = "INSERT INTO ", " ON CONFLICT DO NOTHING"
		}
		copies = append(copies, insert+f.RelTable+" ("+f.RelCol+", "+f.RelOther+") SELECT "+mv.Column1+", "+mv.Column2+
			" FROM "+mv.Table+conflict)
		if drop := "DROP TABLE " + mv.Table; !slices.Contains(drops, drop) {
			drops = append(drops, drop)
		}
	}
	return append(copies, drops...)
}

// lockSchema serialises, on PostgreSQL, the processes that change one
// database's schema at once (EnsureSchema, MoveLinkTables), until tx
// ends.
func lockSchema(ctx context.Context, tx bun.Tx, dialect string) error {
	if dialect != "pg" {
		return nil
	}
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(727272)")
	return err
}

// movedLink is the many2many of mv when r declares it with another link
// table or columns than mv's, nil otherwise.
func (r *Registry) movedLink(mv LinkMove) *Field {
	m := r.models[mv.Model]
	if m == nil {
		return nil
	}
	f := m.Fields[mv.Field]
	if f == nil || f.Type != Many2many || f.RelTable == "" || f.RelTable == mv.Table && f.RelCol == mv.Column1 && f.RelOther == mv.Column2 {
		return nil
	}
	return f
}
