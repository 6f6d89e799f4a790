package services

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
)

// Progress is told how a dump or a restore advances: each step as it
// begins, then the units of the step (bytes or pages) as the store counts
// them. The command line draws it on a terminal.
type Progress interface {
	Step(name string)
	models.Progress
}

type noProgress struct{ models.NoProgress }

func (noProgress) Step(string) {}

// Members of the zip of db.dump, as in Odoo's: dump.sql (plain SQL for
// PostgreSQL; a SQLite database travels as its file, db.sqlite),
// manifest.json and the filestore's files under filestore/ when the
// database has one.
const (
	manifestMember = "manifest.json"
	sqlMember      = "dump.sql"
	sqliteMember   = "db.sqlite"
	// manifestMax bounds the manifest read from a zip to restore.
	manifestMax = 1 << 20
)

// Magic numbers of the dumps restore accepts.
var (
	pgCustomMagic = []byte("PGDMP")
	sqliteMagic   = []byte("SQLite format 3\x00")
	zipMagic      = []byte("PK\x03\x04")
)

// errDatabaseExists is Odoo's answer to a restore over an existing name.
func errDatabaseExists() error {
	return models.ServerErrorf("builtins.Exception", "Database already exists")
}

// errCouldNotRestore is Odoo's answer to a dump it cannot restore: a
// failed psql or pg_restore; godoo's also for a dump of another kind of
// store or one godoo did not write.
func errCouldNotRestore() error {
	return models.ServerErrorf("builtins.Exception", "Couldn't restore database")
}

// Dump is db.dump: the base64 of a zip (format "zip") or of the store's
// own dump (any other format, as in Odoo, where it means pg_dump's custom
// format). The dump is written to a temporary file first, so that the
// answer is held in memory once, as base64.
func (s *Database) Dump(ctx context.Context, master, name, format string) (string, error) {
	if err := s.managementEnabled(); err != nil {
		return "", err
	}
	if err := s.CheckMaster(ctx, master); err != nil {
		return "", err
	}
	f, err := os.CreateTemp("", "godoo-dump-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := s.DumpTo(ctx, name, format, f, nil); err != nil {
		return "", err
	}
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(base64.StdEncoding.EncodedLen(int(size)))
	enc := base64.NewEncoder(base64.StdEncoding, &b)
	if _, err := io.Copy(enc, f); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	return b.String(), nil
}

// DumpTo writes the dump of database name to w without the master
// password check, for the command line and Dump: a zip for format "zip",
// the store's own dump otherwise. p may be nil.
func (s *Database) DumpTo(ctx context.Context, name, format string, w io.Writer, p Progress) error {
	if p == nil {
		p = noProgress{}
	}
	if !models.ValidDBName(name) {
		return models.ErrNoDatabase(name)
	}
	db, err := s.c.open(ctx, name)
	if err != nil {
		return err
	}
	if format != "zip" {
		p.Step("dumping")
		return s.c.store.Dump(ctx, name, models.DumpCustom, w, p)
	}
	manifest, err := s.manifest(ctx, db, name)
	if err != nil {
		return err
	}
	z := zip.NewWriter(w)
	// The dump comes first, then the manifest, in the order of Odoo's zip.
	member, err := z.Create(s.dumpMember())
	if err != nil {
		return err
	}
	p.Step("dumping")
	if err := s.c.store.Dump(ctx, name, models.DumpPlain, member, p); err != nil {
		return err
	}
	mw, err := z.Create(manifestMember)
	if err != nil {
		return err
	}
	if _, err := mw.Write(manifest); err != nil {
		return err
	}
	if err := s.zipFiles(z, name, p); err != nil {
		return err
	}
	return z.Close()
}

// dumpMember is the zip member that holds the store's dump.
func (s *Database) dumpMember() string {
	if s.c.store.Dialect() == "pg" {
		return sqlMember
	}
	return sqliteMember
}

