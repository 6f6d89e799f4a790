package sale

import (
	"context"
	"database/sql"
	"time"

	"github.com/godoo/godoo/models"
)

// orderDefaultGet is Odoo's default_get of sale.order: the engine's,
// with the call's company (Odoo's default env.company, the first of the
// context's allowed companies, else the user's) in the place company_id
// was asked at.
func orderDefaultGet(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
	res, err := models.DefaultGet(ctx, env, m, ids, a)
	if err != nil {
		return nil, err
	}
	got := res.(*models.Dict)
	if _, ok := got.Get("company_id"); ok {
		return got, nil // the context's default_company_id
	}
	asked, _ := a["fields_list"].([]any)
	out := models.NewDict(got.Len() + 1)
	for _, n := range asked {
		name, _ := n.(string)
		if name == "company_id" {
			company, err := env.Company(ctx)
			if err != nil {
				return nil, err
			}
			out.Set(name, false)
			if company != 0 {
				out.Set(name, company)
			}
			continue
		}
		if v, ok := got.Get(name); ok {
			out.Set(name, v)
		}
	}
	return out, nil
}

// orderCreateComputes fills, when vals has none, what Odoo computes when
// an order is created: the salesperson (the customer's, else the
// caller), the sales team (the salesperson's, else the first of the
// order's company or of none, as crm.team orders them), the validity (the
// company's quotation_validity_days from today, none for 0) and whether
// the order asks for a signature and a payment (the company's portal
// settings).
func orderCreateComputes(ctx context.Context, env *models.Env, vals map[string]any) error {
	company := toID(vals["company_id"])
	if _, ok := vals["user_id"]; !ok {
		vals["user_id"] = env.UID
		if partner := toID(vals["partner_id"]); partner != 0 {
			var user int64
			if _, err := env.Scalar(ctx, &user, `SELECT COALESCE(p.user_id, c.user_id, 0) FROM res_partner p
				LEFT JOIN res_partner c ON c.id = p.commercial_partner_id WHERE p.id = ?`, partner); err != nil {
				return err
			}
			if user != 0 {
				vals["user_id"] = user
			}
		}
	}
	if _, ok := vals["team_id"]; !ok {
		team, err := defaultTeam(ctx, env, toID(vals["user_id"]), company)
		if err != nil {
			return err
		}
		if team != 0 {
			vals["team_id"] = team
		}
	}
	var days sql.NullInt64
	var sign, pay sql.NullBool
	rows, err := env.Query(ctx, "SELECT quotation_validity_days, portal_confirmation_sign, portal_confirmation_pay FROM res_company WHERE id = ?", company)
	if err != nil {
		return err
	}
	if rows.Next() {
		err = rows.Scan(&days, &sign, &pay)
	}
	rows.Close()
	if err != nil {
		return err
	}
	if _, ok := vals["validity_date"]; !ok && days.Int64 > 0 {
		vals["validity_date"] = env.Now.AddDate(0, 0, int(days.Int64)).Format(time.DateOnly)
	}
	if _, ok := vals["require_signature"]; !ok {
		vals["require_signature"] = sign.Bool
	}
	if _, ok := vals["require_payment"]; !ok {
		vals["require_payment"] = pay.Bool
	}
	return nil
}

// defaultTeam is Odoo's default sales team of an order (crm.team's
// _get_default_team_id): among the active teams of company or of none, a
// team user leads or is a member of first, then the first in crm.team's
// order; 0 for none.
func defaultTeam(ctx context.Context, env *models.Env, user, company int64) (int64, error) {
	ids, err := env.Int64s(ctx, `SELECT t.id FROM crm_team t
		WHERE t.active = ? AND (t.company_id IS NULL OR t.company_id = ?)
		ORDER BY CASE WHEN t.user_id = ? OR EXISTS (SELECT 1 FROM crm_team_member m
			WHERE m.crm_team_id = t.id AND m.user_id = ? AND m.active = ?) THEN 0 ELSE 1 END,
			COALESCE(t.sequence, 0), t.create_date DESC, t.id DESC LIMIT 1`, true, company, user, user, true)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}
