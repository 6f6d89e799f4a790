package models

import (
	"reflect"
	"testing"
)

// TestSetDefault checks that an x2many default reaches the answer of
// default_get as Odoo's does, through the record cache: one [6, 0, ids]
// of the ids the commands leave linked, in the order they were first
// linked, then the records they create.
func TestSetDefault(t *testing.T) {
	set := func(ids ...any) []any { return []any{int64(6), int64(0), append([]any{}, ids...)} }
	create := []any{int64(0), int64(0), map[string]any{"name": "x"}}
	cases := []struct {
		name string
		in   any
		want []any
	}{
		{"ids", []any{int64(3), int64(1), int64(3)}, []any{set(int64(3), int64(1))}},
		{"links", []any{[]any{int64(4), int64(2)}, []any{4, 5}}, []any{set(int64(2), int64(5))}},
		{"set", []any{[]any{6, 0, []any{1, 2}}}, []any{set(int64(1), int64(2))}},
		{"set then link, unlink and clear", []any{[]any{6, 0, []any{1, 2}}, []any{4, 7}, []any{3, 1}}, []any{set(int64(2), int64(7))}},
		{"clear", []any{[]any{4, 7}, []any{5}}, []any{set()}},
		{"create", []any{create, []any{4, 2}}, []any{set(int64(2)), create}},
		{"false", false, []any{set()}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := setDefault(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("setDefault(%v) = %#v, want %#v", tc.in, got, tc.want)
			}
		})
	}
}
