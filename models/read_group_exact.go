package models

import (
	"math/big"
	"strconv"
)

// exactAggregate is the sum ("sum") or average ("avg") of a numeric field
// (Field.Numeric) from the sum and count of its values as the store adds
// them, binary floats: Odoo adds NUMERIC values exactly, so 0.98 + 0.99 +
// 1.0 is 2.97 and not 2.9699999999999998. Values are written with at most
// 15 significant digits (a double's sure precision), so the float sum
// rounded to 15 digits is the decimal sum; the average is that sum divided
// exactly, then rounded once to the nearest float.
func exactAggregate(fn string, sum, count any) any {
	x, ok := toFloat(sum)
	if !ok {
		return false
	}
	decimal := strconv.FormatFloat(x, 'g', 15, 64)
	if fn == "sum" {
		f, _ := strconv.ParseFloat(decimal, 64)
		return f
	}
	n, _ := ToInt64(count)
	r, ok := new(big.Rat).SetString(decimal)
	if !ok || n == 0 {
		return x
	}
	f, _ := r.Quo(r, big.NewRat(n, 1)).Float64()
	return f
}
