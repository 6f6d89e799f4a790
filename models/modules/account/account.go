// Package account is the Go behaviour of Odoo's account module that
// scripts meet without touching accounting: a company's accounting
// settings that Odoo requires have Odoo's defaults, so that a company is
// created with a name alone, as in Odoo; an account's code and name,
// and the receivable and payable accounts a partner takes from its
// company's chart: the two accounts of generic_coa that Odoo's chart
// gives the main company, with Odoo's external ids
// (account.<company id>_receivable), made at install (Chart).
package account

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/godoo/godoo/models"
)

// Behaviours are the module's behaviours, laid over those of the models
// they name.
func Behaviours() map[string]func() *models.Behaviour {
	return map[string]func() *models.Behaviour{
		"account.account": accountBehaviour,
		"res.partner":     partnerBehaviour,
		"res.company":     companyBehaviour,
		"account.tax":     taxBehaviour,
		"account.tax.group": func() *models.Behaviour {
			return &models.Behaviour{Defaults: map[string]func(context.Context, *models.Env) any{"company_id": envCompany}}
		},
		"product.template": productBehaviour,
	}
}

// chart are the accounts of Odoo's generic chart (generic_coa) that
// godoo gives the main company, by the suffix of their external ids
// (account.<company id>_<suffix>, as Odoo's chart names them), with the
// partner's company-dependent field each is the default of.
var chart = []struct{ suffix, code, name, kind, field string }{
	{"receivable", "121000", "Account Receivable", "asset_receivable", "property_account_receivable_id"},
	{"payable", "211000", "Account Payable", "liability_payable", "property_account_payable_id"},
}

// Install is account's install, and its upgrade for a database where
// account was installed before its install did all it does now: the
// companies get the defaults of account's required settings, and the main
// company its chart's accounts.
func Install(ctx context.Context, env *models.Env) error {
	if err := companySettings(ctx, env); err != nil {
		return err
	}
	return Chart(ctx, env)
}

// Chart creates the accounts of chart the main company lacks, with their
// external ids, and makes them the company's ir.default of the partners'
// company-dependent fields, which every partner without a value of its
// own reads. It is account's install, and its upgrade for a database
// where account was installed before its install made the chart: a
// database that has the chart is left as it is.
func Chart(ctx context.Context, env *models.Env) error {
	company, err := env.XMLID(ctx, "base.main_company")
	if err != nil || company == 0 {
		return err
	}
	for _, a := range chart {
		name := fmt.Sprintf("%d_%s", company, a.suffix)
		if id, err := env.XMLID(ctx, "account."+name); err != nil || id != 0 {
			if err != nil {
				return err
			}
			continue
		}
		id, err := env.Create(ctx, env.Registry.Model("account.account"), map[string]any{"name": a.name, "code_store": a.code,
			"account_type": a.kind, "reconcile": true, "company_ids": []any{[]any{int64(6), int64(0), []any{company}}}})
		if err != nil {
			return fmt.Errorf("account %s: %w", a.code, err)
		}
		if _, err := env.Create(ctx, env.Registry.Model("ir.model.data"), map[string]any{"module": "account", "name": name,
			"model": "account.account", "res_id": id, "noupdate": true}); err != nil {
			return err
		}
		if err := companyDefault(ctx, env, "res.partner", a.field, company, id); err != nil {
			return err
		}
	}
	return nil
}

// companyDefault makes value the ir.default of model's field for
// company, in place of the one it had (an account the chart no longer
// has): the value every partner without one of its own reads in a
// company-dependent field, as Odoo's chart template sets it.
func companyDefault(ctx context.Context, env *models.Env, model, field string, company int64, value any) error {
	var fid int64
	if _, err := env.Scalar(ctx, &fid, "SELECT id FROM ir_model_fields WHERE model = ? AND name = ?", model, field); err != nil || fid == 0 {
		return err
	}
	if _, err := env.Exec(ctx, "DELETE FROM ir_default WHERE field_id = ? AND company_id = ? AND user_id IS NULL", fid, company); err != nil {
		return err
	}
	b, err := json.Marshal(value)
	if err != nil {
		return err
	}
	_, err = env.Sudo().Create(ctx, env.Registry.Model("ir.default"), map[string]any{"field_id": fid, "company_id": company, "json_value": string(b)})
	return err
}
