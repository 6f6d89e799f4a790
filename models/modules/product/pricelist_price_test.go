package product

import "testing"

// TestPriceRule: which pricelist rules price a product (its variant,
// template or category, the minimum quantity, the dates) and the price
// each kind of rule gives from its base, as Odoo's pricelist items.
func TestPriceRule(t *testing.T) {
	p := priced{product: 7, tmpl: 3, categs: []int64{1, 4}, list: 100, cost: 40, qty: 5, date: "2024-05-06 07:08:09"}
	applies := []struct {
		name string
		r    priceRule
		want bool
	}{
		{"every product", priceRule{}, true},
		{"its variant", priceRule{product: 7}, true},
		{"another variant", priceRule{product: 8}, false},
		{"its template", priceRule{tmpl: 3}, true},
		{"another template", priceRule{tmpl: 2}, false},
		{"its category", priceRule{categ: 4}, true},
		{"a parent category", priceRule{categ: 1}, true},
		{"another category", priceRule{categ: 9}, false},
		{"minimum reached", priceRule{minQty: 5}, true},
		{"minimum not reached", priceRule{minQty: 6}, false},
		{"started", priceRule{start: "2024-05-06 00:00:00"}, true},
		{"not started", priceRule{start: "2024-05-07 00:00:00"}, false},
		{"ended", priceRule{end: "2024-05-06 07:00:00"}, false},
		{"not ended", priceRule{end: "2024-06-01 00:00:00"}, true},
	}
	for _, c := range applies {
		if got := c.r.applies(p); got != c.want {
			t.Errorf("%s: applies %v, want %v", c.name, got, c.want)
		}
	}
	prices := []struct {
		name string
		r    priceRule
		base float64
		want float64
	}{
		{"fixed", priceRule{compute: "fixed", fixed: 42}, 100, 42},
		{"discount", priceRule{compute: "percentage", percent: 15}, 100, 85},
		{"formula: discount", priceRule{compute: "formula", discount: 10}, 100, 90},
		{"formula: rounded, surcharge", priceRule{compute: "formula", discount: 10, round: 10, surcharge: -0.01}, 77, 69.99},
		{"formula: rounded half up", priceRule{compute: "formula", round: 0.05}, 10.025, 10.05},
		{"formula: minimum margin", priceRule{compute: "formula", discount: 50, minMargin: 5}, 40, 45},
		{"formula: maximum margin", priceRule{compute: "formula", discount: -50, maxMargin: 10}, 40, 50},
		{"formula: no change", priceRule{compute: "formula"}, 12.5, 12.5},
	}
	for _, c := range prices {
		if got := c.r.price(c.base); got != c.want {
			t.Errorf("%s: price %v, want %v", c.name, got, c.want)
		}
	}
}
