package base

import (
	"context"
	"slices"
	"strings"

	"github.com/godoo/godoo/models"
)

// SyncModels records every registered model in ir.model (with its external
// id) and its fields in ir.model.fields, and grants the base access rights
// that are missing, by name. It runs when a database is created and after
// the migrations or the declarations changed an existing one's schema, as
// an Odoo module update would; rights an administrator changed are left
// alone.
func SyncModels(ctx context.Context, env *models.Env) error {
	in := &installer{env: env.Sudo(), ctx: ctx}
	irModel := env.Registry.Model("ir.model")
	modelIDs := map[string]int64{}
	for _, name := range env.Registry.Names() {
		ids, err := in.env.Search(ctx, irModel, []any{[]any{"model", "=", name}}, models.SearchOptions{})
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			modelIDs[name] = ids[0]
			continue
		}
		m := env.Registry.Model(name)
		modelIDs[name] = in.create("ir.model", "model_"+strings.ReplaceAll(name, ".", "_"), map[string]any{"model": name, "name": m.Description, "state": "base"})
	}
	if err := syncFields(ctx, in.env, modelIDs); err != nil {
		return err
	}
	if err := syncSelections(ctx, in.env); err != nil {
		return err
	}
	if err := syncFieldXMLIDs(ctx, in.env); err != nil {
		return err
	}
	access := env.Registry.Model("ir.model.access")
	for _, a := range odooAccess {
		if modelIDs[a.Model] == 0 {
			continue
		}
		if id, err := env.XMLID(ctx, a.XMLID); err != nil {
			return err
		} else if id != 0 {
			continue
		}
		vals := accessVals(a.Name, modelIDs[a.Model], a.Perms)
		if a.Group != "" {
			gid, err := env.XMLID(ctx, a.Group)
			if err != nil {
				return err
			}
			if gid == 0 {
				continue // never grant to everyone what was meant for a group
			}
			vals["group_id"] = gid
		}
		module, name, _ := strings.Cut(a.XMLID, ".")
		in.createIn(module, "ir.model.access", name, vals)
	}
	for _, a := range slices.Concat(baseAccess, adminOnlyAccess(env.Registry)) {
		if modelIDs[a.model] == 0 || odooAccessModels[a.model] {
			continue // Odoo's rows alone say who may use Odoo's models
		}
		name := a.xmlid()
		ids, err := in.env.WithContext(map[string]any{"active_test": false}).Search(ctx, access, []any{[]any{"name", "=", name}}, models.SearchOptions{})
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			continue
		}
		if id, err := env.XMLID(ctx, "base."+name); err != nil {
			return err
		} else if id != 0 {
			continue // Odoo's row of that name, which has these rights too
		}
		vals := accessVals(name, modelIDs[a.model], a.perms)
		if a.group != "" {
			gid, err := env.XMLID(ctx, "base."+a.group)
			if err != nil {
				return err
			}
			if gid == 0 {
				continue // never grant to everyone what was meant for a group
			}
			vals["group_id"] = gid
		}
		in.create("ir.model.access", name, vals)
	}
	if in.err != nil {
		return in.err
	}
	return moveAttachmentValues(ctx, in.env)
}

// syncFields records the fields of every model in ir.model.fields, adding
// those that are missing, and sets company_dependent on the rows of
// fields that became company-dependent (or stopped being so) since their
// row was made: the schema's upgrade converts their columns, and the row
// says what fields_get and the clients read.
func syncFields(ctx context.Context, env *models.Env, modelIDs map[string]int64) error {
	known := map[string]bool{} // by model and name: the row's company_dependent
	rows, err := env.Query(ctx, "SELECT model, name, COALESCE(company_dependent, FALSE) FROM ir_model_fields")
	if err != nil {
		return err
	}
	for rows.Next() {
		var model, name string
		var companyDependent bool
		if err := rows.Scan(&model, &name, &companyDependent); err != nil {
			rows.Close()
			return err
		}
		known[model+"."+name] = companyDependent
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var add [][]any
	for _, model := range env.Registry.Names() {
		m := env.Registry.Model(model)
		for _, name := range m.FieldOrder {
			f := m.Fields[name]
			if cd, ok := known[model+"."+name]; ok {
				if cd != f.CompanyDependent {
					if _, err := env.Exec(ctx, "UPDATE ir_model_fields SET company_dependent = ? WHERE model = ? AND name = ?",
						f.CompanyDependent, model, name); err != nil {
						return err
					}
				}
				continue
			}
			if modelIDs[model] == 0 || model == "res.users" && isGroupField(name) {
				continue // Odoo's fields of groups have no row
			}
			add = append(add, []any{name, model, modelIDs[model], f.String, f.Type, f.Required, f.Readonly, f.Stored(), "base",
				nullIfEmpty(f.Help), nullIfEmpty(f.Relation), nullIfEmpty(f.InverseName), f.CompanyDependent})
		}
	}
	return insertRows(ctx, env, "ir_model_fields", []string{"name", "model", "model_id", "field_description", "ttype",
		"required", "readonly", "store", "state", "help", "relation", "relation_field", "company_dependent"}, add)
}

// nullIfEmpty is s, or NULL for the empty string, as the engine stores an
// unset char.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// odooAccessModels are the models Odoo's access rows name.
var odooAccessModels = func() map[string]bool {
	out := map[string]bool{}
	for _, a := range odooAccess {
		out[a.Model] = true
	}
	return out
}()

// accessVals are the values of an ir.model.access row granting perms
// (letters r, w, c, u) on a model.
func accessVals(name string, model int64, perms string) map[string]any {
	return map[string]any{"name": name, "model_id": model,
		"perm_read": strings.Contains(perms, "r"), "perm_write": strings.Contains(perms, "w"),
		"perm_create": strings.Contains(perms, "c"), "perm_unlink": strings.Contains(perms, "u")}
}

// xmlid is the name and external id of godoo's row: Odoo's way of naming
// one, which some of Odoo's rows have too.
func (a accessDef) xmlid() string {
	return "access_" + strings.ReplaceAll(a.model, ".", "_") + "_" + nonEmpty(a.group, "all")
}
