package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

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
// that moved them. Each record takes two statements whatever its
// descendants: a read of its path and its parent's, then one update of
// every path that begins with its old one (its own and its subtree's),
// which swaps that prefix for the new one, as Odoo's _parent_store_update.
// Each record is read after the previous one was moved, so records moved
// together under one another end right. A record without a path yet (just
// created, or never given one) is set alone, then its children in turn.
func (env *Env) updateParentPaths(ctx context.Context, m *Model, ids []int64) error {
	path, parent := m.Fields["parent_path"].Column, m.Fields["parent_id"].Column
	get := "SELECT r." + path + ", p." + path + " FROM " + m.Table + " r LEFT JOIN " + m.Table + " p ON p.id = r." + parent + " WHERE r.id = ?"
	move := "UPDATE " + m.Table + " SET " + path + " = ? || SUBSTR(" + path + ", ?) WHERE " + path + " LIKE ?"
	setOne := "UPDATE " + m.Table + " SET " + path + " = ? WHERE id = ?"
	seen := map[int64]bool{}
	for len(ids) > 0 {
		var next []int64
		for _, id := range ids {
			if seen[id] {
				continue // a cycle the recursion check has not refused yet
			}
			seen[id] = true
			var old, parentPath sql.NullString
			rows, err := env.Query(ctx, get, id)
			if err != nil {
				return err
			}
			found := rows.Next()
			if found {
				err = rows.Scan(&old, &parentPath)
			}
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			now := parentPath.String + strconv.FormatInt(id, 10) + "/"
			switch {
			case old.String == now:
			case old.String == "":
				if _, err := env.Exec(ctx, setOne, now, id); err != nil {
					return err
				}
				children, err := env.Int64s(ctx, "SELECT id FROM "+m.Table+" WHERE "+parent+" = ? ORDER BY id", id)
				if err != nil {
					return err
				}
				next = append(next, children...)
			default:
				if _, err := env.Exec(ctx, move, now, len(old.String)+1, old.String+"%"); err != nil {
					return err
				}
			}
		}
		ids = next
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
