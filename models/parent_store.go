package models

import "context"

// parentStore reports whether m keeps Odoo's materialised path of its
// hierarchy (its _parent_store): a stored parent_path, "1/4/9/" from the
// root down to the record, beside a parent_id to the same model.
func (m *Model) parentStore() bool {
	path, parent := m.Fields["parent_path"], m.Fields["parent_id"]
	return path != nil && path.Type == Char && path.Stored() &&
		parent != nil && parent.Type == Many2one && parent.Relation == m.Name && parent.Stored()
}

// updateParentPaths sets the parent_path of ids, and of all their
// descendants, from their parents' paths: after a create, or a write
// that moved them. The descendants are walked level by level, each record
// after its parent; a hierarchy deeper than the records it holds is a
// cycle (one the recursion check has not refused yet), which ends the walk.
func (env *Env) updateParentPaths(ctx context.Context, m *Model, ids []int64) error {
	path, parent := m.Fields["parent_path"].Column, m.Fields["parent_id"].Column
	set := "UPDATE " + m.Table + " SET " + path + " = COALESCE((SELECT p." + path + " FROM " + m.Table + " p WHERE p.id = " +
		m.Table + "." + parent + "), '') || CAST(id AS TEXT) || '/' WHERE id = ?"
	seen := map[int64]bool{}
	level := ids
	for depth := 0; len(level) > 0 && depth <= len(seen)+len(ids); depth++ {
		args := make([]any, len(level))
		for i, id := range level {
			seen[id] = true
			args[i] = id
			if _, err := env.Exec(ctx, set, id); err != nil {
				return err
			}
		}
		children, err := env.Int64s(ctx, "SELECT id FROM "+m.Table+" WHERE "+parent+" IN ("+Placeholders(len(args))+") ORDER BY id", args...)
		if err != nil {
			return err
		}
		level = children
	}
	return nil
}
