package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestCompanyDependentRelatedOrder checks, on both stores, an order by
// res.users' barcode, related to its partner's company-dependent one:
// each company sorts by its own values, not by the column's JSON, and
// the order of one company is not kept for the calls of another.
func TestCompanyDependentRelatedOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		reg, inTx := storetest.Modules(t, s, db)
		users, partners := reg.Model("res.users"), reg.Model("res.partner")
		var main, other int64
		var ids [2]int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			if _, err := env.Scalar(ctx, &main, "SELECT MIN(id) FROM res_company"); err != nil {
				return err
			}
			var err error
			if other, err = env.Create(ctx, reg.Model("res.company"), map[string]any{"name": "Order Second Company"}); err != nil {
				return err
			}
			// The main company sorts u0 first, the second u1; the
			// column's JSON, starting with the main company's entry,
			// sorts u0 first for both.
			codes := [2][2]string{{"A", "Z"}, {"B", "Y"}}
			for i := range ids {
				if ids[i], err = storetest.InternalUser(ctx, env, fmt.Sprintf("order_company_user_%d", i)); err != nil {
					return err
				}
				var partner int64
				if _, err := env.Scalar(ctx, &partner, "SELECT partner_id FROM res_users WHERE id = ?", ids[i]); err != nil {
					return err
				}
				for j, c := range []int64{main, other} {
					if err := env.WithContext(map[string]any{"allowed_company_ids": []any{c}}).Write(ctx, partners, []int64{partner},
						map[string]any{"barcode": codes[i][j]}); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			company int64
			want    []int64
		}{{main, []int64{ids[0], ids[1]}}, {other, []int64{ids[1], ids[0]}}, {main, []int64{ids[0], ids[1]}}} {
			if err := inTx(models.SuperuserID, func(env *models.Env) error {
				env = env.WithContext(map[string]any{"allowed_company_ids": []any{c.company}})
				got, err := env.Search(ctx, users, []any{[]any{"id", "in", []any{ids[0], ids[1]}}}, models.SearchOptions{Order: "barcode"})
				if err != nil {
					return err
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("company %d orders the users by barcode as %v, want %v", c.company, got, c.want)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
