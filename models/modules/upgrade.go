package modules

import (
	"context"
	"fmt"
	"slices"

	"github.com/godoo/godoo/models"
)

// Upgradable reports whether any of the modules installed has an
// upgrade step, data records or groups with categories, which a database an older godoo made may
// lack.
func (c Catalogue) Upgradable(installed []string) bool {
	return slices.ContainsFunc(installed, func(n string) bool {
		return codes[n].upgrade != nil || codes[n].computes != nil || (c[n] != nil && (len(c[n].Records) > 0 || c[n].categorized()))
	})
}

// Upgrade runs, in env's transaction, in Odoo's loading order, the steps
// that give a database an older godoo made what the install of its
// modules makes now: first the categories of a module's groups that
// have none, when migration 0022 asked for them (Sales, Invoicing,
// Technical...: without them res.users shows booleans where Odoo has a
// category's selection), then its data records (records.json) whose
// external id the database lacks, when migration 0021 asked for them
// (the modules' scheduled actions, the Sales team), with the stored
// values an older godoo computed when read (its fill: sale's invoice
// statuses), then its Go upgrade
// step, when migration 0020 asked for it (the sale.order sequence and
// stored amounts, account's chart), then its stored computed fields an
// older godoo left empty, when migration 0023 asked for them (account's
// fiscal countries). Each runs once: it claims its
// module's row by deleting it, so that a record an administrator deletes
// afterwards stays deleted, as in Odoo until the module is updated.
func (c Catalogue) Upgrade(ctx context.Context, env *models.Env, installed []string) error {
	env = env.Sudo()
	ordered, err := c.Order(installed)
	if err != nil {
		return err
	}
	for _, n := range ordered {
		if m := c[n]; m != nil && m.categorized() {
			claimed, err := claim(ctx, env, "godoo_group_categories_upgrade", n)
			if err != nil {
				return fmt.Errorf("upgrade module %s: %w", n, err)
			}
			if claimed {
				d := &dataInstaller{env: env, ctx: ctx}
				if d.groupCategories(m); d.err != nil {
					return fmt.Errorf("upgrade module %s: %w", n, d.err)
				}
			}
		}
		if m := c[n]; m != nil && len(m.Records) > 0 {
			claimed, err := claim(ctx, env, "godoo_module_records_upgrade", n)
			if err != nil {
				return fmt.Errorf("upgrade module %s: %w", n, err)
			}
			if claimed {
				// Data records are created without chatter, as at install.
				d := &dataInstaller{env: env.WithContext(map[string]any{"tracking_disable": true}), ctx: ctx}
				d.modelXMLIDs(m)
				d.missingRecords(m)
				if fn := codes[n].fill; fn != nil && d.err == nil {
					d.err = fn(ctx, env)
				}
				if d.err != nil {
					return fmt.Errorf("upgrade module %s: %w", n, d.err)
				}
			}
		}
		if fn := codes[n].upgrade; fn != nil {
			claimed, err := claim(ctx, env, "godoo_module_upgrade", n)
			if err != nil {
				return fmt.Errorf("upgrade module %s: %w", n, err)
			}
			if claimed {
				if err := fn(ctx, env); err != nil {
					return fmt.Errorf("upgrade module %s: %w", n, err)
				}
			}
		}
		if fn := codes[n].computes; fn != nil {
			claimed, err := claim(ctx, env, "godoo_module_computes_upgrade", n)
			if err != nil {
				return fmt.Errorf("upgrade module %s: %w", n, err)
			}
			if claimed {
				if err := fn(ctx, env); err != nil {
					return fmt.Errorf("upgrade module %s: %w", n, err)
				}
			}
		}
	}
	return nil
}

// claim deletes module's request in table (godoo_module_upgrade,
// godoo_module_records_upgrade, godoo_group_categories_upgrade or
// godoo_module_computes_upgrade) and reports whether there was one.
func claim(ctx context.Context, env *models.Env, table, module string) (bool, error) {
	res, err := env.Exec(ctx, "DELETE FROM "+table+" WHERE module = ?", module)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// missingRecords creates, in order, the module's data records whose
// external id names no record. A record naming an external id that names
// none (a record it depends on an administrator deleted) is left out
// rather than keep the database from opening.
func (d *dataInstaller) missingRecords(m *Module) {
	for _, r := range m.Records {
		if d.ref(r.XMLID) != 0 || d.err != nil {
			continue
		}
		vals := make(map[string]any, len(r.Values))
		for k, v := range r.Values {
			vals[k] = d.resolve(v)
		}
		if _, missing := d.err.(noRecordError); missing {
			d.err = nil
			continue
		}
		d.create(r.Model, r.XMLID, vals)
	}
}

// categorized reports whether any group m creates has a category.
func (m *Module) categorized() bool {
	return slices.ContainsFunc(m.Groups, func(g Group) bool { return !g.Extend && g.Category != "" })
}

// groupCategories gives the groups of m that have no category the one
// its install gives them now, creating the category when the database
// has none of its external id. A group an administrator deleted, or
// gave another category, is left as it is.
func (d *dataInstaller) groupCategories(m *Module) {
	groups := d.env.Registry.Model("res.groups")
	for _, g := range m.Groups {
		if g.Extend || g.Category == "" {
			continue
		}
		id := d.ref(g.XMLID)
		if id == 0 || d.err != nil {
			continue
		}
		// The external id outlives a group an administrator deleted, so
		// a missing row is left alone rather than written, which would
		// fail and keep the database from opening.
		var current int64
		found, err := d.env.Scalar(d.ctx, &current, "SELECT COALESCE(category_id, 0) FROM res_groups WHERE id = ?", id)
		if err != nil {
			d.err = err
			return
		}
		if !found || current != 0 {
			continue
		}
		if c := d.category(g); c != 0 && d.err == nil {
			d.err = d.env.Write(d.ctx, groups, []int64{id}, map[string]any{"category_id": c})
		}
	}
}
