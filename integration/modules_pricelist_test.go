package integration_test

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestPricelists: a pricelist is in the company's currency and named with
// it; a partner's pricelist is the one chosen for it, else the first of
// its country's, else the first without countries; a new sale line takes
// its unit price from its order's pricelist (the most precise rule that
// applies for its quantity), else from the product; an order made
// without a pricelist takes its customer's.
func TestPricelists(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		p := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Pricelist customer"}}, nil)
		pricelist := func(id any) any {
			return e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{"property_product_pricelist"}},
				nil).([]any)[0].(map[string]any)["property_product_pricelist"]
		}
		if got := pricelist(p); got != false {
			t.Errorf("pricelist without any: %v", got)
		}
		tmpl := e.mustKw(t, c, "product.template", "create", []any{map[string]any{"name": "Priced", "list_price": 100.0}}, nil)
		prod := e.mustKw(t, c, "product.product", "search", []any{[]any{[]any{"product_tmpl_id", "=", tmpl}}}, nil).([]any)[0]
		public := e.mustKw(t, c, "product.pricelist", "create", []any{map[string]any{"name": "Public", "item_ids": []any{
			[]any{int64(0), int64(0), map[string]any{"compute_price": "percentage", "percent_price": 10.0}},
			[]any{int64(0), int64(0), map[string]any{"product_tmpl_id": tmpl, "min_quantity": 10.0, "fixed_price": 70.0}},
		}}}, nil)
		named := e.mustKw(t, c, "product.pricelist", "read", []any{[]any{public}, []any{"display_name", "currency_id"}}, nil).([]any)[0].(map[string]any)
		if named["display_name"] != "Public (USD)" || named["currency_id"].([]any)[1] != "USD" {
			t.Errorf("pricelist: %v", named)
		}
		if got := pricelist(p); got.([]any)[0] != public {
			t.Errorf("partner's pricelist: %v, want %v", got, public)
		}
		vip := e.mustKw(t, c, "product.pricelist", "create", []any{map[string]any{"name": "VIP", "sequence": int64(20)}}, nil)
		e.mustKw(t, c, "res.partner", "write", []any{[]any{p}, map[string]any{"property_product_pricelist": vip}}, nil)
		if got := pricelist(p); got.([]any)[0] != vip {
			t.Errorf("chosen pricelist: %v, want %v", got, vip)
		}
		order := e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": p, "pricelist_id": public, "order_line": []any{
			[]any{int64(0), int64(0), map[string]any{"product_id": prod, "product_uom_qty": 2.0}},
			[]any{int64(0), int64(0), map[string]any{"product_id": prod, "product_uom_qty": 12.0}},
		}}}, nil)
		bare := e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": p, "pricelist_id": false, "order_line": []any{
			[]any{int64(0), int64(0), map[string]any{"product_id": prod, "product_uom_qty": 1.0}},
		}}}, nil)
		// An order made without a pricelist takes its customer's.
		own := e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": p}}, nil)
		got := e.mustKw(t, c, "sale.order", "read", []any{[]any{own}, []any{"pricelist_id", "currency_id"}}, nil).([]any)[0].(map[string]any)
		if pl, _ := got["pricelist_id"].([]any); len(pl) == 0 || pl[0] != vip || got["currency_id"].([]any)[1] != "USD" {
			t.Errorf("order without a pricelist: %v, want the customer's %v", got, vip)
		}
		for _, tc := range []struct {
			order any
			want  []float64
		}{{order, []float64{90, 70}}, {bare, []float64{100}}} {
			lines := e.mustKw(t, c, "sale.order.line", "search_read", []any{[]any{[]any{"order_id", "=", tc.order}}},
				map[string]any{"fields": []any{"price_unit"}, "order": "id"}).([]any)
			if len(lines) != len(tc.want) {
				t.Fatalf("order %v: lines %v", tc.order, lines)
			}
			for i, l := range lines {
				if got := l.(map[string]any)["price_unit"]; got != tc.want[i] {
					t.Errorf("order %v line %d: price_unit %v, want %v", tc.order, i, got, tc.want[i])
				}
			}
		}
	})
}

