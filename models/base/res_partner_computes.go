package base

import (
	"context"
	"database/sql"
	"time"

	"github.com/godoo/godoo/models"
)

// partnerComputes are the fields of res.partner Odoo computes on read
// from the database and the call rather than from the record.
var partnerComputes = map[string]func(context.Context, *models.Env, []models.Record) error{
	"_compute_active_lang_count":      computeActiveLangCount,
	"_compute_tz_offset":              computeTZOffset,
	"_compute_vat_label":              computeVATLabel,
	"_compute_company_registry_label": computeCompanyRegistryLabel,
	"_compute_get_ids":                computeSelf,
}

// computeActiveLangCount is active_lang_count: how many languages are
// active, the same for every partner.
func computeActiveLangCount(ctx context.Context, env *models.Env, recs []models.Record) error {
	var n int64
	if _, err := env.Scalar(ctx, &n, "SELECT COUNT(*) FROM res_lang WHERE active = ?", true); err != nil {
		return err
	}
	for _, r := range recs {
		r["active_lang_count"] = n
	}
	return nil
}

// computeTZOffset is tz_offset: the partner's time zone's offset from UTC
// now, as Python's %z writes it ("+0200"); UTC without a time zone, or
// with one this system does not know.
func computeTZOffset(ctx context.Context, env *models.Env, recs []models.Record) error {
	for _, r := range recs {
		loc := time.UTC
		if tz, _ := r["tz"].(string); tz != "" {
			if l, err := time.LoadLocation(tz); err == nil {
				loc = l
			}
		}
		r["tz_offset"] = env.Now.In(loc).Format("-0700")
	}
	return nil
}

// computeVATLabel is vat_label: what the tax id is called in the country
// of the call's company, "Tax ID" when it names nothing.
func computeVATLabel(ctx context.Context, env *models.Env, recs []models.Record) error {
	companies, err := sequenceCompanies(ctx, env)
	if err != nil {
		return err
	}
	label := "Tax ID"
	if len(companies) > 0 {
		var l sql.NullString
		if _, err := env.Scalar(ctx, &l, "SELECT c.vat_label FROM res_company co JOIN res_partner p ON p.id = co.partner_id "+
			"JOIN res_country c ON c.id = p.country_id WHERE co.id = ?", companies[0]); err != nil {
			return err
		}
		if l.String != "" {
			label = l.String
		}
	}
	for _, r := range recs {
		r["vat_label"] = label
	}
	return nil
}

// computeCompanyRegistryLabel is company_registry_label: "Company ID",
// which Odoo's localisations rename.
func computeCompanyRegistryLabel(ctx context.Context, _ *models.Env, recs []models.Record) error {
	for _, r := range recs {
		r["company_registry_label"] = "Company ID"
	}
	return nil
}

// computeSelf is self: the partner itself, as a many2one.
func computeSelf(ctx context.Context, _ *models.Env, recs []models.Record) error {
	for _, r := range recs {
		r["self"] = r["id"]
	}
	return nil
}

// syncPartnerShare stores partner_share of partners, Odoo's stored
// compute: a partner is shared unless an active internal user is theirs;
// the superuser's partner never is.
func syncPartnerShare(ctx context.Context, env *models.Env, partners []int64) error {
	partners = models.UniqueIDs(partners)
	if len(partners) == 0 {
		return nil
	}
	args := append([]any{true, false, false, models.SuperuserID}, models.IDArgs(partners)...)
	_, err := env.Exec(ctx, "UPDATE res_partner SET partner_share = NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = res_partner.id "+
		"AND u.active = ? AND COALESCE(u.share, ?) = ?) AND NOT EXISTS (SELECT 1 FROM res_users s WHERE s.id = ? AND s.partner_id = res_partner.id) "+
		"WHERE id IN ("+models.Placeholders(len(partners))+")", args...)
	return err
}

// syncUsersPartnerShare stores partner_share of the partners of the users
// uids.
func syncUsersPartnerShare(ctx context.Context, env *models.Env, uids []int64) error {
	if len(uids) == 0 {
		return nil
	}
	partners, err := env.Int64s(ctx, "SELECT partner_id FROM res_users WHERE id IN ("+models.Placeholders(len(uids))+")", models.IDArgs(uids)...)
	if err != nil {
		return err
	}
	return syncPartnerShare(ctx, env, partners)
}
