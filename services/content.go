package services

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"io"
	"strings"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/filestore"
)

// Content is an attachment's content as a download serves it: read from
// its file as it is sent, never held whole.
type Content struct {
	Name, Mimetype string
	Size           int64
	open           func() (io.ReadCloser, error)
}

// Open returns a reader of the content.
func (c *Content) Open() (io.ReadCloser, error) { return c.open() }

// AttachmentContent is what GET /web/content/<id> serves: the content of
// the binary attachment attID, to id when id may read it, or to anyone who
// gives its access_token (Odoo's links to a document), or to anyone when it
// is public. An unknown attachment is a MissingError; one id may not read
// an AccessError.
func (s *Object) AttachmentContent(ctx context.Context, id auth.Identity, attID int64, token string) (*Content, error) {
	c := s.c
	if id.DB == "" {
		return nil, models.ErrAccessDenied
	}
	db, err := c.open(ctx, id.DB)
	if err != nil {
		return nil, err
	}
	var name, mimetype, fname, datas, stored sql.NullString
	var public sql.NullBool
	var size sql.NullInt64
	found := false
	_, err = c.run(ctx, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
		var err error
		found, err = env.Scalar(ctx, &name, "SELECT name FROM ir_attachment WHERE id = ? AND type = 'binary'", attID)
		if err != nil || !found {
			return nil, err
		}
		rows, err := env.Query(ctx, "SELECT mimetype, store_fname, db_datas, access_token, public, file_size FROM ir_attachment WHERE id = ?", attID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		if rows.Next() {
			if err := rows.Scan(&mimetype, &fname, &datas, &stored, &public, &size); err != nil {
				return nil, err
			}
		}
		return nil, rows.Err()
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, models.MissingErrorf("Record does not exist or has been deleted.")
	}
	granted := public.Bool || token != "" && stored.Valid && subtle.ConstantTimeCompare([]byte(token), []byte(stored.String)) == 1
	if !granted {
		if id.UID <= 0 {
			return nil, models.ErrAccessDenied
		}
		_, err := c.run(ctx, db, id.UID, true, func(ctx context.Context, env *models.Env) (any, error) {
			return env.Read(ctx, env.Registry.Model("ir.attachment"), []int64{attID}, []string{"id"}, false)
		})
		if err != nil {
			return nil, err
		}
	}
	files := c.filestore(db)
	out := &Content{Name: name.String, Mimetype: mimetype.String, Size: size.Int64}
	if out.Mimetype == "" {
		out.Mimetype = "application/octet-stream"
	}
	out.open = func() (io.ReadCloser, error) {
		if fname.Valid && filestore.ValidName(fname.String) && files != nil {
			return files.Open(fname.String)
		}
		return io.NopCloser(base64.NewDecoder(base64.StdEncoding, strings.NewReader(datas.String))), nil
	}
	return out, nil
}
