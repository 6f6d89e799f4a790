package models_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// refModels: notes on records of any model (res_model, res_id), and two
// models whose note_ids follow them, as a mail thread's messages do.
var refModels = []string{
	`{"model": "x.note", "order": "id desc", "fields": {
		"name": {"type": "char"},
		"res_model": {"type": "char"},
		"res_id": {"type": "many2one_reference", "model_field": "res_model"}
	}}`,
	`{"model": "x.doc", "order": "id", "fields": {
		"name": {"type": "char"},
		"note_ids": {"type": "one2many", "relation": "x.note", "relation_field": "res_id"}
	}}`,
	`{"model": "x.sheet", "order": "id", "fields": {
		"name": {"type": "char"},
		"note_ids": {"type": "one2many", "relation": "x.note", "relation_field": "res_id"}
	}}`,
}

// TestOne2manyOverReference: a one2many whose inverse is a
// many2one_reference reads, searches and writes the lines of its own
// model only, on both stores, although ids of the two models coincide.
func TestOne2manyOverReference(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		r := storetest.Base(t)
		storetest.Declare(t, r, refModels...)
		ctx := context.Background()
		storetest.Migrate(t, s, db)
		if _, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil {
			t.Fatal(err)
		}
		x := &typesFixture{t: t, r: r, db: db, s: s, ctx: ctx}
		doc := x.create("x.doc", map[string]any{"name": "d"})
		sheet := x.create("x.sheet", map[string]any{"name": "s"})
		if doc != sheet {
			t.Fatalf("the test needs equal ids, got %d and %d", doc, sheet)
		}
		n1 := x.create("x.note", map[string]any{"name": "n1", "res_model": "x.doc", "res_id": doc})
		n2 := x.create("x.note", map[string]any{"name": "n2", "res_model": "x.sheet", "res_id": sheet})
		// A line made through the one2many gets the model too.
		x.must("x.doc", "write", []any{[]any{doc}, map[string]any{"note_ids": []any{[]any{int64(0), int64(0), map[string]any{"name": "n3"}}}}}, nil)
		n3 := x.must("x.note", "search", []any{[]any{[]any{"name", "=", "n3"}}}, nil).([]int64)[0]
		for _, c := range []struct {
			model string
			want  []int64
		}{{"x.doc", []int64{n3, n1}}, {"x.sheet", []int64{n2}}} {
			if got := x.read(c.model, doc, "note_ids"); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s note_ids: %v, want %v", c.model, got, c.want)
			}
		}
		if got := x.read("x.note", n3, "res_model"); got != "x.doc" {
			t.Errorf("a line made through the one2many has res_model %v", got)
		}
		got := x.must("x.sheet", "search", []any{[]any{[]any{"note_ids.name", "=", "n1"}}}, nil).([]int64)
		if len(got) != 0 {
			t.Errorf("x.sheet found through a note of x.doc: %v", got)
		}
		got = x.must("x.doc", "search", []any{[]any{[]any{"note_ids.name", "=", "n1"}}}, nil).([]int64)
		if !reflect.DeepEqual(got, []int64{doc}) {
			t.Errorf("x.doc by its note: %v", got)
		}
		// Setting the lines leaves the other model's alone.
		x.must("x.doc", "write", []any{[]any{doc}, map[string]any{"note_ids": []any{[]any{int64(6), int64(0), []any{n1}}}}}, nil)
		if got := x.read("x.sheet", sheet, "note_ids"); !reflect.DeepEqual(got, []int64{n2}) {
			t.Errorf("x.sheet note_ids after x.doc's were set: %v", got)
		}
	})
}
