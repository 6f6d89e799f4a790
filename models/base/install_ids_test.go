package base_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/storetest"
)

// TestInstallFirstRecords checks, on both stores, the records a new
// database has as Odoo's base_data.sql makes them: the US dollar is
// currency 1 (web clients key currencies by id) and the main company's
// sequence is 0.
func TestInstallFirstRecords(t *testing.T) {
	eachInstalled(t, func(t *testing.T, ctx context.Context, env *models.Env, _ *models.Registry) error {
		for _, c := range []struct {
			name, query string
			want        int64
		}{
			{"USD", "SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'USD'", 1},
			{"company sequence", "SELECT sequence FROM res_company WHERE id = (SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'main_company')", 0},
		} {
			var got int64
			if _, err := env.Scalar(ctx, &got, c.query); err != nil {
				return err
			}
			if got != c.want {
				t.Errorf("%s: got %d, want %d", c.name, got, c.want)
			}
		}
		return nil
	})
}

// installed is a database with base installed, which eachInstalled's
// tests copy (storetest.Template).
var installed = &storetest.Template{Prepare: func(tb testing.TB, s models.Store, db *bun.DB) {
	tb.Helper()
	_, inTx := baseDB(tb, s, db)
	if err := inTx(models.SuperuserID, func(env *models.Env) error {
		return base.Install(context.Background(), env, base.Options{})
	}); err != nil {
		tb.Fatal(err)
	}
}}

// eachInstalled runs fn on both stores, on a new database with base
// installed (a copy of installed), in one transaction as the superuser; an
// error fails the test.
func eachInstalled(t *testing.T, fn func(t *testing.T, ctx context.Context, env *models.Env, r *models.Registry) error) {
	storetest.EachFrom(t, installed, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		if err := inTx(models.SuperuserID, func(env *models.Env) error { return fn(t, ctx, env, r) }); err != nil {
			t.Fatal(err)
		}
	})
}
