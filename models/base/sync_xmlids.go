package base

import (
	"context"
	"strings"

	"github.com/godoo/godoo/models"
)

// syncFieldXMLIDs gives the base fields recorded in ir.model.fields, and
// their selection values, the external ids Odoo gives them
// (base.field_res_partner__name,
// base.selection__res_partner__type__contact), which scripts look up to
// point at a field; ids of selection values that are gone are dropped.
func syncFieldXMLIDs(ctx context.Context, env *models.Env) error {
	have := map[string]bool{}
	rows, err := env.Query(ctx, "SELECT name FROM ir_model_data WHERE module = 'base' AND model IN ('ir.model.fields', ?)", selectionModel)
	if err != nil {
		return err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		have[name] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var add [][]any
	collect := func(model, q string, name func(model, field, value string) string) error {
		rows, err := env.Query(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var m, f, v string
			if err := rows.Scan(&id, &m, &f, &v); err != nil {
				return err
			}
			if n := name(m, f, v); !have[n] {
				have[n] = true
				add = append(add, []any{"base", n, model, id, false})
			}
		}
		return rows.Err()
	}
	if err := collect("ir.model.fields", "SELECT id, model, name, '' FROM ir_model_fields WHERE state = 'base'",
		func(model, field, _ string) string {
			return "field_" + strings.ReplaceAll(model, ".", "_") + "__" + field
		}); err != nil {
		return err
	}
	sel := env.Registry.Model(selectionModel)
	if sel != nil {
		if err := collect(selectionModel, "SELECT s.id, f.model, f.name, s.value FROM "+sel.Table+
			" s JOIN ir_model_fields f ON f.id = s.field_id WHERE f.state = 'base'",
			func(model, field, value string) string {
				value = strings.ToLower(strings.NewReplacer(".", "_", " ", "_").Replace(value))
				return "selection__" + strings.ReplaceAll(model, ".", "_") + "__" + field + "__" + value
			}); err != nil {
			return err
		}
		if _, err := env.Exec(ctx, "DELETE FROM ir_model_data WHERE module = 'base' AND model = ? AND res_id NOT IN (SELECT id FROM "+sel.Table+")", selectionModel); err != nil {
			return err
		}
	}
	return insertRows(ctx, env, "ir_model_data", []string{"module", "name", "model", "res_id", "noupdate"}, add)
}
