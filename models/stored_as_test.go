package models_test

import (
	"context"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestStoredAs: a computed field without a column that the model says is
// its stored field (Hooks.StoredAs, as account.account's code is its
// code_store) is ordered and searched by that field, the model's own
// order included; a computed field the model names no stored field for
// is still refused in an order.
func TestStoredAs(t *testing.T) {
	reg := storetest.Base(t)
	d, err := models.ParseDeclaration([]byte(`{"model": "x.coded", "order": "code, id", "fields": {
		"code_store": {"type": "char", "string": "Stored code"},
		"code": {"type": "char", "string": "Code", "compute": "_compute_code", "depends": ["code_store"]},
		"label": {"type": "char", "string": "Label", "compute": "_compute_code", "depends": ["code_store"]}
	}}`))
	if err != nil {
		t.Fatal(err)
	}
	noop := func(context.Context, *models.Env, []models.Record) error { return nil }
	b := &models.Behaviour{Hooks: models.Hooks{StoredAs: map[string]string{"code": "code_store"}},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{"_compute_code": noop}}
	if err := reg.Declare(d, b); err != nil {
		t.Fatal(err)
	}
	if err := reg.Check(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ spec, want string }{
		{"", "t0.code_store ASC, t0.id ASC"},
		{"code desc", "t0.code_store DESC, t0.id ASC"},
	} {
		if got, err := models.ParseOrder(reg, "x.coded", tc.spec); err != nil || got != tc.want {
			t.Errorf("order %q: %q, %v; want %q", tc.spec, got, err, tc.want)
		}
	}
	if _, err := models.ParseOrder(reg, "x.coded", "label"); err == nil {
		t.Errorf("a computed field without a stored one was ordered by")
	}
	where, args, err := models.CompileDomain(reg, "pg", "x.coded", []any{[]any{"code", "=", "121000"}})
	if err != nil || where != "t0.code_store = ?" || len(args) != 1 || args[0] != "121000" {
		t.Errorf("domain on code: %q %v %v", where, args, err)
	}
}
