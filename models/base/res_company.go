package base

import (
	"context"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// companyBehaviour is res.company's: a new company's currency is, unless
// given, its creator's company's, as Odoo's _default_currency_id, since
// currency_id is required; a company created without a partner gets one,
// as Odoo's create makes it.
func companyBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Defaults: map[string]func(context.Context, *models.Env) any{
			"currency_id": func(ctx context.Context, env *models.Env) any {
				var id int64
				if ok, err := env.Scalar(ctx, &id, "SELECT currency_id FROM res_company WHERE id = ?", currentCompany(ctx, env)); err != nil || !ok || id == 0 {
					return false
				}
				return id
			},
		},
		Hooks: models.Hooks{BeforeCreate: companyBeforeCreate},
	}
}

// companyPartnerFields are the values of a new company its partner is
// made with, by the partner's field (Odoo's create: the logo is the
// partner's image).
var companyPartnerFields = map[string]string{"name": "name", "logo": "image_1920", "email": "email", "phone": "phone",
	"website": "website", "vat": "vat", "country_id": "country_id"}

// companyBeforeCreate creates the partner of a company named without one:
// a company partner with the company's name, logo, email, phone,
// website, tax id and country, as the caller, so that its access rules
// apply.
func companyBeforeCreate(ctx context.Context, env *models.Env, vals map[string]any) error {
	if name, _ := vals["name"].(string); name == "" || py.Truthy(vals["partner_id"]) {
		return nil
	}
	partners := env.Registry.Model("res.partner")
	pv := map[string]any{"is_company": true}
	for cf, pf := range companyPartnerFields {
		if v, ok := vals[cf]; ok && py.Truthy(v) && partners.Fields[pf] != nil {
			pv[pf] = v
		}
	}
	id, err := env.Create(ctx, partners, pv)
	if err != nil {
		return err
	}
	vals["partner_id"] = id
	return nil
}
