package services

import (
	"context"
	"slices"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/modules"
	"github.com/uptrace/bun"
)

// moduleRegistries are the declared registries of databases with
// modules beyond base and web, by the set of their installed modules, so
// that databases with the same modules share one.
type moduleRegistries struct {
	bySet map[string]*models.Registry
}

// declaredFor is the declared registry of db's database: base and the
// modules it installed, without its custom models (registryOf lays those
// over it).
func (c *core) declaredFor(ctx context.Context, db bun.IDB) (*models.Registry, error) {
	installed, err := installedModules(ctx, db)
	if err != nil {
		return nil, err
	}
	return c.registryWith(installed)
}

// registryWith is the registry of base and the installed modules, built
// once per set of modules.
func (c *core) registryWith(installed []string) (*models.Registry, error) {
	var names []string
	for _, n := range installed {
		if n != "base" && n != "web" {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return c.registry, nil
	}
	slices.Sort(names)
	key := strings.Join(names, ",")
	c.mu.Lock()
	r := c.mods.bySet[key]
	c.mu.Unlock()
	if r != nil {
		return r, nil
	}
	r = models.NewRegistry()
	if err := c.catalogue().Register(r, names); err != nil {
		return nil, err
	}
	// The models path's models are served beside the modules', as beside
	// base alone.
	if err := base.Declare(r, c.cfg.Declarations); err != nil {
		return nil, err
	}
	c.wire(r)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mods.bySet == nil {
		c.mods.bySet = map[string]*models.Registry{}
	}
	if old := c.mods.bySet[key]; old != nil {
		return old, nil // built meanwhile by another call
	}
	c.mods.bySet[key] = r
	return r, nil
}

// installedModules are the modules db shows installed; none when it has
// no ir_module_module yet (a database being created). Any other failure
// is the caller's error: serving a database without its modules would
// hide their models until the registry version moves.
func installedModules(ctx context.Context, db bun.IDB) ([]string, error) {
	exists, err := models.TableExists(ctx, db, db.Dialect().Name().String(), "ir_module_module")
	if err != nil || !exists {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, "SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY name")
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

// moduleInstaller installs modules within a call's transaction
// (models.Env.InstallModules): what they bring (ToInstall), on the
// registry of every module then installed and the database's custom
// models; the transaction moves the registry version, so that every
// process serves the modules at its next call once it commits.
func (c *core) moduleInstaller() func(ctx context.Context, env *models.Env, names []string) error {
	return func(ctx context.Context, env *models.Env, names []string) error {
		installed, err := installedModules(ctx, env.DB)
		if err != nil {
			return err
		}
		cat := c.catalogue()
		todo, err := cat.ToInstall(installed, names)
		if err != nil || len(todo) == 0 {
			return err
		}
		declared, err := c.registryWith(append(installed, todo...))
		if err != nil {
			return err
		}
		r, err := base.ExtendFor(ctx, env.DB, declared)
		if err != nil {
			return err
		}
		if err := cat.Install(ctx, env.WithRegistry(r), todo); err != nil {
			return err
		}
		// Menus a module's data adds get their parent_path in the same
		// transaction, as base's do.
		if _, err := models.FillParentPaths(ctx, env.DB, r); err != nil {
			return err
		}
		return env.RegistryChanged(ctx)
	}
}

// InstallModules installs modules (with what they need) into database
// name as the superuser, in one transaction: godoo module install, and
// db create's --modules.
func (s *Database) InstallModules(ctx context.Context, name string, names []string) error {
	db, err := s.c.open(ctx, name)
	if err != nil {
		return err
	}
	_, err = s.c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		if env.InstallModules == nil {
			return nil, models.UserErrorf("The database %s cannot install modules.", name)
		}
		return nil, env.InstallModules(ctx, env, names)
	})
	return err
}

// catalogue is every module the services may install: those godoo
// carries and those of the configuration (a modules path).
func (c *core) catalogue() modules.Catalogue {
	if len(c.cfg.Modules) == 0 {
		return modules.Known()
	}
	c.catOnce.Do(func() {
		c.cat, _ = modules.Known().With(c.cfg.Modules) // checked by NewSet
	})
	return c.cat
}

// available are the ir.module.module rows of the modules a new database
// lists uninstalled: godoo's, the configuration's (a modules path), and
// Odoo's applications godoo does not carry (modules.Listed), unless the
// configuration has a module of that name.
func (c *core) available() []base.ModuleInfo {
	out := append(slices.Clone(modules.Available()), c.cfg.Modules.Infos()...)
	for _, m := range modules.Listed() {
		if c.cfg.Modules[m.Name] == nil {
			out = append(out, m)
		}
	}
	return out
}

// listModules lists in an existing database's ir.module.module the
// modules it does not list yet: those of a modules path given after the
// database was made, and those godoo lists since. A database being
// created is left to base.Install.
func (c *core) listModules(ctx context.Context, db *bun.DB) error {
	exists, err := models.TableExists(ctx, db, db.Dialect().Name().String(), "ir_module_module")
	if err != nil || !exists {
		return err
	}
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM ir_module_module").Scan(&n); err != nil || n == 0 {
		return err
	}
	_, err = c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return nil, base.AddAvailable(ctx, env, c.available())
	})
	return err
}

// carriesAny reports whether any of installed is a module godoo or the
// configuration carries, from the modules' manifests alone: a database
// with base alone has nothing to upgrade, and deciding so must not parse
// every module's declarations, which the process would then hold for its
// whole life (about 70 MB).
func (c *core) carriesAny(installed []string) bool {
	for _, m := range modules.Available() {
		if slices.Contains(installed, m.Name) {
			return true
		}
	}
	for _, n := range installed {
		if c.cfg.Modules[n] != nil {
			return true
		}
	}
	return false
}

// upgradeModules runs, as the superuser in one transaction, the upgrade
// steps of db's installed modules (modules.Catalogue.Upgrade): the records their
// install creates now that an older godoo's did not. A database being
// created shows none installed yet.
func (c *core) upgradeModules(ctx context.Context, db *bun.DB) error {
	installed, err := installedModules(ctx, db)
	if err != nil || !c.carriesAny(installed) || !c.catalogue().Upgradable(installed) {
		return err
	}
	_, err = c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return nil, c.catalogue().Upgrade(ctx, env, installed)
	})
	return err
}
