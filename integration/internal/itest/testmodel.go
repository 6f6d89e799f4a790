package itest

import (
	"context"
	"time"

	"github.com/godoo/godoo/models"
)

// RegisterTestModel adds test.rpc, a model whose methods return what no base
// model returns (None, big integers, non-string keys) or fail in each way Odoo
// can, so that the protocol mapping of every case is exercised through a real
// server. It is the counterpart of Odoo's test_rpc addon.
func RegisterTestModel(reg *models.Registry) {
	m := &models.Model{Name: "test.rpc", Description: "RPC Test", Table: "res_partner"}
	ret := func(v any) func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) {
		return func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) { return v, nil }
	}
	fail := func(err error) func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) {
		return func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) { return nil, err }
	}
	for _, meth := range []*models.Method{
		{Name: "return_none", Fn: ret(nil)},
		// guarded needs read access, which no group has on test.rpc.
		{Name: "guarded", Op: models.OpRead, Fn: ret(true)},
		{Name: "return_bigint", Fn: ret(int64(1) << 40)},
		{Name: "return_int_keys", Fn: ret(map[int64]any{1: "one"})},
		{Name: "return_datetime", Fn: ret(time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC))},
		{Name: "echo", Params: []string{"value"}, Required: 1, Fn: func(_ context.Context, _ *models.Env, _ *models.Model, _ []int64, a models.Args) (any, error) {
			return a["value"], nil
		}},
		{Name: "raise_user_error", Fn: fail(models.UserErrorf("Nope, said the user error"))},
		{Name: "raise_validation_error", Fn: fail(models.ValidationErrorf("The value must be positive"))},
		{Name: "raise_missing_error", Fn: fail(models.MissingErrorf("Record does not exist or has been deleted."))},
		{Name: "raise_access_error", Fn: fail(models.AccessErrorf("You are not allowed to do this"))},
		{Name: "raise_unexpected", Fn: fail(context.DeadlineExceeded)},
		{Name: "panic", Fn: func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) {
			panic("boom")
		}},
		// create_then_fail writes a partner and then fails: the write must be
		// rolled back with the transaction.
		{Name: "create_then_fail", Fn: func(ctx context.Context, env *models.Env, _ *models.Model, _ []int64, _ models.Args) (any, error) {
			if _, err := env.Create(ctx, env.Registry.Model("res.partner"), map[string]any{"name": "must not survive"}); err != nil {
				return nil, err
			}
			return nil, models.UserErrorf("failed after writing")
		}},
	} {
		m.AddMethod(meth)
	}
	reg.Register(m)
}
