package sale

import (
	"context"

	"github.com/godoo/godoo/models"
)

// partnerBehaviour is what sale adds to res.partner: the count of the
// orders of a partner and its contacts the caller may see.
func partnerBehaviour() *models.Behaviour {
	return &models.Behaviour{Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
		"_compute_sale_order_count": computeSaleOrderCount,
	}}
}

func computeSaleOrderCount(ctx context.Context, env *models.Env, recs []models.Record) error {
	orders := env.Registry.Model("sale.order")
	for _, r := range recs {
		id, _ := r["id"].(int64)
		n, err := env.SearchCount(ctx, orders, []any{[]any{"partner_id", "child_of", id}}, 0)
		if err != nil {
			return err
		}
		r["sale_order_count"] = n
	}
	return nil
}
