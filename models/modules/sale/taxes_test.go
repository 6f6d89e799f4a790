package sale_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestTaxesByScript checks, on both stores, what a script that creates a
// 15% sales tax and makes it its company's default meets, against
// amounts computed by hand from Odoo's rules (taxes rounded per line, the
// company's tax_calculation_rounding_method by default): the tax takes
// Odoo's defaults and its company's group; a new product takes the
// company's sales tax; a line takes its product's taxes unless given
// some, and its product's again when its product changes; a tax included
// in the price (its own choice, or its company's when it makes none) is
// taken out of it.
func TestTaxesByScript(t *testing.T) {
	storetest.EachInstalled(t, installed, func(t *testing.T, s models.Store, db *bun.DB, r *models.Registry, inTx storetest.InTx) {
		ctx := context.Background()
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			us, err := env.XMLID(ctx, "base.us")
			if err != nil {
				return err
			}
			companies, taxes := r.Model("res.company"), r.Model("account.tax")
			// The company's country is its partner's (Odoo's
			// _inverse_country writes it there).
			if _, err := env.Exec(ctx, "UPDATE res_partner SET country_id = ? WHERE id = (SELECT partner_id FROM res_company WHERE id = 1)", us); err != nil {
				return err
			}
			group, err := env.Create(ctx, r.Model("account.tax.group"), map[string]any{"name": "Tax 15%"})
			if err != nil {
				return err
			}
			excluded, err := env.Create(ctx, taxes, map[string]any{"name": "15%", "amount": 15.0})
			if err != nil {
				return err
			}
			included, err := env.Create(ctx, taxes, map[string]any{"name": "15% incl.", "amount": 15.0, "price_include_override": "tax_included"})
			if err != nil {
				return err
			}
			recs, err := env.Read(ctx, taxes, []int64{excluded, included}, []string{"type_tax_use", "amount_type", "company_id", "country_id", "tax_group_id", "price_include"}, false)
			if err != nil {
				return err
			}
			for i, want := range []bool{false, true} {
				got := recs[i]
				company, _ := models.ToInt64(got["company_id"])
				country, _ := models.ToInt64(got["country_id"])
				g, _ := models.ToInt64(got["tax_group_id"])
				if got["type_tax_use"] != "sale" || got["amount_type"] != "percent" || company != 1 || country != us || g != group || got["price_include"] != want {
					t.Errorf("tax %v, want a sales percentage of company 1, country %d, group %d, price_include %v", got, us, group, want)
				}
			}
			if err := env.Write(ctx, companies, []int64{1}, map[string]any{"account_sale_tax_id": excluded}); err != nil {
				return err
			}
			if c, err := env.Read(ctx, companies, []int64{1}, []string{"tax_calculation_rounding_method"}, false); err != nil {
				return err
			} else if c[0]["tax_calculation_rounding_method"] != "round_per_line" {
				t.Errorf("the company rounds taxes %v, want Odoo's default round_per_line", c[0]["tax_calculation_rounding_method"])
			}
			partner, tmpl, product, err := buyerAndThing(ctx, env)
			if err != nil {
				return err
			}
			got, err := env.Read(ctx, r.Model("product.template"), []int64{tmpl}, []string{"taxes_id"}, false)
			if err != nil {
				return err
			}
			if ids := fmt.Sprint(got[0]["taxes_id"]); ids != fmt.Sprint([]int64{excluded}) {
				t.Errorf("a new product's taxes %s, want the company's sales tax [%d]", ids, excluded)
			}
			bare, err := env.Create(ctx, r.Model("product.product"), map[string]any{"name": "Untaxed", "taxes_id": []any{[]any{int64(6), int64(0), []any{}}}})
			if err != nil {
				return err
			}
			line := func(price, qty, discount float64, taxes ...int64) any {
				vals := map[string]any{"product_id": product, "product_uom_qty": qty, "price_unit": price, "discount": discount}
				if taxes != nil {
					vals["tax_id"] = []any{[]any{int64(6), int64(0), models.IDArgs(taxes)}}
				}
				return []any{int64(0), int64(0), vals}
			}
			orders, lines := r.Model("sale.order"), r.Model("sale.order.line")
			order, err := env.Create(ctx, orders, map[string]any{"partner_id": partner, "order_line": []any{
				line(10, 3, 10),                  // 27.00 + 15% = 4.05
				line(11.5, 1, 0, included),       // 11.50 holds 10.00 and 1.50 of tax
				line(0.1, 1, 0), line(0.1, 1, 0), // 0.015 of tax each, rounded per line to 0.02
				line(0.1, 1, 0),
			}})
			if err != nil {
				return err
			}
			check := func(when string, wantLines [][4]float64, wantTaxes [][]int64, untaxed, tax, total float64) error {
				ids, err := env.Search(ctx, lines, []any{[]any{"order_id", "=", order}}, models.SearchOptions{Order: "id"})
				if err != nil {
					return err
				}
				recs, err := env.Read(ctx, lines, ids, []string{"price_subtotal", "price_tax", "price_total", "tax_id"}, false)
				if err != nil {
					return err
				}
				for i, rec := range recs {
					w := wantLines[i]
					if rec["price_subtotal"] != w[1] || rec["price_tax"] != w[2] || rec["price_total"] != w[3] {
						t.Errorf("%s: line %d (price %v): %v, %v and %v, want %v, %v and %v", when, i, w[0],
							rec["price_subtotal"], rec["price_tax"], rec["price_total"], w[1], w[2], w[3])
					}
					if got, want := fmt.Sprint(rec["tax_id"]), fmt.Sprint(wantTaxes[i]); got != want {
						t.Errorf("%s: line %d has taxes %s, want %s", when, i, got, want)
					}
				}
				o, err := env.Read(ctx, orders, []int64{order}, []string{"amount_untaxed", "amount_tax", "amount_total"}, false)
				if err != nil {
					return err
				}
				if o[0]["amount_untaxed"] != untaxed || o[0]["amount_tax"] != tax || o[0]["amount_total"] != total {
					t.Errorf("%s: order %v, want %v, %v and %v", when, o[0], untaxed, tax, total)
				}
				return nil
			}
			ex, in := []int64{excluded}, []int64{included}
			small := [4]float64{0.1, 0.1, 0.02, 0.12}
			if err := check("created", [][4]float64{{10, 27, 4.05, 31.05}, {11.5, 10, 1.5, 11.5}, small, small, small},
				[][]int64{ex, in, ex, ex, ex}, 37.3, 5.61, 42.91); err != nil {
				return err
			}
			// The company's prices include its taxes: so does 15% now.
			if err := env.Write(ctx, companies, []int64{1}, map[string]any{"account_price_include": "tax_included"}); err != nil {
				return err
			}
			if err := env.Write(ctx, orders, []int64{order}, map[string]any{"order_line": []any{line(11.5, 2, 0)}}); err != nil {
				return err
			}
			ids, err := env.Search(ctx, lines, []any{[]any{"order_id", "=", order}}, models.SearchOptions{Order: "id"})
			if err != nil {
				return err
			}
			// The first line changes product: it takes the new product's
			// (no) taxes.
			if err := env.Write(ctx, lines, ids[:1], map[string]any{"product_id": bare}); err != nil {
				return err
			}
			// The small lines are stored as they were; a write of their
			// price computes them again, with the tax included.
			if err := env.Write(ctx, lines, ids[2:5], map[string]any{"price_unit": 0.1}); err != nil {
				return err
			}
			incl := [4]float64{0.1, 0.09, 0.01, 0.1} // 0.10 / 1.15 = 0.087
			return check("included by the company", [][4]float64{{10, 27, 0, 27}, {11.5, 10, 1.5, 11.5}, incl, incl, incl, {11.5, 20, 3, 23}},
				[][]int64{nil, in, ex, ex, ex, ex}, 57.27, 4.53, 61.8)
		}); err != nil {
			t.Fatal(err)
		}
	})
}
