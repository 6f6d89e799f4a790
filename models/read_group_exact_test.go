package models

import "testing"

// TestExactAggregate checks the sums and averages of numeric fields as
// Odoo's NUMERIC columns give them, from the store's whole parts,
// fractions and count.
func TestExactAggregate(t *testing.T) {
	for _, c := range []struct {
		name               string
		fn                 string
		whole, frac, count any
		want               any
	}{
		{"sum of 0.98, 0.99, 1.0", "sum", int64(1), 0.98 + 0.99, int64(3), 2.97},
		{"average of 0.98, 0.99, 1.0", "avg", int64(1), 0.98 + 0.99, int64(3), 0.99},
		{"average of six rates", "avg", int64(6), 0.32 - 1e-15, int64(6), 1.0533333333333332},
		// 16 significant digits: rounding the whole sum to 15 lost the last.
		{"long sum", "sum", int64(1234567890124), 1234567890123.45 - 1234567890123, int64(2), 1234567890124.45},
		{"long decimal text", "sum", []byte("98765432109876.54"), "0", int64(2), 98765432109876.54},
		{"integer sum", "sum", int64(7), nil, int64(2), 7.0},
		{"no count", "avg", int64(1), 0.5, int64(0), 1.5},
		{"not a number", "sum", "x", nil, int64(1), false},
	} {
		if got := exactAggregate(c.fn, c.whole, c.frac, c.count); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
