package base_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestCompanyMakesItsPartner checks, on both stores, that a company
// created without a partner gets one made from its values, as Odoo's
// create makes it, and that one created with a partner keeps it.
func TestCompanyMakesItsPartner(t *testing.T) {
	storetest.EachFrom(t, installed, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			companies, partners := r.Model("res.company"), r.Model("res.partner")
			id, err := env.Create(ctx, companies, map[string]any{"name": "New Co", "email": "new@co.example", "phone": false})
			if err != nil {
				return err
			}
			recs, err := env.Read(ctx, companies, []int64{id}, []string{"partner_id"}, false)
			if err != nil {
				return err
			}
			pid, _ := models.ToInt64(recs[0]["partner_id"])
			p, err := env.Read(ctx, partners, []int64{pid}, []string{"name", "is_company", "email", "phone"}, false)
			if err != nil {
				return err
			}
			if got := p[0]; got["name"] != "New Co" || got["is_company"] != true || got["email"] != "new@co.example" || got["phone"] != false {
				t.Errorf("the new company's partner: %v", got)
			}
			own, err := env.Create(ctx, partners, map[string]any{"name": "Own", "is_company": true})
			if err != nil {
				return err
			}
			before, err := env.SearchCount(ctx, partners, []any{}, 0)
			if err != nil {
				return err
			}
			id, err = env.Create(ctx, companies, map[string]any{"name": "Second Co", "partner_id": own})
			if err != nil {
				return err
			}
			after, err := env.SearchCount(ctx, partners, []any{}, 0)
			if err != nil {
				return err
			}
			recs, err = env.Read(ctx, companies, []int64{id}, []string{"partner_id"}, false)
			if err != nil {
				return err
			}
			if got, _ := models.ToInt64(recs[0]["partner_id"]); got != own || after != before {
				t.Errorf("a company given a partner: partner %v, %d partners made", recs[0]["partner_id"], after-before)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
