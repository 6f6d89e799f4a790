package models

import (
	"math/big"
	"strconv"
)

// exactSQL are the columns read_group selects for the exact sum or average
// of a numeric field (Field.Numeric), as decimals: Odoo adds NUMERIC values
// exactly, so 0.98 + 0.99 + 1.0 is 2.97 and not 2.9699999999999998, and a
// long sum keeps all its digits. PostgreSQL adds them as NUMERIC (a double
// is cast with its 15 sure digits, as values are written). SQLite has no
// decimals: it adds the integer parts as integers, exactly, and the
// fractions, all below 1, as floats. The columns are the whole part, the
// fraction and the count; exactAggregate makes the answer from them.
func exactSQL(dialect, col string) []string {
	if dialect == "pg" {
		return []string{"SUM(CAST(" + col + " AS NUMERIC))", "0", "COUNT(" + col + ")"}
	}
	whole := "CAST(" + col + " AS INTEGER)"
	return []string{"SUM(" + whole + ")", "SUM(" + col + " - " + whole + ")", "COUNT(" + col + ")"}
}

// exactAggregate is the sum ("sum") or average ("avg") of a numeric field
// from the columns of exactSQL: the whole part (an integer, or PostgreSQL's
// decimal text), the fraction and the count. Values are written with at
// most 15 significant digits (a double's sure precision), so the float sum
// of the fractions rounded to 15 digits is their decimal sum. The decimal
// sum is rounded once to the nearest float; the average is that sum
// divided exactly, then rounded once.
func exactAggregate(fn string, whole, frac, count any) any {
	sum, ok := exactRat(whole)
	if !ok {
		return false
	}
	if fr, ok := exactRat(frac); ok {
		sum.Add(sum, fr)
	}
	if n, _ := ToInt64(count); fn == "avg" && n != 0 {
		sum.Quo(sum, big.NewRat(n, 1))
	}
	f, _ := sum.Float64()
	return f
}

// exactRat is a store's number as a rational: an integer, a decimal text,
// or a float rounded to 15 significant digits.
func exactRat(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case []byte:
		return new(big.Rat).SetString(string(x))
	case string:
		return new(big.Rat).SetString(x)
	case int64:
		return new(big.Rat).SetInt64(x), true
	}
	x, ok := toFloat(v)
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetString(strconv.FormatFloat(x, 'g', 15, 64))
}
