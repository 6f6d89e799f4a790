package database_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// testDBDumpRestore: db.dump in both formats and db.restore of what it
// wrote bring back the data and an API key; copy=True gives the restored
// database a new database.uuid; a restore over an existing name, of a
// dump of the other kind of store, or of a dump godoo did not write is
// refused with Odoo's error and leaves no database behind.
//
// A restore makes a whole database, the dearest step of these tests, so
// each protocol restores each format once: as a copy for the format
// restoreAsCopy names, as it was for the other. Both protocols carry both
// formats and both values of copy, and the two protocols together restore
// every format both ways.
func testDBDumpRestore(t *testing.T, c itest.Caller, set *services.Set, store models.Store) {
	dialect := store.Dialect()
	name := itest.UniqueName("itdb_")
	dbCopyTemplate(t, store, set, name)
	pw := itest.AdminPassword
	kw := func(db, secret, model, method string, args ...any) any {
		t.Helper()
		v, f := c.Call(t, "object", "execute_kw", db, int64(2), secret, model, method, args)
		if f != nil {
			t.Fatalf("%s.%s on %s: fault %d %s", model, method, db, f.Code, f.String)
		}
		return v
	}
	partner := kw(name, pw, "res.partner", "create", map[string]any{"name": "Dumped Partner"})
	key, _ := kw(name, pw, "res.users.apikeys", "generate", "rpc", "dump key", false).(string)
	if key == "" {
		t.Fatal("generate returned no key")
	}
	uuid := dbUUID(t, c, name, pw)

	for _, format := range []string{"zip", "dump"} {
		t.Run(format, func(t *testing.T) {
			data, _ := itest.MustDB(t, c, "dump", itest.MasterPassword, name, format).(string)
			raw, err := base64.StdEncoding.DecodeString(data)
			if err != nil || len(raw) == 0 {
				t.Fatalf("dump is not base64 (%v), %d bytes", err, len(raw))
			}
			if format == "zip" {
				checkDumpZip(t, raw, name, dialect)
			} else if want := map[string]string{"pg": "PGDMP", "sqlite": "SQLite format 3\x00"}[dialect]; !bytes.HasPrefix(raw, []byte(want)) {
				t.Errorf("dump format starts with %q, want %q", raw[:min(16, len(raw))], want)
			}

			restored := itest.UniqueName("itdb_")
			dbDropLater(t, set, restored)
			asCopy := restoreAsCopy[c.Protocol()] == format
			args := []any{itest.MasterPassword, restored, data}
			if asCopy {
				args = append(args, true)
			}
			itest.Equal(t, "restore", itest.MustDB(t, c, "restore", args...), true)
			if !dbListed(t, c, restored) {
				t.Fatalf("%s is not listed after restore", restored)
			}
			itest.Equal(t, "login with the password", dbLogin(t, c, restored, "admin", pw), int64(2))
			itest.Equal(t, "login with the API key", dbLogin(t, c, restored, "admin", key), int64(2))
			got := kw(restored, key, "res.partner", "read", []any{partner}, []any{"name"})
			if recs, _ := got.([]any); len(recs) != 1 || recs[0].(map[string]any)["name"] != "Dumped Partner" {
				t.Errorf("the partner in the restored database: %#v", got)
			}
			if u := dbUUID(t, c, restored, pw); asCopy && (u == "" || u == uuid) {
				t.Errorf("database.uuid of the copy = %q, want a new one (the original's is %q)", u, uuid)
			} else if !asCopy && u != uuid {
				t.Errorf("database.uuid without copy = %q, want the original's %q", u, uuid)
			}

			// The dump travels in the request: one over the body limit
			// is refused before any of it is restored.
			_, smallURL := dbServeWith(t, store, services.Config{ListDB: true, MasterPassword: itest.MasterPassword},
				godoorpc.Options{MaxBodyBytes: int64(len(data) / 2)})
			tooBig := itest.UniqueName("itdb_")
			dbDropLater(t, set, tooBig)
			if r := itest.Post(t, smallURL+"/jsonrpc", "application/json", itest.JSONBody("db", "restore", itest.MasterPassword, tooBig, data)); r.Status != http.StatusRequestEntityTooLarge {
				t.Errorf("a restore over the body limit: HTTP %d %s", r.Status, r.Body)
			}
			if dbExists(t, c, tooBig) {
				t.Errorf("a restore over the body limit made %s", tooBig)
			}

			// A restore over an existing name is Odoo's Exception and
			// leaves the database as it was.
			_, f := c.Call(t, "db", "restore", itest.MasterPassword, name, data)
			itest.WantFault(t, c.Protocol(), f, 1, "Database already exists")
			itest.Equal(t, "login after the refused restore", dbLogin(t, c, name, "admin", pw), int64(2))
		})
	}

	t.Run("refused", func(t *testing.T) {
		other := map[string]string{"pg": "sqlite", "sqlite": "pg"}[dialect]
		foreign := map[string][]byte{
			// The other store's own dumps, and its zip.
			"pg custom dump":     append([]byte("PGDMP\x01\x0e\x00\x04\x08\x01\x01\x01"), make([]byte, 64)...),
			"sqlite file":        append([]byte("SQLite format 3\x00"), make([]byte, 84)...),
			"other store's zip":  dumpZip(t, map[string]string{"manifest.json": `{"odoo_dump": "1", "godoo_dump": "1", "store": "` + other + `"}`, "dump.sql": "SELECT 1;", "db.sqlite": "x"}),
			"Odoo's zip":         dumpZip(t, map[string]string{"manifest.json": `{"odoo_dump": "1", "db_name": "x"}`, "dump.sql": "SELECT 1;"}),
			"not a dump":         []byte("hello"),
			"damaged own format": nil,
		}
		// What this store's raw dump starts with, followed by garbage.
		if dialect == "pg" {
			delete(foreign, "pg custom dump")
			foreign["damaged own format"] = append([]byte("PGDMP"), make([]byte, 64)...)
		} else {
			delete(foreign, "sqlite file")
			foreign["damaged own format"] = append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0xff}, 200)...)
		}
		// Real dumps of the other kind of store, when the machine has it.
		for what, raw := range otherStoreDumps(t, other) {
			foreign[what] = raw
		}
		for what, raw := range foreign {
			t.Run(what, func(t *testing.T) {
				target := itest.UniqueName("itdb_")
				dbDropLater(t, set, target)
				_, f := c.Call(t, "db", "restore", itest.MasterPassword, target, base64.StdEncoding.EncodeToString(raw))
				itest.WantFault(t, c.Protocol(), f, 1, "Couldn't restore database")
				if dbExists(t, c, target) || dbListed(t, c, target) {
					t.Errorf("a refused restore left database %s", target)
				}
			})
		}
	})

	t.Run("unknown database", func(t *testing.T) {
		_, f := c.Call(t, "db", "dump", itest.MasterPassword, itest.UniqueName("itdb_missing_"), "zip")
		itest.WantFault(t, c.Protocol(), f, 1, "does not exist")
	})
}

