package account

import (
	"context"

	"github.com/godoo/godoo/models"
)

// fillFiscalCountry gives the companies that where selects (a condition
// on res_company, with args) and that have no fiscal country their
// country, their partner's, as Odoo 18's
// compute_account_tax_fiscal_country does: account_fiscal_country_id is
// stored and editable, computed from country_id only while it is empty,
// so that a fiscal country chosen apart from the address is kept when
// the address moves.
func fillFiscalCountry(ctx context.Context, env *models.Env, where string, args ...any) error {
	_, err := env.Exec(ctx, "UPDATE res_company SET account_fiscal_country_id = "+
		"(SELECT p.country_id FROM res_partner p WHERE p.id = res_company.partner_id) "+
		"WHERE account_fiscal_country_id IS NULL AND partner_id IS NOT NULL AND ("+where+")", args...)
	return err
}

// companyFiscalCountryCreated fills the fiscal country of a new company
// from its country, unless it was given one, as Odoo computes the field
// on create.
func companyFiscalCountryCreated(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
	if _, given := vals["account_fiscal_country_id"]; given {
		return nil
	}
	return fillFiscalCountry(ctx, env, "id = ?", id)
}

// companyFiscalCountryWritten fills the fiscal country of companies
// whose country (or partner, which holds it) is written, when they have
// none, as Odoo recomputes it on a change of country_id.
func companyFiscalCountryWritten(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	_, country := vals["country_id"]
	_, partner := vals["partner_id"]
	if _, given := vals["account_fiscal_country_id"]; given || !country && !partner || len(ids) == 0 {
		return nil
	}
	return fillFiscalCountry(ctx, env, "id IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
}

// partnerFiscalCountryWritten fills the fiscal country of the companies
// whose partner's country is written directly, when they have none, as
// Odoo recomputes it: the company's country_id is its partner's.
func partnerFiscalCountryWritten(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	if _, country := vals["country_id"]; !country || len(ids) == 0 {
		return nil
	}
	return fillFiscalCountry(ctx, env, "partner_id IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
}

// FillFiscalCountries gives every company without a fiscal country its
// country: account's step for a database an older godoo made, which
// never computed the field.
func FillFiscalCountries(ctx context.Context, env *models.Env) error {
	return fillFiscalCountry(ctx, env, "1 = 1")
}
