// Package services implements Odoo's services on a store: common, object
// and db for RPC, the web client's sessions and JSON-2 for the web routes,
// and Auth, which turns what a request carries into who it runs as (one
// method per auth mode of the HTTP front). Every model method a request
// runs, whatever its protocol, takes one path (Object.Execute): open the
// database, look the method up, run it in one transaction. It is the only
// place where transactions begin and end: one per call, retried on
// serialization failures, rolled back on any error. It knows no HTTP.
package services

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/migrations"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/filestore"
	"github.com/godoo/godoo/models/modules"
	"github.com/uptrace/bun"
)

// MaxTries is how often a call is attempted when the database reports a
// serialization failure or deadlock (Odoo's MAX_TRIES_ON_CONCURRENCY_FAILURE).
const MaxTries = 5

// Config holds what the services need from the configuration.
type Config struct {
	// ServerVersion is the Odoo version godoo reports, "18.0" by default.
	ServerVersion string
	// ListDB enables db.list and the database management methods (Odoo's
	// list_db option).
	ListDB bool
	// MasterPassword protects the db service (Odoo's admin_passwd): clear
	// text or a $pbkdf2-sha512$ hash. Empty refuses every protected method.
	MasterPassword string
	// SaveMasterPassword persists a new master password
	// (db.change_admin_password); nil keeps it in memory only.
	SaveMasterPassword func(hash string) error
	// HeaderKeys are API-KEY header keys from the configuration file
	// ([api_key_<name>] with key = or key_hash =, and key_groups =): key
	// name to key. Each replaces the database value of the auth.api.key of
	// that name. Only their hashes are kept.
	HeaderKeys map[string]auth.ConfigKey
	// BasicUsers are the HTTP Basic users of basic_api_key routes: login to
	// $pbkdf2-sha512$ hash. When empty, Basic credentials are checked
	// against the users' passwords of the database.
	BasicUsers map[string]string
	// DBFilter is Odoo's dbfilter: a regular expression of the databases
	// the web routes (/web/session/authenticate, /web/database/list, web
	// sessions) may use, matched at the start of the name; %h stands for
	// the request's host name and %d for its first label. Empty shows every
	// database; an invalid expression shows none.
	DBFilter string
	// FilestoreDir is the folder of the filestores, one folder per
	// database under it (Odoo's data_dir/filestore), where attachments
	// keep their content. Every process serving the same databases must
	// see the same folder. Empty keeps contents in the database instead.
	FilestoreDir string
	// Declarations are models served beside the base ones (a models
	// path), with the generic methods only and access for administrators
	// alone. CheckDeclarations tells whether NewSet accepts them.
	Declarations []*models.Declaration
	// Modules are installable modules served beside those godoo carries
	// (a modules path): every database lists them in ir.module.module,
	// uninstalled, and installs them as godoo's own. CheckModules tells
	// whether NewSet accepts them.
	Modules modules.Catalogue
	// RefusalDelay is how long a call with refused credentials waits before
	// its answer: DefaultRefusalDelay when zero, none when negative.
	RefusalDelay time.Duration
	// ReadYourWrites is how long the read-only calls of a user who wrote
	// run on the primary rather than on the replica, so that a client
	// reads what it wrote whatever the replica's lag:
	// DefaultReadYourWrites when zero, none when negative.
	ReadYourWrites time.Duration
	// Now is the clock; time.Now by default.
	Now func() time.Time
	Log *slog.Logger
	// NoListen keeps the process off the store's invalidation feed (no
	// LISTEN on PostgreSQL): the command line's, which keeps no cache a
	// change elsewhere could make stale, and which behind a pooler could
	// not LISTEN through db_url. It caches no credentials then. Its own
	// changes still notify the processes that listen (the triggers do) and
	// it still waits until they handled them, as a server does.
	NoListen bool
}

// Set is the services over one store and registry: Odoo's three RPC
// services, and Auth, which turns a request's credentials into who it
// runs as.
type Set struct {
	Common   *Common
	Object   *Object
	Database *Database
	Auth     *Auth
	core     *core
}

