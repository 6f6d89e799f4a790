package mail

import (
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
