package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/godoo/godoo/models"
)

var dbDumpCommand = &command{path: "db dump", args: [2]int{2, 2},
	synopsis: "NAME FILE [--format zip|dump] [--data-dir DIR | --db-url URL]",
	summary:  "Writes a database to a file, as db.dump does.",
	help: `The file is what the db service's dump returns, decoded: a zip of the
database's dump and manifest.json (--format zip), or the store's own dump
(--format dump: pg_dump's custom format on PostgreSQL, the database file on
SQLite). The database stays in use meanwhile. An existing FILE is not
replaced. On PostgreSQL the server's pg_dump is used, found on PATH, by
pg_config --bindir or in /usr/lib/postgresql/*/bin.`,
	define: func(fs *flag.FlagSet) action {
		resolve := addFlags(fs, storeKeys...)
		format := choiceFlag(fs, "format", "zip", "a zip with a manifest, as Odoo's, or the store's own dump", "zip", "dump")
		return func(inv *invocation) error {
			c, store, where, err := resolveStore(resolve)
			if err != nil {
				return err
			}
			defer store.Close()
			set := newServices(store, servicesConfig(c, newLogger(c, inv.stderr)))
			name, file := inv.pos[0], inv.pos[1]
			if ok, err := store.Exists(context.Background(), name); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			} else if !ok {
				return missingDatabase(store, where, name)
			}
			// Checked first so as not to dump in vain; the link below is
			// what guarantees it.
			if _, err := os.Lstat(file); err == nil {
				return fmt.Errorf("%s already exists", file)
			}
			// The dump goes to a temporary file beside FILE, linked to it
			// when complete, so that FILE is never a half-written dump.
			tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*")
			if err != nil {
				return err
			}
			defer os.Remove(tmp.Name())
			p := newProgress(inv.stderr, "db dump "+name)
			err = set.Database.DumpTo(context.Background(), name, *format, tmp, p)
			if cerr := tmp.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = linkNew(tmp.Name(), file)
			}
			p.Done(err)
			if err != nil {
				return err
			}
			fmt.Fprintf(inv.stdout, "dumped database %s to %s\n", name, file)
			return nil
		}
	}}

var dbRestoreCommand = &command{path: "db restore", args: [2]int{2, 2},
	synopsis: "NAME FILE [--copy] [--data-dir DIR | --db-url URL]",
	summary:  "Makes a database from a file that db dump wrote.",
	help: `FILE is a dump that godoo wrote on the same kind of store (db dump, or the
db service's dump decoded), zip or the store's own. NAME must be free. The
database is checked and migrated before it takes its name: a restore that
fails leaves nothing. With --copy the database gets a new database.uuid,
as a copy does in Odoo. On PostgreSQL the server's psql and pg_restore are
used.`,
	define: func(fs *flag.FlagSet) action {
		resolve := addFlags(fs, storeKeys...)
		copy := boolFlag(fs, "copy", "give the restored database a new identity (database.uuid), as a copy")
		return func(inv *invocation) error {
			c, store, where, err := resolveStore(resolve)
			if err != nil {
				return err
			}
			defer store.Close()
			set := newServices(store, servicesConfig(c, newLogger(c, inv.stderr)))
			name, file := inv.pos[0], inv.pos[1]
			if !models.ValidDBName(name) {
				return models.ErrInvalidDBName(name)
			}
			if _, err := os.Stat(file); err != nil {
				return err
			}
			p := newProgress(inv.stderr, "db restore "+name)
			err = set.Database.RestoreFrom(context.Background(), name, file, *copy, p)
			p.Done(err)
			if err != nil {
				if models.AsError(err) == nil {
					err = fmt.Errorf("%s: %w", where, err)
				}
				return err
			}
			fmt.Fprintf(inv.stdout, "restored database %s from %s\n", name, file)
			return nil
		}
	}}

// linkNew gives the complete file tmp the name file, failing rather than
// replace an existing file.
func linkNew(tmp, file string) error {
	if err := os.Link(tmp, file); errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists", file)
	} else if err != nil {
		return err
	}
	return nil
}
