package models_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestSelectionRecords checks a selection whose values are records of
// another model (languages): fields_get lists the active ones by label,
// write accepts only those, and a language activated later is a value at
// once, on both stores.
func TestSelectionRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		x := newTypesFixture(t, s, db)
		storetest.Declare(t, x.r, `{"model": "x.pref", "fields": {
			"lang": {"type": "selection", "selection_records": {"model": "res.lang", "value": "code", "label": "name"}}
		}}`)
		if _, err := models.EnsureSchema(x.ctx, db, s.Dialect(), x.r); err != nil {
			t.Fatal(err)
		}
		lang := func(code, name string, active bool) int64 {
			return x.create("res.lang", map[string]any{"code": code, "name": name, "iso_code": code, "url_code": code, "active": active})
		}
		lang("zz_ZZ", "Zzz Test", true)
		lang("aa_AA", "Aaa Test", true)
		idle := lang("ii_II", "Iii Test", false)
		ours := func() []any {
			t.Helper()
			desc := x.must("x.pref", "fields_get", []any{[]any{"lang"}}, nil).(*models.Dict)
			f, _ := desc.Get("lang")
			d := f.(*models.Dict)
			if keys := d.Keys(); !sortedStrings(keys) {
				t.Errorf("attributes out of order: %v", keys)
			}
			sel, _ := d.Get("selection")
			var out []any
			for _, o := range sel.([]any) {
				if code := o.([]any)[0].(string); strings.HasSuffix(code, "_II") || strings.HasSuffix(code, "_AA") || strings.HasSuffix(code, "_ZZ") {
					out = append(out, o)
				}
			}
			return out
		}
		want := []any{[]any{"aa_AA", "Aaa Test"}, []any{"zz_ZZ", "Zzz Test"}}
		if got := ours(); !reflect.DeepEqual(got, want) {
			t.Errorf("selection = %v, want %v", got, want)
		}
		typed := x.must("x.pref", "fields_get", []any{[]any{"lang"}, []any{"type"}}, nil).(*models.Dict)
		if f, _ := typed.Get("lang"); !reflect.DeepEqual(f.(*models.Dict).Keys(), []string{"type"}) {
			t.Errorf("fields_get of the type alone: %v", f.(*models.Dict).Keys())
		}

		id := x.create("x.pref", map[string]any{"lang": "zz_ZZ"})
		for _, c := range []struct {
			value any
			err   string
		}{
			{"aa_AA", ""},
			{false, ""},
			{"ii_II", "Wrong value for x.pref.lang: 'ii_II'"},
			{"xx_XX", "Wrong value for x.pref.lang: 'xx_XX'"},
		} {
			_, err := x.call("x.pref", "write", []any{[]any{id}, map[string]any{"lang": c.value}}, nil)
			if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
				t.Errorf("write %v: %v, want %q", c.value, err, c.err)
			}
			if c.err == "" {
				if got := x.read("x.pref", id, "lang"); got != c.value {
					t.Errorf("write %v reads %v", c.value, got)
				}
			}
		}
		if _, err := x.call("x.pref", "create", []any{map[string]any{"lang": "ii_II"}}, nil); err == nil {
			t.Error("create with an inactive language accepted")
		}

		x.must("res.lang", "write", []any{[]any{idle}, map[string]any{"active": true}}, nil)
		want = []any{[]any{"aa_AA", "Aaa Test"}, []any{"ii_II", "Iii Test"}, []any{"zz_ZZ", "Zzz Test"}}
		if got := ours(); !reflect.DeepEqual(got, want) {
			t.Errorf("selection after activating = %v, want %v", got, want)
		}
		x.must("x.pref", "write", []any{[]any{id}, map[string]any{"lang": "ii_II"}}, nil)
	})
}

func sortedStrings(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] > s[i] {
			return false
		}
	}
	return true
}
