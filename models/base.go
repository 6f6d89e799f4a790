package models

import "context"

// Helpers that keep model declarations short.

func char(name, label string) *Field {
	return &Field{Name: name, Type: Char, String: label, Column: name}
}

func boolean(name, label string) *Field {
	return &Field{Name: name, Type: Boolean, String: label, Column: name}
}

func m2o(name, label, relation string) *Field {
	return &Field{Name: name, Type: Many2one, String: label, Column: name, Relation: relation}
}

func required(f *Field) *Field { f.Required = true; return f }

func withDefault(f *Field, v any) *Field {
	f.Default = func(*Env) any { return v }
	return f
}

// registerBase declares the models of Odoo's base module that godoo serves.
func registerBase(r *Registry) {
	r.Register(partnerModel())
	r.Register(usersModel())
	r.Register(apikeysModel())
	r.Register(descriptionModel())
	r.Register(identityCheckModel())
	r.Register(apiKeyModel())
	r.Register(apiKeyGroupModel())
	r.Register(categoryModel())
	r.Register(modelFieldsModel())
	r.Register(ruleModel())
	for _, m := range []*Model{
		{Name: "res.company", Description: "Companies", Table: "res_company", Order: "sequence, name",
			Constraints: []SQLConstraint{{Name: "res_company_name_uniq", Columns: []string{"name"}, Message: "The company name must be unique!"}}},
		{Name: "res.groups", Description: "Access Groups", Table: "res_groups", Order: "name"},
		{Name: "res.lang", Description: "Languages", Table: "res_lang", Order: "active desc, name",
			Constraints: []SQLConstraint{{Name: "res_lang_code_key", Columns: []string{"code"}, Message: "The code of the language must be unique!"},
				{Name: "res_lang_name_key", Columns: []string{"name"}, Message: "The name of the language must be unique!"}}},
		{Name: "res.currency", Description: "Currency", Table: "res_currency", Order: "active desc, name",
			Constraints: []SQLConstraint{{Name: "res_currency_name_key", Columns: []string{"name"}, Message: "The currency code must be unique!"}}},
		{Name: "res.country", Description: "Country", Table: "res_country", Order: "name",
			Constraints: []SQLConstraint{{Name: "res_country_code_key", Columns: []string{"code"}, Message: "The code of the country must be unique!"}}},
		{Name: "res.country.state", Description: "Country state", Table: "res_country_state", Order: "country_id, name",
			Constraints: []SQLConstraint{{Name: "res_country_state_name_code_uniq", Columns: []string{"country_id", "code"}, Message: "The code of the state must be unique by country!"}}},
		{Name: "ir.model", Description: "Models", Table: "ir_model", Order: "model", RecName: "model"},
		{Name: "ir.model.data", Description: "Model Data", Table: "ir_model_data", Order: "module, model, name",
			Constraints: []SQLConstraint{{Name: "ir_model_data_module_name_uniq_index", Columns: []string{"module", "name"}, Message: "You cannot have multiple records with the same external ID!"}}},
		{Name: "ir.model.access", Description: "Model Access", Table: "ir_model_access", Order: "model_id, group_id, name, id"},
		{Name: "ir.config_parameter", Description: "System Parameter", Table: "ir_config_parameter", Order: "key", RecName: "key",
			Constraints: []SQLConstraint{{Name: "ir_config_parameter_key_uniq", Columns: []string{"key"}, Message: "Key must be unique."}}},
	} {
		for _, f := range baseFields[m.Name] {
			m.AddField(f)
		}
		if m.Name == "res.groups" {
			m.AfterCreate = func(ctx context.Context, env *Env, id int64, vals map[string]any) error {
				return impliedToMembers(ctx, env, []int64{id}, vals)
			}
			m.BeforeWrite = bumpGroupMembers
			m.AfterWrite = func(ctx context.Context, env *Env, ids []int64, vals map[string]any) error {
				if err := impliedToMembers(ctx, env, ids, vals); err != nil {
					return err
				}
				return bumpGroupMembers(ctx, env, ids, vals)
			}
		}
		r.Register(m)
	}
	addIRMethods(r)
}

