package base

import (
	"context"
	"maps"

	"github.com/godoo/godoo/models"
)

// The fields a contact shares with its company, as Odoo's res.partner
// keeps them: the address of a contact of type "contact" is its parent's,
// and the commercial fields are the commercial entity's, on every one of
// its contacts.
var (
	partnerAddressFields    = []string{"street", "street2", "zip", "city", "state_id", "country_id"}
	partnerCommercialFields = []string{"vat", "company_registry", "industry_id"}
)

// noPartnerSync is the context key of the writes the synchronisation makes
// itself: Odoo writes them past res.partner's write, so they are not
// synchronised further.
const noPartnerSync = "godoo_no_partner_sync"

// syncPartnerFields is Odoo's _fields_sync after a create or a write of
// vals on ids: from upstream, a contact given a parent takes the
// commercial fields of its commercial entity, and a contact of type
// "contact" with a parent takes the parent's address when the parent has
// one; downstream, a commercial entity whose commercial fields changed
// gives them to all its contacts, and a partner whose address changed
// gives it to its direct contacts of type "contact".
func syncPartnerFields(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	if _, ok := env.Context[noPartnerSync]; ok {
		return nil
	}
	m := env.Registry.Model("res.partner")
	address, commercial := presentFields(m, partnerAddressFields), presentFields(m, partnerCommercialFields)
	su := env.Sudo().WithContext(withKey(env.Context, noPartnerSync))
	recs, err := su.WithContext(withKey(su.Context, "active_test", false)).Read(ctx, m, ids, []string{"parent_id", "type", "commercial_partner_id"}, false)
	if err != nil {
		return err
	}
	for _, r := range recs {
		id := r["id"].(int64)
		parent, _ := models.ToInt64(r["parent_id"])
		commercialID, _ := models.ToInt64(r["commercial_partner_id"])
		if models.Bool(vals["parent_id"]) && commercialID != id && len(commercial) > 0 {
			if err := copyFields(ctx, su, m, commercialID, []int64{id}, commercial, false); err != nil {
				return err
			}
		}
		if (models.Bool(vals["parent_id"]) || vals["type"] == "contact") && parent != 0 && r["type"] == "contact" {
			if err := copyFields(ctx, su, m, parent, []int64{id}, address, true); err != nil {
				return err
			}
		}
		if commercialID == id && anyIn(vals, commercial) {
			kids, err := su.WithContext(withKey(su.Context, "active_test", false)).Search(ctx, m,
				[]any{[]any{"commercial_partner_id", "=", id}, []any{"id", "!=", id}}, models.SearchOptions{})
			if err != nil {
				return err
			}
			if err := copyFields(ctx, su, m, id, kids, commercial, false); err != nil {
				return err
			}
		}
		if anyIn(vals, address) {
			kids, err := su.Search(ctx, m, []any{[]any{"parent_id", "=", id}, []any{"type", "=", "contact"}}, models.SearchOptions{})
			if err != nil {
				return err
			}
			changed := map[string]any{}
			for _, f := range address {
				if v, ok := vals[f]; ok {
					changed[f] = v
				}
			}
			if len(kids) > 0 {
				if err := su.Write(ctx, m, kids, changed); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// copyFields writes the fields of record from onto the records to. With
// onlySet, nothing is written unless one of the fields is set on from (a
// parent without an address leaves its contacts' alone).
func copyFields(ctx context.Context, env *models.Env, m *models.Model, from int64, to []int64, fields []string, onlySet bool) error {
	if len(to) == 0 || from == 0 {
		return nil
	}
	recs, err := env.WithContext(withKey(env.Context, "active_test", false)).Read(ctx, m, []int64{from}, fields, false)
	if err != nil || len(recs) == 0 {
		return err
	}
	vals := map[string]any{}
	set := false
	for _, f := range fields {
		v := recs[0][f]
		if pair, ok := v.([]any); ok && len(pair) > 0 {
			v = pair[0] // a many2one read as [id, name]
		}
		set = set || models.Bool(v)
		vals[f] = v
	}
	if onlySet && !set {
		return nil
	}
	return env.Write(ctx, m, to, vals)
}

// presentFields are those of names that m has.
func presentFields(m *models.Model, names []string) []string {
	var out []string
	for _, n := range names {
		if m.Fields[n] != nil {
			out = append(out, n)
		}
	}
	return out
}

// anyIn reports whether vals names one of fields.
func anyIn(vals map[string]any, fields []string) bool {
	for _, f := range fields {
		if _, ok := vals[f]; ok {
			return true
		}
	}
	return false
}

// withKey is a copy of the context c with k set to v.
func withKey(c map[string]any, k string, v ...any) map[string]any {
	out := maps.Clone(c)
	if out == nil {
		out = map[string]any{}
	}
	if len(v) > 0 {
		out[k] = v[0]
	} else {
		out[k] = true
	}
	return out
}
