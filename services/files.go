package services

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/filestore"
)

// filestore returns the filestore of db's database (Config.FilestoreDir/
// <name>), one per name in this process, or nil when there is none: the
// attachments then keep their content in the database.
func (c *core) filestore(db *bun.DB) *filestore.Dir {
	if c.cfg.FilestoreDir == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	name, ok := c.names[db]
	if !ok {
		return nil
	}
	d := c.files[name]
	if d == nil {
		d = filestore.New(filepath.Join(c.cfg.FilestoreDir, name))
		if c.files == nil {
			c.files = map[string]*filestore.Dir{}
		}
		c.files[name] = d
	}
	return d
}

// collectFiles deletes the files of db's filestore that no attachment
// refers to, in a transaction of its own. A failure is logged: the files
// stay on the checklist for the next collection.
func (c *core) collectFiles(ctx context.Context, db *bun.DB) {
	_, err := c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return base.CollectFiles(ctx, env)
	})
	if err != nil {
		c.log.Warn("filestore collection failed", "error", err)
	}
}

// filesPath is the folder of a database's filestore, "" when there is
// none.
func (c *core) filesPath(name string) string {
	if c.cfg.FilestoreDir == "" || !models.ValidDBName(name) {
		return ""
	}
	return filepath.Join(c.cfg.FilestoreDir, name)
}

// dropFiles deletes the filestore of a dropped database, as Odoo's
// db.drop does.
func (c *core) dropFiles(name string) {
	if p := c.filesPath(name); p != "" {
		if err := os.RemoveAll(p); err != nil {
			c.log.Warn("deleting a dropped database's filestore failed", "db", name, "error", err)
		}
	}
}

// renameFiles moves the filestore of a renamed database.
func (c *core) renameFiles(oldName, newName string) error {
	from, to := c.filesPath(oldName), c.filesPath(newName)
	if from == "" {
		return nil
	}
	if err := os.Rename(from, to); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// copyFiles gives a duplicated database the files of its source. Stored
// files never change once written, so the copy links them where the file
// system allows and copies them where it does not; the checklist is not
// copied.
func (c *core) copyFiles(src, dst string) error {
	from, to := c.filesPath(src), c.filesPath(dst)
	if from == "" {
		return nil
	}
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if rel == "checklist" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		if !filestore.ValidName(filepath.ToSlash(rel)) {
			return nil // a temporary file of a write in progress
		}
		target := filepath.Join(to, rel)
		if os.Link(p, target) == nil {
			return nil
		}
		return copyFile(p, target)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
