package py

import "math"

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
