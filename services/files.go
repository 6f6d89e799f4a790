package services

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
	// A replica's pool reads the files of its primary's database.
	_, name, ok := c.primary(db)
	if !ok {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
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
		c.log.WarnContext(ctx, "filestore collection failed", "error", err)
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
	return writeNew(to, in)
}

// writeNew writes r to the new file path (mode 0600).
func writeNew(path string, r io.Reader) error {
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// filesMember is the folder of the filestore's files in a dump's zip.
const filesMember = "filestore/"

// zipFiles adds the files of name's filestore to a dump's zip, under
// filestore/, as Odoo's dump does. The checklist and the temporary files
// of writes in progress are left out, and so is a file collected while
// the dump runs: no attachment of the dumped database referred to it.
func (s *Database) zipFiles(z *zip.Writer, name string, p Progress) error {
	root := s.c.filesPath(name)
	if root == "" {
		return nil
	}
	started := false
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() && rel == "checklist" {
			return filepath.SkipDir
		}
		if d.IsDir() || !filestore.ValidName(rel) {
			return nil
		}
		in, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		defer in.Close()
		if !started {
			p.Step("dumping the filestore")
			started = true
		}
		w, err := z.Create(filesMember + rel)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, models.CountReader(in, p))
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// unzipFiles extracts the filestore's files of a dump's zip into a new
// folder beside the filestores, so that placeFiles can move it into
// place, and returns it ("" when the zip has none). Only members named as
// the filestore names its files are taken, so that no member can write
// outside the folder.
func (c *core) unzipFiles(z *zip.Reader) (string, error) {
	dir := ""
	for _, f := range z.File {
		rel, ok := strings.CutPrefix(f.Name, filesMember)
		if !ok || strings.HasSuffix(f.Name, "/") {
			continue
		}
		if !filestore.ValidName(rel) {
			return dir, fmt.Errorf("a filestore member of an unknown name: %q", f.Name)
		}
		if dir == "" {
			if c.cfg.FilestoreDir == "" {
				return "", errors.New("the dump has a filestore and this server keeps none (filestore_dir)")
			}
			if err := os.MkdirAll(c.cfg.FilestoreDir, 0o700); err != nil {
				return "", err
			}
			d, err := os.MkdirTemp(c.cfg.FilestoreDir, ".restore-")
			if err != nil {
				return "", err
			}
			dir = d
		}
		if err := unzipFile(f, filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
			return dir, err
		}
	}
	return dir, nil
}

// unzipFile writes the member f to the new file path.
func unzipFile(f *zip.File, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	in, err := f.Open()
	if err != nil {
		return err
	}
	defer in.Close()
	return writeNew(path, in)
}

// placeFiles makes the folder dir, made by unzipFiles, the filestore of
// database name. The caller holds the name, which no database has: a
// filestore found there is a leftover and is replaced.
func (c *core) placeFiles(dir, name string) error {
	if dir == "" {
		return nil
	}
	target := c.filesPath(name)
	if err := os.RemoveAll(target); err != nil {
		return err
	}
	return os.Rename(dir, target)
}
