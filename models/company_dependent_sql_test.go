package models_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/storetest"
)

// TestCompanyDependentFallbackText checks, on both stores, that the
// fallback of res.partner's barcode, a global ir.default, is read,
// searched and ordered as the text it is whatever it holds: bun reads
// every ?, ?0 or ?1 of a query as a placeholder, even inside a quoted
// literal, and a quote or a backslash must not end the literal.
func TestCompanyDependentFallbackText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		reg, inTx := storetest.Modules(t, s, db)
		partners, defaults := reg.Model("res.partner"), reg.Model("ir.default")
		var own, none, field int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			var err error
			if own, err = env.Create(ctx, partners, map[string]any{"name": "Fallback own", "company_id": false, "barcode": "M"}); err != nil {
				return err
			}
			if none, err = env.Create(ctx, partners, map[string]any{"name": "Fallback none", "company_id": false}); err != nil {
				return err
			}
			_, err = env.Scalar(ctx, &field, "SELECT id FROM ir_model_fields WHERE model = 'res.partner' AND name = 'barcode'")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"a?b", "?", "?0 ?1", "x' OR '1'='1", `back\slash\`, `'?'`, "Zz"} {
			b, _ := json.Marshal(v)
			var def int64
			if err := inTx(models.SuperuserID, func(env *models.Env) error {
				var err error
				def, err = env.Create(ctx, defaults, map[string]any{"field_id": field, "json_value": string(b)})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if err := inTx(models.SuperuserID, func(env *models.Env) error {
				recs, err := env.Read(ctx, partners, []int64{none}, []string{"barcode"}, true)
				if err != nil {
					t.Fatalf("read with the default %q: %v", v, err)
				}
				if got := recs[0]["barcode"]; got != v {
					t.Errorf("with the default %q the barcode reads %v", v, got)
				}
				ids, err := env.Search(ctx, partners, []any{[]any{"id", "in", []any{own, none}}, []any{"barcode", "=", v}}, models.SearchOptions{})
				if err != nil {
					t.Fatalf("search with the default %q: %v", v, err)
				}
				if !slices.Equal(ids, []int64{none}) {
					t.Errorf("barcode = %q finds %v, want [%d]", v, ids, none)
				}
				ids, err = env.Search(ctx, partners, []any{[]any{"id", "in", []any{own, none}}}, models.SearchOptions{Order: "barcode desc"})
				if err != nil {
					t.Fatalf("order with the default %q: %v", v, err)
				}
				want := []int64{own, none}
				if v > "M" {
					want = []int64{none, own}
				}
				if !slices.Equal(ids, want) {
					t.Errorf("with the default %q the order by barcode desc is %v, want %v", v, ids, want)
				}
				return env.Unlink(ctx, defaults, []int64{def})
			}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestCompanyDependentFallbackWritten checks, on both stores, that a
// transaction that read res.partner's barcode reads the ir.default it
// then creates, changes or deletes: the fallbacks it keeps are dropped.
func TestCompanyDependentFallbackWritten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		reg, inTx := storetest.Modules(t, s, db)
		partners, defaults := reg.Model("res.partner"), reg.Model("ir.default")
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			id, err := env.Create(ctx, partners, map[string]any{"name": "Fallback written", "company_id": false})
			if err != nil {
				return err
			}
			var field int64
			if _, err := env.Scalar(ctx, &field, "SELECT id FROM ir_model_fields WHERE model = 'res.partner' AND name = 'barcode'"); err != nil {
				return err
			}
			read := func(step string, want any) {
				t.Helper()
				recs, err := env.Read(ctx, partners, []int64{id}, []string{"barcode"}, true)
				if err != nil {
					t.Fatalf("read %s: %v", step, err)
				}
				if got := recs[0]["barcode"]; got != want {
					t.Errorf("%s the barcode reads %v, want %v", step, got, want)
				}
			}
			read("without a default", false)
			def, err := env.Create(ctx, defaults, map[string]any{"field_id": field, "json_value": `"NEW"`})
			if err != nil {
				return err
			}
			read("after the default's creation", "NEW")
			if err := env.Write(ctx, defaults, []int64{def}, map[string]any{"json_value": `"CHANGED"`}); err != nil {
				return err
			}
			read("after the default's change", "CHANGED")
			if err := env.Unlink(ctx, defaults, []int64{def}); err != nil {
				return err
			}
			read("after the default's deletion", false)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestCompanyDependentFallbackType checks, on both stores, that an
// ir.default of the wrong type for a company-dependent field (false or
// text for a many2one, text for a float, a number for a boolean) is read
// as no value, as Odoo reads it, instead of failing every read and
// search of the field.
func TestCompanyDependentFallbackType(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		storetest.Modules(t, s, db)
		ctx := context.Background()
		reg := storetest.Base(t)
		storetest.Declare(t, reg, perCompanyModels(true)...)
		if _, err := models.EnsureSchema(ctx, db, s.Dialect(), reg); err != nil {
			t.Fatal(err)
		}
		if err := db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
			env := models.NewEnv(tx, s.Dialect(), reg, s.Classify, models.SuperuserID, time.Now())
			if err := base.SyncModels(ctx, env); err != nil {
				return err
			}
			owners := reg.Model("x.cd.owner")
			id, err := env.Create(ctx, owners, map[string]any{"name": "Typed"})
			if err != nil {
				return err
			}
			for _, c := range []struct{ field, value string }{
				{"target_id", "false"}, {"target_id", `"1?"`}, {"price", `"abc'?"`}, {"flag", "3"},
			} {
				var field int64
				if _, err := env.Scalar(ctx, &field, "SELECT id FROM ir_model_fields WHERE model = 'x.cd.owner' AND name = ?", c.field); err != nil {
					return err
				}
				def, err := env.Create(ctx, reg.Model("ir.default"), map[string]any{"field_id": field, "json_value": c.value})
				if err != nil {
					return err
				}
				recs, err := env.Read(ctx, owners, []int64{id}, []string{"price", "target_id", "flag"}, false)
				if err != nil {
					t.Errorf("read with the default %s of %s: %v", c.value, c.field, err)
				} else if got := fmt.Sprint(recs[0]["price"], recs[0]["target_id"], recs[0]["flag"]); got != "0 false false" {
					t.Errorf("with the default %s of %s the record reads %s, want 0 false false", c.value, c.field, got)
				}
				ids, err := env.Search(ctx, owners, []any{[]any{c.field, "=", false}}, models.SearchOptions{Order: c.field})
				if err != nil {
					t.Errorf("search with the default %s of %s: %v", c.value, c.field, err)
				} else if c.field != "price" && !slices.Equal(ids, []int64{id}) {
					t.Errorf("%s = False with the default %s finds %v, want [%d]", c.field, c.value, ids, id)
				}
				if err := env.Unlink(ctx, reg.Model("ir.default"), []int64{def}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
