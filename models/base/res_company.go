package base

import (
	"context"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// companyBehaviour is res.company's: a new company's currency is, unless
// given, its creator's company's, as Odoo's _default_currency_id, since
// currency_id is required; a company created without a partner gets one,
// and once made it joins its creator's companies, as Odoo's create does;
// its place in the hierarchy is fixed at its creation (companyBeforeWrite);
// its address is its partner's, read and written through
// (res_company_address.go).
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
		Computes: companyAddressComputes(),
		Hooks: models.Hooks{BeforeCreate: companyBeforeCreate, AfterCreate: companyAfterCreate, BeforeWrite: companyBeforeWrite,
			AfterWrite: writeCompanyAddress},
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

// companyAfterCreate adds a new company to the companies of the user who
// created it and of the superuser, and activates its currency, as Odoo's
// create does, so that its creator can switch to it at once
// (allowed_company_ids names only a user's companies). The creator could
// create a company, which takes the rights to manage users' companies;
// the write runs as the superuser so that no rule on users stands between
// the company and its creator. The first company is made before any user
// (base's install), and so joins none.
func companyAfterCreate(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
	if err := writeCompanyAddress(ctx, env, []int64{id}, vals); err != nil {
		return err
	}
	users, err := env.Int64s(ctx, "SELECT id FROM res_users WHERE id IN (?, ?)", env.UID, models.SuperuserID)
	if err != nil {
		return err
	}
	su := env.Sudo()
	if len(users) > 0 {
		if err := su.Write(ctx, env.Registry.Model("res.users"), users, map[string]any{"company_ids": []any{[]any{int64(4), id, int64(0)}}}); err != nil {
			return err
		}
	}
	var currency int64
	if ok, err := env.Scalar(ctx, &currency, "SELECT currency_id FROM res_company WHERE id = ?", id); err != nil || !ok || currency == 0 {
		return err
	}
	var active bool
	if _, err := env.Scalar(ctx, &active, "SELECT active FROM res_currency WHERE id = ?", currency); err != nil || active {
		return err
	}
	return su.Write(ctx, env.Registry.Model("res.currency"), []int64{currency}, map[string]any{"active": true})
}

// companyBeforeWrite refuses any write of parent_id, even of the value
// the company already has, with the UserError of Odoo 18's
// res.company.write: a company's parent is chosen when it is created and
// never changed after, so that a branch stays under the root whose
// delegated fields it shares.
func companyBeforeWrite(_ context.Context, _ *models.Env, _ []int64, vals map[string]any) error {
	if _, ok := vals["parent_id"]; ok {
		return models.UserErrorf("The company hierarchy cannot be changed.")
	}
	return nil
}
