package base

import (
	"context"
	"strings"

	"github.com/godoo/godoo/models"
)

// The names and addresses of res.partner that Odoo computes: the stored
// complete_name and commercial_company_name, kept up to date after each
// write that changes what they are made of, and email_formatted and
// contact_address, computed when read.

// partnerNameFields are the fields complete_name and commercial_company_name
// are made of: a write of one recomputes them.
var partnerNameFields = []string{"name", "parent_id", "is_company", "type", "company_name", "commercial_partner_id"}

// addressTypeLabels name an address without a name by its type, as Odoo's
// complete_name does.
var addressTypeLabels = map[string]string{"invoice": "Invoice Address", "delivery": "Delivery Address", "other": "Other Address"}

// syncPartnerNames stores commercial_company_name and complete_name of ids
// and of the partners that take them from ids (their contacts, and the
// contacts of the commercial entities among them).
func syncPartnerNames(ctx context.Context, env *models.Env, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	ph := models.Placeholders(len(ids))
	args := models.IDArgs(ids)
	affected, err := env.Int64s(ctx, `SELECT id FROM res_partner WHERE id IN (`+ph+`) OR parent_id IN (`+ph+`)
		OR commercial_partner_id IN (`+ph+`) ORDER BY id`, append(append(append([]any{}, args...), args...), args...)...)
	if err != nil {
		return err
	}
	partner := env.Registry.Model("res.partner")
	// Commercial names first: complete names read them.
	for _, step := range []string{"commercial_company_name", "complete_name"} {
		recs, err := env.Sudo().Read(ctx, partner, affected, []string{"name", "parent_id", "is_company", "type",
			"company_name", "commercial_partner_id", "commercial_company_name"}, false)
		if err != nil {
			return err
		}
		related, err := partnerNamesOf(ctx, env, recs)
		if err != nil {
			return err
		}
		for _, r := range recs {
			var v any
			if step == "commercial_company_name" {
				v = commercialCompanyName(r, related)
			} else {
				v = completeName(r, related)
			}
			if _, err := env.Exec(ctx, "UPDATE res_partner SET "+step+" = ? WHERE id = ?", v, r["id"]); err != nil {
				return err
			}
		}
	}
	return nil
}

// partnerInfo is what the names of a partner take from its parent and its
// commercial entity.
type partnerInfo struct {
	name      string
	isCompany bool
}

// partnerNamesOf reads the names of the parents and commercial entities
// of recs.
func partnerNamesOf(ctx context.Context, env *models.Env, recs []models.Record) (map[int64]partnerInfo, error) {
	var ids []int64
	for _, r := range recs {
		for _, k := range []string{"parent_id", "commercial_partner_id"} {
			if id, ok := r[k].(int64); ok {
				ids = append(ids, id)
			}
		}
	}
	out := map[int64]partnerInfo{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := env.Sudo().Read(ctx, env.Registry.Model("res.partner"), models.UniqueIDs(ids), []string{"name", "is_company"}, false)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		name, _ := r["name"].(string)
		out[r["id"].(int64)] = partnerInfo{name: name, isCompany: r["is_company"] == true}
	}
	return out, nil
}

// commercialCompanyName is the name of the commercial entity when it is a
// company, else the company name typed on the contact (false for none).
func commercialCompanyName(r models.Record, related map[int64]partnerInfo) any {
	if id, ok := r["commercial_partner_id"].(int64); ok {
		if c := related[id]; c.isCompany && c.name != "" {
			return c.name
		}
	}
	if s, ok := r["company_name"].(string); ok && s != "" {
		return s
	}
	return nil
}

// completeName is the name a partner is listed by: a contact of a company
// after the company's name ("Company, Contact"), an address without a
// name by its type.
func completeName(r models.Record, related map[int64]partnerInfo) any {
	name, _ := r["name"].(string)
	parent, hasParent := r["parent_id"].(int64)
	companyName, _ := r["company_name"].(string)
	if companyName != "" || hasParent {
		typ, _ := r["type"].(string)
		if name == "" && addressTypeLabels[typ] != "" {
			name = addressTypeLabels[typ]
		}
		if r["is_company"] != true {
			prefix, _ := r["commercial_company_name"].(string)
			if prefix == "" {
				prefix = related[parent].name
			}
			name = prefix + ", " + name
		}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	return name
}

// computeEmailFormatted is email_formatted: "Name" <email>, as Odoo's
// formataddr writes it, false without an email.
func computeEmailFormatted(ctx context.Context, _ *models.Env, recs []models.Record) error {
	for _, r := range recs {
		email, _ := r["email"].(string)
		if email == "" {
			r["email_formatted"] = false
			continue
		}
		name, _ := r["name"].(string)
		if name == "" {
			name = "False" // Python's str(False): Odoo formats the name as it is
		}
		name = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name)
		r["email_formatted"] = `"` + name + `" <` + email + `>`
	}
	return nil
}

