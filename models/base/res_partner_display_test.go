package base_test

import (
	"context"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestPartnerNameDecorations checks, on both stores, what the context adds
// to a partner's display name, as Odoo's: the address without the
// company (its empty lines dropped), the id, the lines on one, the email
// and the tax id; a contact's company name stays plain.
func TestPartnerNameDecorations(t *testing.T) {
	eachInstalled(t, func(t *testing.T, ctx context.Context, env *models.Env, r *models.Registry) error {
		de, err := env.XMLID(ctx, "base.de")
		if err != nil {
			return err
		}
		m := r.Model("res.partner")
		company, err := env.Create(ctx, m, map[string]any{"name": "Krautwerk GmbH", "is_company": true, "street": "Torstraße 12",
			"zip": "10119", "city": "Berlin", "country_id": de, "email": "info@krautwerk.example", "vat": "DE123"})
		if err != nil {
			return err
		}
		contact, err := env.Create(ctx, m, map[string]any{"name": "Ana Lima", "parent_id": company, "email": "ana@krautwerk.example"})
		if err != nil {
			return err
		}
		for _, c := range []struct {
			name    string
			id      int64
			context map[string]any
			want    string
		}{
			{"plain", contact, nil, "Krautwerk GmbH, Ana Lima"},
			{"show_email", contact, map[string]any{"show_email": true}, "Krautwerk GmbH, Ana Lima <ana@krautwerk.example>"},
			{"show_address", company, map[string]any{"show_address": true}, "Krautwerk GmbH\nTorstraße 12\n10119 Berlin\nGermany"},
			{"address_inline", company, map[string]any{"show_address": true, "address_inline": true}, "Krautwerk GmbH, Torstraße 12, 10119 Berlin, Germany"},
			{"show_vat", company, map[string]any{"show_vat": true}, "Krautwerk GmbH \u2012 DE123"},
			{"false flags", contact, map[string]any{"show_email": false, "show_address": false}, "Krautwerk GmbH, Ana Lima"},
		} {
			e := env
			if c.context != nil {
				e = env.WithContext(c.context)
			}
			recs, err := e.Read(ctx, m, []int64{c.id}, []string{"display_name"}, true)
			if err != nil {
				return err
			}
			if got := recs[0]["display_name"]; got != c.want {
				t.Errorf("%s: display_name = %q, want %q", c.name, got, c.want)
			}
		}
		return nil
	})
}
