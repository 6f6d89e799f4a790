package account

import (
	"context"

	"github.com/godoo/godoo/models"
)

// partnerBehaviour is what account adds to res.partner: a new partner
// takes the receivable and payable accounts of the chart of the caller's
// company, as Odoo's default of these company-dependent fields (an
// ir.default the chart sets) gives them, in default_get too; a company
// partner's country written fills its company's empty fiscal country.
func partnerBehaviour() *models.Behaviour {
	defaults := map[string]func(context.Context, *models.Env) any{}
	for _, a := range chart {
		defaults[a.field] = func(ctx context.Context, env *models.Env) any {
			id, err := chartAccount(ctx, env, a.suffix)
			if err != nil {
				return false
			}
			return id
		}
	}
	return &models.Behaviour{Defaults: defaults, Hooks: models.Hooks{AfterWrite: partnerFiscalCountryWritten}}
}
