package account

import (
	"context"
	"time"

	"github.com/godoo/godoo/models"
)

// companyDefaults are Odoo's defaults of the required fields account
// adds to res.company: the fiscal year ends on 31 December, the opening
// date is the first of January of this year, sales prices exclude taxes,
// taxes are rounded per line (tax_calculation_rounding_method, not
// required, which the amounts of sales order lines follow).
var companyDefaults = map[string]func(context.Context, *models.Env) any{
	"fiscalyear_last_day":             func(context.Context, *models.Env) any { return int64(31) },
	"fiscalyear_last_month":           func(context.Context, *models.Env) any { return "12" },
	"account_opening_date":            func(_ context.Context, env *models.Env) any { return openingDate(env.Now) },
	"account_price_include":           func(context.Context, *models.Env) any { return "tax_excluded" },
	"tax_calculation_rounding_method": func(context.Context, *models.Env) any { return "round_per_line" },
}

// openingDate is Odoo's default opening date of a company's accounts
// on the day of now: the first of January of its year.
func openingDate(now time.Time) string {
	return time.Date(now.Year(), time.January, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// companyBehaviour gives res.company the defaults of account's fields.
func companyBehaviour() *models.Behaviour {
	return &models.Behaviour{Defaults: companyDefaults}
}

// companySettings gives the companies that exist when account is
// installed the defaults of its required fields, as Odoo fills a required
// column it adds: their columns are empty otherwise.
func companySettings(ctx context.Context, env *models.Env) error {
	for _, name := range []string{"fiscalyear_last_day", "fiscalyear_last_month", "account_opening_date", "account_price_include",
		"tax_calculation_rounding_method"} {
		col := models.ColumnName(name)
		if _, err := env.Exec(ctx, "UPDATE res_company SET "+col+" = ? WHERE "+col+" IS NULL", companyDefaults[name](ctx, env)); err != nil {
			return err
		}
	}
	return nil
}
