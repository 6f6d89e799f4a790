package base

import (
	"context"

	"github.com/godoo/godoo/models"
)

// selectionModel is where Odoo lists the values of selection fields, one
// row per value of each field recorded in ir.model.fields.
const selectionModel = "ir.model.fields.selection"

// syncSelections records the values of every selection field in
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
	rows, err := env.Query(ctx, "SELECT id, model, name FROM ir_model_fields WHERE ttype = ?", models.Selection)
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
	for _, model := range env.Registry.Names() {
		m := env.Registry.Model(model)
		for _, name := range m.FieldOrder {
			f := m.Fields[name]
			fid := fieldIDs[model+"."+name]
			if f.Type != models.Selection || fid == 0 {
				continue
			}
			if err := syncFieldSelection(ctx, env, sel, fid, f.Selection); err != nil {
				return err
			}
		}
	}
	return nil
}

// syncFieldSelection makes the rows of one field's values those of opts.
func syncFieldSelection(ctx context.Context, env *models.Env, sel *models.Model, fieldID int64, opts [][2]string) error {
	ids, err := env.Search(ctx, sel, []any{[]any{"field_id", "=", fieldID}}, models.SearchOptions{})
	if err != nil {
		return err
	}
	have, err := env.Read(ctx, sel, ids, []string{"value", "name", "sequence"}, false)
	if err != nil {
		return err
	}
	byValue := map[string]models.Record{}
	for _, r := range have {
		byValue[r["value"].(string)] = r
	}
	for i, o := range opts {
		seq := int64(i)
		r, ok := byValue[o[0]]
		delete(byValue, o[0])
		if !ok {
			if _, err := env.Create(ctx, sel, map[string]any{"field_id": fieldID, "value": o[0], "name": o[1], "sequence": seq}); err != nil {
				return err
			}
			continue
		}
		if r["name"] != o[1] || r["sequence"] != seq {
			if err := env.Write(ctx, sel, []int64{r["id"].(int64)}, map[string]any{"name": o[1], "sequence": seq}); err != nil {
				return err
			}
		}
	}
	var gone []int64
	for _, r := range byValue {
		gone = append(gone, r["id"].(int64))
	}
	return env.Unlink(ctx, sel, gone)
}
