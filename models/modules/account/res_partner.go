package account

import "github.com/godoo/godoo/models"

// partnerBehaviour is what account adds to res.partner: a company
// partner's country written fills its company's empty fiscal country. The
// receivable and payable accounts of a new partner come from the
// company's ir.default that the chart sets, as in Odoo, not from a
// default of account's own.
func partnerBehaviour() *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{AfterWrite: partnerFiscalCountryWritten}}
}
