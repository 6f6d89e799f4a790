package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
)

var moduleInstallCommand = &command{path: "module install", args: [2]int{1, -1},
	synopsis: "NAME... [--db NAME] [--data-dir DIR | --db-url URL] [--modules-path DIR]",
	summary:  "Installs modules, with the modules they need, into a database.",
	help: "Installs the modules, with those they depend on and the auto-install modules they complete, in one " +
		"transaction: their tables and columns, groups, access rights and record rules, as ir.module.module's " +
		"button_immediate_install does.",
	define: func(fs *flag.FlagSet) action {
		resolve := addFlags(fs, append(slices.Clone(storeKeys), "modules_path")...)
		db := fs.String("db", "", "database `NAME` (default: the only database)")
		return func(inv *invocation) error {
			c, err := resolve()
			if err != nil {
				return err
			}
			store, set, name, err := openDatabase(c, inv.stderr, *db)
			if err != nil {
				return err
			}
			defer store.Close()
			var names []string
			for _, a := range inv.pos {
				names = append(names, splitList(a)...)
			}
			if err := set.Database.InstallModules(context.Background(), name, names); err != nil {
				return err
			}
			fmt.Fprintf(inv.stdout, "installed %s in %s\n", strings.Join(names, ", "), name)
			return nil
		}
	}}

// splitList is a comma-separated list's items, blanks left out.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