// restoreAsCopy is, for each protocol, the format testDBDumpRestore
// restores with copy=True; it restores the other format without it.
var restoreAsCopy = map[string]string{"xmlrpc": "dump", "jsonrpc": "zip"}

// checkDumpZip checks the members of a zip dump and its manifest's keys.
func checkDumpZip(t *testing.T, raw []byte, name, dialect string) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("the zip dump is not a zip: %v", err)
	}
	member := map[string]string{"pg": "dump.sql", "sqlite": "db.sqlite"}[dialect]
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != member+",manifest.json" {
		t.Errorf("zip members = %v, want %s then manifest.json", names, member)
	}
	f, err := z.Open("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	for _, k := range []string{"odoo_dump", "db_name", "version", "version_info", "major_version", "modules", "godoo_dump", "store"} {
		if _, ok := m[k]; !ok {
			t.Errorf("manifest.json lacks %s: %s", k, b)
		}
	}
	if m["db_name"] != name || m["store"] != dialect || m["odoo_dump"] != "1" {
		t.Errorf("manifest.json = %s", b)
	}
	if _, ok := m["pg_version"]; ok != (dialect == "pg") {
		t.Errorf("manifest.json pg_version present = %v on %s", ok, dialect)
	}
}

// dumpZip makes a zip of the given members.
func dumpZip(t *testing.T, members map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, body := range members {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(body))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// otherDumps keeps otherStoreDumps's answer for each dialect: every
// protocol's sub-test refuses the same dumps.
var otherDumps = struct {
	sync.Mutex
	m map[string]map[string][]byte
}{m: map[string]map[string][]byte{}}

// otherStoreDumps dumps a new database of a store of kind dialect in both
// formats: "sqlite" always, "pg" when GODOO_TEST_DSN names a server. The
// dumps are made once per process and dialect.
func otherStoreDumps(t *testing.T, dialect string) map[string][]byte {
	t.Helper()
	otherDumps.Lock()
	defer otherDumps.Unlock()
	if out, ok := otherDumps.m[dialect]; ok {
		return out
	}
	mk, ok := itest.Stores(t)[dialect]
	if !ok {
		t.Logf("no %s store on this machine: its real dumps are not tried", dialect)
		return nil
	}
	store := mk(t)
	t.Cleanup(func() { store.Close() })
	set := itest.NewSet(store, services.Config{})
	name := itest.UniqueName("itdb_")
	dbCopyTemplate(t, store, set, name)
	ctx := context.Background()
	out := map[string][]byte{}
	for _, format := range []string{"zip", "dump"} {
		var b bytes.Buffer
		if err := set.Database.DumpTo(ctx, name, format, &b, nil); err != nil {
			t.Fatal(err)
		}
		out["real "+dialect+" "+format] = b.Bytes()
	}
	otherDumps.m[dialect] = out
	return out
}

// testDBDumpFilestore: the zip of a database with a filestore holds its
// files under filestore/, as Odoo's, and restoring it gives the restored
// database its own copy, from which its attachments read; a server
// without a filestore refuses such a dump.
func testDBDumpFilestore(t *testing.T, c itest.Caller, store models.Store) {
	files := t.TempDir()
	set, url := dbServe(t, store, services.Config{ListDB: true, MasterPassword: itest.MasterPassword, FilestoreDir: files})
	c = dbSameProtocol(c, url)
	name := itest.UniqueName("itdb_")
	dbCopyTemplate(t, store, set, name)
	pw := itest.AdminPassword
	content := "the content of an attachment kept in the filestore"
	v, f := c.Call(t, "object", "execute_kw", name, int64(2), pw, "ir.attachment", "create",
		[]any{map[string]any{"name": "kept.txt", "datas": base64.StdEncoding.EncodeToString([]byte(content))}})
	if f != nil {
		t.Fatalf("create an attachment: %d %s", f.Code, f.String)
	}
	readDatas := func(db string) any {
		t.Helper()
		v, f := c.Call(t, "object", "execute_kw", db, int64(2), pw, "ir.attachment", "read", []any{[]any{v}, []any{"datas", "store_fname"}})
		if f != nil {
			t.Fatalf("read the attachment on %s: %d %s", db, f.Code, f.String)
		}
		recs, _ := v.([]any)
		if len(recs) != 1 {
			t.Fatalf("read the attachment on %s: %#v", db, v)
		}
		return recs[0]
	}
	rec := readDatas(name).(map[string]any)
	fname, _ := rec["store_fname"].(string)
	if fname == "" {
		t.Fatalf("the attachment is not in the filestore: %#v", rec)
	}

	data, _ := itest.MustDB(t, c, "dump", itest.MasterPassword, name, "zip").(string)
	raw, _ := base64.StdEncoding.DecodeString(data)
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := z.Open("filestore/" + fname); err != nil {
		t.Errorf("the zip lacks filestore/%s: %v", fname, err)
	}

	restored := itest.UniqueName("itdb_")
	dbDropLater(t, set, restored)
	itest.Equal(t, "restore", itest.MustDB(t, c, "restore", itest.MasterPassword, restored, data), true)
	itest.Equal(t, "the restored attachment", readDatas(restored).(map[string]any)["datas"], base64.StdEncoding.EncodeToString([]byte(content)))
	if b, err := os.ReadFile(filepath.Join(files, restored, filepath.FromSlash(fname))); err != nil || string(b) != content {
		t.Errorf("the restored database's filestore: %q, %v", b, err)
	}
	entries, _ := os.ReadDir(files)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("the restore left %s beside the filestores", e.Name())
		}
	}

	_, noFilesURL := dbServe(t, store, services.Config{ListDB: true, MasterPassword: itest.MasterPassword})
	other := itest.UniqueName("itdb_")
	dbDropLater(t, set, other)
	_, f = dbSameProtocol(c, noFilesURL).Call(t, "db", "restore", itest.MasterPassword, other, data)
	itest.WantFault(t, c.Protocol(), f, 1, "Couldn't restore database")
	if dbExists(t, c, other) {
		t.Errorf("a refused restore made %s", other)
	}
}
