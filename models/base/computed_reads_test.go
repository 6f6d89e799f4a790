package base_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestComputedReads checks, on both stores, the values read of fields
// Odoo computes, on a new database's records.
func TestComputedReads(t *testing.T) {
	eachInstalled(t, func(t *testing.T, ctx context.Context, env *models.Env, r *models.Registry) error {
		admin, err := env.XMLID(ctx, "base.partner_admin")
		if err != nil {
			return err
		}
		// A zone without summer time: its offset is the same any day.
		if err := env.Write(ctx, r.Model("res.partner"), []int64{admin}, map[string]any{"tz": "Asia/Kolkata"}); err != nil {
			return err
		}
		for _, c := range []struct {
			name, model, xmlid, field string
			want                      any
		}{
			{"new_password reads empty", "res.users", "base.user_admin", "new_password", ""},
			{"one language active", "res.partner", "base.main_partner", "active_lang_count", int64(1)},
			{"a time zone's offset", "res.partner", "base.partner_admin", "tz_offset", "+0530"},
			{"no time zone is UTC", "res.partner", "base.main_partner", "tz_offset", "+0000"},
			{"a company without a country names the tax id", "res.partner", "base.main_partner", "vat_label", "Tax ID"},
			{"company registry", "res.partner", "base.main_partner", "company_registry_label", "Company ID"},
			{"an internal user's partner is not shared", "res.partner", "base.partner_admin", "partner_share", false},
			{"the superuser's partner is not shared", "res.partner", "base.partner_root", "partner_share", false},
			{"a partner without users is shared", "res.partner", "base.main_partner", "partner_share", true},
			{"an archived user's partner is shared", "res.users", "base.public_user", "partner_share", true},
			{"self is the partner", "res.partner", "base.main_partner", "self", []any{int64(-1), "My Company"}},
		} {
			id, err := env.XMLID(ctx, c.xmlid)
			if err != nil {
				return err
			}
			recs, err := env.Read(ctx, r.Model(c.model), []int64{id}, []string{c.field}, true)
			if err != nil {
				return err
			}
			want := c.want
			if pair, ok := want.([]any); ok && pair[0] == int64(-1) {
				want = []any{id, pair[1]} // the record itself
			}
			if got := recs[0][c.field]; !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s.%s = %#v, want %#v", c.name, c.model, c.field, got, want)
			}
		}
		return nil
	})
}
