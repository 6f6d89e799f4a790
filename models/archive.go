package models

import (
	"context"
)

// archiveMethods are Odoo's toggle_active, action_archive and
// action_unarchive. All three return None: a JSON-RPC answer without
// result, and over XML-RPC the fault of a None Odoo cannot marshal.
func archiveMethods() []*Method {
	return []*Method{
		{Name: "toggle_active", Class: "BaseModel", Record: true, Op: OpWrite, Fn: func(ctx context.Context, env *Env, m *Model, ids []int64, _ Args) (any, error) {
			return nil, toggleActive(ctx, env, m, ids, func(bool) bool { return true })
		}},
		{Name: "action_archive", Class: "BaseModel", Record: true, Op: OpWrite, Fn: func(ctx context.Context, env *Env, m *Model, ids []int64, _ Args) (any, error) {
			return nil, toggleActive(ctx, env, m, ids, func(active bool) bool { return active })
		}},
		{Name: "action_unarchive", Class: "BaseModel", Record: true, Op: OpWrite, Fn: func(ctx context.Context, env *Env, m *Model, ids []int64, _ Args) (any, error) {
			return nil, toggleActive(ctx, env, m, ids, func(active bool) bool { return !active })
		}},
	}
}

// toggleActive inverts the active flag of those of the records ids that
// pick chooses by their current flag: active ones are archived, archived
// ones restored, in two writes as Odoo's toggle_active.
func toggleActive(ctx context.Context, env *Env, m *Model, ids []int64, pick func(active bool) bool) error {
	if !m.HasActive() {
		return ServerErrorf("builtins.AssertionError", "No 'active' field on model %s", m.Name)
	}
	recs, err := env.Read(ctx, m, UniqueIDs(ids), []string{"active"}, false)
	if err != nil {
		return err
	}
	var archive, restore []int64
	for _, r := range recs {
		active := Bool(r["active"])
		switch {
		case !pick(active):
		case active:
			archive = append(archive, r["id"].(int64))
		default:
			restore = append(restore, r["id"].(int64))
		}
	}
	if len(archive) > 0 {
		if err := env.Write(ctx, m, archive, map[string]any{"active": false}); err != nil {
			return err
		}
	}
	if len(restore) > 0 {
		return env.Write(ctx, m, restore, map[string]any{"active": true})
	}
	return nil
}
