package services

import (
	"context"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
)

// JSON2Call is one call of Odoo 19's JSON-2 API: named arguments only, with
// the record ids and the context as two special keys.
type JSON2Call struct {
	Model, Method string
	// IDs are the records of a record method; HasIDs tells an absent ids
	// from an empty list.
	IDs    any
	HasIDs bool
	// Kwargs are every other key of the body, context included.
	Kwargs map[string]any
}

// JSON2 runs a JSON-2 call as id in one transaction. Errors: those of
// execute_kw, plus KindNotFound for an unknown model or method and a
// TypeError of ReasonArguments when ids are given to a method that takes
// none.
func (w *Web) JSON2(ctx context.Context, id auth.Identity, in JSON2Call) (any, error) {
	m, meth, err := w.c.registry.Lookup(in.Model, in.Method)
	if err != nil {
		if models.KindOf(err) == models.KindAccess {
			return nil, err // a private method
		}
		if m = w.c.registry.Model(in.Model); m == nil {
			return nil, &models.Error{Kind: models.KindNotFound, Message: "the model '" + in.Model + "' does not exist"}
		}
		return nil, &models.Error{Kind: models.KindNotFound, Message: "The method '" + in.Model + "." + in.Method + "' does not exist"}
	}
	args := []any{}
	if meth.Record {
		ids := in.IDs
		if !in.HasIDs || ids == nil {
			ids = []any{}
		}
		args = append(args, ids)
	} else if in.HasIDs {
		if l, ok := in.IDs.([]any); !ok || len(l) > 0 {
			return nil, &models.Error{Kind: models.KindServer, Name: "builtins.TypeError", Reason: models.ReasonArguments,
				Message: "cannot call " + in.Model + "." + in.Method + " with ids"}
		}
	}
	res, err := w.c.call(ctx, id, in.Model, in.Method, args, in.Kwargs)
	if err != nil {
		return nil, err
	}
	// Recordsets become id lists in JSON-2, so create always answers a list.
	if n, ok := res.(int64); ok && in.Method == "create" {
		return []int64{n}, nil
	}
	return res, nil
}

// Describe lists a model's fields (as fields_get describes them) and its
// public methods with their parameters, for /doc-bearer/<model>.json, as
// seen by id. Errors: KindNotFound for an unknown model;
// AccessError when the user may not read it.
func (w *Web) Describe(ctx context.Context, id auth.Identity, model string) (map[string]any, error) {
	m := w.c.registry.Model(model)
	if m == nil {
		return nil, &models.Error{Kind: models.KindNotFound, Message: "the model '" + model + "' does not exist"}
	}
	db, err := w.c.open(ctx, id.DB)
	if err != nil {
		return nil, err
	}
	fields, err := w.c.run(ctx, db, id.UID, true, func(ctx context.Context, env *models.Env) (any, error) {
		if err := env.CheckAccess(ctx, m, models.OpRead); err != nil {
			return nil, err
		}
		return w.c.registry.Call(ctx, env, model, "fields_get", []any{}, nil)
	})
	if err != nil {
		return nil, err
	}
	methods := map[string]any{}
	for name, meth := range m.Methods {
		params := []any{}
		if meth.Record {
			params = append(params, "ids")
		}
		for _, p := range meth.Params {
			params = append(params, p)
		}
		methods[name] = map[string]any{"parameters": params, "model": !meth.Record, "readonly": meth.ReadOnly}
	}
	return map[string]any{"model": model, "name": m.Description, "fields": fields, "methods": methods}, nil
}
