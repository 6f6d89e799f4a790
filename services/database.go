package services

import (
	"context"
	"crypto/subtle"
	"sort"
	"strings"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

// Database is Odoo's db service: listing and managing databases. Every
// method but list, db_exist, list_lang and server_version needs the master
// password.
type Database struct{ c *core }

// CheckMaster compares the master password in constant time. With no master
// password configured, every protected method is refused. A wrong one
// waits the refusal delay, or until ctx, the call's, ends.
func (s *Database) CheckMaster(ctx context.Context, given string) error {
	s.c.mu.Lock()
	master := s.c.master
	s.c.mu.Unlock()
	if master == "" || given == "" {
		return models.ErrAccessDenied
	}
	if strings.HasPrefix(master, "$pbkdf2-sha512$") {
		if ok, _ := auth.VerifyPassword(given, master, 1); ok {
			return nil
		}
	} else if subtle.ConstantTimeCompare([]byte(given), []byte(master)) == 1 {
		return nil
	}
	// A wrong master password waits like any refused credential: a clear
	// one costs no derivation to check, so guesses would be cheap.
	return s.c.refused(ctx, models.ErrAccessDenied)
}

func (s *Database) managementEnabled() error {
	if !s.c.cfg.ListDB {
		return models.ErrAccessDenied
	}
	return nil
}

// List is db.list: every godoo database; AccessDenied when list_db is off.
func (s *Database) List(ctx context.Context) ([]string, error) {
	if err := s.managementEnabled(); err != nil {
		return nil, err
	}
	return s.c.store.List(ctx)
}

// Exist is db.db_exist.
func (s *Database) Exist(ctx context.Context, name string) (bool, error) {
	if !models.ValidDBName(name) {
		return false, nil
	}
	return s.c.store.Exists(ctx, name)
}

// ServerVersion is db.server_version.
func (s *Database) ServerVersion() string { return s.c.cfg.ServerVersion }

// ListLang is db.list_lang: [code, name] pairs sorted by name.
func (s *Database) ListLang() []any {
	langs := base.Languages()
	sort.Slice(langs, func(i, j int) bool { return langs[i][1] < langs[j][1] })
	out := make([]any, len(langs))
	for i, l := range langs {
		out[i] = []any{l[0], l[1]}
	}
	return out
}

// ListCountries is db.list_countries: [code, name] pairs sorted by name.
func (s *Database) ListCountries(ctx context.Context, master string) ([]any, error) {
	if err := s.CheckMaster(ctx, master); err != nil {
		return nil, err
	}
	countries := base.Countries()
	sort.Slice(countries, func(i, j int) bool { return countries[i][1] < countries[j][1] })
	out := make([]any, len(countries))
	for i, c := range countries {
		out[i] = []any{strings.ToLower(c[0]), c[1]}
	}
	return out, nil
}

// CreateOptions are db.create_database's arguments after the name.
type CreateOptions struct {
	Demo          bool
	Lang          string
	AdminPassword string
	AdminLogin    string
	CountryCode   string
	Phone         string
	// Modules are installed (with what they need) once the base data is
	// there, in a transaction of their own.
	Modules []string
	// Progress, when set, is told each step of Create as it begins, so
	// that a command line can show what a long creation is doing.
	Progress func(step string)
}

func (o CreateOptions) step(name string) {
	if o.Progress != nil {
		o.Progress(name)
	}
}

// CreateDatabase is db.create_database.
func (s *Database) CreateDatabase(ctx context.Context, master, name string, o CreateOptions) (bool, error) {
	if err := s.managementEnabled(); err != nil {
		return false, err
	}
	if err := s.CheckMaster(ctx, master); err != nil {
		return false, err
	}
	return true, s.Create(ctx, name, o)
}

// Create makes and initialises a database without the master password check;
// the command line and db.create_database share it. A database that fails to
// initialise is dropped again, so nothing half-made remains.
func (s *Database) Create(ctx context.Context, name string, o CreateOptions) error {
	if !models.ValidDBName(name) {
		return models.ErrInvalidDBName(name)
	}
	if o.AdminPassword == "" {
		return models.UserErrorf("The admin password must not be empty.")
	}
	o.step("creating the database")
	if _, err := s.c.store.Create(ctx, name); err != nil {
		return err
	}
	if err := s.initialise(ctx, name, o); err != nil {
		if derr := s.c.store.Drop(context.WithoutCancel(ctx), name); derr != nil {
			s.c.log.ErrorContext(ctx, "dropping a database that failed to initialise", "db", name, "err", derr)
		}
		s.c.forget(name)
		return err
	}
	return nil
}

func (s *Database) initialise(ctx context.Context, name string, o CreateOptions) error {
	db, err := s.c.store.Open(ctx, name)
	if err != nil {
		return err
	}
	o.step("applying the migrations")
	if _, _, err := s.c.upgrade(ctx, db); err != nil {
		return err
	}
	s.c.mu.Lock()
	s.c.migrated[name] = true
	s.c.mu.Unlock()
	if o.Demo {
		o.step("installing the base and demo data")
	} else {
		o.step("installing the base data")
	}
	_, err = s.c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return nil, base.Install(ctx, env, base.Options{AdminLogin: o.AdminLogin, AdminPassword: o.AdminPassword,
			Lang: o.Lang, CountryCode: strings.ToUpper(o.CountryCode), Phone: o.Phone, Demo: o.Demo,
			Modules: s.c.available()})
	})
	if err != nil || len(o.Modules) == 0 {
		return err
	}
	o.step("installing the modules")
	_, err = s.c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return nil, s.c.moduleInstaller()(ctx, env, o.Modules)
	})
	return err
}

