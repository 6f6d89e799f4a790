package base

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// partnerBehaviour is res.partner's: its display name, the company_type
// field computed from is_company and written through it, the commercial
// entity kept up to date, the address and commercial fields contacts take
// from above (res_partner_sync.go), and Odoo's check that contacts have a
// name.
func partnerBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{
			CopyMarked:       []string{"name"},
			DisplayName:      partnerDisplayName,
			DisplayNameDeps:  []string{"parent_id", "is_company", "type"},
			NameCreateValues: partnerNameCreate,
			ParentCycle:      "You cannot create recursive Partner hierarchies.",
			// Odoo's Partner.write reads its values with .get first.
			Overrides: map[string]models.Override{"write": {Class: "Partner", DictGet: true}},
			BeforeCreate: func(_ context.Context, _ *models.Env, vals map[string]any) error {
				return companyTypeInverse(vals)
			},
			BeforeWrite: func(_ context.Context, _ *models.Env, _ []int64, vals map[string]any) error {
				return companyTypeInverse(vals)
			},
			AfterCreate: func(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
				if err := checkPartnerName(ctx, env, []int64{id}); err != nil {
					return err
				}
				if err := syncCommercialPartner(ctx, env, []int64{id}); err != nil {
					return err
				}
				if err := syncPartnerNames(ctx, env, []int64{id}); err != nil {
					return err
				}
				if err := partnerFieldsSync(ctx, env, []int64{id}, vals); err != nil {
					return err
				}
				if err := syncPartnerShare(ctx, env, []int64{id}); err != nil {
					return err
				}
				return handleFirstContactCreation(ctx, env, id)
			},
			AfterWrite: func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
				_, name := vals["name"]
				if _, typ := vals["type"]; name || typ {
					if err := checkPartnerName(ctx, env, ids); err != nil {
						return err
					}
				}
				_, parent := vals["parent_id"]
				if _, company := vals["is_company"]; parent || company {
					if err := syncCommercialPartner(ctx, env, ids); err != nil {
						return err
					}
				}
				for _, f := range partnerNameFields {
					if _, ok := vals[f]; ok {
						if err := syncPartnerNames(ctx, env, ids); err != nil {
							return err
						}
						break
					}
				}
				return partnerFieldsSync(ctx, env, ids, vals)
			},
		},
		Methods: []*models.Method{{Name: "default_get", Class: "Partner", Params: []string{"fields_list"}, Required: 1,
			ReadOnly: true, Fn: partnerDefaultGet}},
		Defaults: partnerDefaults(),
		Computes: partnerBehaviourComputes(),
	}
}

// partnerDefaultGet is Odoo's default_get of res.partner: a contact made
// under a parent (a default parent_id, asked for) gets the parent's
// company, read as the caller.
func partnerDefaultGet(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
	res, err := models.DefaultGet(ctx, env, m, ids, a)
	if err != nil {
		return nil, err
	}
	out := res.(*models.Dict)
	v, asked := out.Get("parent_id")
	parent, ok := models.ToInt64(v)
	if !asked || !ok || !py.Truthy(v) {
		return out, nil
	}
	recs, err := env.Read(ctx, m, []int64{parent}, []string{"company_id"}, false)
	if err != nil {
		return nil, err
	}
	company := any(false)
	if len(recs) == 1 {
		company = recs[0]["company_id"]
	}
	out.Set("company_id", company)
	return out, nil
}

// partnerBehaviourComputes are the computes of res.partner's fields.
func partnerBehaviourComputes() map[string]func(context.Context, *models.Env, []models.Record) error {
	out := map[string]func(context.Context, *models.Env, []models.Record) error{"_compute_company_type": computeCompanyType,
		"_compute_email_formatted": computeEmailFormatted, "_compute_contact_address": computeContactAddress}
	for name, fn := range partnerComputes {
		out[name] = fn
	}
	return out
}

// computeCompanyType is company_type: "company" or "person" after
// is_company.
func computeCompanyType(ctx context.Context, _ *models.Env, recs []models.Record) error {
	for _, r := range recs {
		if r["is_company"] == true {
			r["company_type"] = "company"
		} else {
			r["company_type"] = "person"
		}
	}
	return nil
}

// addressTypes are the types of address a partner without a name is
// named by (Odoo's _complete_name_displayed_types).
var addressTypes = map[any]bool{"invoice": true, "delivery": true, "other": true}

// selectionLabel is the label of a selection field's value, "" for none.
func selectionLabel(f *models.Field, v any) string {
	if f == nil {
		return ""
	}
	for _, opt := range f.Selection {
		if opt[0] == v {
			return opt[1]
		}
	}
	return ""
}

// partnerDisplayName prefixes a contact's name with its parent's, as Odoo
// shows "Company, Contact", then adds what the context asks for
// (partnerNameDecorations).
func partnerDisplayName(ctx context.Context, env *models.Env, recs []models.Record) error {
	var parents []int64
	for _, r := range recs {
		if id, ok := r["parent_id"].(int64); ok && r["is_company"] != true {
			parents = append(parents, id)
		}
	}
	names := map[int64]any{}
	if len(parents) > 0 {
		// The parent's plain name: the context's decorations are the
		// contact's own.
		plain := env.Sudo()
		if hasNameDecorations(env.Context) {
			plain = plain.WithContext(withoutNameDecorations(env.Context))
		}
		var err error
		if names, err = plain.DisplayNames(ctx, env.Registry.Model("res.partner"), parents); err != nil {
			return err
		}
	}
	types := env.Registry.Model("res.partner").Fields["type"]
	for _, r := range recs {
		name, _ := r["name"].(string)
		if _, ok := r["parent_id"].(int64); ok && name == "" && addressTypes[r["type"]] {
			// An address without a name is named by its type.
			name = selectionLabel(types, r["type"])
		}
		if pid, ok := r["parent_id"].(int64); ok && r["is_company"] != true {
			if pn, ok := names[pid].(string); ok && pn != "" {
				if name == "" {
					name = pn
				} else {
					name = pn + ", " + name
				}
			}
		}
		r["display_name"] = name
	}
	if hasNameDecorations(env.Context) {
		return decoratePartnerNames(ctx, env, recs)
	}
	return nil
}

