package sale

import (
	"context"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// templateBehaviour is what sale adds to product.template: the invoicing
// policy Odoo computes from the type (_compute_invoice_policy, stored and
// precomputed): goods, and any template without a policy, are invoiced on
// ordered quantities; a policy given with the values is kept, and the
// stored invoice status of the orders of its products follows it.
func templateBehaviour() *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{
		BeforeCreate: func(_ context.Context, _ *models.Env, vals map[string]any) error {
			if !py.Truthy(vals["invoice_policy"]) {
				vals["invoice_policy"] = "order"
			}
			return nil
		},
		BeforeWrite: func(_ context.Context, _ *models.Env, _ []int64, vals map[string]any) error {
			if _, given := vals["invoice_policy"]; !given && vals["type"] == "consu" {
				vals["invoice_policy"] = "order"
			}
			return nil
		},
		// A type written without a policy gives the templates that have
		// none Odoo's; the column is set as Odoo's recompute sets it.
		AfterWrite: func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
			if _, ok := vals["invoice_policy"]; ok {
				if err := storeTemplatesStatus(ctx, env, ids); err != nil {
					return err
				}
			}
			if _, typed := vals["type"]; !typed {
				return nil
			}
			args := make([]any, len(ids))
			for i, id := range ids {
				args[i] = id
			}
			_, err := env.Exec(ctx, "UPDATE product_template SET invoice_policy = 'order' WHERE invoice_policy IS NULL AND id IN ("+
				models.Placeholders(len(ids))+")", args...)
			return err
		},
	}}
}
