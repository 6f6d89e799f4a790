package base

import (
	"context"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// modelAccessBehaviour is ir.model.access's: check, which scripts call to
// test a right on a model.
func modelAccessBehaviour() *models.Behaviour {
	return &models.Behaviour{Methods: []*models.Method{{Name: "check", Class: "IrModelAccess",
		Params: []string{"model", "mode", "raise_exception"}, Required: 1, ReadOnly: true, Fn: accessCheck}}}
}

// accessCheck is ir.model.access.check(model, mode, raise_exception).
func accessCheck(ctx context.Context, env *models.Env, _ *models.Model, _ []int64, a models.Args) (any, error) {
	name, _ := a["model"].(string)
	mode := "read"
	if s, ok := a["mode"].(string); ok && s != "" {
		mode = s
	}
	m := env.Registry.Model(name)
	if m == nil {
		return nil, models.ServerErrorf("builtins.ValueError", "Invalid model name %s", py.Repr(name))
	}
	raise := !a.Has("raise_exception") || py.Truthy(a["raise_exception"])
	if raise {
		if err := env.CheckAccess(ctx, m, models.Op(mode)); err != nil {
			return nil, err
		}
		return true, nil
	}
	return env.HasAccess(ctx, m, models.Op(mode))
}
