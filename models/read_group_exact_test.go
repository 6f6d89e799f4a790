package models

import "testing"

// TestExactAggregate checks the sums and averages of numeric fields as
// Odoo's NUMERIC columns give them, from the store's float sum and count.
func TestExactAggregate(t *testing.T) {
	for _, c := range []struct {
		name       string
		fn         string
		sum, count any
		want       any
	}{
		{"sum of 0.98, 0.99, 1.0", "sum", 0.98 + 0.99 + 1.0, int64(3), 2.97},
		{"average of 0.98, 0.99, 1.0", "avg", 0.98 + 0.99 + 1.0, int64(3), 0.99},
		{"average of six rates", "avg", 6.32 - 1e-15, int64(6), 1.0533333333333332},
		{"integer sum", "sum", int64(7), int64(2), 7.0},
		{"no count", "avg", 1.5, int64(0), 1.5},
		{"not a number", "sum", "x", int64(1), false},
	} {
		if got := exactAggregate(c.fn, c.sum, c.count); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
