package product

import (
	"context"

	"github.com/godoo/godoo/models"
)

// partnerBehaviour is what product adds to res.partner: its pricelist,
// the one chosen for it (specific_property_product_pricelist) or else
// the first active pricelist of the caller's company (or of none) for
// the partner's country, else the first without countries, else the
// first at all, as Odoo's _get_partner_pricelist_multi. Writing it
// chooses it for the partner.
func partnerBehaviour(string) *models.Behaviour {
	inverse := func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
		v, ok := vals["property_product_pricelist"]
		if !ok {
			return nil
		}
		return env.Sudo().Write(ctx, env.Registry.Model("res.partner"), ids, map[string]any{"specific_property_product_pricelist": v})
	}
	return &models.Behaviour{
		Hooks: models.Hooks{
			AfterCreate: func(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
				return inverse(ctx, env, []int64{id}, vals)
			},
			AfterWrite: inverse,
		},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
			"property_product_pricelist": partnerPricelist,
		},
	}
}

func partnerPricelist(ctx context.Context, env *models.Env, recs []models.Record) error {
	ids := make([]any, len(recs))
	for i, r := range recs {
		ids[i] = r["id"]
	}
	chosenSQL, err := env.ValueSQL(ctx, env.Registry.Model("res.partner"), "specific_property_product_pricelist", "res_partner")
	if err != nil {
		return err
	}
	rows, err := env.Query(ctx, "SELECT id, "+chosenSQL+", country_id FROM res_partner WHERE id IN ("+
		models.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	chosen, country := map[int64]int64{}, map[int64]int64{}
	for rows.Next() {
		var id int64
		var pl, c *int64
		if err := rows.Scan(&id, &pl, &c); err != nil {
			return err
		}
		if pl != nil {
			chosen[id] = *pl
		}
		if c != nil {
			country[id] = *c
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	p := pricelists{env: env.Sudo(), byCountry: map[int64]any{}}
	for _, r := range recs {
		id := r["id"].(int64)
		if pl := chosen[id]; pl != 0 {
			r["property_product_pricelist"] = pl
			continue
		}
		if r["property_product_pricelist"], err = p.forCountry(ctx, country[id]); err != nil {
			return err
		}
	}
	return nil
}

// pricelists finds the pricelist of a country for the caller's company,
// once per country.
type pricelists struct {
	env       *models.Env
	byCountry map[int64]any
	fallback  any
}

// first is the first active pricelist of the company (or of none) that
// also matches domain, false when none does.
func (p *pricelists) first(ctx context.Context, domain ...any) (any, error) {
	company, err := p.env.Company(ctx)
	if err != nil {
		return nil, err
	}
	d := append([]any{[]any{"active", "=", true}, []any{"company_id", "in", []any{company, false}}}, domain...)
	ids, err := p.env.Search(ctx, p.env.Registry.Model("product.pricelist"), d, models.SearchOptions{Limit: 1})
	if err != nil || len(ids) == 0 {
		return false, err
	}
	return ids[0], nil
}

// forCountry is the pricelist of the country's group, else the fallback
// (the first without countries, else the first); country 0 is none.
func (p *pricelists) forCountry(ctx context.Context, country int64) (any, error) {
	if pl, ok := p.byCountry[country]; ok {
		return pl, nil
	}
	var c any = false
	if country != 0 {
		c = country
	}
	pl, err := p.first(ctx, []any{"country_group_ids.country_ids", "=", c})
	if err != nil {
		return nil, err
	}
	if pl == false {
		if p.fallback == nil {
			if p.fallback, err = p.first(ctx, []any{"country_group_ids", "=", false}); err != nil {
				return nil, err
			}
			if p.fallback == false {
				if p.fallback, err = p.first(ctx); err != nil {
					return nil, err
				}
			}
		}
		pl = p.fallback
	}
	p.byCountry[country] = pl
	return pl, nil
}