// DuplicateDatabase is db.duplicate_database.
func (s *Database) DuplicateDatabase(ctx context.Context, master, src, dst string) (bool, error) {
	if err := s.managementEnabled(); err != nil {
		return false, err
	}
	if err := s.CheckMaster(ctx, master); err != nil {
		return false, err
	}
	if !models.ValidDBName(src) {
		return false, models.ErrNoDatabase(src)
	}
	if !models.ValidDBName(dst) {
		return false, models.ErrInvalidDBName(dst)
	}
	if err := s.c.store.Duplicate(ctx, src, dst); err != nil {
		return false, err
	}
	if err := s.c.copyFiles(src, dst); err != nil {
		if derr := s.c.store.Drop(context.WithoutCancel(ctx), dst); derr != nil {
			s.c.log.ErrorContext(ctx, "dropping a copy whose files could not be copied", "db", dst, "err", derr)
		}
		s.c.dropFiles(dst)
		s.c.forget(dst)
		return false, err
	}
	// Odoo gives a copy its own identity (ir.config_parameter's
	// init(force=True)): a new database.uuid and creation date.
	if err := s.RenewIdentity(ctx, dst); err != nil {
		if derr := s.c.store.Drop(context.WithoutCancel(ctx), dst); derr != nil {
			s.c.log.ErrorContext(ctx, "dropping a copy that failed to initialise", "db", dst, "err", derr)
		}
		s.c.forget(dst)
		return false, err
	}
	return true, nil
}

// RenewIdentity sets a new database.uuid and database.create_date in name,
// as Odoo gives every copy of a database. db.duplicate_database and
// db.restore's copies call it; so does a program that copies a database
// by other means (the test suite's template databases), so that two
// databases never share an identity.
func (s *Database) RenewIdentity(ctx context.Context, name string) error {
	db, err := s.c.open(ctx, name)
	if err != nil {
		return err
	}
	return s.renewIdentityOn(ctx, db)
}