// defaultAddressFormat is Odoo's address format for a country without one.
const defaultAddressFormat = "%(street)s\n%(street2)s\n%(city)s %(state_code)s %(zip)s\n%(country_name)s"

// computeContactAddress is contact_address: the address as its country
// writes it, after the commercial company's name.
func computeContactAddress(ctx context.Context, env *models.Env, recs []models.Record) error {
	addresses, err := partnerAddresses(ctx, env, recs, false)
	if err != nil {
		return err
	}
	for _, r := range recs {
		r["contact_address"] = addresses[r["id"].(int64)]
	}
	return nil
}

// partnerAddresses are the addresses of recs (records of res.partner with
// their address fields) as Odoo's _display_address writes them: in their
// country's format, after the commercial company's name unless
// withoutCompany.
func partnerAddresses(ctx context.Context, env *models.Env, recs []models.Record, withoutCompany bool) (map[int64]string, error) {
	var countries, states []int64
	for _, r := range recs {
		if id, ok := r["country_id"].(int64); ok {
			countries = append(countries, id)
		}
		if id, ok := r["state_id"].(int64); ok {
			states = append(states, id)
		}
	}
	var ids []int64
	for _, r := range recs {
		ids = append(ids, r["id"].(int64))
	}
	self, err := readByID(ctx, env, "res.partner", ids, []string{"commercial_company_name"})
	if err != nil {
		return nil, err
	}
	country, err := readByID(ctx, env, "res.country", countries, []string{"name", "code", "address_format"})
	if err != nil {
		return nil, err
	}
	state, err := readByID(ctx, env, "res.country.state", states, []string{"name", "code"})
	if err != nil {
		return nil, err
	}
	text := func(r models.Record, k string) string {
		s, _ := r[k].(string)
		return s
	}
	out := make(map[int64]string, len(recs))
	for _, r := range recs {
		c, s := models.Record{}, models.Record{}
		if id, ok := r["country_id"].(int64); ok && country[id] != nil {
			c = country[id]
		}
		if id, ok := r["state_id"].(int64); ok && state[id] != nil {
			s = state[id]
		}
		format := text(c, "address_format")
		if format == "" {
			format = defaultAddressFormat
		}
		company := ""
		if own := self[r["id"].(int64)]; own != nil && !withoutCompany {
			company = text(own, "commercial_company_name")
		}
		if company != "" {
			format = "%(company_name)s\n" + format
		}
		values := map[string]string{"street": text(r, "street"), "street2": text(r, "street2"), "city": text(r, "city"),
			"zip": text(r, "zip"), "state_code": text(s, "code"), "state_name": text(s, "name"),
			"country_code": text(c, "code"), "country_name": text(c, "name"), "company_name": company}
		var b strings.Builder
		for {
			i := strings.Index(format, "%(")
			j := strings.Index(format, ")s")
			if i < 0 || j < i {
				b.WriteString(format)
				break
			}
			b.WriteString(format[:i])
			b.WriteString(values[format[i+2:j]])
			format = format[j+2:]
		}
		out[r["id"].(int64)] = b.String()
	}
	return out, nil
}

// readByID reads fields of the records ids of model as the superuser, by
// id.
func readByID(ctx context.Context, env *models.Env, model string, ids []int64, fields []string) (map[int64]models.Record, error) {
	return readByIDAs(ctx, env.Sudo(), model, ids, fields)
}

// readByIDAs reads fields of the records ids of model as env's user, by
// id, under that user's access rules.
func readByIDAs(ctx context.Context, env *models.Env, model string, ids []int64, fields []string) (map[int64]models.Record, error) {
	out := map[int64]models.Record{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := env.Read(ctx, env.Registry.Model(model), models.UniqueIDs(ids), fields, false)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		out[r["id"].(int64)] = r
	}
	return out, nil
}
