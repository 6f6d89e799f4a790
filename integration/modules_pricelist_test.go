package integration_test

import "testing"

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
