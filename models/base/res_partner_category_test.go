package base_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestCategoryCopyKeepsNoPartners checks, on both stores, that a copied
// tag is linked to no partner, as Odoo's (partner_ids is copy=False).
func TestCategoryCopyKeepsNoPartners(t *testing.T) {
	eachInstalled(t, func(t *testing.T, ctx context.Context, env *models.Env, r *models.Registry) error {
		m := r.Model("res.partner.category")
		tag, err := env.Create(ctx, m, map[string]any{"name": "Wholesale"})
		if err != nil {
			return err
		}
		if _, err := env.Create(ctx, r.Model("res.partner"), map[string]any{"name": "Buyer", "category_id": []any{[]any{int64(4), tag}}}); err != nil {
			return err
		}
		copied, err := r.Call(ctx, env, "res.partner.category", "copy", []any{[]any{tag}}, nil)
		if err != nil {
			return err
		}
		ids, _ := copied.([]int64)
		if len(ids) != 1 {
			t.Fatalf("copy returned %#v", copied)
		}
		recs, err := env.Read(ctx, m, []int64{tag, ids[0]}, []string{"partner_ids"}, false)
		if err != nil {
			return err
		}
		if n := len(recs[0]["partner_ids"].([]int64)); n != 1 {
			t.Errorf("the original has %d partners, want 1", n)
		}
		if got := recs[1]["partner_ids"]; !reflect.DeepEqual(got, []int64{}) {
			t.Errorf("the copy has partners %v, want none", got)
		}
		return nil
	})
}
