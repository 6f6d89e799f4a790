package py

import (
	"encoding/json"
	"math"
)

// Numbers gives the numbers of a value decoded by encoding/json the types
// godoo's codecs give them: a float64 that is whole (and exactly
// representable, below 2^53) becomes an int64, as Python's json module reads
// 3 as an int. It walks lists and dicts, changing them in place, and returns
// v; null stays nil. Values stored as JSON in the database (record rule
// domains, a pending identity-checked call) are read back through it, so
// that they reach the ORM as a client's call would.
func Numbers(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
	case []any:
		for i := range x {
			x[i] = Numbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = Numbers(x[k])
		}
	}
	return v
}

// JSONNumbers gives the json.Number values of a document decoded with
// UseNumber the types Python's json module reads them as: an int64 for an
// integer's text, a float64 for any other ("1.0" stays a float, which
// Numbers cannot tell). It walks lists and dicts, changing them in place,
// and returns v.
func JSONNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = JSONNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = JSONNumbers(x[k])
		}
	}
	return v
}
