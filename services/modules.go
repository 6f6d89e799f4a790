package services

import (
	"context"
	"slices"
	"strings"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/modules"
	"github.com/uptrace/bun"
)

// moduleRegistries are the registries of databases with modules beyond
// base and web: by database, and by the set of their installed modules,
// so that databases with the same modules share one.
type moduleRegistries struct {
	byDB  map[string]*models.Registry
	bySet map[string]*models.Registry
	// at is the generation of each database's credentials and access
	// rights at which its installed modules were last read: an install
	// by any process changes it (its access rows and groups).
	at map[string]auth.Generation
}

// freshRegistry is the registry of database name (pool db), read again
// when the database's generation moved since its modules were last read,
// so that a module another process installed is served at the next call.
// When the generation cannot be known (the feed is down), the registry
// known is kept.
func (c *core) freshRegistry(ctx context.Context, db *bun.DB, name string) (*models.Registry, error) {
	gen, ok, err := c.auth.Generation(ctx, db, name)
	if err != nil || !ok {
		return c.registryOf(name), nil
	}
	c.mu.Lock()
	seen, known := c.mods.at[name]
	c.mu.Unlock()
	if known && seen == gen {
		return c.registryOf(name), nil
	}
	r, err := c.loadRegistry(ctx, name, db)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.mods.at == nil {
		c.mods.at = map[string]auth.Generation{}
	}
	c.mods.at[name] = gen
	c.mu.Unlock()
	return r, nil
}

// registryOf is the registry of database name: the base one unless the
// database installed modules.
func (c *core) registryOf(name string) *models.Registry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.mods.byDB[name]; r != nil {
		return r
	}
	return c.registry
}

// registryOfPool is the registry of the database of pool db.
func (c *core) registryOfPool(db *bun.DB) *models.Registry {
	_, name, ok := c.primary(db)
	if !ok {
		return c.registry
	}
	return c.registryOf(name)
}

// setRegistry makes r the registry of database name.
func (c *core) setRegistry(name string, r *models.Registry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mods.byDB == nil {
		c.mods.byDB = map[string]*models.Registry{}
	}
	if r == c.registry {
		delete(c.mods.byDB, name)
	} else {
		c.mods.byDB[name] = r
	}
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
	if err := modules.Known().Register(r, names); err != nil {
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
// no ir.module.module yet (a database being created).
func installedModules(ctx context.Context, db bun.IDB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY name")
	if err != nil {
		return nil, nil // no table yet: base alone
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

// loadRegistry gives database name the registry of its installed
// modules.
func (c *core) loadRegistry(ctx context.Context, name string, db *bun.DB) (*models.Registry, error) {
	installed, err := installedModules(ctx, db)
	if err != nil {
		return nil, err
	}
	r, err := c.registryWith(installed)
	if err != nil {
		return nil, err
	}
	c.setRegistry(name, r)
	return r, nil
}

// moduleInstaller installs modules into database name within a call's
// transaction (models.Env.InstallModules): what they bring (ToInstall),
// on the registry of every module then installed, which the database
// serves once the transaction commits.
func (c *core) moduleInstaller(name string) func(ctx context.Context, env *models.Env, names []string) error {
	return func(ctx context.Context, env *models.Env, names []string) error {
		installed, err := installedModules(ctx, env.DB)
		if err != nil {
			return err
		}
		cat := modules.Known()
		todo, err := cat.ToInstall(installed, names)
		if err != nil || len(todo) == 0 {
			return err
		}
		r, err := c.registryWith(append(installed, todo...))
		if err != nil {
			return err
		}
		if err := cat.Install(ctx, env.WithRegistry(r), todo); err != nil {
			return err
		}
		env.OnCommit(func() { c.setRegistry(name, r) })
		return nil
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
