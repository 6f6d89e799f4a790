package pgstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lib/pq"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/godoo/godoo/models"
)

// Dump writes database name to w with the server's pg_dump, as Odoo does:
// plain SQL without owners for DumpPlain, the custom format for
// DumpCustom. pg_dump takes a consistent snapshot while the database stays
// in use. p counts bytes written.
func (s *Store) Dump(ctx context.Context, name string, format models.DumpFormat, w io.Writer, p models.Progress) error {
	if !models.ValidDBName(name) {
		return models.ErrNoDatabase(name)
	}
	if err := s.checkMarked(ctx, name); err != nil {
		return err
	}
	args := []string{"--no-owner"}
	if format == models.DumpCustom {
		args = append(args, "--format=c")
	}
	cmd, err := s.pgTool(ctx, "pg_dump", name, args...)
	if err != nil {
		return err
	}
	cmd.Stdout = models.CountWriter(w, p)
	if err := run(cmd); err != nil {
		return fmt.Errorf("pgstore: dump %s: %w", name, err)
	}
	return nil
}

// Restore makes database name from the dump at path: psql runs a plain
// dump, pg_restore a custom one, each in one transaction that stops at the
// first error. The dump goes into a new database of a temporary name that
// godoo does not list; prepare runs on it; only then is it marked as
// godoo's and renamed. On any failure it is dropped. p counts bytes read
// by psql or pg_restore.
func (s *Store) Restore(ctx context.Context, name string, format models.DumpFormat, path string,
	prepare func(ctx context.Context, db *bun.DB) error, p models.Progress) error {
	if !models.ValidDBName(name) {
		return models.ErrInvalidDBName(name)
	}
	unlock, err := s.pools.Lock(ctx, name)
	if err != nil {
		return err
	}
	defer unlock()
	if err := s.checkFree(ctx, name); err != nil {
		return err
	}
	tmp, err := tempName()
	if err != nil {
		return err
	}
	if _, err := s.maint.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(tmp)+" ENCODING 'UTF8' TEMPLATE template0"); err != nil {
		return fmt.Errorf("pgstore: restore %s: %w", name, err)
	}
	published := false
	defer func() {
		if !published {
			_ = s.dropDatabase(context.WithoutCancel(ctx), tmp)
		}
	}()
	if err := s.load(ctx, tmp, format, path, p); err != nil {
		return fmt.Errorf("pgstore: restore %s: %w", name, err)
	}
	if err := s.prepareDatabase(ctx, tmp, prepare); err != nil {
		return fmt.Errorf("pgstore: restore %s: %w", name, err)
	}
	// Marked first, renamed last: the rename, one statement, publishes
	// the whole database at once.
	comment := "COMMENT ON DATABASE " + pq.QuoteIdentifier(tmp) + " IS " + pq.QuoteLiteral(marker)
	if _, err := s.maint.ExecContext(ctx, comment); err != nil {
		return fmt.Errorf("pgstore: mark %s: %w", name, err)
	}
	stmt := "ALTER DATABASE " + pq.QuoteIdentifier(tmp) + " RENAME TO " + pq.QuoteIdentifier(name)
	if err := s.execExclusive(ctx, tmp, stmt); err != nil {
		return s.adminError("restore", "", name, err)
	}
	published = true
	return nil
}

// load runs psql or pg_restore on database db with the dump at path.
func (s *Store) load(ctx context.Context, db string, format models.DumpFormat, path string, p models.Progress) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		p.Total(fi.Size())
	}
	var cmd *exec.Cmd
	if format == models.DumpCustom {
		cmd, err = s.pgTool(ctx, "pg_restore", db, "--no-owner", "--exit-on-error", "--single-transaction")
	} else {
		cmd, err = s.pgTool(ctx, "psql", db, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction", "--file=-")
	}
	if err != nil {
		return err
	}
	cmd.Stdin = models.CountReader(f, p)
	return run(cmd)
}

// prepareDatabase runs prepare on database name through a pool of its own,
// closed before the database is renamed.
func (s *Store) prepareDatabase(ctx context.Context, name string, prepare func(ctx context.Context, db *bun.DB) error) error {
	sqldb, err := openDB(s.params.withDB(name), s.dial)
	if err != nil {
		return err
	}
	db := bun.NewDB(sqldb, pgdialect.New())
	defer db.Close()
	if err := prepare(ctx, db); err != nil {
		return err
	}
	return db.Close()
}

// tempName is the name of a database being restored: valid, and not one
// godoo lists until it is marked, just before it takes its name. Tests
// replace it.
var tempName = func() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "godoo_restore_" + hex.EncodeToString(b), nil
}

// driverOnly are the connection parameters of lib/pq that libpq, and so
// the client programs, do not know and would refuse.
var driverOnly = map[string]bool{"binary_parameters": true, "disable_prepared_binary_result": true}

// pgTool prepares a PostgreSQL client program on database db. The
// connection parameters go in --dbname as a connection string, except the
// password, which goes in the environment, where other users of the
// machine cannot read it, and the driver's own ones.
func (s *Store) pgTool(ctx context.Context, tool, db string, args ...string) (*exec.Cmd, error) {
	bin, err := findTool(tool)
	if err != nil {
		return nil, err
	}
	env := os.Environ()
	q := params{}
	for k, v := range s.params {
		switch {
		case k == "password":
			env = append(env, "PGPASSWORD="+v)
		case !driverOnly[k]:
			q[k] = v
		}
	}
	cmd := exec.CommandContext(ctx, bin, append(args, "--dbname="+q.withDB(db))...)
	cmd.Env = env
	return cmd, nil
}

// run runs cmd and returns the end of what it wrote on standard error with
// its failure.
func run(cmd *exec.Cmd) error {
	var stderr tailBuffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("%s: %w: %s", filepath.Base(cmd.Path), err, msg)
		}
		return fmt.Errorf("%s: %w", filepath.Base(cmd.Path), err)
	}
	return nil
}

// tailBuffer keeps the last tailSize bytes written to it: a tool that
// reports an error on every line of a large dump cannot fill memory.
type tailBuffer struct{ b []byte }

const tailSize = 4096

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > tailSize {
		t.b = slices.Clone(t.b[len(t.b)-tailSize:])
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(bytes.ToValidUTF8(t.b, nil)) }

// toolDirs are where PostgreSQL's client programs are looked for after
// PATH and pg_config --bindir: Debian's and Ubuntu's versioned
// directories, newest first.
var toolDirs = func() []string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.Reverse(dirs)
	return dirs
}

// findTool finds PostgreSQL's client program tool: on PATH, in
// pg_config --bindir, then in toolDirs. A missing program is an error the
// caller sees, as in Odoo: the server cannot dump without it.
func findTool(tool string) (string, error) {
	if p, err := exec.LookPath(tool); err == nil {
		return p, nil
	}
	if cfg, err := exec.LookPath("pg_config"); err == nil {
		if out, err := exec.Command(cfg, "--bindir").Output(); err == nil {
			if p := filepath.Join(strings.TrimSpace(string(out)), tool); isExecutable(p) {
				return p, nil
			}
		}
	}
	for _, dir := range toolDirs() {
		if p := filepath.Join(dir, tool); isExecutable(p) {
			return p, nil
		}
	}
	// Odoo's words (find_pg_tool), and where godoo looked.
	return "", models.ServerErrorf("builtins.Exception", "Command `%s` not found. godoo looks on PATH, in pg_config --bindir and in /usr/lib/postgresql/*/bin: install PostgreSQL's client programs, of the server's version or newer.", tool)
}

// isExecutable reports whether path is a file someone may execute.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}
