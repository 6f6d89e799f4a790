package models

import (
	"reflect"
	"testing"
)

// TestParseCommandsEdges checks x2many command lists at Odoo's edges: an
// unknown command is passed over, a create or a set without its third
// element fails as Python's indexing does, and a command that is not a
// number is a wrong value.
func TestParseCommandsEdges(t *testing.T) {
	f := &Field{Name: "category_id", Type: Many2many}
	for _, c := range []struct {
		name    string
		in      any
		want    []command
		errName string
	}{
		{"unknown command", []any{[]any{int64(9), int64(0), int64(0)}}, nil, ""},
		{"unknown among known", []any{[]any{int64(9)}, []any{int64(4), int64(3)}}, []command{{code: 4, id: 3}}, ""},
		{"set without ids", []any{[]any{int64(6), []any{int64(1)}}}, nil, "builtins.IndexError"},
		{"create without values", []any{[]any{int64(0), int64(0)}}, nil, "builtins.IndexError"},
		{"set", []any{[]any{int64(6), int64(0), []any{int64(1), int64(2)}}}, []command{{code: 6, ids: []int64{1, 2}}}, ""},
		{"not a number", []any{[]any{"x", int64(0)}}, nil, "builtins.ValueError"},
	} {
		got, err := parseCommands(f, c.in)
		if c.errName != "" {
			if e := AsError(err); e == nil || e.Name != c.errName {
				t.Errorf("%s: error %v, want %s", c.name, err, c.errName)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %#v, %v; want %#v", c.name, got, err, c.want)
		}
	}
}
