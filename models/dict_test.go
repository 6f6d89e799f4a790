package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// dictState renders a Dict's keys and values in order, for comparing.
func dictState(d *Dict) string {
	s := ""
	for k, v := range d.All() {
		s += fmt.Sprintf("%s=%v ", k, v)
	}
	return s
}

func TestDict(t *testing.T) {
	tests := []struct {
		name string
		run  func() *Dict
		want string
	}{
		{"empty", func() *Dict { return NewDict(0) }, ""},
		{"zero value", func() *Dict { return &Dict{} }, ""},
		{"insertion order, not sorted", func() *Dict {
			d := NewDict(3)
			d.Set("id", 1)
			d.Set("name", "a")
			d.Set("email", "b")
			return d
		}, "id=1 name=a email=b "},
		{"set again keeps the place", func() *Dict {
			d := NewDict(3)
			d.Set("b", 1)
			d.Set("a", 2)
			d.Set("b", 3)
			return d
		}, "b=3 a=2 "},
		{"delete keeps the others' order", func() *Dict {
			d := DictOf([]string{"c", "b", "a"}, []any{1, 2, 3})
			d.Delete("b")
			d.Delete("missing")
			return d
		}, "c=1 a=3 "},
		{"delete then set goes last", func() *Dict {
			d := DictOf([]string{"c", "b", "a"}, []any{1, 2, 3})
			d.Delete("c")
			d.Set("c", 4)
			return d
		}, "b=2 a=3 c=4 "},
		{"DictOf repeated key: first place, last value", func() *Dict {
			return DictOf([]string{"x", "y", "x"}, []any{1, 2, 3})
		}, "x=3 y=2 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dictState(tt.run()); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDictLarge crosses the size from which a Dict indexes its keys, and
// checks that lookups stay right through deletes and additions.
func TestDictLarge(t *testing.T) {
	d := NewDict(0)
	for i := range 40 {
		d.Set(fmt.Sprintf("k%02d", i), i)
	}
	d.Delete("k05")
	d.Set("k05", 100)
	d.Set("k10", -10)
	for i := range 40 {
		k := fmt.Sprintf("k%02d", i)
		want := i
		switch k {
		case "k05":
			want = 100
		case "k10":
			want = -10
		}
		if v, ok := d.Get(k); !ok || v != want {
			t.Errorf("Get(%s) = %v, %v; want %v", k, v, ok, want)
		}
	}
	if _, ok := d.Get("nope"); ok {
		t.Error("Get of a missing key reported it set")
	}
	if keys := d.Keys(); keys[len(keys)-1] != "k05" || d.Len() != 40 {
		t.Errorf("keys end with %q, len %d; want k05 last of 40", keys[len(keys)-1], d.Len())
	}
	big := make([]string, 20)
	for i := range big {
		big[i] = fmt.Sprint(i % 19)
	}
	if n := DictOf(big, make([]any, 20)).Len(); n != 19 {
		t.Errorf("DictOf of 20 keys with one repeated has %d keys, want 19", n)
	}
}

// TestDictOfShared checks that Dicts made from one slice of keys (the rows
// of a read) do not change each other or the slice.
func TestDictOfShared(t *testing.T) {
	keys := []string{"id", "name", "email"}
	a := DictOf(keys, []any{1, "a", "x"})
	b := DictOf(keys, []any{2, "b", "y"})
	a.Delete("name")
	b.Set("phone", "p")
	a.Set("zip", "z")
	if !slices.Equal(keys, []string{"id", "name", "email"}) {
		t.Fatalf("shared keys changed: %v", keys)
	}
	if got := dictState(a); got != "id=1 email=x zip=z " {
		t.Errorf("a = %q", got)
	}
	if got := dictState(b); got != "id=2 name=b email=y phone=p " {
		t.Errorf("b = %q", got)
	}
}

func TestDictOfLengthMismatchPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("DictOf with 2 keys and 1 value did not panic")
		}
	}()
	DictOf([]string{"a", "b"}, []any{1})
}

func TestDictNilAndJSON(t *testing.T) {
	var d *Dict
	if d.Len() != 0 || d.Keys() != nil || d.Values() != nil {
		t.Error("a nil Dict is not empty")
	}
	if _, ok := d.Get("a"); ok {
		t.Error("a nil Dict has a key")
	}
	d.Delete("a") // no panic
	e := DictOf([]string{"z", "a", "m"}, []any{1, []any{2, "x"}, map[string]any{"k": true}})
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"z":1,"a":[2,"x"],"m":{"k":true}}`; string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}
	if m := e.Map(); len(m) != 3 || m["z"] != 1 {
		t.Errorf("Map() = %v", m)
	}
}
