// Package migrations holds the history of godoo's database schema as
// embedded SQL files, one set per dialect under the same numbers and names,
// and applies them. The tables of models are declared with the models
// (models.Declaration) and created from the declarations by
// models.EnsureSchema, after these migrations: a new migration is for what
// no declaration says, such as the tables of sessions, audit and failure
// counters, and triggers; the migrations that created the base models'
// tables stay, as the history every existing database went through.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

//go:embed sqlite/*.sql pg/*.sql
var files embed.FS

// Migration is one schema step.
type Migration struct {
	Name string // file name without directory, e.g. 0001_base.sql
	SQL  string
}

// List returns the migrations of dialect ("sqlite" or "pg") in order.
func List(dialect string) ([]Migration, error) {
	if dialect != "sqlite" && dialect != "pg" {
		return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
	}
	entries, err := fs.ReadDir(files, dialect)
	if err != nil {
		return nil, err
	}
	out := make([]Migration, 0, len(entries))
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := files.ReadFile(path.Join(dialect, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

const createTable = `CREATE TABLE IF NOT EXISTS godoo_migrations (name VARCHAR PRIMARY KEY, applied_at VARCHAR NOT NULL)`

// Status compares the migrations recorded in db with the embedded ones.
// pending are embedded but not applied; unknown are applied but not embedded,
// which means the database was written by a newer godoo.
func Status(ctx context.Context, db *bun.DB, dialect string) (pending, unknown []string, err error) {
	all, err := List(dialect)
	if err != nil {
		return nil, nil, err
	}
	applied, err := appliedNames(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	known := map[string]bool{}
	for _, m := range all {
		known[m.Name] = true
		if !applied[m.Name] {
			pending = append(pending, m.Name)
		}
	}
	for name := range applied {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	return pending, unknown, nil
}

func appliedNames(ctx context.Context, db bun.IDB) (map[string]bool, error) {
	if _, err := db.ExecContext(ctx, createTable); err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	rows, err := db.QueryContext(ctx, "SELECT name FROM godoo_migrations")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}

// Apply runs every pending migration, each in its own transaction, and
// returns the names it applied. Concurrent godoo processes on one PostgreSQL
// database serialise on an advisory lock, so each step runs once. A database
// that holds migrations this build does not know is refused.
func Apply(ctx context.Context, db *bun.DB, dialect string) ([]string, error) {
	pending, unknown, err := Status(ctx, db, dialect)
	if err != nil {
		return nil, err
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("migrations: database has migrations this godoo does not know (%s): it was written by a newer version", strings.Join(unknown, ", "))
	}
	if len(pending) == 0 {
		return nil, nil
	}
	all, _ := List(dialect)
	var done []string
	for _, m := range all {
		if !contains(pending, m.Name) {
			continue
		}
		ran, err := applyOne(ctx, db, dialect, m)
		if err != nil {
			return done, err
		}
		if ran {
			done = append(done, m.Name)
		}
	}
	return done, nil
}

func applyOne(ctx context.Context, db *bun.DB, dialect string, m Migration) (bool, error) {
	ran := false
	err := db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		if dialect == "pg" {
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(727272)"); err != nil {
				return err
			}
		}
		applied, err := appliedNames(ctx, tx)
		if err != nil || applied[m.Name] {
			return err
		}
		// The driver's own Exec runs the whole script; bun's placeholder
		// formatting is bypassed because migrations take no arguments.
		if _, err := tx.Tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO godoo_migrations (name, applied_at) VALUES (?, ?)",
			m.Name, time.Now().UTC().Format("2006-01-02 15:04:05"))
		ran = err == nil
		return err
	})
	return ran, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
