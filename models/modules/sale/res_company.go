package sale

import (
	"context"

	"github.com/godoo/godoo/models"
)

// companySettings are Odoo's defaults of the settings sale adds to
// res.company that its orders read: quotations ask for a signature, not
// a payment, and are valid 30 days.
var companySettings = map[string]func(context.Context, *models.Env) any{
	"portal_confirmation_sign": func(context.Context, *models.Env) any { return true },
	"portal_confirmation_pay":  func(context.Context, *models.Env) any { return false },
	"quotation_validity_days":  func(context.Context, *models.Env) any { return int64(30) },
}

// companyBehaviour gives new companies sale's settings.
func companyBehaviour() *models.Behaviour {
	return &models.Behaviour{Defaults: companySettings}
}

// installCompanySettings gives the companies that exist when sale is
// installed its settings' defaults, as Odoo fills the columns it adds
// (a boolean column is made false otherwise).
func installCompanySettings(ctx context.Context, env *models.Env) error {
	for _, name := range []string{"portal_confirmation_sign", "portal_confirmation_pay", "quotation_validity_days"} {
		if _, err := env.Exec(ctx, "UPDATE res_company SET "+models.ColumnName(name)+" = ?", companySettings[name](ctx, env)); err != nil {
			return err
		}
	}
	return nil
}
