package mail

import (
	"context"
	"reflect"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestTrackedPair: a change is stored in the columns of
// mail.tracking.value Odoo uses for the field's type.
func TestTrackedPair(t *testing.T) {
	state := &models.Field{Type: models.Selection, Selection: [][2]string{{"draft", "Quotation"}, {"sale", "Sales Order"}}}
	for _, tc := range []struct {
		name     string
		f        *models.Field
		old, now any
		want     map[string]any
	}{
		{"char", &models.Field{Type: models.Char}, "a@x", "b@x", map[string]any{"old_value_char": "a@x", "new_value_char": "b@x"}},
		{"monetary", &models.Field{Type: models.Monetary}, 38.0, 32.5, map[string]any{"old_value_float": 38.0, "new_value_float": 32.5}},
		{"date", &models.Field{Type: models.Date}, false, "2026-12-07",
			map[string]any{"old_value_datetime": false, "new_value_datetime": "2026-12-07 00:00:00"}},
		{"boolean", &models.Field{Type: models.Boolean}, false, true, map[string]any{"old_value_integer": int64(0), "new_value_integer": int64(1)}},
		{"selection", state, "draft", "sale", map[string]any{"old_value_char": "Quotation", "new_value_char": "Sales Order"}},
		{"selection value gone", state, "done", false, map[string]any{"old_value_char": "done", "new_value_char": ""}},
		{"many2one", &models.Field{Type: models.Many2one}, false, []any{int64(7), "Mitchell Admin"},
			map[string]any{"old_value_integer": int64(0), "new_value_integer": int64(7), "old_value_char": "", "new_value_char": "Mitchell Admin"}},
		{"html is not tracked", &models.Field{Type: models.HTML}, "<p>a</p>", "<p>b</p>", nil},
	} {
		if got := trackedPair(tc.f, tc.old, tc.now); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %#v, want %#v", tc.name, got, tc.want)
		}
	}
}

// TestDependsOn: a computed tracked field is read before a write of a
// field it depends on, directly, through a related or computed field, or
// when its compute names nothing (it may depend on anything); not before
// a write of another field.
func TestDependsOn(t *testing.T) {
	compute := func(context.Context, *models.Env, []models.Record) error { return nil }
	m := &models.Model{Fields: map[string]*models.Field{
		"street":  {Name: "street"},
		"address": {Name: "address", Compute: compute, Depends: []string{"street", "country_id.name"}},
		"inline":  {Name: "inline", Compute: compute, Depends: []string{"address"}},
		"any":     {Name: "any", Compute: compute},
		"loop":    {Name: "loop", Compute: compute, Depends: []string{"loop"}},
	}}
	for _, c := range []struct {
		field string
		names []string
		want  bool
	}{
		{"address", []string{"street"}, true},
		{"address", []string{"country_id"}, true},
		{"address", []string{"website"}, false},
		{"inline", []string{"street"}, true},
		{"inline", []string{"website"}, false},
		{"any", []string{"website"}, true},
		{"loop", []string{"website"}, false},
	} {
		if got := dependsOn(m, m.Fields[c.field], c.names, map[string]bool{}); got != c.want {
			t.Errorf("%s depends on %v: %v, want %v", c.field, c.names, got, c.want)
		}
	}
}
