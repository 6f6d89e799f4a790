package models_test

import (
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestCopyMarked checks, on both stores, that only the fields a model
// marks get " (copy)" on a copy, as Odoo's copy_data overrides: a
// partner's name does, a tag's name does not, and a name given in default
// is taken as it is.
func TestCopyMarked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		partner := x.create("res.partner", map[string]any{"name": "Acme"})
		tag := x.create("res.partner.category", map[string]any{"name": "Retail"})
		for _, c := range []struct {
			model string
			id    int64
			def   map[string]any
			want  string
		}{
			{"res.partner", partner, nil, "Acme (copy)"},
			{"res.partner", partner, map[string]any{"name": "Other"}, "Other"},
			{"res.partner.category", tag, nil, "Retail"},
		} {
			args := []any{[]any{c.id}}
			if c.def != nil {
				args = append(args, c.def)
			}
			ids := x.must(c.model, "copy", args, nil).([]int64)
			if got := x.read(c.model, ids[0], "name"); got != c.want {
				t.Errorf("copy of %s %d with %v: name %v, want %q", c.model, c.id, c.def, got, c.want)
			}
		}
	})
}
