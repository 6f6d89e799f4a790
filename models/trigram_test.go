package models_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestTrigramIndex checks res.partner's index of name trigrams: left out
// on SQLite, and on PostgreSQL until the database has pg_trgm (the schema
// has no difference then either); once it has, ensuring the schema makes
// a GIN index of trigrams beside the plain index of name, that serves a
// name ilike with a leading wildcard, and ensuring again runs nothing.
func TestTrigramIndex(t *testing.T) {
	r := storetest.Base(t)
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		storetest.Migrate(t, s, db)
		ensure := func() []string {
			t.Helper()
			ran, err := models.EnsureSchema(ctx, db, s.Dialect(), r)
			if err != nil {
				t.Fatal(err)
			}
			diff, err := models.SchemaDiff(ctx, db, s.Dialect(), r)
			if err != nil {
				t.Fatal(err)
			}
			if slices.ContainsFunc(diff, func(d string) bool { return strings.Contains(d, "res_partner") }) {
				t.Errorf("res_partner differs from its declaration: %q", diff)
			}
			return ran
		}
		made := func(ran []string) bool {
			return slices.ContainsFunc(ran, func(q string) bool { return strings.Contains(q, "res_partner_name_trgm_index") })
		}
		if ran := ensure(); made(ran) {
			t.Fatalf("the trigram index was made without pg_trgm: %q", ran)
		}
		if s.Dialect() != "pg" {
			return
		}
		if _, err := db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm"); err != nil {
			t.Fatal(err)
		}
		if ran := ensure(); !made(ran) {
			t.Fatalf("with pg_trgm, ensuring ran %q, without the trigram index", ran)
		}
		var def string
		if err := db.QueryRowContext(ctx, "SELECT indexdef FROM pg_indexes WHERE indexname = 'res_partner_name_trgm_index'").Scan(&def); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(def, "USING gin (name gin_trgm_ops)") {
			t.Errorf("index %s", def)
		}
		if ran := ensure(); len(ran) != 0 {
			t.Errorf("ensuring again ran %q", ran)
		}
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
				return err
			}
			rows, err := tx.QueryContext(ctx, "EXPLAIN SELECT id FROM res_partner t0 WHERE t0.name ILIKE '%4217%'")
			if err != nil {
				return err
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					return err
				}
				plan = append(plan, line)
			}
			if !strings.Contains(strings.Join(plan, "\n"), "res_partner_name_trgm_index") {
				t.Errorf("a name ilike does not use the trigram index:\n%s", strings.Join(plan, "\n"))
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestIndexUsing checks the declarations of indexes: using is "trigram"
// or nothing, over one column, with a name.
func TestIndexUsing(t *testing.T) {
	for _, c := range []struct{ indexes, want string }{
		{`[{"name": "x_a_n_trgm", "columns": ["n"], "using": "trigram"}]`, ""},
		{`[{"name": "x_a_n_idx", "columns": ["n"], "using": "btree"}]`, "using is"},
		{`[{"name": "x_a_nm_trgm", "columns": ["n", "m"], "using": "trigram"}]`, "using is"},
	} {
		_, err := declare(t, `{"model": "x.a", "indexes": `+c.indexes+`, "fields": {"n": {"type": "char"}, "m": {"type": "char"}}}`, nil)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v, want %q", c.indexes, err, c.want)
		}
	}
}