// core is what the services share: the store, the registry, the
// authenticator and the record of databases already migrated here.
type core struct {
	store    models.Store
	registry *models.Registry
	auth     *auth.Authenticator
	cfg      Config
	log      *slog.Logger
	dbf      *dbFilter

	mu       sync.Mutex
	migrated map[string]bool
	master   string
	// names maps each open pool to its database name.
	names map[*bun.DB]string
	// access is each database's cache of access checks, for its current
	// generation.
	access map[string]accessAt
	// gates queue the calls of each pool.
	gates gates
	// accessCounts counts the look-ups of every access cache.
	accessCounts models.HitCounts
	// foundAt is when the web routes last found each database.
	foundAt map[string]time.Time
	// rep is what the services know of the replicas.
	rep replicas
	// files are the filestores of the databases, by name.
	files map[string]*filestore.Dir
	// cat is every module the services may install, when the
	// configuration adds some (catalogue).
	cat     modules.Catalogue
	catOnce sync.Once
	// mods are the registries of databases with modules installed.
	mods moduleRegistries
	// regs are the databases' registries (registries.go).
	regs registries
	// pause, when set, stands in for the wait of the refusal delay, so
	// that tests see the waits without spending them.
	pause func(ctx context.Context, d time.Duration)
	// classify and installer are the store's Classify and
	// moduleInstaller, made once: every call's Env takes them, and a
	// method value or closure made per call is an allocation each.
	classify  func(error) error
	installer func(ctx context.Context, env *models.Env, names []string) error
}

// accessAt is an access cache valid at one generation.
type accessAt struct {
	gen   auth.Generation
	born  time.Time
	cache *models.AccessCache
}

// accessTTL bounds the life of an access cache even when no notice came, in
// case one was lost without the connection being seen to drop.
const accessTTL = time.Minute

