package base

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/godoo/godoo/models"
)

// Custom models and fields, as Odoo's ir.model and ir.model.fields of
// state manual: creating, renaming and deleting them changes the schema
// of the database in the call's transaction, and moves the version of
// the database's registry (Env.RegistryChanged), from which every
// process serves them at its next request (see LoadExtension).

// objectNameRE is Odoo's check_object_name: what a model may be called.
var objectNameRE = regexp.MustCompile(`^[a-z0-9_.]+$`)

// irModelBehaviour is ir.model's: a manual model gets its table, its
// x_name field, and full rights for administrators when created; it
// cannot change name or kind; deleting it drops its table.
func irModelBehaviour() *models.Behaviour {
	return &models.Behaviour{Methods: []*models.Method{{Name: "name_create", Class: "IrModel", Params: []string{"name"},
		Required: 1, Op: models.OpCreate, Fn: modelNameCreate}}, Hooks: models.Hooks{
		BeforeCreate: beforeModelCreate,
		AfterCreate:  afterModelCreate,
		BeforeWrite:  beforeModelWrite,
		AfterWrite:   afterModelWrite,
		BeforeUnlink: beforeModelUnlink,
	}}
}

// modelNameCreate is ir.model's name_create: the model's name comes from
// its description, "My Gadget" making x_my_gadget.
func modelNameCreate(ctx context.Context, env *models.Env, m *models.Model, _ []int64, a models.Args) (any, error) {
	name, _ := a["name"].(string)
	return env.CreateNamed(ctx, m, map[string]any{"name": name, "model": "x_" + strings.Join(strings.Fields(strings.ToLower(name)), "_")})
}

// irModelRow is what the hooks read of an ir.model row.
type irModelRow struct {
	id                 int64
	model, name, state string
	transient          bool
}

