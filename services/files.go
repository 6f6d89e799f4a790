package services

import (
	"context"
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
