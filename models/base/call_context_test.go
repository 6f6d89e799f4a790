package base_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/storetest"
)

// callKey marks the context of a call in TestStatementsRunInCallContext.
type callKey struct{}

// callContextIDB records the statements run in a context that is not the
// call's (one without callKey), such as context.Background().
type callContextIDB struct {
	bun.IDB
	mu      sync.Mutex
	outside []string
}

func (c *callContextIDB) note(ctx context.Context, q string) {
	if ctx.Value(callKey{}) == nil {
		c.mu.Lock()
		c.outside = append(c.outside, q)
		c.mu.Unlock()
	}
}

func (c *callContextIDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	c.note(ctx, q)
	return c.IDB.QueryContext(ctx, q, args...)
}

func (c *callContextIDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	c.note(ctx, q)
	return c.IDB.QueryRowContext(ctx, q, args...)
}

func (c *callContextIDB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	c.note(ctx, q)
	return c.IDB.ExecContext(ctx, q, args...)
}

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
		ctx := context.WithValue(context.Background(), callKey{}, true)
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
			t.Run(c.name, func(t *testing.T) {
				var idb *callContextIDB
				if err := inTx(models.SuperuserID, func(env *models.Env) error {
					idb = &callContextIDB{IDB: env.DB}
					env.DB = idb
					return c.run(env)
				}); err != nil {
					t.Fatal(err)
				}
				for _, q := range idb.outside {
					t.Errorf("ran outside the call's context: %s", q)
				}
			})
		}
	})
}
