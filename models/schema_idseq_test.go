package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
	"github.com/uptrace/bun"
)

// TestSharedIDSequence checks, on both stores, that tables declaring one
// id_sequence never give one id twice, also in a database whose first
// table had rows before it shared the sequence (an existing database),
// for rows written by the ORM or by plain INSERTs, and that ensuring the
// schema again runs nothing.
func TestSharedIDSequence(t *testing.T) {
	alone := storetest.Base(t)
	storetest.Declare(t, alone, `{"model": "x.first", "description": "First", "fields": {"name": {"type": "char", "string": "Name"}}}`)
	shared := storetest.Base(t)
	storetest.Declare(t, shared,
		`{"model": "x.first", "description": "First", "id_sequence": "x_shared_id_seq", "fields": {"name": {"type": "char", "string": "Name"}}}`,
		`{"model": "x.second", "description": "Second", "id_sequence": "x_shared_id_seq", "fields": {"name": {"type": "char", "string": "Name"}}}`)
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		storetest.Migrate(t, s, db)
		if _, err := models.EnsureSchema(ctx, db, s.Dialect(), alone); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := db.ExecContext(ctx, "INSERT INTO x_first (name) VALUES ('before')"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := models.EnsureSchema(ctx, db, s.Dialect(), shared); err != nil {
			t.Fatal(err)
		}
		if again, err := models.EnsureSchema(ctx, db, s.Dialect(), shared); err != nil || len(again) != 0 {
			t.Fatalf("second ensure: %v %v", again, err)
		}
		seen := map[int64]string{1: "x_first", 2: "x_first"}
		add := func(table string) {
			t.Helper()
			var id int64
			if err := db.QueryRowContext(ctx, "INSERT INTO "+table+" (name) VALUES ('new') RETURNING id").Scan(&id); err != nil {
				t.Fatal(err)
			}
			if other, ok := seen[id]; ok {
				t.Fatalf("id %d given by %s and %s", id, other, table)
			}
			seen[id] = table
		}
		for _, table := range []string{"x_second", "x_first", "x_second", "x_second", "x_first"} {
			add(table)
		}
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			env := models.NewEnv(tx, s.Dialect(), shared, s.Classify, models.SuperuserID, time.Now())
			for _, m := range []string{"x.first", "x.second"} {
				id, err := env.Create(ctx, shared.Model(m), map[string]any{"name": "orm"})
				if err != nil {
					return err
				}
				if other, ok := seen[id]; ok {
					t.Errorf("id %d given by %s and %s", id, other, m)
				}
				seen[id] = m
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestSharedIDSequenceSkipsDeletedIDs checks, on both stores, that the
// ids of deleted rows are not given again when tables come to share a
// sequence: neither those a table's own sequence gave before it shared
// one, nor those the shared sequence gave before another table joined.
func TestSharedIDSequenceSkipsDeletedIDs(t *testing.T) {
	first := `{"model": "x.first", "description": "First", "fields": {"name": {"type": "char", "string": "Name"}}}`
	shared := func(model string) string {
		return `{"model": "` + model + `", "description": "Shared", "id_sequence": "x_shared_id_seq", "fields": {"name": {"type": "char", "string": "Name"}}}`
	}
	alone := storetest.Base(t)
	storetest.Declare(t, alone, first)
	two := storetest.Base(t)
	storetest.Declare(t, two, shared("x.first"), shared("x.second"))
	three := storetest.Base(t)
	storetest.Declare(t, three, shared("x.first"), shared("x.second"), shared("x.third"))
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		storetest.Migrate(t, s, db)
		ensure := func(r *models.Registry) {
			t.Helper()
			if _, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil {
				t.Fatal(err)
			}
		}
		add := func(table string) int64 {
			t.Helper()
			var id int64
			if err := db.QueryRowContext(ctx, "INSERT INTO "+table+" (name) VALUES ('new') RETURNING id").Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		// dropLast deletes the last row added to table and returns its id.
		dropLast := func(table string) int64 {
			t.Helper()
			var id int64
			for range 3 {
				id = add(table)
			}
			if _, err := db.ExecContext(ctx, "DELETE FROM "+table+" WHERE id = ?", id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		ensure(alone)
		deleted := dropLast("x_first")
		ensure(two)
		if id := add("x_second"); id <= deleted {
			t.Errorf("x_second's id %d once the tables share ids, want one after the deleted %d", id, deleted)
		}
		deleted = dropLast("x_first")
		ensure(three)
		if id := add("x_third"); id <= deleted {
			t.Errorf("x_third's id %d once it joins the sequence, want one after the deleted %d", id, deleted)
		}
	})
}
