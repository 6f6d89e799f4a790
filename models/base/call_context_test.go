package base_test

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/storetest"
)

// TestStatementsRunInCallContext checks that the defaults, computes and
// hooks of the base models read the database in the call's context, so
// that a cancelled call (a client gone, a timeout) stops them too, rather
// than in one of their own.
func TestStatementsRunInCallContext(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		r, inTx := baseDB(t, s, db)
		r.HashPassword = func(clear string, rounds int) (string, error) { return "hashed:" + clear, nil }
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			return base.Install(context.Background(), env, base.Options{})
		}); err != nil {
			t.Fatal(err)
		}
		ctx := storetest.CallContext(context.Background())
		for _, c := range []struct {
			name string
			run  func(env *models.Env) error
		}{
			{"res.users create: defaults and the password's hash", func(env *models.Env) error {
				_, err := env.Create(ctx, r.Model("res.users"), map[string]any{"name": "U", "login": "u", "password": "secret-1"})
				return err
			}},
			{"res.users default_get", func(env *models.Env) error {
				_, err := r.Call(ctx, env, "res.users", "default_get", []any{[]any{"groups_id", "company_ids"}}, nil)
				return err
			}},
			{"ir.attachment create and read of its content", func(env *models.Env) error {
				att := r.Model("ir.attachment")
				id, err := env.Create(ctx, att, map[string]any{"name": "a.txt", "datas": base64.StdEncoding.EncodeToString([]byte("x"))})
				if err != nil {
					return err
				}
				_, err = env.Read(ctx, att, []int64{id}, []string{"datas", "raw", "company_id"}, false)
				return err
			}},
			{"res.partner computes", func(env *models.Env) error {
				_, err := r.Call(ctx, env, "res.partner", "search_read", []any{[]any{}, []any{"contact_address", "active_lang_count"}}, map[string]any{"limit": int64(2)})
				return err
			}},
			{"ir.module.module.dependency computes", func(env *models.Env) error {
				_, err := r.Call(ctx, env, "ir.module.module.dependency", "search_read", []any{[]any{}, []any{"depend_id", "state"}}, map[string]any{"limit": int64(2)})
				return err
			}},
		} {
			t.Run(c.name, func(t *testing.T) { storetest.CheckCallContext(t, inTx, c.run) })
		}
	})
}
