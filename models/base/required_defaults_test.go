package base_test

import (
	"context"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestRequiredDefaults checks, on both stores, the values Odoo gives the
// required fields a create may leave out: a company's currency is its
// creator's company's, a language's url_code its ISO code or else its
// code; and that a required field cannot be emptied, though its column
// (one of godoo's migrations) accepts NULL.
func TestRequiredDefaults(t *testing.T) {
	eachInstalled(t, func(t *testing.T, ctx context.Context, env *models.Env, r *models.Registry) error {
		usd, err := env.XMLID(ctx, "base.USD")
		if err != nil {
			return err
		}
		partner, err := env.Create(ctx, r.Model("res.partner"), map[string]any{"name": "Second Co", "is_company": true})
		if err != nil {
			return err
		}
		for _, tc := range []struct {
			name, model string
			vals        map[string]any
			field       string
			want        any
		}{
			{"company currency", "res.company", map[string]any{"name": "Second Co", "partner_id": partner}, "currency_id", usd},
			{"language iso code", "res.lang", map[string]any{"name": "Xx One", "code": "xx_ON", "iso_code": "xx"}, "url_code", "xx"},
			{"language code", "res.lang", map[string]any{"name": "Xx Two", "code": "xx_TW"}, "url_code", "xx_TW"},
			{"language url code", "res.lang", map[string]any{"name": "Xx Three", "code": "xx_TH", "iso_code": "xx", "url_code": "x3"}, "url_code", "x3"},
		} {
			m := r.Model(tc.model)
			id, err := env.Create(ctx, m, tc.vals)
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			recs, err := env.Read(ctx, m, []int64{id}, []string{tc.field}, false)
			if err != nil {
				return err
			}
			if got := recs[0][tc.field]; got != tc.want {
				t.Errorf("%s: %s = %#v, want %#v", tc.name, tc.field, got, tc.want)
			}
			if err := env.Write(ctx, m, []int64{id}, map[string]any{tc.field: false}); err == nil {
				t.Errorf("%s: %s emptied", tc.name, tc.field)
			}
		}
		return nil
	})
}
