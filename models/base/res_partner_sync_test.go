package base_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestPartnerFieldsSync checks, on both stores, Odoo's synchronisation of
// contacts with their company: a new contact takes its company's address
// and commercial fields, an address written on the company goes to its
// contacts of type "contact" (not to an invoice address), one written on a
// contact stays there, and a commercial field goes to every contact.
func TestPartnerFieldsSync(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		p := r.Model("res.partner")
		err := inTx(models.SuperuserID, func(env *models.Env) error {
			co, err := env.Create(ctx, p, map[string]any{"name": "Co", "is_company": true, "street": "Old 1", "city": "Köln", "vat": "DE1"})
			if err != nil {
				return err
			}
			ct, err := env.Create(ctx, p, map[string]any{"name": "Ct", "parent_id": co})
			if err != nil {
				return err
			}
			inv, err := env.Create(ctx, p, map[string]any{"name": "Inv", "parent_id": co, "type": "invoice", "city": "Bonn"})
			if err != nil {
				return err
			}
			check := func(step string, want map[int64][3]any) {
				t.Helper()
				for id, w := range want {
					recs, err := env.Read(ctx, p, []int64{id}, []string{"street", "city", "vat"}, false)
					if err != nil {
						t.Fatal(err)
					}
					if got := [3]any{recs[0]["street"], recs[0]["city"], recs[0]["vat"]}; got != w {
						t.Errorf("%s: partner %d has %v, want %v", step, id, got, w)
					}
				}
			}
			check("created", map[int64][3]any{ct: {"Old 1", "Köln", "DE1"}, inv: {false, "Bonn", "DE1"}})
			if err := env.Write(ctx, p, []int64{co}, map[string]any{"street": "New 9", "city": "Bonn-Nord"}); err != nil {
				return err
			}
			check("company's address written", map[int64][3]any{co: {"New 9", "Bonn-Nord", "DE1"}, ct: {"New 9", "Bonn-Nord", "DE1"}, inv: {false, "Bonn", "DE1"}})
			if err := env.Write(ctx, p, []int64{ct}, map[string]any{"street": "Own 2"}); err != nil {
				return err
			}
			check("contact's address written", map[int64][3]any{co: {"New 9", "Bonn-Nord", "DE1"}, ct: {"Own 2", "Bonn-Nord", "DE1"}})
			if err := env.Write(ctx, p, []int64{co}, map[string]any{"vat": "DE2"}); err != nil {
				return err
			}
			check("company's vat written", map[int64][3]any{co: {"New 9", "Bonn-Nord", "DE2"}, ct: {"Own 2", "Bonn-Nord", "DE2"}, inv: {false, "Bonn", "DE2"}})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
