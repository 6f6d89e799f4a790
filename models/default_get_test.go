package models_test

import (
	"encoding/json"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestDefaultGet checks, on both stores, that default_get answers in the
// order the fields were asked (Odoo's dict), with the context's default_*
// before a field's own default and the context's language and time zone
// for a partner's, and that create takes the context's default_* values
// for the fields it is not given.
func TestDefaultGet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		for _, c := range []struct {
			fields  []any
			context map[string]any
			want    string
		}{
			{[]any{"tz", "color", "nope", "lang", "type", "active"}, nil,
				`{"tz":false,"color":0,"lang":"en_US","type":"contact","active":true}`},
			{[]any{"type", "lang", "tz"}, map[string]any{"tz": "Europe/Berlin", "lang": "en_US", "default_type": "invoice"},
				`{"type":"invoice","lang":"en_US","tz":"Europe/Berlin"}`},
		} {
			kw := map[string]any{}
			if c.context != nil {
				kw["context"] = c.context
			}
			got, err := json.Marshal(x.must("res.partner", "default_get", []any{c.fields}, kw))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("default_get%v with %v = %s, want %s", c.fields, c.context, got, c.want)
			}
		}
		id := x.must("res.partner.category", "create", []any{map[string]any{"name": "Tag"}},
			map[string]any{"context": map[string]any{"default_color": int64(7)}}).(int64)
		if got := x.read("res.partner.category", id, "color"); got != int64(7) {
			t.Errorf("color of a tag created with default_color 7: %v", got)
		}
	})
}
