package base

import (
	"context"

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
	{"base", "Base", "", "18.0.1.3", nil, false},
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
	if err := insertRows(ctx, env, "ir_module_module_dependency", []string{"module_id", "name", "auto_install_required"}, deps); err != nil {
		return err
	}
	return insertRows(ctx, env, "ir_model_data", []string{"module", "name", "model", "res_id", "noupdate"}, xmlids)
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

// moduleBehaviour is ir.module.module's: installing a module from the
// client (button_immediate_install) can only succeed for the modules godoo
// provides, which are installed already; any other module gets a UserError
// and nothing is written: Odoo's for a dependency it does not know when
// the module names one, else Odoo's for a requirement that is not met.
func moduleBehaviour() *models.Behaviour {
	install := func(ctx context.Context, env *models.Env, _ *models.Model, ids []int64, _ models.Args) (any, error) {
		if err := checkModuleAdmin(ctx, env); err != nil {
			return nil, err
		}
		missing, err := notInstalledModules(ctx, env, ids)
		if err != nil {
			return nil, err
		}
		if len(missing) == 0 {
			// Odoo answers the next action once the modules are
			// installed: the web client's home page when no
			// configuration step is open.
			return map[string]any{"type": "ir.actions.act_url", "target": "self", "url": "/web"}, nil
		}
		mod := missing[0]
		// Odoo first refuses a module that needs one it does not know.
		deps, err := env.Query(ctx, "SELECT d.name FROM ir_module_module_dependency d LEFT JOIN ir_module_module m ON m.name = d.name WHERE d.module_id = ? AND m.id IS NULL ORDER BY d.id LIMIT 1", mod.id)
		if err != nil {
			return nil, err
		}
		defer deps.Close()
		if deps.Next() {
			var dep string
			if err := deps.Scan(&dep); err != nil {
				return nil, err
			}
			return nil, models.UserErrorf("You try to install module '%s' that depends on module '%s'.\nBut the latter module is not available in your system.", mod.name, dep)
		}
		if err := deps.Err(); err != nil {
			return nil, err
		}
		return nil, models.UserErrorf("Unable to install module \"%s\" because an external dependency is not met: %s", mod.name, "the module is not available on this server")
	}
	return &models.Behaviour{Methods: []*models.Method{
		{Name: "button_immediate_install", Record: true, Op: models.OpWrite, Class: "Module", Fn: install},
	}}
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
