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
			// New partners take the user's language, which must be active.
			if _, err := env.Create(ctx, r.Model("res.lang"), map[string]any{"name": "English (US)", "code": "en_US", "iso_code": "en", "url_code": "en", "active": true}); err != nil {
				return err
			}
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

// TestPartnerSyncObeysRules checks that a user who may create partners
// but cannot read a partner of another company gets no copy of its
// address or VAT by naming it as the parent of a new contact: the
// synchronisation reads the parent as the caller, and Odoo's AccessError
// refuses the call.
func TestPartnerSyncObeysRules(t *testing.T) {
	storetest.EachFrom(t, installed, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		p := r.Model("res.partner")
		var hidden, uid int64
		err := inTx(models.SuperuserID, func(env *models.Env) error {
			cp, err := env.Create(ctx, p, map[string]any{"name": "Other Co", "is_company": true})
			if err != nil {
				return err
			}
			other, err := env.Create(ctx, r.Model("res.company"), map[string]any{"name": "Other Co", "partner_id": cp})
			if err != nil {
				return err
			}
			if hidden, err = env.Create(ctx, p, map[string]any{"name": "Hidden", "is_company": true, "company_id": other, "partner_share": true, "street": "Secret 1", "vat": "XX9"}); err != nil {
				return err
			}
			var gids []any
			for _, x := range []string{"base.group_user", "base.group_partner_manager"} {
				gid, err := env.XMLID(ctx, x)
				if err != nil {
					return err
				}
				gids = append(gids, gid)
			}
			uid, err = env.Create(ctx, r.Model("res.users"), map[string]any{"name": "Clerk", "login": "clerk",
				"company_id": int64(1), "company_ids": []any{[]any{int64(6), int64(0), []any{int64(1)}}},
				"groups_id": []any{[]any{int64(6), int64(0), gids}}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = inTx(uid, func(env *models.Env) error {
			if _, err := env.Read(ctx, p, []int64{hidden}, []string{"name"}, false); models.KindOf(err) != models.KindAccess {
				t.Fatalf("the clerk reads the other company's partner: %v", err)
			}
			spy, err := env.Create(ctx, p, map[string]any{"name": "Spy", "parent_id": hidden})
			if err == nil {
				recs, _ := env.Read(ctx, p, []int64{spy}, []string{"street", "vat"}, false)
				t.Errorf("a contact of a partner the clerk cannot read was created with %v", recs)
			} else if models.KindOf(err) != models.KindAccess {
				t.Errorf("got %v, want an AccessError", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
