package py_test

import (
	"testing"

	"github.com/godoo/godoo/models/py"
)

// TestTruthy checks Python's bool() of each wire shape: the texts "0",
// "f" and "false" are true, as in Python.
func TestTruthy(t *testing.T) {
	cases := []struct {
		name string
		v    any
		want bool
	}{
		{"None", nil, false},
		{"False", false, false},
		{"True", true, true},
		{"zero", int64(0), false},
		{"int", int64(-3), true},
		{"Go int zero", 0, false},
		{"int32", int32(2), true},
		{"float zero", 0.0, false},
		{"float", 0.5, true},
		{"float32 zero", float32(0), false},
		{"empty string", "", false},
		{"string", "x", true},
		{"string 0", "0", true},
		{"string false", "false", true},
		{"empty list", []any{}, false},
		{"nil list", []any(nil), false},
		{"list", []any{false}, true},
		{"empty dict", map[string]any{}, false},
		{"dict", map[string]any{"a": nil}, true},
		{"other", struct{}{}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := py.Truthy(c.v); got != c.want {
				t.Errorf("Truthy(%#v) = %v, want %v", c.v, got, c.want)
			}
		})
	}
}

// TestTypeName checks the names Python gives the wire shapes' types.
func TestTypeName(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{nil, "NoneType"}, {true, "bool"}, {int64(1), "int"}, {1, "int"}, {int32(1), "int"},
		{1.5, "float"}, {float32(1), "float"}, {"s", "str"}, {[]any{}, "list"},
		{map[string]any{}, "dict"}, {[]byte("x"), "object"},
	}
	for _, c := range cases {
		if got := py.TypeName(c.v); got != c.want {
			t.Errorf("TypeName(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// TestRepr checks the repr of values in messages.
func TestRepr(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{nil, "None"}, {true, "True"}, {false, "False"}, {int64(7), "7"}, {1.5, "1.5"},
		{"it's", `'it\'s'`}, {[]any{"a", int64(1), nil}, "['a', 1, None]"},
		{map[string]any{"a": int64(1)}, "{'a': 1}"},
		{map[string]any{"b": []any{"x"}, "a": map[string]any{}}, "{'a': {}, 'b': ['x']}"},
	}
	for _, c := range cases {
		if got := py.Repr(c.v); got != c.want {
			t.Errorf("Repr(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// TestNumbers checks that whole numbers of decoded JSON become int64, in
// lists and dicts too, and that other values are left alone.
func TestNumbers(t *testing.T) {
	in := map[string]any{"a": 3.0, "b": 2.5, "c": []any{1.0, "x", nil, map[string]any{"d": -4.0}}, "e": 1e300, "f": nil}
	got := py.Numbers(in).(map[string]any)
	if got["a"] != int64(3) || got["b"] != 2.5 || got["e"] != 1e300 || got["f"] != nil {
		t.Fatalf("Numbers = %#v", got)
	}
	list := got["c"].([]any)
	if list[0] != int64(1) || list[1] != "x" || list[2] != nil || list[3].(map[string]any)["d"] != int64(-4) {
		t.Fatalf("Numbers list = %#v", list)
	}
	if py.Numbers(nil) != nil || py.Numbers(float64(1<<53)) != float64(1<<53) {
		t.Fatal("nil or 2^53 changed")
	}
}
