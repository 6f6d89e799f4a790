package product_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestStatementsRunInCallContext checks that the defaults and computes of
// product, and those mail lays over every thread, read the database in the
// call's context, so that a cancelled call stops them too.
func TestStatementsRunInCallContext(t *testing.T) {
	storetest.EachInstalled(t, installed, func(t *testing.T, s models.Store, db *bun.DB, r *models.Registry, inTx storetest.InTx) {
		ctx := storetest.CallContext(context.Background())
		for _, c := range []struct {
			name string
			run  func(env *models.Env) error
		}{
			{"product.template create, and read of its variant, count, currency and price", func(env *models.Env) error {
				tmpl := r.Model("product.template")
				id, err := env.Create(ctx, tmpl, map[string]any{"name": "Desk", "list_price": 12.5})
				if err != nil {
					return err
				}
				recs, err := env.Read(ctx, tmpl, []int64{id}, []string{"product_variant_id", "product_variant_count", "currency_id", "uom_id", "categ_id"}, false)
				if err != nil {
					return err
				}
				variant, _ := models.ToInt64(recs[0]["product_variant_id"])
				_, err = env.Read(ctx, r.Model("product.product"), []int64{variant}, []string{"lst_price"}, false)
				return err
			}},
			{"followers and attachment count of a thread", func(env *models.Env) error {
				tmpl := r.Model("product.template")
				ids, err := env.Search(ctx, tmpl, []any{}, models.SearchOptions{Limit: 2})
				if err != nil {
					return err
				}
				_, err = env.Read(ctx, tmpl, ids, []string{"message_partner_ids", "message_attachment_count"}, false)
				return err
			}},
		} {
			t.Run(c.name, func(t *testing.T) { storetest.CheckCallContext(t, inTx, c.run) })
		}
	})
}
