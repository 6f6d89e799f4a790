package product

import (
	"context"
	"maps"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// templateBehaviour is product.template's: a new template takes the unit
// and the category "All" by default and creates its single variant
// (Odoo's _create_variant_ids for a template without attributes), which
// carries the template's internal reference and barcode; the template
// shows its variant, their count and its company's currency.
func templateBehaviour(string) *models.Behaviour {
	unit := func(ctx context.Context, env *models.Env) any { return ref(ctx, env, "uom.product_uom_unit") }
	return &models.Behaviour{
		Hooks: models.Hooks{
			AfterCreate: createVariant,
			DisplayName: func(ctx context.Context, env *models.Env, recs []models.Record) error {
				return namesByQuery(ctx, env, recs, "SELECT id, name, default_code FROM product_template WHERE id IN (%s)")
			},
			DisplayNameDeps: []string{"default_code"},
		},
		Defaults: map[string]func(context.Context, *models.Env) any{
			"uom_id":    unit,
			"uom_po_id": unit,
			"categ_id":  func(ctx context.Context, env *models.Env) any { return ref(ctx, env, "product.product_category_all") },
		},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
			"product_variant_id":    firstVariant,
			"product_variant_count": variantCount,
			"currency_id":           companyCurrency,
		},
	}
}

// createVariant creates the variant of a new template, unless the
// context's create_product_product says the caller makes it.
func createVariant(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
	if py.Truthy(env.Context["create_product_product"]) {
		return nil
	}
	variant := map[string]any{"product_tmpl_id": id}
	for _, k := range []string{"default_code", "barcode"} {
		if v, ok := vals[k]; ok && py.Truthy(v) {
			variant[k] = v
		}
	}
	if v, ok := vals["active"]; ok {
		variant["active"] = v
	}
	c := maps.Clone(env.Context)
	if c == nil {
		c = map[string]any{}
	}
	c["create_product_product"] = true
	_, err := env.WithContext(c).Create(ctx, env.Registry.Model("product.product"), variant)
	return err
}

// variants are the active variants of each template, by id.
func variants(ctx context.Context, env *models.Env, recs []models.Record) (map[int64][]int64, error) {
	ids := make([]any, len(recs))
	for i, r := range recs {
		ids[i] = r["id"]
	}
	return env.Pairs(ctx, "SELECT product_tmpl_id, id FROM product_product WHERE active = ? AND product_tmpl_id IN ("+
		models.Placeholders(len(ids))+") ORDER BY id", append([]any{true}, ids...)...)
}

func firstVariant(ctx context.Context, env *models.Env, recs []models.Record) error {
	vs, err := variants(ctx, env, recs)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if l := vs[r["id"].(int64)]; len(l) > 0 {
			r["product_variant_id"] = l[0]
		} else {
			r["product_variant_id"] = false
		}
	}
	return nil
}

func variantCount(ctx context.Context, env *models.Env, recs []models.Record) error {
	vs, err := variants(ctx, env, recs)
	if err != nil {
		return err
	}
	for _, r := range recs {
		r["product_variant_count"] = int64(len(vs[r["id"].(int64)]))
	}
	return nil
}

// companyCurrency is the currency of the template's company, else of the
// caller's company.
func companyCurrency(ctx context.Context, env *models.Env, recs []models.Record) error {
	var cur int64
	if _, err := env.Scalar(ctx, &cur,
		"SELECT c.currency_id FROM res_users u JOIN res_company c ON c.id = u.company_id WHERE u.id = ?", env.UID); err != nil {
		return err
	}
	for _, r := range recs {
		if cur != 0 {
			r["currency_id"] = cur
		} else {
			r["currency_id"] = false
		}
	}
	return nil
}
