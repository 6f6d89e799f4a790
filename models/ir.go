package models

import (
	"context"
	"encoding/json"

	"github.com/godoo/godoo/models/py"
)

// addIRMethods gives the ir.* models the model methods scripts call on them.
func addIRMethods(r *Registry) {
	r.Model("ir.model.data").AddMethod(&Method{Name: "check_object_reference", Class: "IrModelData",
		Params: []string{"module", "xml_id", "raise_on_access_error"}, Required: 2, ReadOnly: true, Fn: checkObjectReference})
	r.Model("ir.model.access").AddMethod(&Method{Name: "check", Class: "IrModelAccess",
		Params: []string{"model", "mode", "raise_exception"}, Required: 1, ReadOnly: true, Fn: accessCheck})
}

// checkObjectReference returns [model, res_id] of an external id, raising
// ValueError when it does not exist.
func checkObjectReference(ctx context.Context, env *Env, _ *Model, _ []int64, a Args) (any, error) {
	module, _ := a["module"].(string)
	name, _ := a["xml_id"].(string)
	var model string
	var resID int64
	rows, err := env.query(ctx, "SELECT model, res_id FROM ir_model_data WHERE module = ? AND name = ?", module, name)
	if err != nil {
		return nil, err
	}
	found := rows.Next()
	if found {
		var rid any
		if err := rows.Scan(&model, &rid); err != nil {
			rows.Close()
			return nil, err
		}
		resID, _ = toInt64(rid)
	}
	rows.Close()
	if !found {
		return nil, ServerErrorf("builtins.ValueError", "External ID not found in the system: %s.%s", module, name)
	}
	if m := env.Registry.Model(model); m != nil {
		ok, err := env.HasAccess(ctx, m, OpRead)
		if err != nil {
			return nil, err
		}
		if !ok && py.Truthy(a["raise_on_access_error"]) {
			return nil, env.CheckAccess(ctx, m, OpRead)
		}
		if !ok {
			return false, nil
		}
	}
	return []any{model, resID}, nil
}

// accessCheck is ir.model.access.check(model, mode, raise_exception).
func accessCheck(ctx context.Context, env *Env, _ *Model, _ []int64, a Args) (any, error) {
	name, _ := a["model"].(string)
	mode := "read"
	if s, ok := a["mode"].(string); ok && s != "" {
		mode = s
	}
	m := env.Registry.Model(name)
	if m == nil {
		return nil, ServerErrorf("builtins.ValueError", "Invalid model name %s", py.Repr(name))
	}
	raise := !a.Has("raise_exception") || py.Truthy(a["raise_exception"])
	if raise {
		if err := env.CheckAccess(ctx, m, Op(mode)); err != nil {
			return nil, err
		}
		return true, nil
	}
	return env.HasAccess(ctx, m, Op(mode))
}

func categoryModel() *Model {
	m := &Model{Name: "res.partner.category", Description: "Partner Tags", Table: "res_partner_category", Order: "name"}
	for _, f := range []*Field{
		required(char("name", "Name")),
		{Name: "color", Type: Integer, String: "Color", Column: "color"},
		m2o("parent_id", "Parent Category", "res.partner.category"),
		{Name: "child_ids", Type: One2many, String: "Child Tags", Relation: "res.partner.category", InverseName: "parent_id"},
		withDefault(boolean("active", "Active"), true),
		{Name: "partner_ids", Type: Many2many, String: "Partners", Relation: "res.partner", RelTable: "res_partner_res_partner_category_rel", RelCol: "category_id", RelOther: "partner_id"},
	} {
		m.AddField(f)
	}
	return m
}

