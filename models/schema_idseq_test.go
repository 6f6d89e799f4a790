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