func readIrModels(ctx context.Context, env *models.Env, ids []int64) ([]irModelRow, error) {
	rows, err := env.Query(ctx, "SELECT id, model, COALESCE(name, ''), COALESCE(state, ''), transient FROM ir_model WHERE id IN ("+
		models.Placeholders(len(ids))+") ORDER BY id", models.IDArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []irModelRow
	for rows.Next() {
		var r irModelRow
		if err := rows.Scan(&r.id, &r.model, &r.name, &r.state, &r.transient); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func beforeModelCreate(ctx context.Context, env *models.Env, vals map[string]any) error {
	if vals["state"] != "manual" {
		return nil
	}
	name, _ := vals["model"].(string)
	if !strings.HasPrefix(name, "x_") {
		return models.ValidationErrorf("The model name must start with 'x_'.")
	}
	if !objectNameRE.MatchString(name) || strings.Contains(name, "..") || strings.HasSuffix(name, ".") ||
		len(customTable(name)) > 63 {
		return models.ValidationErrorf("The model name can only contain lowercase characters, digits, underscores and dots.")
	}
	if _, given := vals["field_id"]; !given {
		// Odoo's _default_field_id: a custom model is named by x_name.
		vals["field_id"] = []any{[]any{int64(0), int64(0), map[string]any{"name": "x_name", "field_description": "Name",
			"ttype": "char", "copied": true}}}
	}
	return nil
}

func afterModelCreate(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
	if vals["state"] != "manual" {
		return nil
	}
	name, _ := vals["model"].(string)
	if err := refreshRegistry(ctx, env, []string{name}); err != nil {
		return err
	}
	// Odoo gives the administrators every right on a new custom model.
	gid, err := env.XMLID(ctx, "base.group_system")
	if err != nil || gid == 0 {
		return err
	}
	access := accessVals("access_"+customTable(name)+"_group_system", id, "rwcu")
	access["group_id"] = gid
	_, err = env.Sudo().Create(ctx, env.Registry.Model("ir.model.access"), access)
	return err
}

// unmodifiableModelFields are the fields of ir.model that Odoo refuses to
// change on an existing model.
var unmodifiableModelFields = []string{"model", "state", "transient"}

func beforeModelWrite(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	recs, err := readIrModels(ctx, env, ids)
	if err != nil {
		return err
	}
	for _, f := range unmodifiableModelFields {
		v, ok := vals[f]
		if !ok {
			continue
		}
		for _, r := range recs {
			cur := map[string]any{"model": r.model, "state": r.state, "transient": r.transient}[f]
			if fmt.Sprint(cur) != fmt.Sprint(v) {
				return models.UserErrorf("Field %s cannot be modified on models.", env.Registry.Model("ir.model").Fields[f].String)
			}
		}
	}
	return nil
}

func afterModelWrite(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	recs, err := readIrModels(ctx, env, ids)
	if err != nil {
		return err
	}
	var manual []string
	for _, r := range recs {
		if r.state == "manual" {
			manual = append(manual, r.model)
		}
	}
	if len(manual) == 0 {
		return nil
	}
	return refreshRegistry(ctx, env, manual)
}

func beforeModelUnlink(ctx context.Context, env *models.Env, ids []int64) error {
	recs, err := readIrModels(ctx, env, ids)
	if err != nil {
		return err
	}
	var names, tables []string
	for _, r := range recs {
		if r.state != "manual" {
			return models.UserErrorf("Model “%s” contains module data and cannot be removed.", r.name)
		}
		names = append(names, r.model)
	}
	// The custom fields of the models and those of other models that point
	// to them go first, as Odoo's unlink does, with their columns and link
	// tables; the models' tables after them.
	su := env.Sudo()
	fields := su.Registry.Model("ir.model.fields")
	in := make([]any, len(names))
	for i, n := range names {
		in[i] = n
	}
	fids, err := su.Search(ctx, fields, []any{"&", []any{"state", "=", "manual"}, "|",
		[]any{"model", "in", in}, []any{"relation", "in", in}}, models.SearchOptions{})
	if err != nil {
		return err
	}
	if err := su.Unlink(ctx, fields, fids); err != nil {
		return err
	}
	for _, n := range names {
		tables = append(tables, customTable(n))
		if m := env.Registry.Model(n); m != nil {
			tables[len(tables)-1] = m.Table
		}
	}
	if err := models.DropTables(ctx, env.DB, env.Dialect, tables...); err != nil {
		return err
	}
	return env.RegistryChanged(ctx)
}

// orderTermRE is one term of an order: a field, then asc or desc.
var orderTermRE = regexp.MustCompile(`^\s*"?(\w+)"?\s*(?i:asc|desc)?\s*$`)

// checkOrder refuses a custom model's order that names no stored field,
// as Odoo's _check_order.
func checkOrder(m *models.Model) error {
	for _, term := range strings.Split(m.Order, ",") {
		sub := orderTermRE.FindStringSubmatch(term)
		if sub == nil {
			return models.ValidationErrorf("Invalid \"order\" specified (%s). A valid \"order\" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)", m.Order)
		}
		if f := m.Field(sub[1]); f == nil || f.Column == "" {
			return models.ValidationErrorf("Unable to order by %s: fields used for ordering must be present on the model and stored.", sub[1])
		}
	}
	return nil
}

// refreshRegistry builds the database's registry again from its rows,
// in the call's transaction, refusing what the engine cannot serve; it
// gives the tables of names what they lack, records their fields in
// ir.model.fields, and moves the registry's version.
func refreshRegistry(ctx context.Context, env *models.Env, names []string) error {
	x, err := LoadExtension(ctx, env.DB)
	if err != nil {
		return err
	}
	reg, err := env.Registry.Declared().Extend(x)
	if err != nil {
		return models.ValidationErrorf("%s", err.Error())
	}
	for _, d := range x.Models {
		if err := checkOrder(reg.Model(d.Model)); err != nil {
			return err
		}
	}
	if err := models.EnsureTables(ctx, env.DB, env.Dialect, reg, names); err != nil {
		return err
	}
	su := *env.Sudo()
	su.Registry = reg
	modelIDs := map[string]int64{}
	for _, n := range slices.Compact(slices.Sorted(slices.Values(names))) {
		var id int64
		if _, err := su.Scalar(ctx, &id, "SELECT id FROM ir_model WHERE model = ?", n); err != nil {
			return err
		}
		modelIDs[n] = id
	}
	if err := syncFields(ctx, &su, modelIDs); err != nil {
		return err
	}
	return env.RegistryChanged(ctx)
}
