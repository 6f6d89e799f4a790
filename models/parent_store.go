package models

import (
	"context"
	"database/sql"
	"strconv"
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
