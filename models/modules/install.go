package modules

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/uptrace/bun"
)

// ToInstall is what installing requested brings into a database that has
// installed: the requested modules and every module they depend on that
// is not installed, then the auto-install modules whose dependencies are
// all there (Odoo's auto_install), in dependency order. A module the
// catalogue does not have is refused with Odoo's error when another needs
// it.
func (c Catalogue) ToInstall(installed, requested []string) ([]string, error) {
	have := map[string]bool{"base": true, "web": true}
	for _, n := range installed {
		have[n] = true
	}
	set := map[string]bool{}
	var add func(n, by string) error
	add = func(n, by string) error {
		if have[n] || set[n] {
			return nil
		}
		m := c[n]
		if m == nil {
			if by == "" {
				return models.UserErrorf("Unable to install module \"%s\" because an external dependency is not met: %s", n, "the module is not available on this server")
			}
			return models.UserErrorf("You try to install module '%s' that depends on module '%s'.\nBut the latter module is not available in your system.", by, n)
		}
		set[n] = true
		for _, d := range m.Depends {
			if err := add(d, n); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range requested {
		if err := add(n, ""); err != nil {
			return nil, err
		}
	}
	for grown := len(set) > 0; grown; {
		grown = false
		for _, n := range c.Names() {
			m := c[n]
			if !m.AutoInstall || have[n] || set[n] {
				continue
			}
			on := m.Depends
			if len(m.AutoInstallOn) > 0 {
				on = m.AutoInstallOn
			}
			if !slices.ContainsFunc(on, func(d string) bool { return !have[d] && !set[d] }) {
				if err := add(n, ""); err != nil {
					return nil, err
				}
				grown = true
			}
		}
	}
	var names []string
	for n := range set {
		names = append(names, n)
	}
	all := append(slices.Clone(names), installed...)
	order, err := c.Order(all)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(order, func(n string) bool { return !set[n] }), nil
}

// Install installs names (in dependency order, as ToInstall gives them)
// in env's transaction: env's registry has their declarations already.
// It creates their tables and columns, records their models and fields,
// creates their groups, access rows and record rules with their external
// ids, and shows them installed in ir.module.module. On any error the
// caller rolls the whole transaction back, schema included.
func (c Catalogue) Install(ctx context.Context, env *models.Env, names []string) error {
	tx, ok := env.DB.(bun.Tx)
	if !ok {
		return fmt.Errorf("install modules: not in a transaction")
	}
	env = env.Sudo()
	if _, err := models.EnsureSchemaIn(ctx, tx, env.Dialect, env.Registry); err != nil {
		return err
	}
	if err := base.SyncModels(ctx, env); err != nil {
		return err
	}
	// Data records are created without chatter, as Odoo loads data.
	d := &dataInstaller{env: env.WithContext(map[string]any{"tracking_disable": true}), ctx: ctx}
	for _, n := range names {
		m := c[n]
		d.groups(m)
		d.access(m)
		d.rules(m)
		d.modelXMLIDs(m)
		d.records(m)
		d.markInstalled(m)
		if fn := codes[n].install; fn != nil && d.err == nil {
			d.err = fn(ctx, env)
		}
		if codes[n].upgrade != nil && d.err == nil {
			// The install made what the upgrade step would: a request
			// migration 0020 left while the module was not installed is
			// done, so that what one deletes next stays deleted.
			_, d.err = claim(ctx, env, "godoo_module_upgrade", n)
		}
		if len(m.Records) > 0 && d.err == nil {
			_, d.err = claim(ctx, env, "godoo_module_records_upgrade", n) // migration 0021's, likewise
		}
		if m.categorized() && d.err == nil {
			_, d.err = claim(ctx, env, "godoo_group_categories_upgrade", n) // migration 0022's, likewise
		}
		if codes[n].computes != nil && d.err == nil {
			_, d.err = claim(ctx, env, "godoo_module_computes_upgrade", n) // migration 0023's, likewise
		}
		if d.err != nil {
			return fmt.Errorf("install module %s: %w", n, d.err)
		}
	}
	return nil
}

// dataInstaller creates a module's records, keeping the first error.
type dataInstaller struct {
	env *models.Env
	ctx context.Context
	err error
	// models are the ir.model ids by model, read once.
	models map[string]int64
}

// create creates a record of model with the external id xmlid
// (module.name; "" for none).
func (d *dataInstaller) create(model, xmlid string, vals map[string]any) int64 {
	if d.err != nil {
		return 0
	}
	id, err := d.env.Create(d.ctx, d.env.Registry.Model(model), vals)
	if err != nil {
		d.err = fmt.Errorf("%s %s: %w", model, xmlid, err)
		return 0
	}
	if module, name, ok := strings.Cut(xmlid, "."); ok {
		_, err = d.env.Create(d.ctx, d.env.Registry.Model("ir.model.data"),
			map[string]any{"module": module, "name": name, "model": model, "res_id": id, "noupdate": true})
		if err != nil {
			d.err = fmt.Errorf("external id %s: %w", xmlid, err)
		}
	}
	return id
}

// ref is the id of the record of xmlid, 0 when there is none.
func (d *dataInstaller) ref(xmlid string) int64 {
	if d.err != nil {
		return 0
	}
	id, err := d.env.XMLID(d.ctx, xmlid)
	if err != nil {
		d.err = err
	}
	return id
}

// groups creates the module's groups, then what they imply (groups of
// the module or of those it depends on), and the implications it adds to
// existing groups.
func (d *dataInstaller) groups(m *Module) {
	for _, g := range m.Groups {
		if !g.Extend {
			vals := map[string]any{"name": g.Name, "share": g.Share, "api_key_duration": g.APIKeyDuration}
			if c := d.category(g); c != 0 {
				vals["category_id"] = c
			}
			d.create("res.groups", g.XMLID, vals)
		}
	}
	for _, g := range m.Groups {
		var implied []any
		for _, x := range g.Implied {
			if id := d.ref(x); id != 0 {
				implied = append(implied, []any{int64(4), id})
			}
		}
		vals := map[string]any{}
		if len(implied) > 0 {
			vals["implied_ids"] = implied
		}
		if g.Admin {
			var users []any
			for _, u := range []string{"base.user_admin", "base.user_root"} {
				if id := d.ref(u); id != 0 {
					users = append(users, []any{int64(4), id})
				}
			}
			vals["users"] = users
		}
		if id := d.ref(g.XMLID); id != 0 && len(vals) > 0 && d.err == nil {
			if err := d.env.Write(d.ctx, d.env.Registry.Model("res.groups"), []int64{id}, vals); err != nil {
				d.err = err
			}
		}
	}
}

// category is the id of group g's category, created (with Odoo's
// default sequence) when the database has none of its external id; 0
// for none. An external id whose category an administrator deleted
// outlives it, so it is checked against ir_module_category and, when
// stale, dropped and the category made again: writing the deleted id
// would break the foreign key and keep the database from opening.
func (d *dataInstaller) category(g Group) int64 {
	if g.Category == "" {
		return 0
	}
	id := d.ref(g.Category)
	if id != 0 {
		var one int64
		found, err := d.env.Scalar(d.ctx, &one, "SELECT 1 FROM ir_module_category WHERE id = ?", id)
		if err != nil {
			d.err = err
			return 0
		}
		if found {
			return id
		}
		module, name, _ := strings.Cut(g.Category, ".")
		if _, err := d.env.Exec(d.ctx, "DELETE FROM ir_model_data WHERE module = ? AND name = ?", module, name); err != nil {
			d.err = err
			return 0
		}
		id = 0
	}
	if d.err != nil || g.CategoryName == "" {
		return 0
	}
	return d.create("ir.module.category", g.Category, map[string]any{"name": g.CategoryName})
}

// access creates the module's access rows; a row for a group that does
// not exist is left out rather than granted to everyone.
func (d *dataInstaller) access(m *Module) {
	for _, a := range m.Access {
		model := d.modelID(a.Model)
		if model == 0 {
			continue
		}
		vals := map[string]any{"name": a.Name, "model_id": model,
			"perm_read": strings.Contains(a.Perms, "r"), "perm_write": strings.Contains(a.Perms, "w"),
			"perm_create": strings.Contains(a.Perms, "c"), "perm_unlink": strings.Contains(a.Perms, "u")}
		if a.Group != "" {
			gid := d.ref(a.Group)
			if gid == 0 {
				continue
			}
			vals["group_id"] = gid
		}
		d.create("ir.model.access", a.XMLID, vals)
	}
}

// rules creates the module's record rules.
func (d *dataInstaller) rules(m *Module) {
	for _, r := range m.Rules {
		model := d.modelID(r.Model)
		if model == 0 {
			continue
		}
		var groups []any
		for _, g := range r.Groups {
			if id := d.ref(g); id != 0 {
				groups = append(groups, id)
			}
		}
		if len(r.Groups) > 0 && len(groups) == 0 {
			continue // never make global a rule meant for groups
		}
		d.create("ir.rule", r.XMLID, map[string]any{"name": r.Name, "model_id": model, "domain_force": r.DomainForce,
			"groups":    []any{[]any{int64(6), int64(0), groups}},
			"perm_read": r.Read, "perm_write": r.Write, "perm_create": r.Create, "perm_unlink": r.Unlink})
	}
}

// modelID is the ir.model id of model, 0 when it has none.
func (d *dataInstaller) modelID(model string) int64 {
	if d.err != nil {
		return 0
	}
	if d.models == nil {
		rows, err := d.env.Query(d.ctx, "SELECT id, model FROM ir_model")
		if err != nil {
			d.err = err
			return 0
		}
		defer rows.Close()
		d.models = map[string]int64{}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				d.err = err
				return 0
			}
			d.models[name] = id
		}
		if d.err = rows.Err(); d.err != nil {
			return 0
		}
	}
	return d.models[model]
}

