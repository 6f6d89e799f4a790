package models_test

import (
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestArchiveMethods checks toggle_active, action_archive and
// action_unarchive on both stores: each turns only the records it is for,
// returns None, and a model without an active flag refuses them as Odoo's
// assertion does.
func TestArchiveMethods(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		a := x.create("res.partner", map[string]any{"name": "A"})
		b := x.create("res.partner", map[string]any{"name": "B", "active": false})
		c := x.create("res.partner", map[string]any{"name": "C"})
		for _, step := range []struct {
			method string
			ids    []any
			want   map[int64]bool
		}{
			{"action_archive", []any{a, b}, map[int64]bool{a: false, b: false, c: true}},
			{"action_unarchive", []any{a, b}, map[int64]bool{a: true, b: true, c: true}},
			{"action_unarchive", []any{a}, map[int64]bool{a: true, b: true, c: true}},
			{"toggle_active", []any{a, c}, map[int64]bool{a: false, b: true, c: false}},
			{"toggle_active", []any{a, b}, map[int64]bool{a: true, b: false, c: false}},
		} {
			if got := x.must("res.partner", step.method, []any{step.ids}, nil); got != nil {
				t.Errorf("%s%v returned %v, want None", step.method, step.ids, got)
			}
			for id, want := range step.want {
				if got := x.read("res.partner", id, "active"); got != want {
					t.Errorf("after %s%v: active of %d is %v, want %v", step.method, step.ids, id, got, want)
				}
			}
		}
		cur := x.create("x.currency", map[string]any{"name": "CHF"})
		_, err := x.call("x.currency", "action_archive", []any{[]any{cur}}, nil)
		if e, ok := err.(*models.Error); !ok || e.Name != "builtins.AssertionError" || e.Message != "No 'active' field on model x.currency" {
			t.Errorf("action_archive without an active field: %#v", err)
		}
	})
}