// accessCache returns the access cache of db for its current generation,
// or nil when the generation cannot be known now. A replica pool has a
// cache of its own (replicaAccessCache): the primary's cache of the
// current generation must never hold rights read on a replica that has
// not yet replayed their revocation.
func (c *core) accessCache(ctx context.Context, db *bun.DB) *models.AccessCache {
	primary, name, ok := c.primary(db)
	if !ok {
		return nil
	}
	if primary != db {
		return c.replicaAccessCache(ctx, primary, db, name)
	}
	gen, ok, err := c.auth.Generation(ctx, primary, name)
	if err != nil || !ok {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.access[name]
	now := c.cfg.Now()
	if !ok || a.gen != gen || now.Sub(a.born) > accessTTL {
		a = accessAt{gen: gen, born: now, cache: models.NewAccessCache()}
		a.cache.Counts = &c.accessCounts
		if c.access == nil {
			c.access = map[string]accessAt{}
		}
		c.access[name] = a
	}
	return a.cache
}

// NewSet wires the services. Tests and main share this constructor.
func NewSet(store models.Store, cfg Config) *Set {
	if cfg.ServerVersion == "" {
		cfg.ServerVersion = "18.0"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	a := auth.New(cfg.Log)
	a.Now = cfg.Now
	if f, ok := store.(models.AuthFeed); ok {
		if cfg.NoListen {
			a.Uncached = true
		} else {
			a.Feed = f
		}
	}
	if s, ok := store.(models.AuthSettler); ok {
		a.Settler = s
	}
	if m, ok := store.(models.CommitCounter); ok {
		a.Marks = m
	}
	if len(cfg.HeaderKeys) > 0 {
		a.SetConfigKeys(cfg.HeaderKeys)
	}
	cfg.HeaderKeys = nil // the authenticator keeps their hashes only
	reg := models.NewRegistry()
	if err := base.Register(reg); err != nil {
		panic(err) // the embedded declarations are checked by models/base's tests
	}
	if err := base.Declare(reg, cfg.Declarations); err != nil {
		panic(err) // the caller checked them with CheckDeclarations
	}
	if len(cfg.Modules) > 0 {
		if _, err := modules.Known().With(cfg.Modules); err != nil {
			panic(err) // the caller checked them with CheckModules
		}
	}
	c := &core{store: store, registry: reg, auth: a, cfg: cfg, log: slog.New(requestLog{cfg.Log.Handler()}),
		migrated: map[string]bool{}, names: map[*bun.DB]string{}, master: cfg.MasterPassword, dbf: newDBFilter(cfg.DBFilter, cfg.Log)}
	c.classify = store.Classify
	c.installer = c.moduleInstaller()
	c.wire(reg)
	return &Set{Common: &Common{c}, Object: &Object{c}, Database: &Database{c}, Auth: &Auth{c}, core: c}
}

// wire gives registry r what the auth layer provides.
func (c *core) wire(r *models.Registry) {
	r.HashPassword = c.auth.HashRounds
	r.VerifyPassword = c.auth.Verify
	r.NewAPIKey = auth.NewKey
	r.HeaderKeyHash = auth.HeaderKeyHash
}

// CheckDeclarations reports whether decls may be served beside the base
// models: each one valid, none a base model, every relation to a model
// that is either.
func CheckDeclarations(decls []*models.Declaration) error {
	reg := models.NewRegistry()
	if err := base.Register(reg); err != nil {
		return err
	}
	return base.Declare(reg, decls)
}

// CheckModules reports whether more may be served beside the modules
// godoo carries: no name taken, each module declarable with the modules it
// depends on.
func CheckModules(more modules.Catalogue) error {
	_, err := modules.Known().With(more)
	return err
}

// BaseModels are the names of the models godoo declares itself.
func BaseModels() []string {
	reg := models.NewRegistry()
	if err := base.Register(reg); err != nil {
		panic(err) // the embedded declarations are checked by models/base's tests
	}
	return reg.Names()
}

// Registry exposes the declared model registry (without any database's
// custom models), for tools that embed godoo.
func (s *Set) Registry() *models.Registry { return s.core.registry }

// Authenticator exposes the credential checker, for tests that tune it.
func (s *Set) Authenticator() *auth.Authenticator { return s.core.auth }

// open returns the pool of database name, applying pending migrations the
// first time this process opens it.
func (c *core) open(ctx context.Context, name string) (*bun.DB, error) {
	if !models.ValidDBName(name) {
		return nil, models.ErrNoDatabase(name)
	}
	db, err := c.store.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	done := c.migrated[name]
	c.names[db] = name
	c.mu.Unlock()
	if done {
		return db, nil
	}
	applied, ensured, err := c.upgrade(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	if len(applied) > 0 || len(ensured) > 0 {
		c.log.InfoContext(ctx, "upgraded the schema", "db", name, "migrations", applied, "statements", len(ensured))
		if err := c.syncModels(ctx, db); err != nil {
			return nil, fmt.Errorf("open database %s: %w", name, err)
		}
	}
	if err := c.listModules(ctx, db); err != nil {
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	if err := c.upgradeModules(ctx, db); err != nil {
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	if _, err := c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return nil, base.UpgradeUI(ctx, env)
	}); err != nil {
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	c.mu.Lock()
	c.migrated[name] = true
	c.mu.Unlock()
	return db, nil
}

// upgrade applies the pending migrations, then creates what the
// registry's declarations need and db lacks (models.EnsureSchema).
func (c *core) upgrade(ctx context.Context, db *bun.DB) (applied, ensured []string, err error) {
	if applied, err = migrations.Apply(ctx, db, c.store.Dialect()); err != nil {
		return nil, nil, err
	}
	reg, err := c.declaredFor(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	if ensured, err = models.EnsureSchema(ctx, db, c.store.Dialect(), reg); err != nil {
		return nil, nil, err
	}
	// Links kept in the tables of an older layout of the modules'
	// many2many fields move to the tables the fields name now.
	moved, err := c.moveLinkTables(ctx, db, reg)
	if err != nil {
		return nil, nil, err
	}
	ensured = append(ensured, moved...)
	// Rows made before godoo kept parent_path (or before the column
	// existed) get theirs, so that searches on it find them.
	// Custom html fields made before godoo sanitized them are sanitized
	// (migration 0018), once the schema has their sanitize column.
	var filled []string
	var sanitized int64
	err = db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		if filled, err = models.FillParentPaths(ctx, tx, reg); err != nil {
			return err
		}
		sanitized, err = base.SanitizeOldHTMLFields(ctx, tx)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if len(filled) > 0 {
		c.log.InfoContext(ctx, "filled parent_path", "tables", filled)
	}
	if sanitized > 0 {
		c.log.InfoContext(ctx, "sanitized custom html fields made before the sanitizer", "fields", sanitized)
	}
	return applied, ensured, nil
}

// moveLinkTables moves, in a transaction of its own, the links kept in
// the tables of an older layout of the modules' many2many fields to the
// tables reg's fields name now (models.MoveLinkTables), and returns the
// statements it ran.
func (c *core) moveLinkTables(ctx context.Context, db *bun.DB, reg *models.Registry) ([]string, error) {
	var moved []string
	err := db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		var err error
		moved, err = models.MoveLinkTables(ctx, tx, c.store.Dialect(), reg, modules.LinkMoves())
		return err
	})
	if err != nil {
		return nil, err
	}
	return moved, nil
}

// foundFor is how long the web routes trust that a database they found
// still exists.
const foundFor = time.Second

// recentlyFound reports whether name was found less than foundFor ago.
func (c *core) recentlyFound(name string) bool {
	c.mu.Lock()
	at, ok := c.foundAt[name]
	c.mu.Unlock()
	return ok && c.cfg.Now().Sub(at) < foundFor
}

// found records that name exists now.
func (c *core) found(name string) {
	now := c.cfg.Now()
	c.mu.Lock()
	if c.foundAt == nil {
		c.foundAt = map[string]time.Time{}
	}
	c.foundAt[name] = now
	c.mu.Unlock()
}

// forget drops what this process knows of a database that went away.
func (c *core) forget(name string) {
	c.mu.Lock()
	delete(c.migrated, name)
	var dbs []*bun.DB
	for db, n := range c.names {
		if n == name {
			delete(c.names, db)
			dbs = append(dbs, db)
		}
	}
	for r, p := range c.rep.primaryOf {
		if slices.Contains(dbs, p) {
			delete(c.rep.primaryOf, r)
			dbs = append(dbs, r)
		}
	}
	for w := range c.rep.wrote {
		if w.db == name {
			delete(c.rep.wrote, w)
		}
	}
	delete(c.rep.downAt, name)
	delete(c.rep.access, name)
	delete(c.access, name)
	delete(c.foundAt, name)
	delete(c.files, name)
	c.mu.Unlock()
	c.gates.forget(dbs)
	c.regs.forget(name)
	c.auth.Forget(name)
}

// run executes fn in one transaction as uid: committed when fn succeeds,
// rolled back otherwise, and retried from scratch (up to MaxTries) when the
// database reports a serialization failure, deadlock or busy lock. Nothing is
// sent to the client before the transaction is over, so a retry is invisible.
func (c *core) run(ctx context.Context, db *bun.DB, uid int64, readOnly bool, fn func(ctx context.Context, env *models.Env) (any, error)) (any, error) {
	g := c.gates.queueOf(db)
	var lastErr error
	for try := 0; try < MaxTries; try++ {
		if try > 0 {
			wait := time.Duration(try*try) * 10 * time.Millisecond
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(wait):
			}
		}
		res, hooks, collect, err := c.gated(ctx, g, db, uid, readOnly, fn)
		if collect {
			// Files written or dropped: collect those no row refers to,
			// whether the transaction committed or not (a rolled-back one
			// leaves files that nothing refers to).
			defer c.collectFiles(context.WithoutCancel(ctx), db)
		}
		if err == nil {
			for _, h := range hooks {
				h()
			}
			return res, nil
		}
		err = c.store.Classify(err)
		if models.KindOf(err) != models.KindRetryable {
			return nil, err
		}
		lastErr = err
		c.log.InfoContext(ctx, "retrying after concurrent update", "try", try+1)
	}
	return nil, lastErr
}

// gated is one attempt of run, inside db's gate. The gate is held for the
// attempt only: not while run waits to retry, nor while the commit hooks
// wait for the processes to acknowledge the change. It is left even when
// fn panics (the handler recovers), so that a panicking method cannot use
// up the places.
func (c *core) gated(ctx context.Context, g *queue, db *bun.DB, uid int64, readOnly bool, fn func(ctx context.Context, env *models.Env) (any, error)) (any, []func(), bool, error) {
	if err := g.enter(ctx); err != nil {
		return nil, nil, false, err
	}
	defer g.leave()
	return c.once(ctx, db, uid, readOnly, fn)
}

// once is one transaction of run. collect reports that it put files on
// the filestore's checklist, committed or not.
func (c *core) once(ctx context.Context, db *bun.DB, uid int64, readOnly bool, fn func(ctx context.Context, env *models.Env) (any, error)) (res any, hooks []func(), collect bool, err error) {
	reg, err := c.registryOf(ctx, db)
	if err != nil {
		return nil, nil, false, c.store.Classify(err)
	}
	access := c.accessCache(ctx, db)
	files := c.filestore(db)
	body := func(ctx context.Context, idb bun.IDB) error {
		env := models.NewEnv(idb, c.store.Dialect(), reg, c.classify, uid, c.cfg.Now())
		env.Access = access
		env.RemoteAddr = remoteAddr(ctx)
		env.CredentialsChanging = c.credentialsChanging(db)
		env.Files = files
		env.InstallModules = c.installer
		r, err := fn(ctx, env)
		if err == nil {
			err = env.Precommit(ctx)
		}
		collect = collect || env.FilesCollectable()
		if err != nil {
			return err
		}
		res, hooks = r, env.CommitHooks()
		return nil
	}
	if readOnly && c.store.Dialect() == "pg" {
		// A read-only call on PostgreSQL runs its statements on the pool,
		// each in its own snapshot: BEGIN and COMMIT would double the round
		// trips of a call that is often one statement (search_read), and
		// there is nothing to roll back. Read-only methods never write.
		err = body(ctx, db)
	} else {
		// Other calls run in one transaction. Read-only ones on SQLite
		// start a deferred transaction that does not take the write lock.
		err = db.RunInTx(ctx, &sql.TxOptions{ReadOnly: readOnly}, func(ctx context.Context, tx bun.Tx) error {
			return body(ctx, tx)
		})
	}
	if err != nil {
		var e *models.Error
		if !errors.As(err, &e) {
			err = c.store.Classify(err)
		}
		return nil, nil, collect, err
	}
	return res, hooks, collect, nil
}

// credentialsChanging returns the hook that makes a committed change to
// credentials of db's database hold at the next request (see
// auth.Authenticator.Changing).
func (c *core) credentialsChanging(db *bun.DB) func() func() {
	_, name, ok := c.primary(db)
	if !ok {
		return nil
	}
	return func() func() { return c.auth.Changing(name) }
}

// primary returns the primary pool of db (db itself, or the primary a
// replica pool replays) and its database name; ok is false for a pool the
// services did not open. The generation of the access caches is read on
// the primary, which a replica may lag behind.
func (c *core) primary(db *bun.DB) (*bun.DB, string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.rep.primaryOf[db]; ok {
		db = p
	}
	name, ok := c.names[db]
	return db, name, ok
}

type remoteAddrKey struct{}

type clientKey struct{}

// Client describes the request and the program it comes from: its
// User-Agent and the protocol it spoke (xmlrpc, jsonrpc, json2, web, http)
// for the key audit, and the request's id, which every line services logs
// while serving it carries (requestLog), so that an operator can join
// them with the access log line.
type Client struct {
	UserAgent, Protocol, RequestID string
}

// WithClient records what the request says of its client.
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

func clientOf(ctx context.Context) Client {
	c, _ := ctx.Value(clientKey{}).(Client)
	return c
}

// WithRemoteAddr records the client's address for the login cool-down.
func WithRemoteAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, remoteAddrKey{}, addr)
}

func remoteAddr(ctx context.Context) string {
	if s, ok := ctx.Value(remoteAddrKey{}).(string); ok && s != "" {
		return s
	}
	return "n/a"
}

// syncModels records new models and their base access rights after
// migrations changed an existing database. A database whose base data is not
// installed yet (being created) is left to Install.
func (c *core) syncModels(ctx context.Context, db *bun.DB) error {
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM res_users").Scan(&n); err != nil || n == 0 {
		return err
	}
	_, err := c.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
		return nil, base.SyncModels(ctx, env)
	})
	return err
}

// FlushKeyUsage writes the key last-used times gathered in memory.
func (s *Set) FlushKeyUsage(ctx context.Context) error {
	return s.core.auth.FlushKeyUsage(ctx, s.core.open)
}

// Run does the background work of a serving process until ctx ends: every
// interval it flushes key last-used times and writes the aggregated log
// lines of refused attempts whose minute is over; at the end, all of them.
func (s *Set) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			_ = s.FlushKeyUsage(context.WithoutCancel(ctx))
			s.core.auth.FlushRefusals(true)
			return
		case <-t.C:
			_ = s.FlushKeyUsage(ctx)
			s.core.auth.FlushRefusals(false)
		}
	}
}
