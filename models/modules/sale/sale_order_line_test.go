package sale

import "testing"

// TestLineAmounts checks a line's amounts as Odoo computes them, taxes
// rounded per line: discount, percent taxes on top of the price or
// included in it, fixed taxes per unit, rounding to the currency.
func TestLineAmounts(t *testing.T) {
	pct := func(a float64, included bool) tax {
		return tax{id: 1, group: 1, kind: "percent", amount: a, included: included}
	}
	cases := []struct {
		name                  string
		l                     line
		taxes                 []tax
		subtotal, tax_, total float64
	}{
		{"discount, no tax", line{qty: 3, price: 10, discount: 10, rounding: 0.01}, nil, 27, 0, 27},
		{"no discount", line{qty: 2, price: 5.5, rounding: 0.01}, nil, 11, 0, 11},
		{"half discount", line{qty: 2, price: 5.5, discount: 50, rounding: 0.01}, nil, 5.5, 0, 5.5},
		{"15% on top", line{qty: 3, price: 10, rounding: 0.01}, []tax{pct(15, false)}, 30, 4.5, 34.5},
		{"tax rounded half up", line{qty: 1, price: 0.1, rounding: 0.01}, []tax{pct(15, false)}, 0.1, 0.02, 0.12},
		{"21% included", line{qty: 1, price: 121, rounding: 0.01}, []tax{pct(21, true)}, 100, 21, 121},
		{"fixed per unit", line{qty: 4, price: 2, rounding: 0.01}, []tax{{kind: "fixed", amount: 0.5}}, 8, 2, 10},
		{"two taxes", line{qty: 1, price: 100, rounding: 0.01}, []tax{pct(10, false), pct(5, false)}, 100, 15, 115},
		{"whole currency", line{qty: 3, price: 3.333, rounding: 1}, nil, 10, 0, 10},
		{"division on top", line{qty: 1, price: 100, rounding: 0.01}, []tax{{kind: "division", amount: 10}}, 100, 11.11, 111.11},
		{"division included", line{qty: 1, price: 100, rounding: 0.01}, []tax{{kind: "division", amount: 10, included: true}}, 90, 10, 100},
		{"fixed included", line{qty: 2, price: 10, rounding: 0.01}, []tax{{kind: "fixed", amount: 1, included: true}}, 18, 2, 20},
		{"affects the next's base", line{qty: 1, price: 100, rounding: 0.01},
			[]tax{{kind: "percent", amount: 10, affectsBase: true}, pct(5, false)}, 100, 15.5, 115.5},
		{"included, affects the next's base", line{qty: 1, price: 110, rounding: 0.01},
			[]tax{{kind: "percent", amount: 10, included: true, affectsBase: true}, pct(5, false)}, 100, 15.5, 115.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := c.l
			l.amounts(c.taxes)
			if l.subtotal != c.subtotal || l.tax != c.tax_ || l.total != c.total {
				t.Errorf("subtotal %v, tax %v, total %v; want %v, %v, %v", l.subtotal, l.tax, l.total, c.subtotal, c.tax_, c.total)
			}
		})
	}
}

// TestRound checks Odoo's float_round: halves away from zero, after the
// nudge against binary representation errors.
func TestRound(t *testing.T) {
	cases := []struct{ x, precision, want float64 }{
		{2.675, 0.01, 2.68}, // 2.67499999... in binary
		{-2.675, 0.01, -2.68},
		{1.005, 0.01, 1.01},
		{0.125, 0.01, 0.13},
		{12.5, 1, 13},
		{38, 0.01, 38},
		{0, 0.01, 0},
		{1.23456, 0, 1.23456},
	}
	for _, c := range cases {
		if got := round(c.x, c.precision); got != c.want {
			t.Errorf("round(%v, %v) = %v, want %v", c.x, c.precision, got, c.want)
		}
	}
}

// TestLineInvoiceStatus: a line has something to invoice only once its
// order is confirmed, and quantities compare at the unit's precision.
func TestLineInvoiceStatus(t *testing.T) {
	cases := []struct {
		name string
		l    line
		want string
	}{
		{"quotation", line{state: "draft", qty: 3}, "no"},
		{"confirmed", line{state: "sale", qty: 3, toBill: 3}, "to invoice"},
		{"invoiced", line{state: "sale", qty: 3, invoiced: 3}, "invoiced"},
		{"section", line{state: "sale", section: true}, "invoiced"},
		{"cancelled", line{state: "cancel", qty: 3, toBill: 3}, "no"},
		{"quantity 0", line{state: "sale"}, "invoiced"},
		{"below the unit's precision", line{state: "sale", qty: 3, invoiced: 2.999, toBill: 0.001}, "invoiced"},
		{"partly invoiced", line{state: "sale", qty: 3, invoiced: 1}, "no"},
		{"upselling", line{state: "sale", policy: "order", qty: 3, delivered: 4, invoiced: 3}, "upselling"},
		{"delivered beyond, invoiced on delivery", line{state: "sale", policy: "delivery", qty: 3, delivered: 4, invoiced: 4}, "invoiced"},
	}
	for _, c := range cases {
		if got := c.l.invoiceStatus(); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// TestOrderInvoiceStatus: an order's invoice status does not depend on
// its lines' order, and is Odoo's: to invoice when one line is,
// invoiced when all are, upselling when all are invoiced or upselling.
func TestOrderInvoiceStatus(t *testing.T) {
	cases := []struct {
		name, state string
		lines       []string
		want        string
	}{
		{"quotation", "draft", []string{"to invoice"}, "no"},
		{"no lines", "sale", nil, "no"},
		{"nothing then invoiced", "sale", []string{"no", "invoiced"}, "no"},
		{"invoiced then nothing", "sale", []string{"invoiced", "no"}, "no"},
		{"one to invoice", "sale", []string{"invoiced", "to invoice", "no"}, "to invoice"},
		{"all invoiced", "sale", []string{"invoiced", "invoiced"}, "invoiced"},
		{"upselling", "sale", []string{"invoiced", "upselling"}, "upselling"},
		{"upselling and nothing", "sale", []string{"upselling", "no"}, "no"},
	}
	for _, c := range cases {
		if got := orderInvoiceStatus(c.state, c.lines); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
