package product

import (
	"context"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// pricelistBehaviour is product.pricelist's: a new pricelist is active
// and in its company's currency, and is named with its currency, "Public (USD)".
func pricelistBehaviour(string) *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{
			DisplayName: func(ctx context.Context, env *models.Env, recs []models.Record) error {
				return namesByQuery(ctx, env, recs, "SELECT l.id, l.name, c.name FROM product_pricelist l "+
					"LEFT JOIN res_currency c ON c.id = l.currency_id WHERE l.id IN (%s)", currencyName)
			},
			DisplayNameDeps: []string{"name", "currency_id"},
		},
		Defaults: map[string]func(context.Context, *models.Env) any{"currency_id": userCurrency, "active": func(context.Context, *models.Env) any { return true }},
	}
}

// currencyName is a pricelist's name with its currency's.
func currencyName(name, currency string) string {
	if currency == "" {
		return name
	}
	return name + " (" + currency + ")"
}

// userCurrency is the currency of the call's company, false when none,
// as Odoo's _default_currency_id of a pricelist (env.company's).
func userCurrency(ctx context.Context, env *models.Env) any {
	cur, err := envCurrency(ctx, env)
	if err != nil || cur == 0 {
		return false
	}
	return cur
}

// itemBehaviour is product.pricelist.item's: a rule is a fixed price on
// the sale price by default, and applies to what it names, the most
// precise first (a variant, a product, a category, else every product),
// as Odoo's _compute_applied_on.
func itemBehaviour(string) *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{
			BeforeCreate: func(_ context.Context, _ *models.Env, vals map[string]any) error {
				if py.Truthy(vals["applied_on"]) {
					return nil
				}
				vals["applied_on"] = "3_global"
				for _, on := range []struct{ field, value string }{{"product_id", "0_product_variant"},
					{"product_tmpl_id", "1_product"}, {"categ_id", "2_product_category"}} {
					if py.Truthy(vals[on.field]) {
						vals["applied_on"] = on.value
						break
					}
				}
				return nil
			},
		},
		Defaults: map[string]func(context.Context, *models.Env) any{
			"base":               func(context.Context, *models.Env) any { return "list_price" },
			"compute_price":      func(context.Context, *models.Env) any { return "fixed" },
			"display_applied_on": func(context.Context, *models.Env) any { return "1_product" },
		},
	}
}