// markInstalled shows m installed in ir.module.module, creating its row
// (and its dependencies' rows) in a database made before godoo knew it.
func (d *dataInstaller) markInstalled(m *Module) {
	if d.err != nil {
		return
	}
	mods := d.env.Registry.Model("ir.module.module")
	ids, err := d.env.Search(d.ctx, mods, []any{[]any{"name", "=", m.Name}}, models.SearchOptions{})
	if err != nil {
		d.err = err
		return
	}
	vals := map[string]any{"state": "installed", "latest_version": m.Version}
	if len(ids) > 0 {
		d.err = d.env.Write(d.ctx, mods, ids, vals)
		return
	}
	vals["name"], vals["shortdesc"], vals["auto_install"], vals["application"] = m.Name, m.Name, m.AutoInstall, m.Application
	id := d.create("ir.module.module", "base.module_"+m.Name, vals)
	for _, dep := range m.Depends {
		d.create("ir.module.module.dependency", "", map[string]any{"module_id": id, "name": dep, "auto_install_required": m.AutoInstall})
	}
}

// modelXMLIDs gives the ir.model records of the models m touches the
// external ids Odoo gives them, <module>.model_<model>: a model base does
// not have takes the one base.SyncModels made (under base) as the first
// module's, the others get one of their own.
func (d *dataInstaller) modelXMLIDs(m *Module) {
	for _, ref := range m.ModelRefs {
		id := d.modelID(ref.Model)
		if id == 0 || d.err != nil {
			continue
		}
		name := "model_" + strings.ReplaceAll(ref.Model, ".", "_")
		if have := d.ref(m.Name + "." + name); have != 0 || d.err != nil {
			continue
		}
		if ref.New {
			res, err := d.env.Exec(d.ctx, "UPDATE ir_model_data SET module = ? WHERE module = ? AND name = ? AND model = ?",
				m.Name, "base", name, "ir.model")
			if err != nil {
				d.err = err
				return
			}
			if n, err := res.RowsAffected(); err != nil || n > 0 {
				d.err = err
				continue
			}
		}
		if _, err := d.env.Create(d.ctx, d.env.Registry.Model("ir.model.data"),
			map[string]any{"module": m.Name, "name": name, "model": "ir.model", "res_id": id, "noupdate": false}); err != nil {
			d.err = fmt.Errorf("external id %s.%s: %w", m.Name, name, err)
		}
	}
}

// records creates the module's data records, in order, resolving the
// external ids their values name.
func (d *dataInstaller) records(m *Module) {
	for _, r := range m.Records {
		vals := make(map[string]any, len(r.Values))
		for k, v := range r.Values {
			vals[k] = d.resolve(v)
		}
		d.create(r.Model, r.XMLID, vals)
	}
}

// noRecordError is the error of an external id a data record names that
// names no record.
type noRecordError string

func (e noRecordError) Error() string { return "external id " + string(e) + ": no record" }

// resolve turns {"ref": xmlid} into its record's id, and does so in lists.
func (d *dataInstaller) resolve(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["ref"].(string); ok && len(x) == 1 {
			id := d.ref(ref)
			if id == 0 && d.err == nil {
				d.err = noRecordError(ref)
			}
			return id
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = d.resolve(e)
		}
		return out
	}
	return v
}
