package base_test

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/filestore"
	"github.com/godoo/godoo/models/pgstore"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/models/storetest"
)

// TestCollectionWaitsForWriters checks that collecting the filestore is
// safe with several processes: while a transaction that wrote a file for a
// row is open, another transaction's collection cannot take the lock (it
// would otherwise see no row and delete the file); once the writer has
// committed, the collection keeps the file, and deletes it only when no
// row refers to it any more.
func TestCollectionWaitsForWriters(t *testing.T) {
	r := storetest.Base(t)
	stores := map[string]func(t *testing.T) models.Store{
		"sqlite": func(t *testing.T) models.Store {
			// A collection that cannot take the lock gives up at once.
			s, err := sqlitestore.New(t.TempDir(), sqlitestore.WithBusyTimeout(time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	if dsn := os.Getenv("GODOO_TEST_DSN"); dsn != "" {
		stores["pg"] = func(t *testing.T) models.Store {
			s, err := pgstore.New(dsn)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	} else {
		t.Log("PostgreSQL not tested: GODOO_TEST_DSN is not set")
	}
	for name, mk := range stores {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := mk(t)
			t.Cleanup(func() { s.Close() })
			dbName := storetest.Name()
			db, err := s.Create(ctx, dbName)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Drop(context.Background(), dbName) })
			storetest.Migrate(t, s, db)
			if _, err := models.EnsureSchema(ctx, db, s.Dialect(), r); err != nil {
				t.Fatal(err)
			}
			files := filestore.New(filepath.Join(t.TempDir(), dbName))
			envOf := func(tx bun.IDB) *models.Env {
				env := models.NewEnv(tx, s.Dialect(), r, s.Classify, models.SuperuserID, time.Now())
				env.Files = files
				return env
			}
			att := r.Model("ir.attachment")

			writer, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer writer.Rollback()
			id, err := envOf(writer).Create(ctx, att, map[string]any{"name": "w.txt", "datas": base64.StdEncoding.EncodeToString([]byte("written"))})
			if err != nil {
				t.Fatal(err)
			}
			marked, _ := files.Marked()
			if len(marked) != 1 || !files.Exists(marked[0]) {
				t.Fatalf("written and marked: %v", marked)
			}
			fname := marked[0]

			// Another process's collection, in its own transaction (on
			// SQLite, beginning it already waits for the write lock).
			err = func() error {
				collector, err := db.BeginTx(ctx, nil)
				if err != nil {
					return err
				}
				defer collector.Rollback()
				if s.Dialect() == "pg" {
					if _, err := collector.ExecContext(ctx, "SET LOCAL lock_timeout = '10ms'"); err != nil {
						t.Fatal(err)
					}
				}
				_, err = base.CollectFiles(ctx, envOf(collector))
				return err
			}()
			if err == nil {
				t.Fatal("a collection ran while a writer's transaction was open")
			}
			if !files.Exists(fname) {
				t.Fatal("the open transaction's file was deleted")
			}
			if err := writer.Commit(); err != nil {
				t.Fatal(err)
			}

			collect := func() int {
				t.Helper()
				var n int
				err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
					var err error
					n, err = base.CollectFiles(ctx, envOf(tx))
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			if n := collect(); n != 0 || !files.Exists(fname) {
				t.Fatalf("collection after the commit deleted %d, file exists %v", n, files.Exists(fname))
			}
			err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				return envOf(tx).Unlink(ctx, att, []int64{id})
			})
			if err != nil {
				t.Fatal(err)
			}
			if n := collect(); n != 1 || files.Exists(fname) {
				t.Fatalf("collection after the unlink deleted %d, file exists %v", n, files.Exists(fname))
			}
		})
	}
}
