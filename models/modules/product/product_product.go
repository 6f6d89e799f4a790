package product

import (
	"context"

	"github.com/godoo/godoo/models"
)

// productBehaviour is product.product's: a variant is named with its
// internal reference and its template's name, and its sale price is its
// template's (no attribute adds to it).
func productBehaviour(string) *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{
			DisplayName: func(ctx context.Context, env *models.Env, recs []models.Record) error {
				return namesByQuery(ctx, env, recs, "SELECT p.id, t.name, p.default_code FROM product_product p "+
					"JOIN product_template t ON t.id = p.product_tmpl_id WHERE p.id IN (%s)")
			},
			DisplayNameDeps: []string{"default_code", "product_tmpl_id"},
		},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
			"price_extra": func(ctx context.Context, _ *models.Env, recs []models.Record) error {
				for _, r := range recs {
					r["price_extra"] = 0.0
				}
				return nil
			},
			"lst_price": listPrice,
		},
	}
}

// listPrice is each variant's template's list price.
func listPrice(ctx context.Context, env *models.Env, recs []models.Record) error {
	ids := make([]any, len(recs))
	for i, r := range recs {
		ids[i] = r["id"]
	}
	rows, err := env.DB.QueryContext(ctx, "SELECT p.id, t.list_price FROM product_product p "+
		"JOIN product_template t ON t.id = p.product_tmpl_id WHERE p.id IN ("+models.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	prices := map[int64]float64{}
	for rows.Next() {
		var id int64
		var p *float64
		if err := rows.Scan(&id, &p); err != nil {
			return err
		}
		if p != nil {
			prices[id] = *p
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range recs {
		r["lst_price"] = prices[r["id"].(int64)]
	}
	return nil
}
