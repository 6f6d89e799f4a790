package sale

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite"

	"github.com/godoo/godoo/models"
)

// TestComputesCarryTheCallsContext: the sale computes query with the
// call's context, so a cancelled call stops them.
func TestComputesCarryTheCallsContext(t *testing.T) {
	sqldb, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	env := &models.Env{DB: bun.NewDB(sqldb, sqlitedialect.New()), Dialect: "sqlite", Classify: func(err error) error { return err }}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	recs := []models.Record{{"id": int64(1)}}
	for name, fn := range map[string]func(context.Context, *models.Env, []models.Record) error{
		"order invoice status": func(ctx context.Context, env *models.Env, _ []models.Record) error {
			return storeInvoiceStatus(ctx, env, []int64{1}, nil)
		},
		"product template": computeProductTemplate,
		"stored amounts": func(ctx context.Context, env *models.Env, _ []models.Record) error {
			return storeAmounts(ctx, env, []int64{1})
		},
	} {
		if err := fn(ctx, env, recs); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want the call's cancellation", name, err)
		}
	}
}
