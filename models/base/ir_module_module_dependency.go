package base

import (
	"context"
	"database/sql"

	"github.com/godoo/godoo/models"
)

// moduleDependencyBehaviour is ir.module.module.dependency's: a row names
// the module it needs, and depend_id and state follow that module as Odoo
// computes them ("unknown" when no module has the name).
func moduleDependencyBehaviour() *models.Behaviour {
	return &models.Behaviour{Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
		"_compute_depend": func(ctx context.Context, env *models.Env, recs []models.Record) error {
			return computeDependency(ctx, env, recs, func(r models.Record, id int64, _ string) {
				if id == 0 {
					r["depend_id"] = false
				} else {
					r["depend_id"] = id
				}
			})
		},
		"_compute_state": func(ctx context.Context, env *models.Env, recs []models.Record) error {
			return computeDependency(ctx, env, recs, func(r models.Record, id int64, state string) {
				if id == 0 || state == "" {
					r["state"] = "unknown"
				} else {
					r["state"] = state
				}
			})
		},
	}}
}

// computeDependency finds the module each record names and hands its id
// and state (0 and "" when there is none) to set. It reads the names by the
// records' ids, so that it needs no other field of theirs.
func computeDependency(ctx context.Context, env *models.Env, recs []models.Record, set func(r models.Record, id int64, state string)) error {
	ids := make([]int64, 0, len(recs))
	for _, r := range recs {
		if id, ok := r["id"].(int64); ok {
			ids = append(ids, id)
		}
	}
	type module struct {
		id    int64
		state string
	}
	found := map[int64]module{}
	if len(ids) > 0 {
		rows, err := env.Query(ctx, "SELECT d.id, m.id, m.state FROM ir_module_module_dependency d JOIN ir_module_module m ON m.name = d.name WHERE d.id IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				dep, id int64
				state   sql.NullString
			)
			if err := rows.Scan(&dep, &id, &state); err != nil {
				return err
			}
			found[dep] = module{id, state.String}
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, r := range recs {
		id, _ := r["id"].(int64)
		mod := found[id]
		set(r, mod.id, mod.state)
	}
	return nil
}
