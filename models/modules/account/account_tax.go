package account

import (
	"context"
	"database/sql"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// taxBehaviour is account.tax's: Odoo's defaults (a tax of sales, a
// percentage, first in sequence, of the call's company), the country and
// the tax group a tax takes from its company when not given (Odoo's
// precomputed _compute_country_id and _compute_tax_group_id), and
// price_include, from the tax's own choice or else its company's
// (account_price_include), which the amounts of sales order lines follow.
func taxBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{BeforeCreate: taxCountryAndGroup},
		Defaults: map[string]func(context.Context, *models.Env) any{
			"type_tax_use": func(context.Context, *models.Env) any { return "sale" },
			"amount_type":  func(context.Context, *models.Env) any { return "percent" },
			"sequence":     func(context.Context, *models.Env) any { return int64(1) },
			"active":       func(context.Context, *models.Env) any { return true },
			"company_id":   envCompany,
		},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
			"price_include": priceInclude,
		},
	}
}

// envCompany is the call's company (env.company), false for none.
func envCompany(ctx context.Context, env *models.Env) any {
	company, err := env.Company(ctx)
	if err != nil || company == 0 {
		return false
	}
	return company
}

// taxCountryAndGroup gives a new tax given no country its company's
// fiscal country (else its country, its partner's), and given no group the first group
// of its company (or of none) for that country, else the first of no
// country, as Odoo's computes: without one, the create fails as Odoo's
// does, on the required field.
func taxCountryAndGroup(ctx context.Context, env *models.Env, vals map[string]any) error {
	company, _ := models.ToInt64(vals["company_id"])
	if company == 0 {
		return nil
	}
	country, _ := models.ToInt64(vals["country_id"])
	if country == 0 {
		var c sql.NullInt64
		if _, err := env.Scalar(ctx, &c, "SELECT COALESCE(c.account_fiscal_country_id, p.country_id) FROM res_company c "+
			"LEFT JOIN res_partner p ON p.id = c.partner_id WHERE c.id = ?", company); err != nil {
			return err
		}
		if c.Valid {
			country = c.Int64
			vals["country_id"] = country
		}
	}
	if py.Truthy(vals["tax_group_id"]) {
		return nil
	}
	// The companies a group may belong to: none, the tax's or one of its
	// parents (Odoo's _check_company_domain).
	var path sql.NullString
	if _, err := env.Scalar(ctx, &path, "SELECT parent_path FROM res_company WHERE id = ?", company); err != nil {
		return err
	}
	companies := models.IDArgs(CompanyPath(path.String, company))
	inCompanies := "(company_id IS NULL OR company_id IN (" + models.Placeholders(len(companies)) + "))"
	var group int64
	if country != 0 {
		if _, err := env.Scalar(ctx, &group, "SELECT id FROM account_tax_group WHERE "+inCompanies+" AND country_id = ? ORDER BY sequence, id LIMIT 1",
			append(companies, country)...); err != nil {
			return err
		}
	}
	if group == 0 {
		if _, err := env.Scalar(ctx, &group, "SELECT id FROM account_tax_group WHERE "+inCompanies+" AND country_id IS NULL ORDER BY sequence, id LIMIT 1",
			companies...); err != nil {
			return err
		}
	}
	if group != 0 {
		vals["tax_group_id"] = group
	}
	return nil
}

// CompanyPath are the companies of a company's parent_path ("1/4/"),
// the root first, or company alone when the path names none: the
// hierarchy Odoo walks for a company's taxes (_check_company_domain,
// _filter_taxes_by_company, root_id).
func CompanyPath(path string, company int64) []int64 {
	var out []int64
	var n int64
	for _, c := range path {
		switch {
		case c == '/':
			if n != 0 {
				out = append(out, n)
			}
			n = 0
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
		}
	}
	if len(out) == 0 && company != 0 {
		out = []int64{company}
	}
	return out
}

// priceInclude is Odoo's _compute_price_include: the tax's own choice
// (price_include_override), else its company's (account_price_include).
func priceInclude(ctx context.Context, env *models.Env, recs []models.Record) error {
	ids := make([]any, len(recs))
	for i, r := range recs {
		ids[i] = r["id"]
	}
	rows, err := env.Query(ctx, "SELECT t.id, COALESCE(t.price_include_override, c.account_price_include, '') FROM account_tax t "+
		"LEFT JOIN res_company c ON c.id = t.company_id WHERE t.id IN ("+models.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	included := map[int64]bool{}
	for rows.Next() {
		var id int64
		var how string
		if err := rows.Scan(&id, &how); err != nil {
			return err
		}
		included[id] = how == "tax_included"
	}
	for _, r := range recs {
		id, _ := r["id"].(int64)
		r["price_include"] = included[id]
	}
	return rows.Err()
}
