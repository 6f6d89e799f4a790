package models

import (
	"context"
	"sort"
	"strings"
)

// Field-level access rights (Odoo's groups= on a field): a field restricted
// to groups is hidden from fields_get and from a read of all fields, and
// naming it in a read, a domain, an order, a grouping or the values of a
// create or write raises Odoo's AccessError. The superuser is never
// restricted.

// hasFieldAccess reports whether the user may read and write f, as Odoo's
// _has_field_access: fields without groups are open to everyone; otherwise
// the user must belong to one of the groups named and to none of those
// negated with "!". An external id that names no group is a group nobody
// belongs to.
func (env *Env) hasFieldAccess(ctx context.Context, f *Field) (bool, error) {
	if f.Groups == "" || env.IsSuperuser() {
		return true, nil
	}
	mine, err := env.Groups(ctx)
	if err != nil {
		return false, err
	}
	positive, in := false, false
	for _, spec := range strings.Split(f.Groups, ",") {
		spec = strings.TrimSpace(spec)
		xmlid, negated := strings.CutPrefix(spec, "!")
		gid, err := env.groupID(ctx, xmlid)
		if err != nil {
			return false, err
		}
		member := gid != 0 && mine[gid]
		if negated {
			if member {
				return false, nil
			}
			continue
		}
		positive = true
		in = in || member
	}
	return in || !positive, nil
}

// groupID resolves a group's external id once per transaction.
func (env *Env) groupID(ctx context.Context, xmlid string) (int64, error) {
	if id, ok := env.state.xmlids[xmlid]; ok {
		return id, nil
	}
	id, err := env.XMLID(ctx, xmlid)
	if err != nil {
		return 0, err
	}
	if env.state.xmlids == nil {
		env.state.xmlids = map[string]int64{}
	}
	env.state.xmlids[xmlid] = id
	return id, nil
}

// checkFieldAccess refuses op ("read" or "write") on f with Odoo 18's
// message. Odoo adds the user and the allowed groups for members of
// base.group_no_one, a group godoo does not have.
func (env *Env) checkFieldAccess(ctx context.Context, m *Model, f *Field, op string) error {
	ok, err := env.hasFieldAccess(ctx, f)
	if err != nil || ok {
		return err
	}
	return AccessErrorf("You do not have enough rights to access the field \"%s\" on %s (%s). "+
		"Please contact your system administrator.\n\nOperation: %s", f.Name, m.Description, m.Name, op)
}

// checkFieldsAccess checks op on the named fields of m, in the order given;
// names that are not fields are left to the caller.
func (env *Env) checkFieldsAccess(ctx context.Context, m *Model, names []string, op string) error {
	for _, name := range names {
		if f := m.Fields[name]; f != nil {
			if err := env.checkFieldAccess(ctx, m, f, op); err != nil {
				return err
			}
		}
	}
	return nil
}

// readableFields lists the fields of m the user may read, in declaration
// order: what a read without fields returns.
func (env *Env) readableFields(ctx context.Context, m *Model) ([]string, error) {
	out := make([]string, 0, len(m.FieldOrder))
	for _, name := range m.FieldOrder {
		ok, err := env.hasFieldAccess(ctx, m.Fields[name])
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, name)
		}
	}
	return out, nil
}

// checkOrderAccess checks read access to the fields an order specification
// names; the order parser reports anything malformed.
func (env *Env) checkOrderAccess(ctx context.Context, m *Model, spec string) error {
	for _, item := range strings.Split(spec, ",") {
		if words := strings.Fields(item); len(words) > 0 {
			if err := env.checkFieldsAccess(ctx, m, words[:1], "read"); err != nil {
				return err
			}
		}
	}
	return nil
}

// sortedKeys returns the keys of vals in a fixed order, for checks whose
// first failure is reported.
func sortedKeys(vals map[string]any) []string {
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
