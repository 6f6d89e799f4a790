package base_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestUserCompanyStaysAllowed checks, on both stores, that a user's company
// is one of their allowed companies: a plain user writing their own
// company_id to a foreign company has it dropped (the write runs past the
// access rights), one of their own companies is taken, and an administrator
// setting a foreign company gets Odoo's ValidationError.
func TestUserCompanyStaysAllowed(t *testing.T) {
	storetest.EachFrom(t, installed, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		r, inTx := baseDB(t, s, db)
		users := r.Model("res.users")
		var plain, main, foreign, second int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			var err error
			if main, err = env.XMLID(ctx, "base.main_company"); err != nil {
				return err
			}
			for name, id := range map[string]*int64{"Foreign Co": &foreign, "Second Co": &second} {
				pid, err := env.Create(ctx, r.Model("res.partner"), map[string]any{"name": name, "is_company": true})
				if err != nil {
					return err
				}
				if *id, err = env.Create(ctx, r.Model("res.company"), map[string]any{"name": name, "partner_id": pid}); err != nil {
					return err
				}
			}
			gid, err := env.XMLID(ctx, "base.group_user")
			if err != nil {
				return err
			}
			plain, err = env.Create(ctx, users, map[string]any{"name": "Plain", "login": "plain", "company_id": main,
				"company_ids": []any{[]any{int64(6), int64(0), []any{main, second}}},
				"groups_id":   []any{[]any{int64(6), int64(0), []any{gid}}}})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		company := func() int64 {
			t.Helper()
			var cid int64
			if err := inTx(models.SuperuserID, func(env *models.Env) error {
				recs, err := env.Read(ctx, users, []int64{plain}, []string{"company_id"}, false)
				if err == nil {
					cid, _ = models.ToInt64(recs[0]["company_id"])
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return cid
		}
		for _, c := range []struct {
			name    string
			company *int64
			want    *int64
		}{
			{"a foreign company", &foreign, &main},
			{"an allowed company", &second, &second},
		} {
			if err := inTx(plain, func(env *models.Env) error {
				_, err := r.Call(ctx, env, "res.users", "write", []any{[]int64{plain}, map[string]any{"company_id": *c.company}}, nil)
				return err
			}); err != nil {
				t.Errorf("plain user sets their company to %s: %v", c.name, err)
			}
			if got := company(); got != *c.want {
				t.Errorf("plain user sets their company to %s: company %d, want %d", c.name, got, *c.want)
			}
		}
		err := inTx(models.SuperuserID, func(env *models.Env) error {
			_, err := r.Call(ctx, env, "res.users", "write", []any{[]int64{plain}, map[string]any{"company_id": foreign}}, nil)
			return err
		})
		const want = "Company Foreign Co is not in the allowed companies for user Plain (My Company, Second Co)."
		if e := models.AsError(err); e == nil || e.Kind != models.KindValidation || e.Message != want {
			t.Errorf("admin sets a foreign company: %v, want %q", err, want)
		}
	})
}