// manifest is the zip's manifest.json: Odoo's keys (odoo_dump, db_name,
// version, version_info, major_version, pg_version on PostgreSQL, modules),
// and godoo_dump and store, which restore reads to tell godoo's dumps and
// their kind of store; sqlite_version on SQLite.
func (s *Database) manifest(ctx context.Context, db *bun.DB, name string) ([]byte, error) {
	v := s.c.cfg.ServerVersion
	info := versionInfo(v)
	vi, _ := info.Get("server_version_info")
	serie, _ := info.Get("server_serie")
	keys := []string{"odoo_dump", "db_name", "version", "version_info", "major_version"}
	vals := []any{"1", name, v, vi, serie}
	switch s.c.store.Dialect() {
	case "pg":
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT current_setting('server_version_num')::int").Scan(&n); err != nil {
			return nil, err
		}
		keys = append(keys, "pg_version")
		vals = append(vals, fmt.Sprintf("%d.%d", n/10000, n/100%100))
	default:
		var sv string
		if err := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&sv); err != nil {
			return nil, err
		}
		keys = append(keys, "sqlite_version")
		vals = append(vals, sv)
	}
	keys = append(keys, "modules", "godoo_dump", "store")
	vals = append(vals, models.DictOf([]string{"base", "web"}, []any{v, v}), "1", s.c.store.Dialect())
	return json.MarshalIndent(models.DictOf(keys, vals), "", "    ")
}

// manifestOf is what restore reads of a manifest.
type manifestOf struct {
	GodooDump string `json:"godoo_dump"`
	Store     string `json:"store"`
}

// Restore is db.restore: data is the base64 of a dump that Dump wrote on
// the same kind of store. It is decoded as a stream into a temporary file,
// so that the dump is not held in memory a second time.
func (s *Database) Restore(ctx context.Context, master, name, data string, copy bool) (bool, error) {
	if err := s.managementEnabled(); err != nil {
		return false, err
	}
	if err := s.CheckMaster(ctx, master); err != nil {
		return false, err
	}
	f, err := os.CreateTemp("", "godoo-restore-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := io.Copy(f, base64.NewDecoder(base64.StdEncoding, strings.NewReader(data))); err != nil {
		var corrupt base64.CorruptInputError
		if errors.As(err, &corrupt) {
			return false, models.ServerErrorf("binascii.Error", "Incorrect padding")
		}
		return false, err
	}
	if err := f.Close(); err != nil {
		return false, err
	}
	if err := s.RestoreFrom(ctx, name, f.Name(), copy, nil); err != nil {
		return false, err
	}
	return true, nil
}

// RestoreFrom makes database name from the dump in the file at path,
// without the master password check, for the command line and Restore.
// With copy, the database gets a new database.uuid, as a copy does in
// Odoo. The restored database is checked to be godoo's and migrated before
// it takes its name, so a failure leaves nothing behind. p may be nil.
func (s *Database) RestoreFrom(ctx context.Context, name, path string, copy bool, p Progress) error {
	if p == nil {
		p = noProgress{}
	}
	if !models.ValidDBName(name) {
		return models.ErrInvalidDBName(name)
	}
	if ok, err := s.c.store.Exists(ctx, name); err != nil {
		return err
	} else if ok {
		return errDatabaseExists()
	}
	p.Step("reading the dump")
	u, err := s.unpack(path)
	if err != nil {
		s.c.log.WarnContext(ctx, "refused a dump to restore", "db", name, "err", err)
		return errCouldNotRestore()
	}
	defer u.cleanup()
	p.Step("restoring")
	placed := false
	err = s.c.store.Restore(ctx, name, u.format, u.file, func(ctx context.Context, db *bun.DB) error {
		p.Step("checking and migrating")
		if err := s.prepareRestored(ctx, db, copy); err != nil {
			return err
		}
		// The files take their place while the store holds the name,
		// before the database does: it never serves without them.
		placed = u.files != ""
		return s.c.placeFiles(u.files, name)
	}, p)
	s.c.forget(name)
	if err != nil && placed && models.KindOf(err) != models.KindUser {
		// Not when the name was taken meanwhile: the files are then
		// that database's.
		s.c.dropFiles(name)
	}
	switch {
	case err == nil:
		return nil
	case models.KindOf(err) == models.KindUser:
		return errDatabaseExists()
	case ctx.Err() != nil:
		return ctx.Err()
	case models.KindOf(err) == models.KindServer:
		// An error that tells the caller what to fix, such as a missing
		// client program.
		return err
	}
	s.c.log.WarnContext(ctx, "restoring a database failed", "db", name, "err", err)
	return errCouldNotRestore()
}

