package account_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestPartnerAccountsDefault checks, on both stores, that a new partner's
// receivable account is its company's ir.default, read and not stored,
// as in Odoo 18 (the field has no default of its own): default_get gives
// the chart's account, the created partner's column holds no company's
// entry, and a partner made for a company without a chart reads the
// ir.default that company is given afterwards.
func TestPartnerAccountsDefault(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		reg, inTx := storetest.Modules(t, s, db, "account")
		partners := reg.Model("res.partner")
		const field = "property_account_receivable_id"
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			receivable, err := env.XMLID(ctx, "account.1_receivable")
			if err != nil || receivable == 0 {
				t.Fatalf("the main company's receivable account: %d %v", receivable, err)
			}
			d, err := reg.Call(ctx, env, "res.partner", "default_get", []any{[]any{field}}, nil)
			if err != nil {
				return err
			}
			if v, _ := d.(*models.Dict).Get(field); v != receivable {
				t.Errorf("default_get gives %v, want %d", v, receivable)
			}
			other, err := env.Create(ctx, reg.Model("res.company"), map[string]any{"name": "Without a chart"})
			if err != nil {
				return err
			}
			in := env.WithContext(map[string]any{"allowed_company_ids": []any{other}})
			p, err := in.Create(ctx, partners, map[string]any{"name": "Made before the chart"})
			if err != nil {
				return err
			}
			mine, err := env.Create(ctx, partners, map[string]any{"name": "Of the main company"})
			if err != nil {
				return err
			}
			for _, id := range []int64{mine, p} {
				var raw *string
				if _, err := env.Scalar(ctx, &raw, "SELECT "+field+" FROM res_partner WHERE id = ?", id); err != nil {
					return err
				}
				if raw != nil {
					t.Errorf("the new partner %d's column holds %s, want nothing", id, *raw)
				}
			}
			var fid int64
			if _, err := env.Scalar(ctx, &fid, "SELECT id FROM ir_model_fields WHERE model = 'res.partner' AND name = ?", field); err != nil {
				return err
			}
			if _, err := env.Create(ctx, reg.Model("ir.default"), map[string]any{"field_id": fid, "company_id": other,
				"json_value": "1"}); err != nil {
				return err
			}
			recs, err := in.Read(ctx, partners, []int64{p}, []string{field}, false)
			if err != nil {
				return err
			}
			if got := recs[0][field]; got != int64(1) {
				t.Errorf("after the company's ir.default the partner reads %v, want 1", got)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
