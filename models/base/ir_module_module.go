package base

import (
	"context"
	"database/sql"
	"strings"

	"github.com/godoo/godoo/models"
)

// installedModules are the modules a godoo database has, as Odoo lists
// them: godoo serves the data model of base and web and nothing else, so
// these two are the only rows of ir.module.module in state installed.
var installedModules = []struct {
	name, shortdesc, summary, version string
	depends                           []string
	autoInstall                       bool
}{
	{"base", "Base", "", "18.0.1.3", nil, true},
	{"web", "Web", "", "18.0.1.0", []string{"base"}, true},
}

// ModuleInfo is a module a database may install later: what its
// ir.module.module row shows before it is installed.
type ModuleInfo struct {
	Name        string
	Version     string
	Depends     []string
	AutoInstall bool
	Application bool
}

// installModules creates the ir.module.module rows of the installed
// modules, with the external ids Odoo gives them (base.module_<name>), and
// their ir.module.module.dependency rows; then those of the modules
// available, uninstalled.
func (in *installer) installModules(available []ModuleInfo) {
	for _, mod := range installedModules {
		id := in.create("ir.module.module", "module_"+mod.name, map[string]any{
			"name": mod.name, "shortdesc": mod.shortdesc, "summary": mod.summary, "state": "installed",
			"latest_version": mod.version, "author": "Odoo S.A.", "license": "LGPL-3", "sequence": 100,
			"auto_install": mod.autoInstall, "website": "https://www.odoo.com",
		})
		for _, dep := range mod.depends {
			in.create("ir.module.module.dependency", "", map[string]any{"module_id": id, "name": dep, "auto_install_required": mod.autoInstall})
		}
	}
	if in.err == nil && len(available) > 0 {
		in.err = insertAvailable(in.ctx, in.env, available)
	}
}

// insertAvailable adds the rows of modules that are not installed, with
// their dependencies and external ids, in a few statements rather than
// hundreds of creates: a new database pays for them whether it installs
// any or not.
func insertAvailable(ctx context.Context, env *models.Env, available []ModuleInfo) error {
	var rows [][]any
	for _, m := range available {
		rows = append(rows, []any{m.Name, m.Name, "", "uninstalled", "Odoo S.A.", "LGPL-3", 100, m.AutoInstall, m.Application,
			"https://www.odoo.com"})
	}
	if err := insertRows(ctx, env, "ir_module_module", []string{"name", "shortdesc", "summary", "state", "author", "license",
		"sequence", "auto_install", "application", "website"}, rows); err != nil {
		return err
	}
	ids, err := moduleIDs(ctx, env)
	if err != nil {
		return err
	}
	var deps, xmlids [][]any
	for _, m := range available {
		for _, d := range m.Depends {
			deps = append(deps, []any{ids[m.Name], d, m.AutoInstall})
		}
		xmlids = append(xmlids, []any{"base", "module_" + m.Name, "ir.module.module", ids[m.Name], true})
	}
	if err := insertPlainRows(ctx, env, "ir_module_module_dependency", []string{"module_id", "name", "auto_install_required"}, deps); err != nil {
		return err
	}
	return insertRows(ctx, env, "ir_model_data", []string{"module", "name", "model", "res_id", "noupdate"}, xmlids)
}

