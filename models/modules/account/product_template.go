package account

import (
	"context"

	"github.com/godoo/godoo/models"
)

// productBehaviour gives a new product the default taxes of the call's
// companies, as Odoo's defaults of taxes_id and supplier_taxes_id: each
// company's default sales (purchase) tax, else, when none of them has
// one, their root companies'.
func productBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Defaults: map[string]func(context.Context, *models.Env) any{
			"taxes_id": func(ctx context.Context, env *models.Env) any { return defaultTaxes(ctx, env, "account_sale_tax_id") },
			"supplier_taxes_id": func(ctx context.Context, env *models.Env) any {
				return defaultTaxes(ctx, env, "account_purchase_tax_id")
			},
		},
	}
}

// defaultTaxes is the command setting the taxes column names of the
// call's companies (env.companies: the context's allowed companies, else
// the user's current one), else of their root companies; an empty
// command when they have none.
func defaultTaxes(ctx context.Context, env *models.Env, column string) any {
	companies, err := envCompanies(ctx, env)
	none := []any{[]any{int64(6), int64(0), []any{}}}
	if err != nil || len(companies) == 0 {
		return none
	}
	args := models.IDArgs(companies)
	in := "(" + models.Placeholders(len(args)) + ")"
	taxes, err := env.Int64s(ctx, "SELECT DISTINCT "+column+" FROM res_company WHERE id IN "+in+" AND "+column+" IS NOT NULL ORDER BY "+column, args...)
	if err == nil && len(taxes) == 0 {
		var roots []int64
		if roots, err = rootCompanies(ctx, env, companies); err == nil {
			args = models.IDArgs(roots)
			taxes, err = env.Int64s(ctx, "SELECT DISTINCT "+column+" FROM res_company WHERE id IN ("+models.Placeholders(len(args))+") AND "+
				column+" IS NOT NULL ORDER BY "+column, args...)
		}
	}
	if err != nil || len(taxes) == 0 {
		return none
	}
	return []any{[]any{int64(6), int64(0), models.IDArgs(taxes)}}
}

// envCompanies are Odoo's env.companies: the context's allowed
// companies, else the user's current company.
func envCompanies(ctx context.Context, env *models.Env) ([]int64, error) {
	if v, ok := env.Context["allowed_company_ids"]; ok {
		if ids, err := models.IDList(v); err == nil && len(ids) > 0 {
			return ids, nil
		}
	}
	company, err := env.Company(ctx)
	if err != nil || company == 0 {
		return nil, err
	}
	return []int64{company}, nil
}

// rootCompanies are the root companies of companies (Odoo's root_id: the
// first of a company's parent_path).
func rootCompanies(ctx context.Context, env *models.Env, companies []int64) ([]int64, error) {
	rows, err := env.Query(ctx, "SELECT id, COALESCE(parent_path, '') FROM res_company WHERE id IN ("+
		models.Placeholders(len(companies))+")", models.IDArgs(companies)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		var path string
		if err := rows.Scan(&id, &path); err != nil {
			return nil, err
		}
		out = append(out, CompanyPath(path, id)[0])
	}
	return out, rows.Err()
}
