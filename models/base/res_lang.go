package base

import (
	"context"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// langBehaviour is res.lang's: a language made without a url_code gets its
// ISO code, or else its code, as Odoo's create gives it, since url_code is
// required.
func langBehaviour() *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{
		BeforeCreate: func(_ context.Context, _ *models.Env, vals map[string]any) error {
			if py.Truthy(vals["url_code"]) {
				return nil
			}
			if iso := vals["iso_code"]; py.Truthy(iso) {
				vals["url_code"] = iso
			} else if code, ok := vals["code"]; ok {
				vals["url_code"] = code
			}
			return nil
		},
	}}
}
