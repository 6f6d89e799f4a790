package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestInt64sAllocations checks that Int64s reads every value of a column
// in order, none when the query finds no row, and that its allocations do
// not grow with the rows: one scan target serves them all (a target per
// row was an allocation per id, ten thousand for as many).
func TestInt64sAllocations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		env := models.NewEnv(db, s.Dialect(), nil, s.Classify, models.SuperuserID, time.Now())
		const rows = 1000
		q := "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ?) SELECT n FROM c ORDER BY n"
		ids, err := env.Int64s(ctx, q, rows)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != rows {
			t.Fatalf("%d values, want %d", len(ids), rows)
		}
		for i, id := range ids {
			if id != int64(i+1) {
				t.Fatalf("value %d is %d, want %d", i, id, i+1)
			}
		}
		if none, err := env.Int64s(ctx, "SELECT 1 WHERE 1 = 0"); err != nil || none != nil {
			t.Errorf("no row: %v, %v; want nil", none, err)
		}
		// Both drivers allocate about 0.76 times per row of an integer
		// (the value's interface, most of them); a target per row made
		// that 1.76.
		small := testing.AllocsPerRun(5, func() { _, _ = env.Int64s(ctx, q, 10) })
		large := testing.AllocsPerRun(5, func() { _, _ = env.Int64s(ctx, q, rows) })
		if perRow := (large - small) / (rows - 10); perRow >= 1.25 {
			t.Errorf("%.2f allocations per row (%v for 10 rows, %v for %d)", perRow, small, large, rows)
		}
	})
}
