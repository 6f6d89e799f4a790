package models

import (
	"context"

	"github.com/godoo/godoo/models/py"
)

func partnerModel() *Model {
	m := &Model{Name: "res.partner", Description: "Contact", Table: "res_partner", Order: "name, id",
		DisplayNameDeps: []string{"parent_id", "is_company"},
		Constraints:     []SQLConstraint{{Name: "res_partner_check_name", Message: partnerNameMessage}}}
	for _, f := range []*Field{
		char("name", "Name"),
		m2o("company_id", "Company", "res.company"),
		m2o("parent_id", "Related Company", "res.partner"),
		{Name: "child_ids", Type: One2many, String: "Contact", Relation: "res.partner", InverseName: "parent_id"},
		m2o("commercial_partner_id", "Commercial Entity", "res.partner"),
		char("ref", "Reference"), char("email", "Email"), char("phone", "Phone"), char("mobile", "Mobile"),
		char("website", "Website Link"),
		boolean("is_company", "Is a Company"),
		withDefault(&Field{Name: "type", Type: Selection, String: "Address Type", Column: "type",
			Selection: [][2]string{{"contact", "Contact"}, {"invoice", "Invoice Address"}, {"delivery", "Delivery Address"}, {"other", "Other Address"}}}, "contact"),
		char("street", "Street"), char("street2", "Street2"), char("city", "City"), char("zip", "Zip"),
		m2o("state_id", "State", "res.country.state"), m2o("country_id", "Country", "res.country"),
		char("lang", "Language"), char("tz", "Timezone"),
		{Name: "comment", Type: HTML, String: "Notes", Column: "comment"},
		{Name: "color", Type: Integer, String: "Color Index", Column: "color"},
		withDefault(boolean("active", "Active"), true),
		// Odoo's auth_signup keeps this one for Access Rights managers.
		{Name: "signup_type", Type: Char, String: "Signup Token Type", Column: "signup_type", Groups: "base.group_erp_manager", NoCopy: true},
		{Name: "image_1920", Type: Binary, String: "Image", Column: "image_1920"},
		{Name: "user_ids", Type: One2many, String: "Users", Relation: "res.users", InverseName: "partner_id"},
		{Name: "category_id", Type: Many2many, String: "Tags", Relation: "res.partner.category",
			RelTable: "res_partner_res_partner_category_rel", RelCol: "partner_id", RelOther: "category_id"},
		{Name: "company_type", Type: Selection, String: "Company Type", Depends: []string{"is_company"},
			Selection: [][2]string{{"person", "Individual"}, {"company", "Company"}},
			Compute: func(_ *Env, recs []Record) error {
				for _, r := range recs {
					if r["is_company"] == true {
						r["company_type"] = "company"
					} else {
						r["company_type"] = "person"
					}
				}
				return nil
			}},
	} {
		m.AddField(f)
	}
	m.Fields["name"].Help = "The name of the contact or company."
	m.DisplayName = partnerDisplayName
	m.BeforeCreate = func(_ context.Context, _ *Env, vals map[string]any) error { return companyTypeInverse(vals) }
	m.BeforeWrite = func(_ context.Context, _ *Env, _ []int64, vals map[string]any) error { return companyTypeInverse(vals) }
	m.AfterCreate = func(ctx context.Context, env *Env, id int64, _ map[string]any) error {
		if err := env.checkPartnerName(ctx, []int64{id}); err != nil {
			return err
		}
		return env.syncCommercialPartner(ctx, []int64{id})
	}
	m.AfterWrite = func(ctx context.Context, env *Env, ids []int64, vals map[string]any) error {
		_, name := vals["name"]
		if _, typ := vals["type"]; name || typ {
			if err := env.checkPartnerName(ctx, ids); err != nil {
				return err
			}
		}
		if _, ok := vals["parent_id"]; ok {
			return env.syncCommercialPartner(ctx, ids)
		}
		if _, ok := vals["is_company"]; ok {
			return env.syncCommercialPartner(ctx, ids)
		}
		return nil
	}
	return m
}

// partnerDisplayName prefixes a contact's name with its parent's, as Odoo
// shows "Company, Contact".
func partnerDisplayName(ctx context.Context, env *Env, recs []Record) error {
	var parents []int64
	for _, r := range recs {
		if id, ok := r["parent_id"].(int64); ok && r["is_company"] != true {
			parents = append(parents, id)
		}
	}
	names := map[int64]any{}
	if len(parents) > 0 {
		var err error
		if names, err = env.Sudo().DisplayNames(ctx, env.Registry.Model("res.partner"), parents); err != nil {
			return err
		}
	}
	for _, r := range recs {
		name, _ := r["name"].(string)
		if pid, ok := r["parent_id"].(int64); ok && r["is_company"] != true {
			if pn, ok := names[pid].(string); ok && pn != "" {
				if name == "" {
					name = pn
				} else {
					name = pn + ", " + name
				}
			}
		}
		r["display_name"] = name
	}
	return nil
}

// syncCommercialPartner stores the commercial entity: the record itself when
// it is a company or has no parent, else its parent's commercial entity.
func (env *Env) syncCommercialPartner(ctx context.Context, ids []int64) error {
	args := int64Args(ids)
	_, err := env.exec(ctx, `UPDATE res_partner SET commercial_partner_id = CASE
		WHEN is_company OR parent_id IS NULL THEN id
		ELSE COALESCE((SELECT p.commercial_partner_id FROM res_partner p WHERE p.id = res_partner.parent_id), parent_id) END
		WHERE id IN (`+placeholders(len(ids))+`)`, args...)
	return err
}

// companyTypeInverse writes company_type through is_company, as Odoo's
// inverse method does.
func companyTypeInverse(vals map[string]any) error {
	v, ok := vals["company_type"]
	if !ok {
		return nil
	}
	switch v {
	case "company":
		vals["is_company"] = true
	case "person", false, nil:
		vals["is_company"] = false
	default:
		return ServerErrorf("builtins.ValueError", "Wrong value for res.partner.company_type: %s", py.Repr(v))
	}
	delete(vals, "company_type")
	return nil
}

const partnerNameMessage = "Contacts require a name"

// checkPartnerName is Odoo's check_name constraint on res.partner,
// CHECK((type='contact' AND name IS NOT NULL) or (type!='contact')): a
// contact must have a name, other addresses need not. godoo checks it after
// the statement, on both stores, and answers as Odoo does for a CHECK
// constraint; the transaction rolls the statement back.
func (env *Env) checkPartnerName(ctx context.Context, ids []int64) error {
	var n int64
	q := "SELECT COUNT(*) FROM res_partner WHERE type = ? AND name IS NULL AND id IN (" + placeholders(len(ids)) + ")"
	if _, err := env.scalar(ctx, &n, q, append([]any{"contact"}, int64Args(ids)...)...); err != nil {
		return err
	}
	if n > 0 {
		return ValidationErrorf("The operation cannot be completed: %s", partnerNameMessage)
	}
	return nil
}
