package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite"

	"github.com/godoo/godoo/models"
)

// pagesPerStep is how many pages one step of the online backup copies.
// The source is locked only during a step, so that writers wait at most
// the time of a step, and each step reports progress.
const pagesPerStep = 256

// backuper is the driver connection's online backup (sqlite3_backup_*).
type backuper interface {
	NewBackup(dstURI string) (*sqlite.Backup, error)
}

// Dump writes a copy of database name, a SQLite database file, to w,
// whatever the format: SQLite's online backup copies it page by page into
// a temporary file while the database stays in use, and that file is then
// copied to w. p counts pages.
func (s *Store) Dump(ctx context.Context, name string, _ models.DumpFormat, w io.Writer, p models.Progress) error {
	db, err := s.Open(ctx, name)
	if err != nil {
		return err
	}
	tmp, err := s.tempFile(".dump-")
	if err != nil {
		return err
	}
	defer s.removeTemp(tmp)
	if err := backup(ctx, db, tmp, p); err != nil {
		return fmt.Errorf("sqlitestore: dump %s: %w", name, err)
	}
	f, err := os.Open(tmp)
	if err != nil {
		return fmt.Errorf("sqlitestore: dump %s: %w", name, err)
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("sqlitestore: dump %s: %w", name, err)
	}
	return nil
}

// backup copies db into the file dst with the online backup, inside one
// read transaction of the source connection: every step then reads the
// same snapshot, so the copy is consistent, and writers, which WAL lets
// go on beside a reader, never make SQLite start the copy again (without
// it, a write between two steps would, and a database written to all the
// time could never be dumped).
func backup(ctx context.Context, db *bun.DB, dst string, p models.Progress) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// A plain BEGIN is deferred: the snapshot is taken by the first read,
	// here of the schema, before the page count.
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") }()
	var tables, pages int64
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return err
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return err
	}
	p.Total(pages)
	return conn.Raw(func(dc any) error {
		b, ok := dc.(backuper)
		if !ok {
			return errors.New("the SQLite driver has no online backup")
		}
		bk, err := b.NewBackup(dst)
		if err != nil {
			return err
		}
		for done := int64(0); ; {
			if err := ctx.Err(); err != nil {
				_ = bk.Finish()
				return err
			}
			more, err := bk.Step(pagesPerStep)
			if err != nil {
				_ = bk.Finish()
				return err
			}
			n := min(int64(pagesPerStep), pages-done)
			if !more {
				n = pages - done
			}
			if n > 0 {
				done += n
				p.Add(n)
			}
			if !more {
				return bk.Finish()
			}
		}
	})
}

// Restore makes database name from the SQLite database file at path (the
// format does not matter: both are the file). The file is copied beside
// the databases under a temporary name, checked, prepared, switched out of
// WAL so that the main file holds everything, and only then linked to its
// name, which fails rather than replace a database that took the name
// meanwhile. p counts bytes copied.
func (s *Store) Restore(ctx context.Context, name string, _ models.DumpFormat, path string,
	prepare func(ctx context.Context, db *bun.DB) error, p models.Progress) error {
	if !models.ValidDBName(name) {
		return models.ErrInvalidDBName(name)
	}
	unlock, err := s.pools.Lock(ctx, name)
	if err != nil {
		return err
	}
	defer unlock()
	if ok, err := isFile(s.Path(name)); err != nil {
		return err
	} else if ok {
		return models.UserErrorf("Database %s already exists", name)
	}
	tmp, err := s.tempFile(".restore-")
	if err != nil {
		return err
	}
	defer s.removeTemp(tmp)
	if err := copyFile(tmp, path, p); err != nil {
		return fmt.Errorf("sqlitestore: restore %s: %w", name, err)
	}
	if err := s.prepareFile(ctx, tmp, prepare); err != nil {
		return fmt.Errorf("sqlitestore: restore %s: %w", name, err)
	}
	// A link cannot replace an existing file, so the name is taken
	// atomically, and never by a half-written file.
	if err := os.Link(tmp, s.Path(name)); errors.Is(err, fs.ErrExist) {
		return models.UserErrorf("Database %s already exists", name)
	} else if err != nil {
		return fmt.Errorf("sqlitestore: restore %s: %w", name, err)
	}
	return nil
}

// prepareFile opens the database file at path on one connection, checks
// it, runs prepare and leaves the file out of WAL mode, whole.
func (s *Store) prepareFile(ctx context.Context, path string, prepare func(ctx context.Context, db *bun.DB) error) error {
	sqldb, err := sql.Open("sqlite", s.dsn(path))
	if err != nil {
		return err
	}
	sqldb.SetMaxOpenConns(1)
	db := bun.NewDB(sqldb, sqlitedialect.New())
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil {
		return fmt.Errorf("not a database: %w", err)
	}
	if check != "ok" {
		return fmt.Errorf("damaged database: %s", check)
	}
	if err := prepare(ctx, db); err != nil {
		return err
	}
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode=DELETE").Scan(&mode); err != nil {
		return err
	}
	if mode != "delete" {
		return fmt.Errorf("could not leave WAL mode (%s)", mode)
	}
	return db.Close()
}

// tempFile creates an empty file (mode 0600) beside the databases, whose
// name no database can have.
func (s *Store) tempFile(prefix string) (string, error) {
	f, err := os.CreateTemp(s.dir, prefix+"*.tmp")
	if err != nil {
		return "", fmt.Errorf("sqlitestore: %w", err)
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		_ = os.Remove(name)
		return "", fmt.Errorf("sqlitestore: %w", err)
	}
	return name, nil
}

// removeTemp deletes a temporary database file and its companions.
func (s *Store) removeTemp(path string) {
	for _, ext := range []string{"-wal", "-shm", "-journal", ""} {
		_ = os.Remove(path + ext)
	}
}

// copyFile copies src over dst, counting bytes in p, and syncs dst.
func copyFile(dst, src string, p models.Progress) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if fi, err := in.Stat(); err == nil {
		p.Total(fi.Size())
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, models.CountReader(in, p)); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}