func modelFieldsModel() *Model {
	m := &Model{Name: "ir.model.fields", Description: "Fields", Table: "ir_model_fields", Order: "model, name"}
	for _, f := range []*Field{
		required(char("name", "Field Name")), required(char("model", "Model Name")),
		required(m2o("model_id", "Model", "ir.model")),
		required(char("field_description", "Field Label")),
		{Name: "help", Type: Text, String: "Field Help", Column: "help"},
		required(char("ttype", "Field Type")), char("relation", "Related Model"), char("relation_field", "Relation Field"),
		boolean("required", "Required"), boolean("readonly", "Readonly"), withDefault(boolean("store", "Stored"), true),
		withDefault(&Field{Name: "state", Type: Selection, String: "Type", Column: "state",
			Selection: [][2]string{{"manual", "Custom Field"}, {"base", "Base Field"}}}, "base"),
	} {
		m.AddField(f)
	}
	m.Constraints = []SQLConstraint{{Name: "ir_model_fields_name_unique", Columns: []string{"model", "name"}, Message: "Field names must be unique per model."}}
	return m
}

func ruleModel() *Model {
	m := &Model{Name: "ir.rule", Description: "Record Rule", Table: "ir_rule", Order: "model_id DESC, id"}
	for _, f := range []*Field{
		char("name", "Name"),
		required(m2o("model_id", "Model", "ir.model")),
		{Name: "domain_force", Type: Text, String: "Domain", Column: "domain_force",
			Help: "A JSON domain, such as [[\"user_id\", \"=\", 2]]."},
		{Name: "groups", Type: Many2many, String: "Groups", Relation: "res.groups", RelTable: "rule_group_rel", RelCol: "rule_group_id", RelOther: "group_id"},
		withDefault(boolean("perm_read", "Read"), true), withDefault(boolean("perm_write", "Write"), true),
		withDefault(boolean("perm_create", "Create"), true), withDefault(boolean("perm_unlink", "Delete"), true),
		withDefault(boolean("active", "Active"), true),
	} {
		m.AddField(f)
	}
	m.BeforeCreate = validateRuleDomain
	m.BeforeWrite = func(ctx context.Context, env *Env, _ []int64, vals map[string]any) error {
		return validateRuleDomain(ctx, env, vals)
	}
	return m
}

// validateRuleDomain refuses a domain_force that is not a JSON domain.
func validateRuleDomain(_ context.Context, _ *Env, vals map[string]any) error {
	s, ok := vals["domain_force"].(string)
	if !ok || s == "" {
		return nil
	}
	var d []any
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return ValidationErrorf("Invalid domain: %s (godoo accepts JSON domains only)", s)
	}
	return nil
}

// irRuleDomain combines the active ir.rule rows of m for op as Odoo does:
// global rules (no group) are AND-ed, the rules of the user's groups are
// OR-ed, and the two are AND-ed. ok is false when no rule applies.
func (env *Env) irRuleDomain(ctx context.Context, m *Model, op Op) ([]any, bool, error) {
	key := m.Name + "\x00" + string(op)
	if c, ok := env.state.rules[key]; ok {
		return c.domain, c.ok, nil
	}
	d, ok, err := env.loadIRRules(ctx, m, op)
	if err != nil {
		return nil, false, err
	}
	if env.state.rules == nil {
		env.state.rules = map[string]ruleCache{}
	}
	env.state.rules[key] = ruleCache{domain: d, ok: ok}
	return d, ok, nil
}

// ruleRow is one ir.rule as the rule check reads it, before its values are
// bound to the call.
type ruleRow struct {
	id, nGroups, nMine int64
	dom                any
}

func (env *Env) loadIRRules(ctx context.Context, m *Model, op Op) ([]any, bool, error) {
	key := accessKey{env.UID, m.Name, op}
	found, ok := env.access().getRules(key)
	if !ok {
		var err error
		if found, err = env.readIRRules(ctx, m, op); err != nil {
			return nil, false, err
		}
		env.access().putRules(key, found)
	}
	return env.combineIRRules(ctx, found)
}

