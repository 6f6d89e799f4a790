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
// shows its variant, their count and its currencies (its company's, else
// the main company's for prices and the call's company's for costs).
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
		Defaults: map[string]func(context.Context, *models.Env) any{
			"uom_id":   func(ctx context.Context, env *models.Env) any { return ref(ctx, env, "uom.product_uom_unit") },
			"categ_id": func(ctx context.Context, env *models.Env) any { return ref(ctx, env, "product.product_category_all") },
		},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
			"product_variant_id":    firstVariant,
			"product_variant_count": variantCount,
			"currency_id":           templateCurrency,
			"cost_currency_id":      costCurrency,
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

// templateCurrency is the template's currency_id as Odoo's
// _compute_currency_id: its company's currency, else the main company's
// (whatever company the call runs in).
func templateCurrency(ctx context.Context, env *models.Env, recs []models.Record) error {
	return companyCurrencies(ctx, env, recs, "currency_id", mainCompanyCurrency)
}

// costCurrency is the template's cost_currency_id as Odoo's
// _compute_cost_currency_id: its company's currency, else the currency of
// the call's company (env.company), in which a shared product's cost is
// kept.
func costCurrency(ctx context.Context, env *models.Env, recs []models.Record) error {
	return companyCurrencies(ctx, env, recs, "cost_currency_id", envCurrency)
}

// companyCurrencies sets field of recs, templates, to the currency of
// their company, and of those of no company (or a company of no currency)
// to the currency fallback gives, asked once and only when one needs it.
func companyCurrencies(ctx context.Context, env *models.Env, recs []models.Record, field string, fallback func(context.Context, *models.Env) (int64, error)) error {
	ids := make([]any, len(recs))
	for i, r := range recs {
		ids[i] = r["id"]
	}
	own, err := env.Pairs(ctx, "SELECT t.id, c.currency_id FROM product_template t JOIN res_company c ON c.id = t.company_id "+
		"WHERE c.currency_id IS NOT NULL AND t.id IN ("+models.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return err
	}
	var other int64
	asked := false
	for _, r := range recs {
		if l := own[r["id"].(int64)]; len(l) > 0 {
			r[field] = l[0]
			continue
		}
		if !asked {
			if other, err = fallback(ctx, env); err != nil {
				return err
			}
			asked = true
		}
		if other != 0 {
			r[field] = other
		} else {
			r[field] = false
		}
	}
	return nil
}

// mainCompanyCurrency is the currency of the main company, as Odoo's
// _get_main_company finds it: base.main_company, else the first company;
// 0 for none.
func mainCompanyCurrency(ctx context.Context, env *models.Env) (int64, error) {
	main, err := env.XMLID(ctx, "base.main_company")
	if err != nil {
		return 0, err
	}
	var cur int64
	if main != 0 {
		_, err = env.Scalar(ctx, &cur, "SELECT COALESCE(currency_id, 0) FROM res_company WHERE id = ?", main)
	} else {
		_, err = env.Scalar(ctx, &cur, "SELECT COALESCE(currency_id, 0) FROM res_company ORDER BY id LIMIT 1")
	}
	return cur, err
}

// envCurrency is the currency of the call's company (Odoo's
// env.company.currency_id: the first of the context's allowed companies,
// else the user's current company), 0 for none.
func envCurrency(ctx context.Context, env *models.Env) (int64, error) {
	company, err := env.Company(ctx)
	if err != nil || company == 0 {
		return 0, err
	}
	var cur int64
	_, err = env.Scalar(ctx, &cur, "SELECT COALESCE(currency_id, 0) FROM res_company WHERE id = ?", company)
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
