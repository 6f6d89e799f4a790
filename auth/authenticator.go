// Package auth verifies the credentials of RPC calls: passwords (and, through
// the same slot, API keys), the login cool-down that slows brute force, and a
// cache of successful checks that every godoo process invalidates through the
// database.
package auth

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// Authenticator checks passwords for every database of a store.
type Authenticator struct {
	// Rounds is the PBKDF2 round count for new hashes; never below MinRounds.
	Rounds int
	// Now is the clock, injectable for cool-down tests.
	Now func() time.Time
	// Log receives login failures and cool-down notices; never a secret.
	Log   *slog.Logger
	cache *checkCache
	// keyCache remembers verified Odoo-format keys by key id.
	keyCache *checkCache
	limiter  *limiter
	usage    usage
	// Feed pushes notice of credential changes committed by any process
	// (PostgreSQL); nil makes every check read the generation counter.
	Feed models.AuthFeed
	// Marks tells, on stores without a feed, whether anything was
	// committed since the generation counter was last read.
	Marks models.CommitCounter
	// ColdKeys makes every native key check start as if a change had just
	// emptied the caches: the key's rows are read from the database and its
	// secret verified again. It exists so that godoo bench can measure the
	// cold path; only bench builds (the godoo_noauth tag) set it.
	ColdKeys bool
	rows     rowCache

	feedMu sync.Mutex
	feeds  map[string]*feed

	mu           sync.Mutex
	configByHash map[string]string // hash of a configured header key → key name
	configNames  map[string]bool
}

// New returns an Authenticator with Odoo's defaults.
func New(log *slog.Logger) *Authenticator {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Authenticator{Rounds: MinRounds, Now: time.Now, Log: log, cache: newCheckCache(100000),
		keyCache: newCheckCache(100000), limiter: &limiter{after: 5, window: time.Minute}}
}

// Hash hashes a new password with the configured rounds.
func (a *Authenticator) Hash(clear string) (string, error) {
	return HashPassword(clear, a.Rounds)
}

// HashRounds hashes a new password with rounds from the database
// (password.hashing.rounds) when they exceed the configured floor; lower
// values are ignored, as in Odoo.
func (a *Authenticator) HashRounds(clear string, rounds int) (string, error) {
	if rounds < a.Rounds {
		rounds = a.Rounds
	}
	return HashPassword(clear, rounds)
}

func (a *Authenticator) minRounds() int {
	if a.Rounds > MinRounds {
		return a.Rounds
	}
	return MinRounds
}

// Login verifies login and password on db (named dbname) for a client at ip
// and returns the uid. Unknown logins, archived users and wrong passwords all
// give the same AccessDenied, after the same amount of work.
func (a *Authenticator) Login(ctx context.Context, db bun.IDB, dbname, login, password, ip string) (int64, error) {
	keys := []string{"ip:" + ip, "login:" + login}
	if err := a.checkCooldown(ctx, db, dbname, login, ip, keys); err != nil {
		return 0, err
	}
	if password == "" {
		return 0, a.fail(ctx, db, dbname, login, ip, keys)
	}
	// A key in the password slot: godoo keys skip the password derivation
	// entirely; Odoo keys are tried first because their check is cheaper.
	if pk, isKey := ParseKey(password); isKey {
		k, found, err := a.nativeKeyUser(ctx, db, dbname, pk, ScopeRPC, ip)
		if err != nil {
			return 0, err
		}
		if found && k.Login == login {
			if err := models.ClearLoginFailures(ctx, db, keys...); err != nil {
				a.Log.Warn("clearing login failures failed", "db", dbname, "err", err)
			}
			a.Log.Info("login successful with an API key", "db", dbname, "login", login, "key_id", k.ID, "ip", ip)
			return k.UserID, nil
		}
		if !pk.Odoo {
			return 0, a.fail(ctx, db, dbname, login, ip, keys)
		}
	}
	u, found, err := models.UserByLogin(ctx, db, login)
	if err != nil {
		return 0, err
	}
	if !found || !u.Active || u.Hash == "" {
		DummyVerify(password)
		return 0, a.fail(ctx, db, dbname, login, ip, keys)
	}
	ok, rehash := a.verifyStored(password, u.Hash)
	if !ok {
		return 0, a.fail(ctx, db, dbname, login, ip, keys)
	}
	a.succeed(ctx, db, u, password, rehash, dbname, keys)
	a.Log.Info("login successful", "db", dbname, "login", login, "ip", ip)
	return u.ID, nil
}

