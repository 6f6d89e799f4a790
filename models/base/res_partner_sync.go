package base

import (
	"context"

	"github.com/godoo/godoo/models"
)

// What a contact takes from the partners above it, as Odoo's
// res.partner._fields_sync keeps it after each create and write, as if
// these fields were related to the parent: the address of a contact is its
// parent's, the commercial fields of every partner under a commercial
// entity are the entity's. A search by city or country finds a company's
// contacts with it only because of this. As in Odoo, the caller reads the
// partners it copies from and writes the partners it copies to, under its
// own access rules: a parent the caller cannot read gives nothing away.

// partnerAddressFields are Odoo's ADDRESS_FIELDS: the address a contact
// takes from its parent.
var partnerAddressFields = []string{"street", "street2", "zip", "city", "state_id", "country_id"}

// partnerCommercialFields are Odoo 18 base's _commercial_fields: the fields
// every partner under a commercial entity shares with it.
var partnerCommercialFields = []string{"vat", "company_registry", "industry_id"}

// partnerSyncOff marks a context in which writes to partners do not
// synchronise (Odoo's update_address writes through the plain ORM write,
// so a contact's contacts do not follow a change of the company's address).
type partnerSyncOff struct{}

// partnerFieldsSync is Odoo's _fields_sync for ids after vals were written
// (or created): from the parent when vals set a parent or make the partner
// a contact, then to the children.
func partnerFieldsSync(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	if ctx.Value(partnerSyncOff{}) != nil || len(ids) == 0 {
		return nil
	}
	rows, err := readByID(ctx, env, "res.partner", ids, []string{"parent_id", "type", "commercial_partner_id"})
	if err != nil {
		return err
	}
	newParent := models.Bool(vals["parent_id"])
	for _, id := range ids {
		r := rows[id]
		if r == nil {
			continue
		}
		parent, hasParent := r["parent_id"].(int64)
		if newParent || vals["type"] == "contact" {
			if newParent {
				if err := commercialSyncFromCompany(ctx, env, r); err != nil {
					return err
				}
			}
			if hasParent && r["type"] == "contact" {
				addr, err := partnerValues(ctx, env, parent, partnerAddressFields)
				if err != nil {
					return err
				}
				if anySet(addr) {
					if err := updateAddress(ctx, env, []int64{id}, addr); err != nil {
						return err
					}
				}
			}
		}
		if err := partnerChildrenSync(ctx, env, r, vals); err != nil {
			return err
		}
	}
	return nil
}

// commercialSyncFromCompany gives the partner r the commercial fields of
// its commercial entity, when that is another partner.
func commercialSyncFromCompany(ctx context.Context, env *models.Env, r models.Record) error {
	id := r["id"].(int64)
	commercial, ok := r["commercial_partner_id"].(int64)
	if !ok || commercial == id {
		return nil
	}
	vals, err := partnerValues(ctx, env, commercial, partnerCommercialFields)
	if err != nil {
		return err
	}
	return env.Write(ctx, env.Registry.Model("res.partner"), []int64{id}, vals)
}

// partnerChildrenSync is Odoo's _children_sync: a commercial entity hands
// the commercial fields vals changed down to the partners under it, and a
// changed address goes to the partner's contacts.
func partnerChildrenSync(ctx context.Context, env *models.Env, r models.Record, vals map[string]any) error {
	id := r["id"].(int64)
	var fields []string
	for _, f := range partnerCommercialFields {
		if _, ok := vals[f]; ok {
			fields = append(fields, f)
		}
	}
	addr := map[string]any{}
	for _, f := range partnerAddressFields {
		if v, ok := vals[f]; ok {
			addr[f] = v
		}
	}
	if len(fields) > 0 && r["commercial_partner_id"] == id {
		sync, err := partnerValues(ctx, env, id, fields)
		if err != nil {
			return err
		}
		if err := commercialSyncToChildren(ctx, env, id, sync); err != nil {
			return err
		}
	}
	if len(addr) == 0 {
		return nil
	}
	contacts, err := env.Int64s(ctx, "SELECT id FROM res_partner WHERE parent_id = ? AND active = TRUE AND type = ? ORDER BY id", id, "contact")
	if err != nil {
		return err
	}
	return updateAddress(ctx, env, contacts, addr)
}

// commercialSyncToChildren writes the commercial values sync on every
// partner under id that is not a company, deepest first, as Odoo's
// _commercial_sync_to_children.
func commercialSyncToChildren(ctx context.Context, env *models.Env, id int64, sync map[string]any) error {
	children, err := env.Int64s(ctx, "SELECT id FROM res_partner WHERE parent_id = ? AND active = TRUE AND is_company IS NOT TRUE ORDER BY id", id)
	if err != nil || len(children) == 0 {
		return err
	}
	for _, c := range children {
		if err := commercialSyncToChildren(ctx, env, c, sync); err != nil {
			return err
		}
	}
	return env.Write(ctx, env.Registry.Model("res.partner"), children, sync)
}

// handleFirstContactCreation is Odoo's guess on the first contact of a
// company (or of a partner without parent) that has no address: the
// contact's address was meant for the company.
func handleFirstContactCreation(ctx context.Context, env *models.Env, id int64) error {
	rows, err := readByID(ctx, env, "res.partner", []int64{id}, []string{"parent_id"})
	if err != nil || rows[id] == nil {
		return err
	}
	parent, ok := rows[id]["parent_id"].(int64)
	if !ok {
		return nil
	}
	prow, err := readByIDAs(ctx, env, "res.partner", []int64{parent}, []string{"is_company", "parent_id"})
	if err != nil || prow[parent] == nil {
		return err
	}
	if prow[parent]["is_company"] != true && models.Bool(prow[parent]["parent_id"]) {
		return nil
	}
	var n int64
	if _, err := env.Scalar(ctx, &n, "SELECT COUNT(*) FROM res_partner WHERE parent_id = ? AND active = TRUE", parent); err != nil || n != 1 {
		return err
	}
	own, err := partnerValues(ctx, env, id, partnerAddressFields)
	if err != nil || !anySet(own) {
		return err
	}
	theirs, err := partnerValues(ctx, env, parent, partnerAddressFields)
	if err != nil || anySet(theirs) {
		return err
	}
	return updateAddress(ctx, env, []int64{parent}, own)
}

// updateAddress writes address values on ids without synchronising
// further, as Odoo's update_address.
func updateAddress(ctx context.Context, env *models.Env, ids []int64, addr map[string]any) error {
	if len(ids) == 0 {
		return nil
	}
	return env.Write(context.WithValue(ctx, partnerSyncOff{}, true), env.Registry.Model("res.partner"), ids, addr)
}

// partnerValues reads fields of the partner id as values to write: a
// many2one as its id, an empty value as false.
func partnerValues(ctx context.Context, env *models.Env, id int64, fields []string) (map[string]any, error) {
	rows, err := readByIDAs(ctx, env, "res.partner", []int64{id}, fields)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		v := any(false)
		if r := rows[id]; r != nil && r[f] != nil {
			v = r[f]
		}
		out[f] = v
	}
	return out, nil
}

// anySet tells whether one of vals is set, as Python's truth has it.
func anySet(vals map[string]any) bool {
	for _, v := range vals {
		if models.Bool(v) {
			return true
		}
	}
	return false
}
