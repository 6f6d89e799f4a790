package services

import (
	"compress/gzip"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/godoo/godoo/migrations"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/sqlitestore"
)

// TestOldDatabasesOpen checks that databases made by earlier versions
// (testdata/olddb) open with the current code: the pending migrations are
// applied, the schema then matches the declarations, the new fields are
// recorded in ir.model.fields, and the old records read and write as new
// ones do.
func TestOldDatabasesOpen(t *testing.T) {
	for _, c := range []struct{ name, file string }{
		{"schema 0007", "schema0007.sqlite.gz"},
		{"previous version", "schema0010.sqlite.gz"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "db", "olddb.sqlite")
			unzip(t, filepath.Join("testdata", "olddb", c.file), path)
			// An image in the column that migration 0011 empties into an
			// attachment.
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec("UPDATE res_partner SET image_1920 = 'AAECAwQFBgc=' WHERE email = 'before@example.com'"); err != nil {
				t.Fatal(err)
			}
			// A child of the old tag: the fixtures' tables have no
			// parent_path, which the upgrade adds and fills.
			if _, err := raw.Exec("INSERT INTO res_partner_category (id, name, parent_id) VALUES (50, 'old child', 1)"); err != nil {
				t.Fatal(err)
			}
			raw.Close()
			store, err := sqlitestore.New(dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { store.Close() })
			set := NewSet(store, Config{FilestoreDir: filepath.Join(dir, "filestore")})
			set.core.auth.Rounds = 1000 // the fixtures' admin hash has 1 000 rounds
			ctx := context.Background()
			uid, err := set.Common.Login(ctx, "olddb", "admin", "old-admin-pw")
			if err != nil || uid != int64(2) {
				t.Fatalf("login: %v %v", uid, err)
			}
			db, err := set.core.open(ctx, "olddb")
			if err != nil {
				t.Fatal(err)
			}
			var applied int
			all, err := migrations.List("sqlite")
			if err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM godoo_migrations").Scan(&applied); err != nil || applied != len(all) {
				t.Fatalf("%d migrations recorded (%v)", applied, err)
			}
			diff, err := models.SchemaDiff(ctx, db, "sqlite", set.Registry())
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diff {
				t.Error(d)
			}
			call := adminCaller(t, set, "olddb", "old-admin-pw")
			// signup_type came with migration 0008 after the first fixture,
			// and 0017 took it away again (Odoo 18 base has no such field).
			if n := call("ir.model.fields", "search_count", []any{[]any{"model", "=", "res.partner"}, []any{"name", "=", "signup_type"}}); n != int64(0) {
				t.Errorf("ir.model.fields has %v rows for res.partner.signup_type", n)
			}
			old := call("res.partner", "search", []any{[]any{"email", "=", "before@example.com"}}).([]int64)
			if len(old) != 1 {
				t.Fatalf("the old partner: %v", old)
			}
			call("res.partner", "write", []any{old[0]}, map[string]any{"ref": "signup", "category_id": []any{[]any{int64(0), int64(0), map[string]any{"name": "new tag"}}}})
			recs := call("res.partner", "read", []any{old[0]}, []any{"name", "ref", "category_id", "image_1920"}).(*models.Table).Records()
			if r := recs[0]; r["name"] != "Made before" || r["ref"] != "signup" || len(r["category_id"].([]int64)) != 2 || r["image_1920"] != "AAECAwQFBgc=" {
				t.Errorf("the old partner reads %v", r)
			}
			if n := call("ir.attachment", "search_count", []any{[]any{"res_model", "=", "res.partner"}, []any{"res_field", "=", "image_1920"}}); n != int64(1) {
				t.Errorf("%v attachments hold the old image", n)
			}
			tags := call("res.partner.category", "search_read", []any{[]any{"id", "child_of", int64(1)}}, []any{"parent_path"}).(*models.Table).Records()
			paths := map[any]any{}
			for _, r := range tags {
				paths[r["id"]] = r["parent_path"]
			}
			if len(tags) != 2 || paths[int64(1)] != "1/" || paths[int64(50)] != "1/50/" {
				t.Errorf("the old tags under the old tag read %v", tags)
			}
			if n := call("res.company", "search_count", []any{[]any{"parent_path", "=", "1/"}}); n != int64(1) {
				t.Errorf("%v companies have the path 1/", n)
			}
			if id := call("res.partner", "create", map[string]any{"name": "Made after"}); id == nil {
				t.Error("no partner created")
			}
		})
	}
}

// unzip writes the gzipped file src to dst, making dst's directory.
func unzip(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