// Check verifies (uid, password) as execute_kw does on every call. A cached
// success costs one indexed read of the user's auth state.
func (a *Authenticator) Check(ctx context.Context, db bun.IDB, dbname string, uid int64, password, ip string) error {
	if password == "" || uid <= 0 {
		return models.ErrAccessDenied
	}
	pk, isKey := ParseKey(password)
	if isKey {
		k, found, err := a.nativeKeyUser(ctx, db, dbname, pk, ScopeRPC, ip)
		if err != nil {
			return err
		}
		if found && k.UserID == uid {
			return nil
		}
		if !pk.Odoo {
			// Refused without touching the password (a godoo key is never a
			// password) and without a database write: the in-memory key
			// limiter counted the failure, so a flood costs no I/O.
			a.Log.Info("API key refused", "db", dbname, "uid", uid, "ip", ip)
			return models.ErrAccessDenied
		}
	}
	// The cached check is bound to the stored hash as well as to
	// auth_version: a hash replaced outside godoo (an UPDATE run by hand) or
	// a database dropped and created again under the same name by another
	// process has other salts, so it never matches an entry made before.
	st, err := a.fresh(ctx, db, dbname)
	if err != nil {
		return err
	}
	row, cached := a.cachedUser(dbname, st, uid)
	if !cached {
		if row.user, row.found, err = models.UserByID(ctx, db, uid); err != nil {
			return err
		}
		a.putUser(dbname, st, uid, row)
	}
	u, found := row.user, row.found
	if found && u.Active && u.Hash != "" && a.cache.hit(dbname, uid, u.Hash, password, u.AuthVersion) {
		return nil
	}
	login := strconv.FormatInt(uid, 10)
	if found {
		login = u.Login
	}
	keys := []string{"ip:" + ip, "login:" + login}
	if err := a.checkCooldown(ctx, db, dbname, login, ip, keys); err != nil {
		return err
	}
	if !found || !u.Active || u.Hash == "" {
		DummyVerify(password)
		return a.fail(ctx, db, dbname, login, ip, keys)
	}
	ok, rehash := a.verifyStored(password, u.Hash)
	if !ok {
		return a.fail(ctx, db, dbname, login, ip, keys)
	}
	a.succeed(ctx, db, u, password, rehash, dbname, keys)
	return nil
}

// Forget drops cached checks of a database that was dropped or renamed.
func (a *Authenticator) Forget(dbname string) {
	a.cache.forget(dbname)
	a.keyCache.forget(dbname)
	a.forgetRows(dbname)
}

func (a *Authenticator) succeed(ctx context.Context, db bun.IDB, u models.UserCredentials, password string, rehash bool, dbname string, keys []string) {
	stored := u.Hash
	if rehash {
		if h, err := a.Hash(password); err == nil {
			if err := models.SetPasswordHash(ctx, db, u.ID, h); err != nil {
				a.Log.Warn("password rehash failed", "db", dbname, "uid", u.ID, "err", err)
			} else {
				stored = h
			}
		}
	}
	a.cache.store(dbname, u.ID, stored, password, u.AuthVersion)
	if err := models.ClearLoginFailures(ctx, db, keys...); err != nil {
		a.Log.Warn("clearing login failures failed", "db", dbname, "err", err)
	}
}

func (a *Authenticator) fail(ctx context.Context, db bun.IDB, dbname, login, ip string, keys []string) error {
	now := a.Now().UTC().Format(models.DatetimeLayout)
	for _, k := range keys {
		if err := models.RecordLoginFailure(ctx, db, k, now); err != nil {
			a.Log.Warn("recording login failure failed", "db", dbname, "err", err)
		}
	}
	a.Log.Info("login failed", "db", dbname, "login", login, "ip", ip)
	return models.ErrAccessDenied
}

// cooldown reads base.login_cooldown_after and base.login_cooldown_duration,
// with Odoo's defaults (5 failures, 60 seconds; 0 failures disables).
func cooldown(ctx context.Context, db bun.IDB) (after int64, duration time.Duration) {
	after, duration = 5, 60*time.Second
	if v, ok, _ := models.ConfigParam(ctx, db, "base.login_cooldown_after"); ok {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			after = n
		}
	}
	if v, ok, _ := models.ConfigParam(ctx, db, "base.login_cooldown_duration"); ok {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			duration = time.Duration(n) * time.Second
		}
	}
	return after, duration
}

// checkCooldown refuses an attempt while the source address or the login has
// failed too often recently. Refused attempts are not counted, as in Odoo.
func (a *Authenticator) checkCooldown(ctx context.Context, db bun.IDB, dbname, login, ip string, keys []string) error {
	after, duration := cooldown(ctx, db)
	if after <= 0 {
		return nil
	}
	now := a.Now().UTC()
	for _, k := range keys {
		n, last, err := models.LoginFailures(ctx, db, k)
		if err != nil {
			return err
		}
		if n < after {
			continue
		}
		t, err := time.Parse(models.DatetimeLayout, last)
		if err == nil && now.Sub(t) < duration {
			a.Log.Warn("login attempt ignored: too many failures", "db", dbname, "login", login, "ip", ip)
			return models.AccessDeniedf("Too many login failures, please wait a bit before trying again.")
		}
	}
	return nil
}
