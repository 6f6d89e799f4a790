package base

import (
	"context"

	"github.com/godoo/godoo/models"
)

// selectionModel is where Odoo lists the values of selection fields, one
// row per value of each field recorded in ir.model.fields.
const selectionModel = "ir.model.fields.selection"

// syncSelections records the values of every selection field (and the
// models a reference field offers, as Odoo does) in
// ir.model.fields.selection, as Odoo's module update does: missing values
// are added, labels and order follow the declaration, and values the
// declaration no longer has are removed. Nothing is done when the registry
// does not serve that model.
func syncSelections(ctx context.Context, env *models.Env) error {
	sel := env.Registry.Model(selectionModel)
	if sel == nil {
		return nil
	}
	fieldIDs := map[string]int64{}
	rows, err := env.Query(ctx, "SELECT id, model, name FROM ir_model_fields WHERE ttype IN (?, ?)", models.Selection, models.Reference)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var model, name string
		if err := rows.Scan(&id, &model, &name); err != nil {
			rows.Close()
			return err
		}
		fieldIDs[model+"."+name] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	type value struct {
		id       int64
		name     string
		sequence int64
	}
	have := map[int64]map[string]value{}
	rows, err = env.Query(ctx, "SELECT id, field_id, value, name, COALESCE(sequence, 0) FROM "+sel.Table)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v value
		var fid int64
		var val string
		if err := rows.Scan(&v.id, &fid, &val, &v.name, &v.sequence); err != nil {
			rows.Close()
			return err
		}
		if have[fid] == nil {
			have[fid] = map[string]value{}
		}
		have[fid][val] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var add [][]any
	var gone []int64
	for _, model := range env.Registry.Names() {
		m := env.Registry.Model(model)
		for _, name := range m.FieldOrder {
			f := m.Fields[name]
			fid := fieldIDs[model+"."+name]
			if f.Type != models.Selection && f.Type != models.Reference || fid == 0 {
				continue
			}
			old := have[fid]
			for i, o := range f.Selection {
				seq := int64(i)
				v, ok := old[o[0]]
				delete(old, o[0])
				switch {
				case !ok:
					add = append(add, []any{fid, o[0], o[1], seq})
				case v.name != o[1] || v.sequence != seq:
					if err := env.Write(ctx, sel, []int64{v.id}, map[string]any{"name": o[1], "sequence": seq}); err != nil {
						return err
					}
				}
			}
			for _, v := range old {
				gone = append(gone, v.id)
			}
		}
	}
	if err := insertRows(ctx, env, sel.Table, []string{"field_id", "value", "name", "sequence"}, add); err != nil {
		return err
	}
	return env.Unlink(ctx, sel, gone)
}
