package base

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/godoo/godoo/models"
)

// pgNameRE is Odoo's check_pg_name: what a column may be called.
var pgNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_$]*$`)

// irModelFieldsBehaviour is ir.model.fields': a manual field gets its
// column (or link table) when created, its column renamed with it, and
// dropped when it is deleted; base fields cannot be changed.
func irModelFieldsBehaviour() *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{
		BeforeCreate: beforeFieldCreate,
		AfterCreate:  afterFieldCreate,
		BeforeWrite:  beforeFieldWrite,
		AfterWrite:   afterFieldWrite,
		BeforeUnlink: beforeFieldUnlink,
	}}
}

// irFieldRow is what the hooks read of an ir.model.fields row.
type irFieldRow struct {
	id                                   int64
	model, name, state, ttype, relTable  string
	relation, relationField, description string
	modelID                              int64
}

func readIrFields(ctx context.Context, env *models.Env, where string, args ...any) ([]irFieldRow, error) {
	rows, err := env.Query(ctx, `SELECT id, model, name, COALESCE(state, ''), ttype, COALESCE(relation_table, ''),
		COALESCE(relation, ''), COALESCE(relation_field, ''), COALESCE(field_description, ''), model_id
		FROM ir_model_fields WHERE `+where+" ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []irFieldRow
	for rows.Next() {
		var r irFieldRow
		if err := rows.Scan(&r.id, &r.model, &r.name, &r.state, &r.ttype, &r.relTable, &r.relation, &r.relationField,
			&r.description, &r.modelID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func fieldsByID(ctx context.Context, env *models.Env, ids []int64) ([]irFieldRow, error) {
	return readIrFields(ctx, env, "id IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
}

// checkFieldName refuses a custom field's name as Odoo does: the check
// constraint on x_ first, then check_pg_name.
func checkFieldName(name string) error {
	if !strings.HasPrefix(name, "x_") {
		return models.ValidationErrorf("The operation cannot be completed: Custom fields must have a name that starts with 'x_'!")
	}
	if !pgNameRE.MatchString(name) || len(name) > 63 {
		return models.ValidationErrorf("Field names can only contain characters, digits and underscores (up to 63).")
	}
	return nil
}

// modelTable is the table of model in env's registry, or the one Odoo
// would give it.
func modelTable(env *models.Env, model string) string {
	if m := env.Registry.Model(model); m != nil {
		return m.Table
	}
	return customTable(model)
}

func beforeFieldCreate(ctx context.Context, env *models.Env, vals map[string]any) error {
	if id, ok := vals["model_id"].(int64); ok {
		var model string
		if found, err := env.Scalar(ctx, &model, "SELECT model FROM ir_model WHERE id = ?", id); err != nil {
			return err
		} else if found {
			vals["model"] = model
		}
	}
	if vals["state"] != "manual" {
		return nil
	}
	name, _ := vals["name"].(string)
	if err := checkFieldName(name); err != nil {
		return err
	}
	model, _ := vals["model"].(string)
	ttype, _ := vals["ttype"].(string)
	relation, _ := vals["relation"].(string)
	if relation != "" {
		var n int64
		if _, err := env.Scalar(ctx, &n, "SELECT COUNT(*) FROM ir_model WHERE model = ?", relation); err != nil {
			return err
		}
		if n == 0 {
			return models.UserErrorf("Model %s does not exist!", relation)
		}
	}
	switch ttype {
	case models.Many2one, models.One2many, models.Many2many:
		if relation == "" {
			return models.ValidationErrorf("Field %s of type %s needs a related model (relation).", name, ttype)
		}
	case "properties", "properties_definition", models.Many2oneReference:
		return models.ValidationErrorf("Custom fields of type %s are not supported.", ttype)
	}
	if ttype == models.One2many {
		inverse, _ := vals["relation_field"].(string)
		var n int64
		if _, err := env.Scalar(ctx, &n, "SELECT COUNT(*) FROM ir_model_fields WHERE ttype = 'many2one' AND model = ? AND name = ?",
			relation, inverse); err != nil {
			return err
		}
		if n == 0 {
			return models.UserErrorf("Many2one %s on model %s does not exist!", inverse, relation)
		}
	}
	if ttype == models.Many2one && vals["required"] == true && (vals["on_delete"] == nil || vals["on_delete"] == "set null") {
		return models.ValidationErrorf("The m2o field %s is required but declares its ondelete policy as being 'set null'. Only 'restrict' and 'cascade' make sense.", name)
	}
	if ttype == models.Many2many {
		// Odoo's _custom_many2many_names, for what the call leaves out.
		t1, t2 := modelTable(env, model), modelTable(env, relation)
		tables := []string{t1, t2}
		sort.Strings(tables)
		col1, col2 := t1+"_id", t2+"_id"
		if t1 == t2 {
			col1, col2 = "id1", "id2"
		}
		for k, v := range map[string]string{"relation_table": "x_" + tables[0] + "_" + tables[1] + "_rel", "column1": col1, "column2": col2} {
			if s, _ := vals[k].(string); s == "" {
				vals[k] = v
			}
		}
		for _, k := range []string{"relation_table", "column1", "column2"} {
			if s, _ := vals[k].(string); !pgNameRE.MatchString(s) || len(s) > 63 {
				return models.ValidationErrorf("Table name %s is not valid.", s)
			}
		}
		if err := checkLinkTable(ctx, env, model+"."+name, vals["relation_table"].(string)); err != nil {
			return err
		}
	}
	if ttype == models.Monetary {
		return checkCurrencyField(ctx, env, model, vals)
	}
	return nil
}

// checkLinkTable refuses field a link table that another field of the
// registry uses or that the database already has (a model's table, a
// base link table): Odoo's registry refuses two many2many on one table,
// and deleting the custom field would drop a table it does not own.
func checkLinkTable(ctx context.Context, env *models.Env, field, table string) error {
	if users := env.Registry.LinkUsers(table, map[string]bool{field: true}); len(users) > 0 {
		return models.UserErrorf("Many2many fields %s and %s use the same table and columns", field, users[0])
	}
	exists, err := models.TableExists(ctx, env.DB, env.Dialect, table)
	if err != nil {
		return err
	}
	if exists {
		return models.UserErrorf("Many2many field %s cannot use the table %s: it is already in the database.", field, table)
	}
	return nil
}

// checkCurrencyField resolves a custom monetary field's currency field
// as Odoo's _check_currency_field: the one named, or currency_id, or
// x_currency_id, a many2one to res.currency.
func checkCurrencyField(ctx context.Context, env *models.Env, model string, vals map[string]any) error {
	named, _ := vals["currency_field"].(string)
	candidates := []string{named}
	if named == "" {
		candidates = []string{"currency_id", "x_currency_id"}
	}
	for _, c := range candidates {
		rows, err := readIrFields(ctx, env, "model = ? AND name = ?", model, c)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			continue
		}
		if rows[0].ttype != models.Many2one {
			return models.ValidationErrorf("Currency field does not have type many2one")
		}
		if rows[0].relation != "res.currency" {
			return models.ValidationErrorf("Currency field should have a res.currency relation")
		}
		vals["currency_field"] = c
		return nil
	}
	if named != "" {
		return models.ValidationErrorf("Unknown field specified “%s” in currency_field", named)
	}
	return models.ValidationErrorf("Currency field is empty and there is no fallback field in the model")
}

func afterFieldCreate(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
	if vals["state"] != "manual" {
		return nil
	}
	model, _ := vals["model"].(string)
	return refreshRegistry(ctx, env, []string{model})
}

// translatedFieldAttrs are the attributes of ir.model.fields that Odoo
// translates: a write of these alone may change a base field's.
var translatedFieldAttrs = map[string]bool{"field_description": true, "help": true}

func beforeFieldWrite(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	recs, err := fieldsByID(ctx, env, ids)
	if err != nil {
		return err
	}
	translateOnly := true
	for k := range vals {
		translateOnly = translateOnly && translatedFieldAttrs[k]
	}
	renamed := false
	for _, r := range recs {
		if r.state != "manual" && translateOnly {
			continue
		}
		if r.state != "manual" {
			return models.UserErrorf("Properties of base fields cannot be altered in this manner! Please modify them through Python code, preferably through a custom addon!")
		}
		if v, ok := vals["model_id"]; ok && v != r.modelID {
			return models.UserErrorf("Changing the model of a field is forbidden!")
		}
		if v, ok := vals["ttype"]; ok && v != r.ttype {
			return models.UserErrorf("Changing the type of a field is not yet supported. Please drop it and create it again!")
		}
		if t, ok := vals["relation_table"].(string); ok && r.ttype == models.Many2many && t != r.relTable {
			if !pgNameRE.MatchString(t) || len(t) > 63 {
				return models.ValidationErrorf("Table name %s is not valid.", t)
			}
			if err := checkLinkTable(ctx, env, r.model+"."+r.name, t); err != nil {
				return err
			}
		}
		newName, ok := vals["name"].(string)
		if !ok || newName == r.name {
			continue
		}
		if err := checkFieldName(newName); err != nil {
			return err
		}
		if err := checkDependents(ctx, env, r, nil); err != nil {
			return err
		}
		m := env.Registry.Model(r.model)
		if m == nil {
			return models.UserErrorf("Model %s does not exist!", r.model)
		}
		f := m.Field(r.name)
		if f == nil || f.Column == "" {
			continue // no column: a relation, an attachment
		}
		if renamed {
			return models.UserErrorf("Can only rename one field at a time!")
		}
		renamed = true
		if err := models.RenameColumn(ctx, env.DB, m.Table, f.Column, models.ColumnName(newName)); err != nil {
			return err
		}
	}
	for _, k := range []string{"model_id", "model", "state"} {
		delete(vals, k) // never written, as Odoo's
	}
	return nil
}

func afterFieldWrite(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	recs, err := fieldsByID(ctx, env, ids)
	if err != nil {
		return err
	}
	var names []string
	for _, r := range recs {
		if r.state == "manual" {
			names = append(names, r.model)
		}
	}
	if len(names) == 0 {
		return nil // the labels of base fields, which the declarations give
	}
	return refreshRegistry(ctx, env, names)
}

// checkDependents refuses to remove or rename a many2one that a custom
// one2many follows, as Odoo's _prepare_update; a one2many among exclude
// (deleted with it) does not hold it back.
func checkDependents(ctx context.Context, env *models.Env, r irFieldRow, exclude []int64) error {
	if r.ttype != models.Many2one {
		return nil
	}
	where := "state = 'manual' AND ttype = 'one2many' AND relation = ? AND relation_field = ?"
	args := []any{r.model, r.name}
	if len(exclude) > 0 {
		where += " AND id NOT IN (" + models.Placeholders(len(exclude)) + ")"
		args = append(args, models.IDArgs(exclude)...)
	}
	deps, err := readIrFields(ctx, env, where, args...)
	if err != nil || len(deps) == 0 {
		return err
	}
	return models.UserErrorf("The field '%s.%s' cannot be removed because the field '%s.%s' depends on it.", r.model, r.name, deps[0].model, deps[0].name)
}

func beforeFieldUnlink(ctx context.Context, env *models.Env, ids []int64) error {
	recs, err := fieldsByID(ctx, env, ids)
	if err != nil {
		return err
	}
	var links []string
	for _, r := range recs {
		if r.state != "manual" {
			return models.UserErrorf("This column contains module data and cannot be removed!")
		}
		if err := checkDependents(ctx, env, r, ids); err != nil {
			return err
		}
	}
	deleted := map[string]bool{}
	for _, r := range recs {
		deleted[r.model+"."+r.name] = true
	}
	for _, r := range recs {
		m := env.Registry.Model(r.model)
		if m == nil {
			continue
		}
		if f := m.Field(r.name); f != nil && f.Column != "" {
			if err := models.DropColumn(ctx, env.DB, m.Table, f.Column); err != nil {
				return err
			}
		}
		if r.ttype == models.Many2many && r.relTable != "" {
			others, err := readIrFields(ctx, env, "relation_table = ? AND id NOT IN ("+models.Placeholders(len(ids))+")",
				append([]any{r.relTable}, models.IDArgs(ids)...)...)
			if err != nil {
				return err
			}
			if len(others) == 0 && len(env.Registry.LinkUsers(r.relTable, deleted)) == 0 && !slices.Contains(links, r.relTable) {
				links = append(links, r.relTable)
			}
		}
	}
	if err := models.DropTables(ctx, env.DB, env.Dialect, links...); err != nil {
		return err
	}
	if _, err := env.Exec(ctx, "DELETE FROM ir_model_fields_selection WHERE field_id IN ("+models.Placeholders(len(ids))+")",
		models.IDArgs(ids)...); err != nil {
		return err
	}
	return env.RegistryChanged(ctx)
}

// irModelFieldsSelectionBehaviour is ir.model.fields.selection's: a value
// of a custom selection changes the registry.
func irModelFieldsSelectionBehaviour() *models.Behaviour {
	changed := func(ctx context.Context, env *models.Env, ids []int64) error {
		var n int64
		if _, err := env.Scalar(ctx, &n, `SELECT COUNT(*) FROM ir_model_fields_selection s JOIN ir_model_fields f ON f.id = s.field_id
			WHERE f.state = 'manual' AND s.id IN (`+models.Placeholders(len(ids))+")", models.IDArgs(ids)...); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		return env.RegistryChanged(ctx)
	}
	return &models.Behaviour{Hooks: models.Hooks{
		AfterCreate: func(ctx context.Context, env *models.Env, id int64, _ map[string]any) error {
			return changed(ctx, env, []int64{id})
		},
		AfterWrite: func(ctx context.Context, env *models.Env, ids []int64, _ map[string]any) error {
			return changed(ctx, env, ids)
		},
		BeforeUnlink: changed,
	}}
}
