// Package py reproduces Python's semantics where godoo's answers must read
// as Odoo's do: what is true, what a value's type is called, how a value is
// repr'd in a message, the TypeErrors of a call that does not fit a
// signature, and the numbers of decoded JSON.
//
// It works on decoded wire values, the shapes both codecs produce: nil,
// bool, int64, float64, string, []any and map[string]any (Go's int, int32
// and float32 are accepted too). It imports nothing of godoo, so that every
// layer (models, services, rpc) can use it; callers wrap its texts in their
// own error type.
package py

import (
	"fmt"
	"sort"
	"strings"
)

// Truthy is Python's bool(v): None, False, zero, the empty string and empty
// containers are false; everything else is true.
func Truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case int:
		return x != 0
	case int32:
		return x != 0
	case float64:
		return x != 0
	case float32:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// TypeName is the name of v's Python type, as type(v).__name__ prints it in
// TypeError and AttributeError messages; "object" for a value that is no
// wire shape.
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64, int, int32:
		return "int"
	case float64, float32:
		return "float"
	case string:
		return "str"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	}
	return "object"
}

// Repr renders v roughly as Python's repr, for messages that clients compare
// with Odoo's: None, True and False, strings in single quotes, lists item by
// item. A dict is shown as {...}: its keys come in no stable order.
func Repr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case string:
		return "'" + strings.ReplaceAll(x, "'", "\\'") + "'"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = Repr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		// A decoded dict has lost its key order; sorted keys keep the
		// text the same from one call to the next.
		keys := SortedKeys(x)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = Repr(k) + ": " + Repr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// SortedKeys are the keys of a decoded dict, sorted: the order Python
// would show them in is lost in decoding, and sorted keys give the same
// text every time.
func SortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
