package wire

import (
	"bytes"
	"math"
	"strconv"
)

// AppendPyFloat formats f like Python's repr(float): the shortest digits that
// round-trip, in positional notation when the decimal exponent is in
// [-4, 16), else in scientific notation with at least two exponent digits.
func AppendPyFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	}
	if bits == 64 {
		if f > -1e9 && f < 1e9 {
			if b, ok := appendShortDecimal(b, f); ok {
				return b
			}
		}
		// The shortest digits of a float64 with 1e-4 <= |f| < 1e16 have a
		// decimal exponent in [-4, 16) too (1e16 is a double, and 1e-4 the
		// double nearest to 0.0001), so repr is positional there, as is
		// strconv's 'f' form but for the ".0" of whole numbers.
		if a := math.Abs(f); a >= 1e-4 && a < 1e16 {
			n := len(b)
			b = strconv.AppendFloat(b, f, 'f', -1, 64)
			if bytes.IndexByte(b[n:], '.') < 0 {
				b = append(b, ".0"...)
			}
			return b
		}
	}
	var scratch [32]byte
	s := strconv.AppendFloat(scratch[:0], f, 'e', -1, bits) // -d.ddde±dd
	if s[0] == '-' {
		b = append(b, '-')
		s = s[1:]
	}
	epos := bytes.IndexByte(s, 'e')
	exp := 0
	for _, c := range s[epos+2:] {
		exp = exp*10 + int(c-'0')
	}
	if s[epos+1] == '-' {
		exp = -exp
	}
	if exp < -4 || exp >= 16 {
		return append(b, s...) // Go's 'e' form matches Python's: 1e+16, 1.5e-07
	}
	// Positional: digits d0 d1..dn with the decimal point after exp+1 digits.
	var digitsBuf [20]byte
	digits := append(digitsBuf[:0], s[0])
	if epos > 1 {
		digits = append(digits, s[2:epos]...)
	}
	point := exp + 1
	switch {
	case point <= 0:
		b = append(b, "0."...)
		for range -point {
			b = append(b, '0')
		}
		b = append(b, digits...)
	case point >= len(digits):
		b = append(b, digits...)
		for range point - len(digits) {
			b = append(b, '0')
		}
		b = append(b, ".0"...)
	default:
		b = append(b, digits[:point]...)
		b = append(b, '.')
		b = append(b, digits[point:]...)
	}
	return b
}

// appendShortDecimal is the fast path of AppendPyFloat for the prices and
// quantities that fill Odoo results: a float64 below 1e9 in magnitude that is
// exactly the double nearest to a decimal with at most 3 fractional digits.
// In that range doubles are spaced less than 1e-6 apart, so that decimal is
// the only one with so few digits that reads back as f, which makes it the
// shortest round-trip form that repr() (and strconv) would produce.
func appendShortDecimal(b []byte, f float64) ([]byte, bool) {
	if f == 0 {
		if math.Signbit(f) {
			return append(b, "-0.0"...), true
		}
		return append(b, "0.0"...), true
	}
	// n/1000, once its trailing zeros are gone, is that decimal if f*1000
	// lands on an integer that reads back as f; anything unusual is left to
	// strconv.
	v := f * 1000
	n := int64(v)
	if float64(n) != v || float64(n)/1000 != f {
		return b, false
	}
	k := 3
	for k > 0 && n%10 == 0 {
		n /= 10
		k--
	}
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var scratch [20]byte
	digits := strconv.AppendInt(scratch[:0], n, 10)
	switch {
	case k == 0:
		b = append(b, digits...)
		b = append(b, ".0"...)
	case len(digits) > k:
		b = append(b, digits[:len(digits)-k]...)
		b = append(b, '.')
		b = append(b, digits[len(digits)-k:]...)
	default:
		b = append(b, "0."...)
		for range k - len(digits) {
			b = append(b, '0')
		}
		b = append(b, digits...)
	}
	return b, true
}
