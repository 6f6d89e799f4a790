package rpc

import (
	"math"
	"strconv"

	"github.com/godoo/godoo/models/py"

	"github.com/godoo/godoo/models"
)

// Params are the positional parameters of one RPC call, as both codecs decode
// them: nil, bool, int64, float64, string, []any and map[string]any only.
type Params []any

// signature names a service function's parameters, for Python's TypeError
// messages when a client passes too few or too many.
type signature struct {
	name     string
	params   []string
	required int
	varargs  bool // trailing *args
}

// scan copies p into dst by position. Destinations are *string, *int64,
// *bool, *[]any, *map[string]any or *any. Missing optional parameters leave
// their destination untouched.
func (p Params) scan(sig signature, dst ...any) error {
	if len(p) < sig.required {
		return typeError(py.MissingArguments(sig.name, sig.params[len(p):sig.required]))
	}
	if !sig.varargs && len(p) > len(sig.params) {
		return typeError(py.TooManyPositional(sig.name, sig.required, len(sig.params), len(p)))
	}
	for i, d := range dst {
		if i >= len(p) {
			break
		}
		if err := assign(sig, i, p[i], d); err != nil {
			return err
		}
	}
	return nil
}

// typeError is Python's TypeError with the text msg.
func typeError(msg string) error { return models.ServerErrorf("builtins.TypeError", "%s", msg) }

func assign(sig signature, i int, v any, dst any) error {
	bad := func(want string) error {
		return typeError(py.ArgumentType(sig.name, sig.params[min(i, len(sig.params)-1)], want, v))
	}
	switch d := dst.(type) {
	case *string:
		switch x := v.(type) {
		case string:
			*d = x
		case nil:
			*d = ""
		case bool:
			if x {
				return bad("str")
			}
			*d = ""
		default:
			return bad("str")
		}
	case *int64:
		switch x := v.(type) {
		case int64:
			*d = x
		case bool:
			if x {
				*d = 1
			} else {
				*d = 0
			}
		case float64:
			if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
				return bad("int")
			}
			*d = int64(x)
		case string:
			n, err := strconv.ParseInt(x, 10, 64)
			if err != nil {
				return models.ServerErrorf("builtins.ValueError", "invalid literal for int() with base 10: '%s'", x)
			}
			*d = n
		case nil:
			*d = 0
		default:
			return bad("int")
		}
	case *bool:
		*d = py.Truthy(v)
	case *[]any:
		// A list parameter is the positional arguments of a call, which
		// Odoo spreads with Python's *: a dict gives its keys (sorted: the
		// decoded dict has lost its order), a string its characters.
		switch x := v.(type) {
		case []any:
			*d = x
		case nil:
			*d = nil
		case map[string]any:
			keys := py.SortedKeys(x)
			*d = make([]any, len(keys))
			for i, k := range keys {
				(*d)[i] = k
			}
		case string:
			*d = make([]any, 0, len(x))
			for _, r := range x {
				*d = append(*d, string(r))
			}
		default:
			return bad("list")
		}
	case *map[string]any:
		switch x := v.(type) {
		case map[string]any:
			*d = x
		case nil, bool, string: // <value/>, false and "" stand for no mapping
			if s, ok := x.(string); ok && s != "" {
				return bad("dict")
			}
			if b, ok := x.(bool); ok && b {
				return bad("dict")
			}
			*d = nil
		default:
			return bad("dict")
		}
	case *any:
		*d = v
	default:
		// The destination's type is not named: formatting it would make
		// every destination escape, and each call allocate its variables.
		panic("rpc: unsupported scan destination")
	}
	return nil
}
