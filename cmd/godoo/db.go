package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/services"
)

var dbCreateCommand = &command{path: "db create", args: [2]int{1, 1},
	synopsis: "NAME --admin-password PW [--data-dir DIR | --db-url URL] [--demo] [--modules a,b]",
	summary:  "Creates a database and its admin user.",
	define: func(fs *flag.FlagSet) action {
		resolve := addFlags(fs, append(slices.Clone(storeKeys), "modules_path")...)
		adminPW := fs.String("admin-password", "", "the admin user's password `PW` (required; also GODOO_ADMIN_PASSWORD)")
		demo := boolFlag(fs, "demo", "load demo data: a demo user, companies and contacts")
		lang := fs.String("lang", "en_US", "the admin user's language `CODE`")
		login := fs.String("admin-login", "admin", "the admin user's `LOGIN`")
		mods := fs.String("modules", "", "install the modules `LIST` (comma-separated, e.g. sale_management,contacts) with what they need")
		return func(inv *invocation) error {
			pw := *adminPW
			if pw == "" {
				pw = os.Getenv("GODOO_ADMIN_PASSWORD")
			}
			if pw == "" {
				return usageError{"--admin-password is required"}
			}
			c, store, where, err := resolveStore(resolve)
			if err != nil {
				return err
			}
			defer store.Close()
			cfg := servicesConfig(c, newLogger(c, inv.stderr))
			if cfg.Modules, err = loadModulesPath(c); err != nil {
				return err
			}
			set := newServices(store, cfg)
			name := inv.pos[0]
			p := newProgress(inv.stderr, "db create "+name)
			err = set.Database.Create(context.Background(), name, services.CreateOptions{AdminPassword: pw, AdminLogin: *login,
				Lang: *lang, Demo: *demo, Modules: splitList(*mods), Progress: p.Step})
			p.Done(err)
			if err != nil {
				if models.AsError(err) == nil {
					err = fmt.Errorf("%s: %w", where, err)
				}
				return err
			}
			fmt.Fprintf(inv.stdout, "created database %s\n", name)
			return nil
		}
	}}

var dbListCommand = &command{path: "db list", synopsis: "[--data-dir DIR | --db-url URL]",
	summary: "Lists godoo's databases, one name a line.",
	define: func(fs *flag.FlagSet) action {
		resolve := addFlags(fs, storeKeys...)
		return func(inv *invocation) error {
			_, store, where, err := resolveStore(resolve)
			if err != nil {
				return err
			}
			defer store.Close()
			names, err := store.List(context.Background())
			if err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			for _, n := range names {
				fmt.Fprintln(inv.stdout, n)
			}
			return nil
		}
	}}

var dbDropCommand = &command{path: "db drop", args: [2]int{1, 1}, synopsis: "NAME [--data-dir DIR | --db-url URL]",
	summary: "Deletes a database that godoo created.",
	define: func(fs *flag.FlagSet) action {
		resolve := addFlags(fs, storeKeys...)
		return func(inv *invocation) error {
			c, store, where, err := resolveStore(resolve)
			if err != nil {
				return err
			}
			defer store.Close()
			set := newServices(store, servicesConfig(c, newLogger(c, inv.stderr)))
			name := inv.pos[0]
			if !models.ValidDBName(name) {
				return models.ErrInvalidDBName(name)
			}
			ok, err := set.Database.DropNoCheck(context.Background(), name)
			if err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			if !ok {
				return missingDatabase(store, where, name)
			}
			fmt.Fprintf(inv.stdout, "dropped database %s\n", name)
			return nil
		}
	}}

// resolveStore resolves the configuration and opens the store it names.
func resolveStore(resolve func() (*config, error)) (*config, models.Store, string, error) {
	c, err := resolve()
	if err != nil {
		return nil, nil, "", err
	}
	store, where, err := openStore(c, false)
	return c, store, where, err
}
