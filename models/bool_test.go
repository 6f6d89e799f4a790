package models_test

import (
	"testing"
	"time"

	"github.com/godoo/godoo/models"
)

// TestBool checks the conversion of boolean field values: Python's truth,
// except for the texts a driver may hold a boolean in.
func TestBool(t *testing.T) {
	cases := []struct {
		v    any
		want bool
	}{
		{nil, false}, {false, false}, {true, true}, {int64(0), false}, {int64(1), true},
		{"", false}, {"0", false}, {"f", false}, {"false", false}, {"t", true}, {"x", true},
		{[]any{}, false}, {[]any{int64(1)}, true},
	}
	for _, c := range cases {
		if got := models.Bool(c.v); got != c.want {
			t.Errorf("Bool(%#v) = %v, want %v", c.v, got, c.want)
		}
	}
}

// TestActiveTest checks that active_test is read with Python's truth, as
// Odoo reads the context: only a falsy value shows archived records.
func TestActiveTest(t *testing.T) {
	cases := []struct {
		name string
		ctx  map[string]any
		want bool
	}{
		{"absent", nil, true},
		{"false", map[string]any{"active_test": false}, false},
		{"None", map[string]any{"active_test": nil}, false},
		{"zero", map[string]any{"active_test": int64(0)}, false},
		{"true", map[string]any{"active_test": true}, true},
		{"the text false", map[string]any{"active_test": "false"}, true},
	}
	for _, c := range cases {
		env := models.NewEnv(nil, "sqlite", models.NewRegistry(), nil, 2, time.Time{}).WithContext(c.ctx)
		if got := env.ActiveTest(); got != c.want {
			t.Errorf("%s: ActiveTest() = %v, want %v", c.name, got, c.want)
		}
	}
}
