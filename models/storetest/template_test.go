package storetest

import (
	"context"
	"os"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
)

// TestEachFrom: under Run, a Template is prepared once per store kind and
// every test gets a copy of its own (a row one adds is not in the next
// one's); without Run, every database is prepared as a new one.
func TestEachFrom(t *testing.T) {
	kinds := 1
	if os.Getenv("GODOO_TEST_DSN") != "" {
		kinds = 2
	}
	for _, c := range []struct {
		name     string
		underRun bool
		prepares int
	}{
		{"under Run", true, kinds},
		{"without Run", false, 3 * kinds},
	} {
		t.Run(c.name, func(t *testing.T) {
			drops.mu.Lock()
			was := drops.deferred
			drops.deferred = c.underRun
			drops.mu.Unlock()
			t.Cleanup(func() {
				temporaryFiles.removeAll()
				if err := DropDeferred(); err != nil {
					t.Error(err)
				}
				drops.mu.Lock()
				drops.deferred = was
				drops.mu.Unlock()
			})
			var prepared atomic.Int32
			tpl := &Template{Prepare: func(tb testing.TB, s models.Store, db *bun.DB) {
				prepared.Add(1)
				for _, q := range []string{"CREATE TABLE thing (n INTEGER)", "INSERT INTO thing (n) VALUES (1)"} {
					if _, err := db.ExecContext(context.Background(), q); err != nil {
						tb.Fatal(err)
					}
				}
			}}
			for range 3 {
				EachFrom(t, tpl, func(t *testing.T, s models.Store, db *bun.DB) {
					ctx := context.Background()
					var rows, sum int64
					if err := db.QueryRowContext(ctx, "SELECT COUNT(*), SUM(n) FROM thing").Scan(&rows, &sum); err != nil {
						t.Fatal(err)
					}
					if rows != 1 || sum != 1 {
						t.Errorf("the copy has %d rows summing to %d, want the template's one row of 1", rows, sum)
					}
					if _, err := db.ExecContext(ctx, "INSERT INTO thing (n) VALUES (2)"); err != nil {
						t.Fatal(err)
					}
				})
			}
			if n := int(prepared.Load()); n != c.prepares {
				t.Errorf("prepared %d times, want %d", n, c.prepares)
			}
		})
	}
}