// partnerNameDecorations are the context keys that add to a partner's
// display name, as Odoo's res.partner._compute_display_name.
var partnerNameDecorations = []string{"show_address", "partner_show_db_id", "address_inline", "show_email", "show_vat"}

func hasNameDecorations(c map[string]any) bool {
	for _, k := range partnerNameDecorations {
		if py.Truthy(c[k]) {
			return true
		}
	}
	return false
}

func withoutNameDecorations(c map[string]any) map[string]any {
	out := make(map[string]any, len(c))
	for k, v := range c {
		if !slices.Contains(partnerNameDecorations, k) {
			out[k] = v
		}
	}
	return out
}

// blankBeforeNewline is Python's \s+\n: the blanks (empty lines too)
// before a line break.
var blankBeforeNewline = regexp.MustCompile(`[ \t\n\r\f\v]+\n`)

// decoratePartnerNames adds to the display names of recs, in Odoo's order,
// the address (show_address, without the company), the id
// (partner_show_db_id), the lines joined on one (address_inline), the
// email (show_email) and the tax id (show_vat).
func decoratePartnerNames(ctx context.Context, env *models.Env, recs []models.Record) error {
	ids := make([]int64, len(recs))
	for i, r := range recs {
		ids[i] = r["id"].(int64)
	}
	own, err := readByID(ctx, env, "res.partner", ids, []string{"street", "street2", "city", "zip", "state_id", "country_id", "email", "vat"})
	if err != nil {
		return err
	}
	var addresses map[int64]string
	if py.Truthy(env.Context["show_address"]) {
		rows := make([]models.Record, 0, len(own))
		for _, id := range ids {
			if r := own[id]; r != nil {
				rows = append(rows, r)
			}
		}
		if addresses, err = partnerAddresses(ctx, env, rows, true); err != nil {
			return err
		}
	}
	text := func(r models.Record, k string) string {
		s, _ := r[k].(string)
		return s
	}
	for _, r := range recs {
		id := r["id"].(int64)
		name, _ := r["display_name"].(string)
		if addresses != nil {
			name += "\n" + addresses[id]
		}
		name = blankBeforeNewline.ReplaceAllString(name, "\n")
		if py.Truthy(env.Context["partner_show_db_id"]) {
			name = fmt.Sprintf("%s (%d)", name, id)
		}
		if py.Truthy(env.Context["address_inline"]) {
			var lines []string
			for _, l := range strings.Split(name, "\n") {
				if strings.TrimSpace(l) != "" {
					lines = append(lines, l)
				}
			}
			name = strings.Join(lines, ", ")
		}
		if email := text(own[id], "email"); py.Truthy(env.Context["show_email"]) && email != "" {
			name = fmt.Sprintf("%s <%s>", name, email)
		}
		if vat := text(own[id], "vat"); py.Truthy(env.Context["show_vat"]) && vat != "" {
			name = fmt.Sprintf("%s \u2012 %s", name, vat)
		}
		r["display_name"] = strings.TrimSpace(name)
	}
	return nil
}

// syncCommercialPartner stores the commercial entity: the record itself when
// it is a company or has no parent, else its parent's commercial entity.
func syncCommercialPartner(ctx context.Context, env *models.Env, ids []int64) error {
	args := models.IDArgs(ids)
	_, err := env.Exec(ctx, `UPDATE res_partner SET commercial_partner_id = CASE
		WHEN is_company OR parent_id IS NULL THEN id
		ELSE COALESCE((SELECT p.commercial_partner_id FROM res_partner p WHERE p.id = res_partner.parent_id), parent_id) END
		WHERE id IN (`+models.Placeholders(len(ids))+`)`, args...)
	return err
}

// companyTypeInverse writes company_type through is_company, as Odoo's
// inverse method does.
func companyTypeInverse(vals map[string]any) error {
	v, ok := vals["company_type"]
	if !ok {
		return nil
	}
	switch v {
	case "company":
		vals["is_company"] = true
	case "person", false, nil:
		vals["is_company"] = false
	default:
		return models.ServerErrorf("builtins.ValueError", "Wrong value for res.partner.company_type: %s", py.Repr(v))
	}
	delete(vals, "company_type")
	return nil
}

const partnerNameMessage = "Contacts require a name"

// checkPartnerName is Odoo's check_name constraint on res.partner,
// CHECK((type='contact' AND name IS NOT NULL) or (type!='contact')): a
// contact must have a name, other addresses need not. godoo checks it after
// the statement, on both stores, and answers as Odoo does for a CHECK
// constraint; the transaction rolls the statement back.
func checkPartnerName(ctx context.Context, env *models.Env, ids []int64) error {
	var n int64
	q := "SELECT COUNT(*) FROM res_partner WHERE type = ? AND name IS NULL AND id IN (" + models.Placeholders(len(ids)) + ")"
	if _, err := env.Scalar(ctx, &n, q, append([]any{"contact"}, models.IDArgs(ids)...)...); err != nil {
		return err
	}
	if n > 0 {
		return models.ValidationErrorf("The operation cannot be completed: %s", partnerNameMessage)
	}
	return nil
}
