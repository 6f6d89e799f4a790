package product

import (
	"context"
	"slices"

	"github.com/godoo/godoo/models"
)

// variantFields are the template's fields Odoo keeps on the variant of a
// template that has one (_compute_template_field_from_variant_field and
// the inverse that writes them to it): a template's cost is its single
// variant's.
var variantFields = []string{"standard_price"}

// templateCost is the template's standard_price: its variant's when it
// has exactly one active variant, else 0, as Odoo's
// _compute_standard_price.
func templateCost(ctx context.Context, env *models.Env, recs []models.Record) error {
	vs, err := variants(ctx, env, recs)
	if err != nil {
		return err
	}
	var single []any
	for _, l := range vs {
		if len(l) == 1 {
			single = append(single, l[0])
		}
	}
	cost := map[int64]float64{}
	if len(single) > 0 {
		costSQL, err := env.ValueSQL(ctx, env.Registry.Model("product.product"), "standard_price", "product_product")
		if err != nil {
			return err
		}
		if cost, err = floats(ctx, env, "SELECT id, "+costSQL+" FROM product_product WHERE id IN ("+
			models.Placeholders(len(single))+")", single...); err != nil {
			return err
		}
	}
	for _, r := range recs {
		r["standard_price"] = 0.0
		if l := vs[r["id"].(int64)]; len(l) == 1 {
			r["standard_price"] = cost[l[0]]
		}
	}
	return nil
}

// writeVariantFields writes the variant fields of vals to the variant of
// each template of ids that has exactly one, as Odoo's inverses
// (_set_standard_price) do; a template of several variants keeps them
// as they are.
func writeVariantFields(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	own := map[string]any{}
	for _, k := range variantFields {
		if v, ok := vals[k]; ok {
			own[k] = v
		}
	}
	if len(own) == 0 {
		return nil
	}
	recs := make([]models.Record, len(ids))
	for i, id := range ids {
		recs[i] = models.Record{"id": id}
	}
	vs, err := variants(ctx, env, recs)
	if err != nil {
		return err
	}
	var single []int64
	for _, id := range ids {
		if l := vs[id]; len(l) == 1 {
			single = append(single, l[0])
		}
	}
	if len(single) == 0 {
		return nil
	}
	slices.Sort(single)
	return env.Write(ctx, env.Registry.Model("product.product"), single, own)
}
