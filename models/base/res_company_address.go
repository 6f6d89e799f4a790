package base

import (
	"context"

	"github.com/godoo/godoo/models"
)

// companyAddressFields are the fields of res.company that Odoo 18
// computes from the company's partner (_compute_address) and writes back
// to it (_inverse_street and its siblings): they have no column, so that
// a company's address is its partner's, whichever of the two is written.
var companyAddressFields = []string{"street", "street2", "zip", "city", "state_id", "country_id"}

// companyAddressComputes read each address field from the company's
// partner, as the superuser, as Odoo's _compute_address reads the
// partner's address with sudo: a user who may read the company sees its
// address even when no rule lets them read its partner. Odoo takes the
// partner's contact address, which for a company partner is the partner
// itself.
func companyAddressComputes() map[string]func(context.Context, *models.Env, []models.Record) error {
	out := make(map[string]func(context.Context, *models.Env, []models.Record) error, len(companyAddressFields))
	for _, name := range companyAddressFields {
		out[name] = func(ctx context.Context, env *models.Env, recs []models.Record) error {
			return computeCompanyAddress(ctx, env, recs, name)
		}
	}
	return out
}

// computeCompanyAddress fills field name of recs, companies, with their
// partners' value of the same field; false for a company without one.
func computeCompanyAddress(ctx context.Context, env *models.Env, recs []models.Record, name string) error {
	ids := make([]int64, 0, len(recs))
	for _, r := range recs {
		if id, ok := models.ToInt64(r["id"]); ok {
			ids = append(ids, id)
		}
	}
	partnerOf := map[int64]int64{}
	var partners []int64
	if len(ids) > 0 {
		rows, err := env.Query(ctx, "SELECT id, partner_id FROM res_company WHERE id IN ("+models.Placeholders(len(ids))+") AND partner_id IS NOT NULL",
			models.IDArgs(ids)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c, p int64
			if err := rows.Scan(&c, &p); err != nil {
				rows.Close()
				return err
			}
			partnerOf[c] = p
			partners = append(partners, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	values := map[int64]any{}
	if len(partners) > 0 {
		read, err := env.Sudo().Read(ctx, env.Registry.Model("res.partner"), partners, []string{name}, false)
		if err != nil {
			return err
		}
		for _, p := range read {
			if id, ok := models.ToInt64(p["id"]); ok {
				values[id] = p[name]
			}
		}
	}
	for _, r := range recs {
		c, _ := models.ToInt64(r["id"])
		v, ok := values[partnerOf[c]]
		if !ok {
			v = false
		}
		r[name] = v
	}
	return nil
}

// writeCompanyAddress writes the address fields of vals to the partners
// of the companies ids, as Odoo's inverses do on create and write, as
// the caller, so that the rules on partners apply; the company itself
// keeps no copy.
func writeCompanyAddress(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	pv := map[string]any{}
	for _, name := range companyAddressFields {
		if v, ok := vals[name]; ok {
			pv[name] = v
		}
	}
	if len(pv) == 0 || len(ids) == 0 {
		return nil
	}
	partners, err := env.Int64s(ctx, "SELECT DISTINCT partner_id FROM res_company WHERE id IN ("+models.Placeholders(len(ids))+") AND partner_id IS NOT NULL",
		models.IDArgs(ids)...)
	if err != nil || len(partners) == 0 {
		return err
	}
	return env.Write(ctx, env.Registry.Model("res.partner"), partners, pv)
}
