package models

import (
	"fmt"
	"slices"
	"testing"
)

// TestRowsAnswer checks the answer of a read made from records: the keys
// in Odoo's order (id, then each field once as asked), whatever order the
// records' maps have, and a record asked twice answered twice.
func TestRowsAnswer(t *testing.T) {
	a := Record{"id": int64(1), "name": "a", "zip": "1"}
	b := Record{"id": int64(2), "name": "b", "zip": "2"}
	cases := []struct {
		name   string
		recs   []Record
		ids    []int64
		fields []string
		want   string
	}{
		{"order asked", []Record{a, b}, []int64{1, 2}, []string{"zip", "name"}, "[id zip name] [1 1 a 2 2 b]"},
		{"id asked last, a field twice", []Record{a}, []int64{1}, []string{"name", "id", "name"}, "[id name] [1 a]"},
		{"an id twice", []Record{a, b}, []int64{1, 1, 2}, []string{"name"}, "[id name] [1 a 1 a 2 b]"},
		{"a missing id", []Record{b}, []int64{9, 2}, []string{"name"}, "[id name] [2 b]"},
		{"nothing found", nil, []int64{9}, []string{"name"}, "[id name] []"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab, ok := rowsAnswer(byIDs(c.recs, c.ids), c.fields).(*Table)
			if !ok {
				t.Fatal("not a Table")
			}
			if got := fmt.Sprint(tab.Names, tab.Values); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	// A record lacking a key: Dicts in the same order, without it.
	rows, ok := rowsAnswer([]Record{a, {"id": int64(3), "zip": "3"}}, []string{"zip", "name"}).([]any)
	if !ok || len(rows) != 2 {
		t.Fatalf("rows = %#v", rows)
	}
	if keys := rows[1].(*Dict).Keys(); !slices.Equal(keys, []string{"id", "zip"}) {
		t.Errorf("keys of the record lacking name: %v", keys)
	}
	if keys := rows[0].(*Dict).Keys(); !slices.Equal(keys, []string{"id", "zip", "name"}) {
		t.Errorf("keys of the full record: %v", keys)
	}
}