// TestPricelistConversions: a new sale line is priced per its own unit
// and in its order's currency, as Odoo's pricelist items price it: a
// pricelist in another currency converts the product's price with the
// company's rate of the day; a line sold by the dozen gets a dozen's
// price, and its quantity counts in units for the rules' minimum
// quantities, whose fixed prices are per unit; an order without a
// pricelist converts the product's sale price to its currency.
func TestPricelistConversions(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		ref := func(xmlid string) any {
			module, name, _ := strings.Cut(xmlid, ".")
			return e.mustKw(t, c, "ir.model.data", "search_read", []any{[]any{[]any{"module", "=", module}, []any{"name", "=", name}}},
				map[string]any{"fields": []any{"res_id"}}).([]any)[0].(map[string]any)["res_id"]
		}
		eur, dozen := ref("base.EUR"), ref("uom.product_uom_dozen")
		e.mustKw(t, c, "res.currency", "write", []any{[]any{eur}, map[string]any{"active": true}}, nil)
		// Yesterday's rate is the latest on the orders' day.
		day := time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02")
		e.mustKw(t, c, "res.currency.rate", "create", []any{map[string]any{"currency_id": eur, "rate": 2.0, "name": day, "company_id": int64(1)}}, nil)
		p := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Euro customer"}}, nil)
		tmpl := e.mustKw(t, c, "product.template", "create", []any{map[string]any{"name": "Converted", "list_price": 100.0}}, nil)
		prod := e.mustKw(t, c, "product.product", "search", []any{[]any{[]any{"product_tmpl_id", "=", tmpl}}}, nil).([]any)[0]
		euros := e.mustKw(t, c, "product.pricelist", "create", []any{map[string]any{"name": "Euros", "currency_id": eur, "item_ids": []any{
			[]any{int64(0), int64(0), map[string]any{"compute_price": "percentage", "percent_price": 10.0}},
			[]any{int64(0), int64(0), map[string]any{"product_tmpl_id": tmpl, "min_quantity": 10.0, "fixed_price": 70.0}},
		}}}, nil)
		line := func(qty float64, uom any) any {
			l := map[string]any{"product_id": prod, "product_uom_qty": qty}
			if uom != nil {
				l["product_uom"] = uom
			}
			return []any{int64(0), int64(0), l}
		}
		priced := e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": p, "pricelist_id": euros,
			"order_line": []any{line(1, nil), line(1, dozen), line(12, nil), line(0.5, dozen)}}}, nil)
		bare := e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": p, "pricelist_id": false, "currency_id": eur,
			"order_line": []any{line(1, nil), line(2, dozen)}}}, nil)
		for _, tc := range []struct {
			name  string
			order any
			want  []float64
		}{
			// 100 USD are 200 EUR, less 10%; 12 units, or a dozen, reach
			// the minimum of 10 for the fixed 70 EUR a unit (840 a
			// dozen); half a dozen does not, and costs twelve times a
			// unit's price.
			{"pricelist in euros", priced, []float64{180, 840, 70, 2160}},
			{"no pricelist, in euros", bare, []float64{200, 2400}},
		} {
			lines := e.mustKw(t, c, "sale.order.line", "search_read", []any{[]any{[]any{"order_id", "=", tc.order}}},
				map[string]any{"fields": []any{"price_unit"}, "order": "id"}).([]any)
			if len(lines) != len(tc.want) {
				t.Fatalf("%s: lines %v", tc.name, lines)
			}
			for i, l := range lines {
				if got := l.(map[string]any)["price_unit"]; math.Abs(got.(float64)-tc.want[i]) > 1e-6 {
					t.Errorf("%s, line %d: price_unit %v, want %v", tc.name, i, got, tc.want[i])
				}
			}
		}
	})
}
