package product

import (
	"context"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// templateBehaviour is product.template's: a new template takes the unit
// and the category "All" by default, buys in its unit unless told
// otherwise, and creates its single variant
// (Odoo's _create_variant_ids for a template without attributes), which
// carries the template's internal reference, barcode and cost; the template
// shows its variant, their count and its company's currency.
func templateBehaviour(string) *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{
			BeforeCreate: purchaseUnit,
			AfterCreate:  createVariant,
			AfterWrite: func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
				if err := writeVariantFields(ctx, env, ids, vals); err != nil {
					return err
				}
				return purchaseUnits(ctx, env, ids, vals)
			},
			DisplayName: func(ctx context.Context, env *models.Env, recs []models.Record) error {
				return namesByQuery(ctx, env, recs, "SELECT id, name, default_code FROM product_template WHERE id IN (%s)")
			},
			DisplayNameDeps: []string{"default_code"},
		},
		// Odoo's ProductTemplate.default_get has no @api.model: a call
		// takes ids first, so default_get([fields]) is missing its
		// fields_list, and default_get([[]], fields_list=...) answers.
		Methods: []*models.Method{{Name: "default_get", Class: "ProductTemplate", Params: []string{"fields_list"}, Required: 1,
			Record: true, ReadOnly: true, Fn: models.DefaultGet}},
		Defaults: map[string]func(*models.Env) any{
			"uom_id":   func(env *models.Env) any { return ref(env, "uom.product_uom_unit") },
			"categ_id": func(env *models.Env) any { return ref(env, "product.product_category_all") },
		},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
			"product_variant_id":    firstVariant,
			"product_variant_count": variantCount,
			"currency_id":           companyCurrency,
			"standard_price":        templateCost,
		},
	}
}

// createVariant creates the variant of a new template, unless the
// context's create_product_product is false, as Odoo's: the caller (a
// variant created without a template) makes it.
func createVariant(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
	if v, ok := env.Context["create_product_product"]; ok && !py.Truthy(v) {
		return nil
	}
	variant := map[string]any{"product_tmpl_id": id}
	for _, k := range append([]string{"default_code", "barcode"}, variantFields...) {
		if v, ok := vals[k]; ok && py.Truthy(v) {
			variant[k] = v
		}
	}
	if v, ok := vals["active"]; ok {
		variant["active"] = v
	}
	_, err := env.Create(ctx, env.Registry.Model("product.product"), variant)
	return err
}

// variants are the active variants of each template, by id.
func variants(env *models.Env, recs []models.Record) (map[int64][]int64, error) {
	ids := make([]any, len(recs))
	for i, r := range recs {
		ids[i] = r["id"]
	}
	return env.Pairs(context.Background(), "SELECT product_tmpl_id, id FROM product_product WHERE active = ? AND product_tmpl_id IN ("+
		models.Placeholders(len(ids))+") ORDER BY id", append([]any{true}, ids...)...)
}

func firstVariant(ctx context.Context, env *models.Env, recs []models.Record) error {
	vs, err := variants(env, recs)
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
	vs, err := variants(env, recs)
	if err != nil {
		return err
	}
	for _, r := range recs {
		r["product_variant_count"] = int64(len(vs[r["id"].(int64)]))
	}
	return nil
}

// companyCurrency is the currency of the caller's company.
func companyCurrency(ctx context.Context, env *models.Env, recs []models.Record) error {
	cur, err := callerCurrency(ctx, env)
	if err != nil {
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

// callerCurrency is the currency of the caller's company, 0 for none.
func callerCurrency(ctx context.Context, env *models.Env) (int64, error) {
	var cur int64
	_, err := env.Scalar(ctx, &cur,
		"SELECT c.currency_id FROM res_users u JOIN res_company c ON c.id = u.company_id WHERE u.id = ?", env.UID)
	return cur, err
}

// purchaseUnit gives a new template bought in no unit of its own its
// unit, as Odoo's _compute_uom_po_id.
func purchaseUnit(_ context.Context, _ *models.Env, vals map[string]any) error {
	if !py.Truthy(vals["uom_po_id"]) {
		vals["uom_po_id"] = vals["uom_id"]
	}
	return nil
}

// purchaseUnits gives the templates whose unit is written without a
// purchase unit that unit for purchases too when theirs is of another
// category (or none), as Odoo's _compute_uom_po_id recomputes it.
func purchaseUnits(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	_, unit := vals["uom_id"]
	if _, po := vals["uom_po_id"]; !unit || po || len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	_, err := env.Exec(ctx, "UPDATE product_template SET uom_po_id = uom_id WHERE id IN ("+models.Placeholders(len(ids))+") AND "+
		"(uom_po_id IS NULL OR (SELECT category_id FROM uom_uom WHERE id = uom_po_id) <> (SELECT category_id FROM uom_uom WHERE id = uom_id))",
		args...)
	return err
}