// renewIdentityOn sets a new database.uuid and database.create_date in db.
func (s *Database) renewIdentityOn(ctx context.Context, db *bun.DB) error {
	uuid := base.NewUUID()
	_, err := s.c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		icp := env.Registry.Model("ir.config_parameter")
		for _, kv := range [][2]string{{"database.uuid", uuid}, {"database.create_date", env.NowText()}} {
			ids, err := env.Search(ctx, icp, []any{[]any{"key", "=", kv[0]}}, models.SearchOptions{})
			if err != nil {
				return nil, err
			}
			if len(ids) == 0 {
				_, err = env.Create(ctx, icp, map[string]any{"key": kv[0], "value": kv[1]})
			} else {
				err = env.Write(ctx, icp, ids, map[string]any{"value": kv[1]})
			}
			if err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	return err
}

// Drop is db.drop: true when dropped, false when the database is not listed.
func (s *Database) Drop(ctx context.Context, master, name string) (bool, error) {
	if err := s.managementEnabled(); err != nil {
		return false, err
	}
	if err := s.CheckMaster(ctx, master); err != nil {
		return false, err
	}
	return s.DropNoCheck(ctx, name)
}

// DropNoCheck drops a database without the master password check, for the
// command line.
func (s *Database) DropNoCheck(ctx context.Context, name string) (bool, error) {
	if !models.ValidDBName(name) {
		return false, nil
	}
	ok, err := s.c.store.Exists(ctx, name)
	if err != nil || !ok {
		return false, err
	}
	if err := s.c.store.Drop(ctx, name); err != nil {
		return false, err
	}
	s.c.forget(name)
	s.c.dropFiles(name)
	return true, nil
}

// Rename is db.rename.
func (s *Database) Rename(ctx context.Context, master, oldName, newName string) (bool, error) {
	if err := s.managementEnabled(); err != nil {
		return false, err
	}
	if err := s.CheckMaster(ctx, master); err != nil {
		return false, err
	}
	if !models.ValidDBName(oldName) {
		return false, models.ErrNoDatabase(oldName)
	}
	if !models.ValidDBName(newName) {
		return false, models.ErrInvalidDBName(newName)
	}
	if err := s.c.store.Rename(ctx, oldName, newName); err != nil {
		return false, err
	}
	s.c.forget(oldName)
	if err := s.c.renameFiles(oldName, newName); err != nil {
		return false, err
	}
	return true, nil
}

// ChangeAdminPassword is db.change_admin_password: it replaces the master
// password, stored hashed. Like Odoo's, it is refused when list_db is off.
func (s *Database) ChangeAdminPassword(ctx context.Context, master, newPassword string) (bool, error) {
	if err := s.managementEnabled(); err != nil {
		return false, err
	}
	if err := s.CheckMaster(ctx, master); err != nil {
		return false, err
	}
	if newPassword == "" {
		return false, models.UserErrorf("The new master password must not be empty.")
	}
	h, err := s.c.auth.Hash(newPassword)
	if err != nil {
		return false, err
	}
	if s.c.cfg.SaveMasterPassword != nil {
		if err := s.c.cfg.SaveMasterPassword(h); err != nil {
			return false, err
		}
	}
	s.c.mu.Lock()
	s.c.master = h
	s.c.mu.Unlock()
	return true, nil
}

// Unsupported checks the master password (and, as Odoo's
// migrate_databases does, that list_db is on), then refuses the method.
func (s *Database) Unsupported(ctx context.Context, master, method string) error {
	if err := s.managementEnabled(); err != nil {
		return err
	}
	if err := s.CheckMaster(ctx, master); err != nil {
		return err
	}
	return models.ServerErrorf("builtins.NotImplementedError", "db.%s is not supported by godoo, which migrates a database when it opens it", method)
}

// Names lists the databases without the list_db restriction, for the server
// itself.
func (s *Database) Names(ctx context.Context) ([]string, error) { return s.c.store.List(ctx) }

// Check opens a database and applies its pending migrations, refusing one
// written by a newer godoo.
func (s *Database) Check(ctx context.Context, name string) error {
	_, err := s.c.open(ctx, name)
	return err
}
