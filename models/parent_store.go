package models

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

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

// FillParentPaths gives every model that keeps a parent_path (its
// _parent_store) the paths its rows lack: rows made by a godoo that did
// not keep them, or whose column was added to the table since, hold
// NULL or an empty string. When a table has any such row all its paths are computed
// again from parent_id with one recursive query (a row made under a
// parent that had no path holds a wrong one). Rows on a cycle, which no
// root reaches, keep what they hold. It returns the tables it filled,
// none when every path was there.
func FillParentPaths(ctx context.Context, db bun.IDB, r *Registry) ([]string, error) {
	var filled []string
	done := map[string]bool{}
	for _, name := range r.Names() {
		m := r.Model(name)
		if m.Abstract || done[m.Table] || !m.parentStore() {
			continue
		}
		done[m.Table] = true
		path, parent := m.Fields["parent_path"].Column, m.Fields["parent_id"].Column
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+m.Table+" WHERE "+path+" IS NULL OR "+path+" = '' LIMIT 1) x").Scan(&n); err != nil {
			return filled, fmt.Errorf("fill %s.parent_path: %w", m.Table, err)
		}
		if n == 0 {
			continue
		}
		q := "WITH RECURSIVE tree(id, path) AS (" +
			"SELECT id, CAST(id AS TEXT) || '/' FROM " + m.Table + " WHERE " + parent + " IS NULL" +
			" UNION ALL SELECT c.id, tree.path || CAST(c.id AS TEXT) || '/' FROM " + m.Table + " c JOIN tree ON c." + parent + " = tree.id)" +
			" UPDATE " + m.Table + " SET " + path + " = (SELECT tree.path FROM tree WHERE tree.id = " + m.Table + ".id)" +
			" WHERE id IN (SELECT id FROM tree)"
		if _, err := db.ExecContext(ctx, q); err != nil {
			return filled, fmt.Errorf("fill %s.parent_path: %w", m.Table, err)
		}
		filled = append(filled, m.Table)
	}
	return filled, nil
}