// AddAvailable lists in ir.module.module, uninstalled, the modules of
// available that env's database does not list yet (those of a modules
// path added after the database was made).
func AddAvailable(ctx context.Context, env *models.Env, available []ModuleInfo) error {
	ids, err := moduleIDs(ctx, env)
	if err != nil {
		return err
	}
	var missing []ModuleInfo
	for _, m := range available {
		if _, ok := ids[m.Name]; !ok {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return insertAvailable(ctx, env, missing)
}

// moduleIDs are the ids of ir.module.module's rows by name.
func moduleIDs(ctx context.Context, env *models.Env) (map[string]int64, error) {
	rows, err := env.Query(ctx, "SELECT id, name FROM ir_module_module")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[name] = id
	}
	return out, rows.Err()
}

// moduleBehaviour is ir.module.module's: button_immediate_install
// installs the modules with those they need and the auto-install ones
// they complete, in the call's transaction, through the installer the
// services give the call (Env.InstallModules). A module needing one the
// database does not list is refused with Odoo's UserError, and so is
// every module when the database cannot install any.
func moduleBehaviour() *models.Behaviour {
	install := func(ctx context.Context, env *models.Env, _ *models.Model, ids []int64, _ models.Args) (any, error) {
		if err := checkModuleAdmin(ctx, env); err != nil {
			return nil, err
		}
		missing, err := notInstalledModules(ctx, env, ids)
		if err != nil {
			return nil, err
		}
		// Odoo answers the next action once the modules are installed:
		// the web client's home page when no configuration step is open.
		done := map[string]any{"type": "ir.actions.act_url", "target": "self", "url": "/web"}
		if len(missing) == 0 {
			return done, nil
		}
		names := make([]string, len(missing))
		for i, m := range missing {
			names[i] = m.name
			// Odoo first refuses a module that needs one it does not know.
			if err := checkDependencies(ctx, env, m.name, map[string]bool{}); err != nil {
				return nil, err
			}
		}
		if env.InstallModules == nil {
			return nil, models.UserErrorf("Unable to install module \"%s\" because an external dependency is not met: %s", missing[0].name, "the module is not available on this server")
		}
		if err := env.InstallModules(ctx, env, names); err != nil {
			return nil, err
		}
		return done, nil
	}
	uninstall := func(ctx context.Context, env *models.Env, _ *models.Model, ids []int64, _ models.Args) (any, error) {
		if err := checkModuleAdmin(ctx, env); err != nil {
			return nil, err
		}
		missing, err := notInstalledModules(ctx, env, ids)
		if err != nil {
			return nil, err
		}
		if len(missing) > 0 {
			return nil, models.UserErrorf("One or more of the selected modules have already been uninstalled, if you believe this to be an error, you may try again later or contact support.")
		}
		names, err := moduleNames(ctx, env, ids)
		if err != nil {
			return nil, err
		}
		// godoo keeps every installed module as Odoo keeps its server-wide
		// ones: with Odoo's refusal for those.
		return nil, models.UserErrorf("Those modules cannot be uninstalled: %s", strings.Join(names, ", "))
	}
	return &models.Behaviour{Methods: []*models.Method{
		{Name: "button_immediate_install", Record: true, Op: models.OpWrite, Class: "Module", Fn: install},
		{Name: "button_immediate_uninstall", Record: true, Op: models.OpWrite, Class: "Module", Fn: uninstall},
		{Name: "button_uninstall", Record: true, Op: models.OpWrite, Class: "Module", Fn: uninstall},
	}}
}

// moduleNames are the names of the modules ids, in id order.
func moduleNames(ctx context.Context, env *models.Env, ids []int64) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := env.Query(ctx, "SELECT name FROM ir_module_module WHERE id IN ("+models.Placeholders(len(ids))+") ORDER BY id", models.IDArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// checkDependencies refuses, as Odoo does, a module that needs (directly
// or through another) a module ir.module.module does not list; seen
// guards against modules that depend on each other.
func checkDependencies(ctx context.Context, env *models.Env, name string, seen map[string]bool) error {
	if seen[name] {
		return nil
	}
	seen[name] = true
	rows, err := env.Query(ctx, "SELECT d.name, m.id FROM ir_module_module_dependency d JOIN ir_module_module o ON o.id = d.module_id LEFT JOIN ir_module_module m ON m.name = d.name WHERE o.name = ? ORDER BY d.id", name)
	if err != nil {
		return err
	}
	type dep struct {
		name  string
		known bool
	}
	var deps []dep
	for rows.Next() {
		var d dep
		var id sql.NullInt64
		if err := rows.Scan(&d.name, &id); err != nil {
			rows.Close()
			return err
		}
		d.known = id.Valid
		deps = append(deps, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range deps {
		if !d.known {
			return models.UserErrorf("You try to install module '%s' that depends on module '%s'.\nBut the latter module is not available in your system.", name, d.name)
		}
		if err := checkDependencies(ctx, env, d.name, seen); err != nil {
			return err
		}
	}
	return nil
}

// checkModuleAdmin is Odoo's assert_log_admin_access: only members of
// Settings (base.group_system) may change the installed modules.
func checkModuleAdmin(ctx context.Context, env *models.Env) error {
	if env.IsSuperuser() {
		return nil
	}
	ok, err := env.HasGroup(ctx, "base.group_system")
	if err != nil {
		return err
	}
	if !ok {
		return &models.Error{Kind: models.KindAccessDenied, Message: "Access Denied"}
	}
	return nil
}

type moduleRef struct {
	id   int64
	name string
}

// notInstalledModules are those of ids that are not installed, in id
// order: godoo cannot install them.
func notInstalledModules(ctx context.Context, env *models.Env, ids []int64) ([]moduleRef, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := env.Query(ctx, "SELECT id, name FROM ir_module_module WHERE id IN ("+models.Placeholders(len(ids))+") AND (state IS NULL OR state <> 'installed') ORDER BY id", models.IDArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []moduleRef
	for rows.Next() {
		var m moduleRef
		if err := rows.Scan(&m.id, &m.name); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
