package services

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/godoo/godoo/migrations"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/sqlitestore"
)

// newDumpSet is a Set on a SQLite store of its own.
func newDumpSet(t *testing.T) (*Set, *sqlitestore.Store) {
	t.Helper()
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	set := NewSet(store, Config{ListDB: true, MasterPassword: "dump-Master-1"})
	set.core.auth.Rounds = 1000
	return set, store
}

// TestRestoreMigratesOldDumps: a dump made by an earlier version is
// migrated before it takes its name, and then serves as a new one.
func TestRestoreMigratesOldDumps(t *testing.T) {
	set, store := newDumpSet(t)
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "old.sqlite")
	unzip(t, filepath.Join("testdata", "olddb", "schema0007.sqlite.gz"), file)
	if err := set.Database.RestoreFrom(ctx, "restored", file, false, nil); err != nil {
		t.Fatal(err)
	}
	// Straight from the store, without the services' opening, which would
	// migrate it too.
	db, err := store.Open(ctx, "restored")
	if err != nil {
		t.Fatal(err)
	}
	if pending, _, err := migrations.Status(ctx, db, store.Dialect()); err != nil || len(pending) > 0 {
		t.Errorf("the restored database has migrations pending: %v %v", pending, err)
	}
	if uid, err := set.Common.Login(ctx, "restored", "admin", "old-admin-pw"); err != nil || uid != int64(2) {
		t.Errorf("login in the restored database: %v %v", uid, err)
	}
}

// TestRestoreKnowsDumpsByTheirStart: a SQLite dump whose last page holds a
// zip (an attachment) is restored as the database it is, not read as a
// zip, whose directory Go's reader finds at the end of the file.
func TestRestoreKnowsDumpsByTheirStart(t *testing.T) {
	set, store := newDumpSet(t)
	ctx := context.Background()
	if err := set.Database.Create(ctx, "src", CreateOptions{AdminPassword: "admin-Pw-1"}); err != nil {
		t.Fatal(err)
	}
	var attachment bytes.Buffer
	z := zip.NewWriter(&attachment)
	w, _ := z.Create("manifest.json")
	_, _ = w.Write([]byte(`{"godoo_dump": "1", "store": "sqlite"}`))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, "src")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE zz (b BLOB)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO zz VALUES (?)", attachment.Bytes()); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "src.dump")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	err = set.Database.DumpTo(ctx, "src", "dump", f, nil)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if r, err := zip.OpenReader(file); err != nil {
		t.Fatalf("the dump does not look like a zip from its end (%v): the test tests nothing", err)
	} else {
		r.Close()
	}
	if err := set.Database.RestoreFrom(ctx, "restored", file, false, nil); err != nil {
		t.Fatalf("restore: %v", err)
	}
}

// TestDumpRestoreLeaveNoTemporaryFiles: the temporary files of db.dump and
// db.restore are removed, whether they succeed or fail.
func TestDumpRestoreLeaveNoTemporaryFiles(t *testing.T) {
	set, _ := newDumpSet(t)
	ctx := context.Background()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if err := set.Database.Create(ctx, "src", CreateOptions{AdminPassword: "admin-Pw-1"}); err != nil {
		t.Fatal(err)
	}
	const master = "dump-Master-1"
	for _, format := range []string{"zip", "dump"} {
		data, err := set.Database.Dump(ctx, master, "src", format)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := set.Database.Restore(ctx, master, "dst_"+format, data, false); err != nil {
			t.Fatal(err)
		}
		if _, err := set.Database.Restore(ctx, master, "src", data, false); err == nil {
			t.Error("a restore over an existing database succeeded")
		}
	}
	if _, err := set.Database.Restore(ctx, master, "bad", "UEsDBAoAAAAAAA==", false); err == nil {
		t.Error("a restore of a damaged zip succeeded")
	}
	if _, err := set.Database.Restore(ctx, master, "bad64", "not base64!", false); models.AsError(err) == nil || models.AsError(err).ExceptionName() != "binascii.Error" {
		t.Errorf("a restore of data that is not base64: %v, want binascii.Error", err)
	}
	if _, err := set.Database.Dump(ctx, master, "missing", "zip"); err == nil {
		t.Error("a dump of a missing database succeeded")
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}
