package product_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestTemplateCurrencies checks, on both stores, a template's currency_id
// and cost_currency_id, and its variant's (related to them), as Odoo
// computes them: the template's company's currency for both; for a
// template of no company, the main company's currency for prices and the
// call's company's (env.company) for costs.
func TestTemplateCurrencies(t *testing.T) {
	storetest.EachInstalled(t, installed, func(t *testing.T, s models.Store, db *bun.DB, r *models.Registry, inTx storetest.InTx) {
		ctx := context.Background()
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			usd, err := env.XMLID(ctx, "base.USD")
			if err != nil {
				return err
			}
			eur, err := env.XMLID(ctx, "base.EUR")
			if err != nil {
				return err
			}
			if err := env.Write(ctx, r.Model("res.currency"), []int64{eur}, map[string]any{"active": true}); err != nil {
				return err
			}
			euro, err := env.Create(ctx, r.Model("res.company"), map[string]any{"name": "Euro Shop", "currency_id": eur})
			if err != nil {
				return err
			}
			templates := r.Model("product.template")
			shared, err := env.Create(ctx, templates, map[string]any{"name": "Shared"})
			if err != nil {
				return err
			}
			own, err := env.Create(ctx, templates, map[string]any{"name": "Euro Shop's", "company_id": euro})
			if err != nil {
				return err
			}
			for _, c := range []struct {
				name           string
				context        map[string]any
				tmpl           int64
				currency, cost int64
			}{
				{"no company, in the main company", nil, shared, usd, usd},
				{"no company, in another company", map[string]any{"allowed_company_ids": []any{euro}}, shared, usd, eur},
				{"of a company, in the main company", nil, own, eur, eur},
				{"of a company, in it", map[string]any{"allowed_company_ids": []any{euro}}, own, eur, eur},
			} {
				e := env.WithContext(c.context)
				recs, err := e.Read(ctx, templates, []int64{c.tmpl}, []string{"currency_id", "cost_currency_id", "product_variant_id"}, false)
				if err != nil {
					return err
				}
				variant, _ := models.ToInt64(recs[0]["product_variant_id"])
				vrecs, err := e.Read(ctx, r.Model("product.product"), []int64{variant}, []string{"currency_id", "cost_currency_id"}, false)
				if err != nil {
					return err
				}
				for what, got := range map[string]models.Record{"template": recs[0], "variant": vrecs[0]} {
					cur, _ := models.ToInt64(got["currency_id"])
					cost, _ := models.ToInt64(got["cost_currency_id"])
					if cur != c.currency || cost != c.cost {
						t.Errorf("%s, the %s: currency %v and cost currency %v, want %d and %d", c.name, what, got["currency_id"], got["cost_currency_id"], c.currency, c.cost)
					}
				}
			}
			pricelists := r.Model("product.pricelist")
			for _, c := range []struct {
				name    string
				context map[string]any
				want    int64
			}{
				{"a pricelist made in the main company", nil, usd},
				{"a pricelist made in another company", map[string]any{"allowed_company_ids": []any{euro}}, eur},
			} {
				e := env.WithContext(c.context)
				id, err := e.Create(ctx, pricelists, map[string]any{"name": c.name})
				if err != nil {
					return err
				}
				recs, err := e.Read(ctx, pricelists, []int64{id}, []string{"currency_id"}, false)
				if err != nil {
					return err
				}
				if got, _ := models.ToInt64(recs[0]["currency_id"]); got != c.want {
					t.Errorf("%s: currency %v, want %d", c.name, recs[0]["currency_id"], c.want)
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