// unpacked is a dump ready for the store: the store's own dump in file,
// and the filestore's files in the folder files ("" when there are none).
// cleanup removes what unpack made.
type unpacked struct {
	file    string
	format  models.DumpFormat
	files   string
	cleanup func()
}

// unpack finds the store's dump in the file at path: the file itself when
// it starts as this store's own dump does, or the member of a zip whose
// manifest says godoo wrote it on this kind of store, extracted to a
// temporary file with the filestore's files. The start of the file
// decides, not whether a zip's directory can be found at its end, which a
// database holding a zip attachment near its end may seem to have.
func (s *Database) unpack(path string) (u unpacked, err error) {
	var made []string
	u.cleanup = func() {
		for _, p := range made {
			_ = os.RemoveAll(p)
		}
	}
	defer func() {
		if err != nil {
			u.cleanup()
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return u, err
	}
	head := make([]byte, len(sqliteMagic))
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	dialect := s.c.store.Dialect()
	switch {
	case dialect == "pg" && bytes.HasPrefix(head, pgCustomMagic),
		dialect == "sqlite" && bytes.Equal(head, sqliteMagic):
		u.file, u.format = path, models.DumpCustom
		return u, nil
	case !bytes.HasPrefix(head, zipMagic):
		return u, errors.New("neither a zip nor this store's own dump")
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		return u, err
	}
	defer z.Close()
	var m manifestOf
	if err := readJSON(&z.Reader, manifestMember, &m); err != nil {
		return u, err
	}
	if m.GodooDump == "" {
		return u, errors.New("a zip that godoo did not write")
	}
	if m.Store != s.c.store.Dialect() {
		return u, fmt.Errorf("a dump of a %q store", m.Store)
	}
	member, err := z.Open(s.dumpMember())
	if err != nil {
		return u, err
	}
	defer member.Close()
	out, err := os.CreateTemp("", "godoo-restore-*")
	if err != nil {
		return u, err
	}
	made = append(made, out.Name())
	_, err = io.Copy(out, member)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return u, err
	}
	u.file, u.format = out.Name(), models.DumpPlain
	u.files, err = s.c.unzipFiles(&z.Reader)
	if u.files != "" {
		made = append(made, u.files)
	}
	return u, err
}

// readJSON decodes the member name of z, at most manifestMax bytes, into v.
func readJSON(z *zip.Reader, name string, v any) error {
	f, err := z.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewDecoder(io.LimitReader(f, manifestMax)).Decode(v)
}

// prepareRestored checks that a restored database is godoo's, applies the
// migrations it lacks and, for a copy, gives it a new identity.
func (s *Database) prepareRestored(ctx context.Context, db *bun.DB, copy bool) error {
	defer s.c.gates.forget([]*bun.DB{db})
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM godoo_migrations").Scan(&n); err != nil {
		return fmt.Errorf("not a godoo database: %w", err)
	}
	applied, ensured, err := s.c.upgrade(ctx, db)
	if err != nil {
		return err
	}
	if len(applied) > 0 || len(ensured) > 0 {
		if err := s.c.syncModels(ctx, db); err != nil {
			return err
		}
	}
	if copy {
		return s.renewIdentityOn(ctx, db)
	}
	return nil
}