// readIRRules reads the active rules of m for op, with whether they are
// global and whether the user is in one of their groups.
func (env *Env) readIRRules(ctx context.Context, m *Model, op Op) ([]ruleRow, error) {
	rows, err := env.query(ctx, `SELECT r.id, r.domain_force, (SELECT COUNT(*) FROM rule_group_rel g WHERE g.rule_group_id = r.id),
		(SELECT COUNT(*) FROM rule_group_rel g JOIN res_groups_users_rel u ON u.gid = g.group_id WHERE g.rule_group_id = r.id AND u.uid = ?)
		FROM ir_rule r JOIN ir_model im ON im.id = r.model_id
		WHERE im.model = ? AND r.active AND r.perm_`+string(op)+` ORDER BY r.id`, env.UID, m.Name)
	if err != nil {
		return nil, err
	}
	// Read every rule first: no other query may run on the transaction's
	// connection while these rows are open (PostgreSQL's protocol).
	found := []ruleRow{}
	for rows.Next() {
		var r ruleRow
		if err := rows.Scan(&r.id, &r.dom, &r.nGroups, &r.nMine); err != nil {
			rows.Close()
			return nil, err
		}
		r.dom = fromBytes(r.dom)
		found = append(found, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, env.Classify(err)
	}
	return found, nil
}

// combineIRRules binds the rules' values and combines them as Odoo does:
// global rules intersect, group rules unite.
func (env *Env) combineIRRules(ctx context.Context, found []ruleRow) ([]any, bool, error) {
	var global, group []any
	applies := false
	for _, r := range found {
		if r.nGroups > 0 && r.nMine == 0 {
			continue // a group rule of groups the user is not in
		}
		var d []any
		if s, _ := r.dom.(string); s != "" {
			if err := json.Unmarshal([]byte(s), &d); err != nil {
				return nil, false, ValidationErrorf("Invalid domain in record rule %d", r.id)
			}
		}
		d = py.Numbers(d).([]any)
		var err error
		if d, err = env.bindRuleValues(ctx, d); err != nil {
			return nil, false, err
		}
		if len(d) == 0 {
			d = []any{[]any{int64(1), "=", int64(1)}}
		}
		if r.nGroups == 0 {
			global = append(append([]any{"&"}, wrapDomain(d)...), global...)
		} else {
			group = append(append([]any{"|"}, wrapDomain(d)...), group...)
		}
		applies = true
	}
	if !applies {
		return nil, false, nil
	}
	// Each list was built with one operator too many; close it with a
	// neutral term.
	out := []any{"&"}
	out = append(out, append(global, []any{int64(1), "=", int64(1)})...)
	if group == nil {
		out = append(out, []any{int64(1), "=", int64(1)})
	} else {
		out = append(out, append(group, []any{int64(0), "=", int64(1)})...)
	}
	return out, true, nil
}

func fromBytes(v any) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}

// ruleValues are the names a JSON rule domain may use for the current user,
// in place of the Python expressions of Odoo's rules (user.id,
// user.commercial_partner_id.id, ...), which godoo never evaluates.
var ruleValues = map[string]string{
	"user.id":                    "SELECT id FROM res_users WHERE id = ?",
	"user.partner_id":            "SELECT partner_id FROM res_users WHERE id = ?",
	"user.commercial_partner_id": "SELECT COALESCE(p.commercial_partner_id, p.id) FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.id = ?",
	"user.company_id":            "SELECT company_id FROM res_users WHERE id = ?",
}

// bindRuleValues replaces the ruleValues names found as term values of a
// rule domain by the current user's ids; "user.company_ids" becomes the list
// of the user's companies.
func (env *Env) bindRuleValues(ctx context.Context, d []any) ([]any, error) {
	out := make([]any, len(d))
	for i, item := range d {
		t, ok := item.([]any)
		if !ok || len(t) != 3 {
			out[i] = item
			continue
		}
		name, ok := t[2].(string)
		if !ok {
			out[i] = item
			continue
		}
		if q, known := ruleValues[name]; known {
			var id int64
			if _, err := env.scalar(ctx, &id, q, env.UID); err != nil {
				return nil, err
			}
			out[i] = []any{t[0], t[1], id}
			continue
		}
		if name == "user.company_ids" {
			ids, err := env.int64s(ctx, "SELECT cid FROM res_company_users_rel WHERE user_id = ?", env.UID)
			if err != nil {
				return nil, err
			}
			list := make([]any, len(ids))
			for j, id := range ids {
				list[j] = id
			}
			out[i] = []any{t[0], t[1], list}
			continue
		}
		out[i] = item
	}
	return out, nil
}
