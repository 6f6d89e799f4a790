package base_test

import (
	"context"
	"encoding/base64"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/filestore"
	"github.com/godoo/godoo/models/storetest"
)

// TestReadDownload checks what a download reads of an attachment: a
// binary one's name, mimetype, size and content, from the filestore or
// from the row; nothing for a url attachment or an unknown id; and that
// only its being public or its access_token opens it to anyone.
func TestReadDownload(t *testing.T) {
	r := storetest.Base(t)
	storetest.Each(t, func(t *testing.T, s models.Store, db *bun.DB) {
		ctx := context.Background()
		storetest.Migrate(t, s, db)
		if _, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil {
			t.Fatal(err)
		}
		att := r.Model("ir.attachment")
		for _, c := range []struct {
			name  string
			files *filestore.Dir
		}{
			{"filestore", filestore.New(filepath.Join(t.TempDir(), "files"))},
			{"row", nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				env := func(tx bun.IDB) *models.Env {
					env := models.NewEnv(tx, s.Dialect(), r, s.Classify, models.SuperuserID, time.Now())
					env.Files = c.files
					return env
				}
				var bin, url int64
				err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
					var err error
					if bin, err = env(tx).Create(ctx, att, map[string]any{"name": "n.txt", "datas": base64.StdEncoding.EncodeToString([]byte("content"))}); err != nil {
						return err
					}
					url, err = env(tx).Create(ctx, att, map[string]any{"name": "link", "type": "url", "url": "https://example.com/"})
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				read := func(id int64) (d base.Download, found bool) {
					t.Helper()
					err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
						var err error
						d, found, err = base.ReadDownload(ctx, env(tx), id)
						return err
					})
					if err != nil {
						t.Fatal(err)
					}
					return d, found
				}
				d, found := read(bin)
				if !found || d.Name != "n.txt" || d.Mimetype != "text/plain" || d.Size != int64(len("content")) {
					t.Fatalf("ReadDownload = %+v, %v", d, found)
				}
				rc, err := d.Open()
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(rc)
				rc.Close()
				if err != nil || string(got) != "content" {
					t.Errorf("content %q, %v", got, err)
				}
				for _, id := range []int64{url, bin + url + 1000} {
					if _, found := read(id); found {
						t.Errorf("ReadDownload(%d) found a download", id)
					}
				}

				if d.Grants("") || d.Grants("tok") {
					t.Error("a private attachment without a token is granted")
				}
				if _, err := db.ExecContext(ctx, "UPDATE ir_attachment SET access_token = ? WHERE id = ?", "tok", bin); err != nil {
					t.Fatal(err)
				}
				d, _ = read(bin)
				if !d.Grants("tok") || d.Grants("") || d.Grants("other") || d.Grants("to") {
					t.Error("the access token does not grant exactly its download")
				}
				if _, err := db.ExecContext(ctx, "UPDATE ir_attachment SET public = ? WHERE id = ?", true, bin); err != nil {
					t.Fatal(err)
				}
				if d, _ = read(bin); !d.Grants("") {
					t.Error("a public attachment is not granted to anyone")
				}
			})
		}
	})
}
