package product

import (
	"math"
	"testing"
)

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
	same := func(x float64) float64 { return x }
	// Priced per dozen, the rule's amounts per unit are twelve times as
	// much; the base is per dozen already.
	dozen := func(x float64) float64 {
		return unit{id: 1, category: 1, factor: 1}.price(x, unit{id: 2, category: 1, factor: 1.0 / 12})
	}
	prices := []struct {
		name    string
		r       priceRule
		perUnit func(float64) float64
		base    float64
		want    float64
	}{
		{"fixed", priceRule{compute: "fixed", fixed: 42}, same, 100, 42},
		{"discount", priceRule{compute: "percentage", percent: 15}, same, 100, 85},
		{"formula: discount", priceRule{compute: "formula", discount: 10}, same, 100, 90},
		{"formula: rounded, surcharge", priceRule{compute: "formula", discount: 10, round: 10, surcharge: -0.01}, same, 77, 69.99},
		{"formula: rounded half up", priceRule{compute: "formula", round: 0.05}, same, 10.025, 10.05},
		{"formula: minimum margin", priceRule{compute: "formula", discount: 50, minMargin: 5}, same, 40, 45},
		{"formula: maximum margin", priceRule{compute: "formula", discount: -50, maxMargin: 10}, same, 40, 50},
		{"formula: no change", priceRule{compute: "formula"}, same, 12.5, 12.5},
		{"per dozen: fixed", priceRule{compute: "fixed", fixed: 2}, dozen, 1200, 24},
		{"per dozen: discount", priceRule{compute: "percentage", percent: 10}, dozen, 1200, 1080},
		{"per dozen: surcharge", priceRule{compute: "formula", surcharge: 1}, dozen, 1200, 1212},
		{"per dozen: minimum margin", priceRule{compute: "formula", discount: 50, minMargin: 10}, dozen, 1200, 1320},
	}
	for _, c := range prices {
		if got := c.r.price(c.base, c.perUnit); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: price %v, want %v", c.name, got, c.want)
		}
	}
}

// TestUnitConversion: prices and quantities between units of one
// category, as Odoo's uom.uom._compute_price and _compute_quantity
// (quantities rounded up to the unit's rounding), and unchanged between
// units of different categories.
func TestUnitConversion(t *testing.T) {
	units := unit{id: 1, category: 1, factor: 1, rounding: 0.01}
	dozens := unit{id: 2, category: 1, factor: 1.0 / 12, rounding: 0.01}
	kg := unit{id: 3, category: 2, factor: 1, rounding: 0.001}
	price, quantity := unit.price, unit.quantity
	for _, c := range []struct {
		name     string
		convert  func(unit, float64, unit) float64
		from, to unit
		amount   float64
		want     float64
	}{
		{"a unit's price per dozen", price, units, dozens, 10, 120},
		{"a dozen's price per unit", price, dozens, units, 120, 10},
		{"a price in the same unit", price, units, units, 10, 10},
		{"a price in another category", price, units, kg, 10, 10},
		{"dozens in units", quantity, dozens, units, 2, 24},
		{"units in dozens, rounded up", quantity, units, dozens, 13, 1.09},
		{"units in dozens, exact", quantity, units, dozens, 6, 0.5},
		{"a quantity in another category", quantity, units, kg, 7, 7},
	} {
		if got := c.convert(c.from, c.amount, c.to); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
