// Package account is the Go behaviour of Odoo's account module that
// scripts meet without touching accounting: an account's code and name,
// and the receivable and payable accounts a partner takes from its
// company's chart. The folder's records.json holds the two accounts of
// generic_coa that Odoo's chart gives the main company, with Odoo's
// external ids (account.<company id>_receivable).
package account

import (
	"context"
	"fmt"

	"github.com/godoo/godoo/models"
)

// Behaviours are the module's behaviours, laid over those of the models
// they name.
func Behaviours() map[string]func() *models.Behaviour {
	return map[string]func() *models.Behaviour{
		"account.account": accountBehaviour,
		"res.partner":     partnerBehaviour,
	}
}

// partnerAccounts are the partner's company-dependent accounts and the
// account of the chart each defaults to, by the suffix of its external id.
var partnerAccounts = []struct{ field, suffix string }{
	{"property_account_receivable_id", "receivable"},
	{"property_account_payable_id", "payable"},
}

// chartAccount is the id of the account of the chart of env's company
// whose external id ends with suffix, false when the company has none.
func chartAccount(ctx context.Context, env *models.Env, suffix string) (any, error) {
	company, err := env.Company(ctx)
	if err != nil || company == 0 {
		return false, err
	}
	id, err := env.Sudo().XMLID(ctx, fmt.Sprintf("account.%d_%s", company, suffix))
	if err != nil || id == 0 {
		return false, err
	}
	return id, nil
}

// Install gives the partners that exist when account is installed the
// receivable and payable accounts of the installing company's chart,
// which Odoo reads as the company's default of these company-dependent
// fields (godoo keeps them in a column, as base's barcode).
func Install(ctx context.Context, env *models.Env) error {
	for _, f := range partnerAccounts {
		id, err := chartAccount(ctx, env, f.suffix)
		if err != nil {
			return err
		}
		if id == false {
			continue
		}
		if _, err := env.Exec(ctx, "UPDATE res_partner SET "+f.field+" = ? WHERE "+f.field+" IS NULL", id); err != nil {
			return err
		}
	}
	return nil
}
