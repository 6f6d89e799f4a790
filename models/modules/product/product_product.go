package product

import (
	"context"
	"maps"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// createTemplate creates the template of a variant created without one,
// as Odoo's _inherits does, from the values of the fields the variant
// has of its template (name, prices, unit...), which then leave vals;
// the template makes no variant of its own (create_product_product false,
// as Odoo's ProductProduct.create says).
func createTemplate(ctx context.Context, env *models.Env, vals map[string]any) error {
	if py.Truthy(vals["product_tmpl_id"]) {
		return nil
	}
	m := env.Registry.Model("product.product")
	tvals := map[string]any{}
	for k, v := range vals {
		if f := m.Fields[k]; f != nil && len(f.Related) == 2 && f.Related[0] == "product_tmpl_id" {
			tvals[f.Related[1]] = v
			delete(vals, k)
		}
	}
	c := maps.Clone(env.Context)
	if c == nil {
		c = map[string]any{}
	}
	c["create_product_product"] = false
	id, err := env.WithContext(c).Create(ctx, env.Registry.Model("product.template"), tvals)
	if err != nil {
		return err
	}
	vals["product_tmpl_id"] = id
	return nil
}

// templateFromVariant gives a template the internal reference of its
// variant when that is its only one, as Odoo's template computes
// default_code from its single variant.
func templateFromVariant(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
	code, ok := vals["default_code"]
	if !ok {
		return nil
	}
	tmpl, ok := models.ToInt64(vals["product_tmpl_id"])
	if !ok || tmpl == 0 {
		return nil
	}
	vs, err := variants(env, []models.Record{{"id": tmpl}})
	if err != nil || len(vs[tmpl]) != 1 {
		return err
	}
	if !py.Truthy(code) {
		code = nil
	}
	_, err = env.Exec(ctx, "UPDATE product_template SET default_code = ? WHERE id = ?", code, tmpl)
	return err
}

// productBehaviour is product.product's: a variant created without a
// template makes its own (Odoo's _inherits), a variant is named with its
// internal reference and its template's name, and its sale price is its
// template's (no attribute adds to it).
func productBehaviour(string) *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{
			BeforeCreate: createTemplate,
			AfterCreate: func(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
				if err := templateFromVariant(ctx, env, id, vals); err != nil {
					return err
				}
				return writeListPrice(ctx, env, []int64{id}, vals)
			},
			AfterWrite: writeListPrice,
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
	prices, err := floats(ctx, env, "SELECT p.id, t.list_price FROM product_product p "+
		"JOIN product_template t ON t.id = p.product_tmpl_id WHERE p.id IN ("+models.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return err
	}
	for _, r := range recs {
		r["lst_price"] = prices[r["id"].(int64)]
	}
	return nil
}

// writeListPrice writes a variant's sale price (lst_price) to its
// template's, less the variant's extra (none without attributes), as
// Odoo's _set_product_lst_price.
func writeListPrice(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	v, ok := vals["lst_price"]
	if !ok {
		return nil
	}
	return env.Write(ctx, env.Registry.Model("product.product"), ids, map[string]any{"list_price": v})
}
