package sale_test

import (
	"context"
	"fmt"

	"github.com/godoo/godoo/models"
)

// buyerAndThing creates, as env, a customer and a product sold at 10 (a
// template and its variant), and returns the customer, the template and
// the variant.
func buyerAndThing(ctx context.Context, env *models.Env) (partner, tmpl, product int64, err error) {
	r := env.Registry
	if partner, err = env.Create(ctx, r.Model("res.partner"), map[string]any{"name": "Buyer"}); err != nil {
		return
	}
	if tmpl, err = env.Create(ctx, r.Model("product.template"), map[string]any{"name": "Thing", "list_price": 10.0}); err != nil {
		return
	}
	ids, err := env.Search(ctx, r.Model("product.product"), []any{[]any{"product_tmpl_id", "=", tmpl}}, models.SearchOptions{})
	if err == nil && len(ids) != 1 {
		err = fmt.Errorf("template %d has variants %v", tmpl, ids)
	}
	if err == nil {
		product = ids[0]
	}
	return
}
