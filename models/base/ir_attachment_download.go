package base

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"io"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/filestore"
)

// Download is what GET /web/content/<id> needs of a binary attachment's
// row. It is read without access checks, so that a token or a public
// attachment may be served to anyone: the caller decides with Grants, or
// reads the record as the user, before it serves the content.
type Download struct {
	Name, Mimetype string
	Size           int64
	fname, datas   sql.NullString
	token          sql.NullString
	public         bool
	files          *filestore.Dir
}

// ReadDownload reads the row of the binary attachment id in one statement;
// found is false when there is none (a url attachment included). The
// content is not read: Open streams it later, from the filestore of env.
func ReadDownload(ctx context.Context, env *models.Env, id int64) (d Download, found bool, err error) {
	rows, err := env.Query(ctx, "SELECT name, mimetype, store_fname, db_datas, access_token, public, file_size FROM ir_attachment WHERE id = ? AND type = 'binary'", id)
	if err != nil {
		return d, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return d, false, rows.Err()
	}
	var name, mimetype sql.NullString
	var public sql.NullBool
	var size sql.NullInt64
	if err := rows.Scan(&name, &mimetype, &d.fname, &d.datas, &d.token, &public, &size); err != nil {
		return d, false, err
	}
	d.Name, d.Mimetype, d.Size, d.public, d.files = name.String, mimetype.String, size.Int64, public.Bool, env.Files
	if d.Mimetype == "" {
		d.Mimetype = "application/octet-stream"
	}
	return d, true, rows.Err()
}

// Grants reports whether the download is open to anyone who asks with
// token: the attachment is public, or token is its access_token (Odoo's
// links to a document), compared in constant time.
func (d Download) Grants(token string) bool {
	return d.public || token != "" && d.token.Valid && subtle.ConstantTimeCompare([]byte(token), []byte(d.token.String)) == 1
}

// Open returns a reader of the content: its file when the filestore holds
// it, else the base64 text kept in the row, decoded as it is read.
func (d Download) Open() (io.ReadCloser, error) {
	if d.fname.Valid && filestore.ValidName(d.fname.String) && d.files != nil {
		return d.files.Open(d.fname.String)
	}
	return io.NopCloser(base64.NewDecoder(base64.StdEncoding, strings.NewReader(d.datas.String))), nil
}
