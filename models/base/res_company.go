package base

import (
	"context"

	"github.com/godoo/godoo/models"
)

// companyBehaviour is res.company's: a new company's currency is, unless
// given, its creator's company's, as Odoo's _default_currency_id, since
// currency_id is required.
func companyBehaviour() *models.Behaviour {
	return &models.Behaviour{Defaults: map[string]func(*models.Env) any{
		"currency_id": func(env *models.Env) any {
			var id int64
			if ok, err := env.Scalar(context.Background(), &id, "SELECT currency_id FROM res_company WHERE id = ?", currentCompany(env)); err != nil || !ok || id == 0 {
				return false
			}
			return id
		},
	}}
}