var baseFields = map[string][]*Field{
	"res.company": {
		required(char("name", "Company Name")),
		required(m2o("partner_id", "Partner", "res.partner")),
		m2o("currency_id", "Currency", "res.currency"),
		m2o("parent_id", "Parent Company", "res.company"),
		withDefault(&Field{Name: "sequence", Type: Integer, Column: "sequence"}, int64(10)),
		withDefault(boolean("active", "Active"), true),
		boolean("archived_user_disable_auth_api_key", "Disable API keys of archived users"),
		{Name: "user_ids", Type: Many2many, String: "Accepted Users", Relation: "res.users", RelTable: "res_company_users_rel", RelCol: "cid", RelOther: "user_id"},
	},
	"res.groups": {
		required(char("name", "Name")),
		{Name: "comment", Type: Text, String: "Comment", Column: "comment"},
		boolean("share", "Share Group"),
		{Name: "api_key_duration", Type: Float, String: "API Keys maximum duration days", Column: "api_key_duration"},
		{Name: "users", Type: Many2many, String: "Users", Relation: "res.users", RelTable: "res_groups_users_rel", RelCol: "gid", RelOther: "uid"},
		{Name: "implied_ids", Type: Many2many, String: "Inherits", Relation: "res.groups", RelTable: "res_groups_implied_rel", RelCol: "gid", RelOther: "hid"},
	},
	"res.lang": {
		required(char("name", "Name")), required(char("code", "Locale Code")), char("iso_code", "ISO code"), char("url_code", "URL Code"),
		boolean("active", "Active"),
		withDefault(&Field{Name: "direction", Type: Selection, String: "Direction", Column: "direction", Required: true,
			Selection: [][2]string{{"ltr", "Left-to-Right"}, {"rtl", "Right-to-Left"}}}, "ltr"),
		withDefault(char("date_format", "Date Format"), "%m/%d/%Y"), withDefault(char("time_format", "Time Format"), "%H:%M:%S"),
	},
	"res.currency": {required(char("name", "Currency")), required(char("symbol", "Symbol")), withDefault(boolean("active", "Active"), true)},
	"res.country": {
		required(char("name", "Country Name")), required(char("code", "Country Code")),
		{Name: "phone_code", Type: Integer, String: "Country Calling Code", Column: "phone_code"},
		m2o("currency_id", "Currency", "res.currency"),
		{Name: "state_ids", Type: One2many, String: "States", Relation: "res.country.state", InverseName: "country_id"},
	},
	"res.country.state": {required(m2o("country_id", "Country", "res.country")), required(char("name", "State Name")), required(char("code", "State Code"))},
	"ir.model": {
		required(char("model", "Model")), required(char("name", "Model Description")),
		{Name: "info", Type: Text, String: "Information", Column: "info"},
		withDefault(&Field{Name: "state", Type: Selection, String: "Type", Column: "state", Readonly: true,
			Selection: [][2]string{{"manual", "Custom Object"}, {"base", "Base Object"}}}, "manual"),
		boolean("transient", "Transient Model"),
	},
	"ir.model.data": {
		required(char("module", "Module")), required(char("name", "External Identifier")), required(char("model", "Model Name")),
		{Name: "res_id", Type: Integer, String: "Record ID", Column: "res_id"},
		boolean("noupdate", "Non Updatable"),
	},
	"ir.model.access": {
		required(char("name", "Name")), required(m2o("model_id", "Model", "ir.model")), m2o("group_id", "Group", "res.groups"),
		boolean("perm_read", "Read Access"), boolean("perm_write", "Write Access"),
		boolean("perm_create", "Create Access"), boolean("perm_unlink", "Delete Access"),
		withDefault(boolean("active", "Active"), true),
	},
	"ir.config_parameter": {required(char("key", "Key")), required(&Field{Name: "value", Type: Text, String: "Value", Column: "value"})},
}

// bumpGroupMembers invalidates the cached credential checks of a group's
// members when its membership or what it implies changes: it runs before
// the write (members that may leave) and after it (members that joined).
func bumpGroupMembers(ctx context.Context, env *Env, ids []int64, vals map[string]any) error {
	_, users := vals["users"]
	if _, implied := vals["implied_ids"]; (!users && !implied) || len(ids) == 0 {
		return nil
	}
	uids, err := env.int64s(ctx, "SELECT uid FROM res_groups_users_rel WHERE gid IN ("+placeholders(len(ids))+")", int64Args(ids)...)
	if err != nil {
		return err
	}
	return env.BumpAuthVersion(ctx, uniq(uids))
}

// impliedToMembers gives the members of groups ids the groups these now
// imply, when their implied groups or their members changed.
func impliedToMembers(ctx context.Context, env *Env, ids []int64, vals map[string]any) error {
	_, implied := vals["implied_ids"]
	if _, users := vals["users"]; (!implied && !users) || len(ids) == 0 {
		return nil
	}
	uids, err := env.int64s(ctx, "SELECT uid FROM res_groups_users_rel WHERE gid IN ("+placeholders(len(ids))+")", int64Args(ids)...)
	if err != nil {
		return err
	}
	return env.syncUserGroups(ctx, uniq(uids))
}
