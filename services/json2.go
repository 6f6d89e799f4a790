package services

import (
	"context"
	"sort"

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
	reg, err := w.c.registryNamed(ctx, id.DB)
	if err != nil {
		return nil, err
	}
	m, meth, err := reg.Lookup(in.Model, in.Method)
	if err != nil {
		if models.KindOf(err) == models.KindAccess {
			return nil, err // a private method
		}
		if m = reg.Model(in.Model); m == nil {
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
	res, err := w.c.call(ctx, id, in.Model, in.Method, args, meth.JSON2Kwargs(in.Kwargs))
	if err != nil {
		return nil, err
	}
	// Recordsets become id lists in JSON-2, so create always answers a list.
	if n, ok := res.(int64); ok && in.Method == "create" {
		return []int64{n}, nil
	}
	return res, nil
}

// Describe is the document of /doc-bearer/<model>.json as seen by id, in
// the shape of Odoo 19's api_doc module: the model, its name, "doc" (null),
// its fields as fields_get describes them with the module that introduces
// each (null for the automatic ones), and its public methods by name, in
// alphabetical order as Python's dir() lists them, each described by
// models.Method.Doc. Errors: KindNotFound for an unknown model;
// AccessError when the user may not read it.
func (w *Web) Describe(ctx context.Context, id auth.Identity, model string) (*models.Dict, error) {
	reg, err := w.c.registryNamed(ctx, id.DB)
	if err != nil {
		return nil, err
	}
	m := reg.Model(model)
	if m == nil {
		return nil, &models.Error{Kind: models.KindNotFound, Message: "the model '" + model + "' does not exist"}
	}
	// The document shows what fields_get shows, so a key restricted from
	// fields_get on the model does not get it either.
	if err := id.Limits.CheckCall(model, "fields_get"); err != nil {
		w.c.auditRefusal(ctx, id, model, "fields_get")
		return nil, err
	}
	db, err := w.c.open(ctx, id.DB)
	if err != nil {
		return nil, err
	}
	described, err := w.c.run(ctx, db, id.UID, true, func(ctx context.Context, env *models.Env) (any, error) {
		if err := env.CheckAccess(ctx, m, models.OpRead); err != nil {
			return nil, err
		}
		return env.Registry.Call(ctx, env, model, "fields_get", []any{}, nil)
	})
	if err != nil {
		return nil, err
	}
	fields := models.NewDict(len(m.FieldOrder))
	withModule := func(name string, desc any) {
		d := models.NewDict(16)
		switch x := desc.(type) {
		case *models.Dict:
			for k, v := range x.All() {
				d.Set(k, v)
			}
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				d.Set(k, x[k])
			}
		}
		var module any = "base"
		if automaticFields[name] {
			module = nil
		}
		d.Set("module", module)
		fields.Set(name, d)
	}
	switch x := described.(type) {
	case *models.Dict:
		for name, desc := range x.All() {
			withModule(name, desc)
		}
	case map[string]any:
		for _, name := range m.FieldOrder {
			if desc, ok := x[name]; ok {
				withModule(name, desc)
			}
		}
	}
	names := make([]string, 0, len(m.Methods))
	for name := range m.Methods {
		names = append(names, name)
	}
	sort.Strings(names)
	methods := models.NewDict(len(names))
	for _, name := range names {
		methods.Set(name, m.Methods[name].Doc(m))
	}
	return models.DictOf([]string{"model", "name", "doc", "fields", "methods"},
		[]any{model, m.Description, nil, fields, methods}), nil
}

// automaticFields are the fields every model gets without declaring them;
// api_doc names no module for them.
var automaticFields = map[string]bool{"id": true, "display_name": true, "create_uid": true,
	"create_date": true, "write_uid": true, "write_date": true}
