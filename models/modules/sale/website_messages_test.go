package sale_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestWebsiteMessages checks, on both stores, that an order's
// website_message_ids are the messages of the order its field's domain
// keeps, as Odoo's portal declares it: comments (notes too), e-mails and
// automatic comments of the order, not its notifications (the log of a
// confirmation), nor the messages of a record of another model with the
// same id.
func TestWebsiteMessages(t *testing.T) {
	storetest.EachInstalled(t, installed, func(t *testing.T, s models.Store, db *bun.DB, r *models.Registry, inTx storetest.InTx) {
		ctx := context.Background()
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			partner, _, product, err := buyerAndThing(ctx, env)
			if err != nil {
				return err
			}
			orders, messages := r.Model("sale.order"), r.Model("mail.message")
			order, err := env.Create(ctx, orders, map[string]any{"partner_id": partner,
				"order_line": []any{[]any{int64(0), int64(0), map[string]any{"product_id": product}}}})
			if err != nil {
				return err
			}
			before, err := env.Search(ctx, messages, []any{}, models.SearchOptions{})
			if err != nil {
				return err
			}
			var want []int64
			for _, c := range []struct {
				model, kind string
				shown       bool
			}{
				{"sale.order", "comment", true},
				{"sale.order", "email", true},
				{"sale.order", "email_outgoing", true},
				{"sale.order", "auto_comment", true},
				{"sale.order", "notification", false},
				{"sale.order", "user_notification", false},
				{"res.partner", "comment", false},
			} {
				id, err := env.Create(ctx, messages, map[string]any{"model": c.model, "res_id": order, "message_type": c.kind,
					"body": "<p>" + c.kind + "</p>"})
				if err != nil {
					return err
				}
				if c.shown {
					want = append(want, id)
				}
			}
			recs, err := env.Read(ctx, orders, []int64{order}, []string{"website_message_ids", "message_ids"}, false)
			if err != nil {
				return err
			}
			got := recs[0]["website_message_ids"]
			var ids []int64
			switch l := got.(type) {
			case []int64:
				ids = l
			case []any:
				for _, v := range l {
					id, _ := models.ToInt64(v)
					ids = append(ids, id)
				}
			}
			var own []int64
			for _, id := range ids {
				if !slices.Contains(before, id) {
					own = append(own, id)
				}
			}
			slices.Sort(own)
			if fmt.Sprint(own) != fmt.Sprint(want) {
				t.Errorf("website_message_ids %v (%v made here), want %v of those made here", got, own, want)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
