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

// installModules creates the ir.module.module rows of the installed
// modules, with the external ids Odoo gives them (base.module_<name>), and
// their ir.module.module.dependency rows.
func (in *installer) installModules() {
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
}

// moduleBehaviour is ir.module.module's: installing a module from the
// client (button_immediate_install) can only succeed for
// the modules godoo provides, which are installed already; any other
// module gets the UserError Odoo gives for a module whose requirements
// are not met, and nothing is written.
func moduleBehaviour() *models.Behaviour {
	install := func(ctx context.Context, env *models.Env, m *models.Model, ids []int64, _ models.Args) (any, error) {
		if err := checkModuleAdmin(ctx, env); err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			return true, nil
		}
		rows, err := env.Query(ctx, "SELECT name, state FROM ir_module_module WHERE id IN ("+models.Placeholders(len(ids))+") ORDER BY id", models.IDArgs(ids)...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			var state *string
			if err := rows.Scan(&name, &state); err != nil {
				return nil, err
			}
			if state == nil || *state != "installed" {
				return nil, models.UserErrorf("Unable to install module \"%s\" because an external dependency is not met: %s", name, "the module is not available on this server")
			}
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		// Odoo answers the next action once the modules are installed:
		// the web client's home page when no configuration step is open.
		return map[string]any{"type": "ir.actions.act_url", "target": "self", "url": "/web"}, nil
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
