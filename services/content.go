package services

import (
	"context"
	"io"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
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
	var dl base.Download
	found := false
	_, err = c.run(ctx, db, models.SuperuserID, true, func(ctx context.Context, env *models.Env) (any, error) {
		var err error
		dl, found, err = base.ReadDownload(ctx, env, attID)
		return nil, err
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, models.MissingErrorf("Record does not exist or has been deleted.")
	}
	if !dl.Grants(token) {
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
	return &Content{Name: dl.Name, Mimetype: dl.Mimetype, Size: dl.Size, open: dl.Open}, nil
}
