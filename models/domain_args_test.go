package models

import (
	"slices"
	"testing"
)

// TestJoinArgs checks that and's arguments are a's then b's in a list of
// their own: a shared list with room to spare (a rule's compiled
// arguments) is never written into.
func TestJoinArgs(t *testing.T) {
	shared := make([]any, 1, 4)
	shared[0] = int64(1)
	for _, c := range []struct {
		name string
		a, b []any
		want []any
	}{
		{"both empty", nil, []any{}, nil},
		{"a alone", shared, nil, []any{int64(1)}},
		{"both", shared, []any{"x", int64(2)}, []any{int64(1), "x", int64(2)}},
	} {
		got := and(where{sql: "A", args: c.a}, where{sql: "B", args: c.b}).args
		if !slices.Equal(got, c.want) || (c.want == nil) != (got == nil) {
			t.Errorf("%s: args %v, want %v", c.name, got, c.want)
		}
		if len(got) > 0 && &got[0] == &shared[0] {
			t.Errorf("%s: the arguments share a's list", c.name)
		}
	}
	if extra := shared[:2][1]; extra != nil {
		t.Errorf("a's spare room was written: %v", extra)
	}
}
