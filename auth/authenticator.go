// Package auth verifies credentials: passwords (and, through the same slot,
// API keys) of RPC calls and logins, native keys as bearer tokens, header
// keys and HTTP Basic credentials; it keeps the login cool-down that slows
// brute force, the limiter of wrong keys, and a cache of successful checks
// that every godoo process invalidates through the database. Identity, who
// a request runs as, is its result, used from the HTTP front to the
// services.
package auth

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// Authenticator checks passwords for every database of a store.
type Authenticator struct {
	// Rounds is the PBKDF2 round count of new hashes (password.hashing.rounds
	// may ask for more), of the dummy check of unknown logins, and the count
	// below which a verified hash is upgraded. Below MinRounds it counts as
	// MinRounds, except in test binaries (testing.Testing): test harnesses
	// set a few rounds there, so that their thousands of logins do not spend
	// minutes in the derivation. No configuration sets it.
	Rounds int
	// Now is the clock, injectable for cool-down tests.
	Now func() time.Time
	// Log receives login failures and cool-down notices; never a secret.
	Log   *slog.Logger
	cache *checkCache
	// keyCache remembers verified Odoo-format keys by key id.
	keyCache *checkCache
	// checks counts the look-ups of both caches of verified credentials.
	checks  models.HitCounts
	limiter *limiter
	usage   usage
	// flights coalesces concurrent derivations of one credential.
	flights flights
	// refusals aggregates the log lines of refused attempts.
	refusals refusalLog
	// OnDerive, when set, is called by every check that needs a slow key
	// derivation (a password, or a key imported from Odoo) before it
	// derives: shared is false for the check that derives, true for one
	// that waits for another check's derivation of the same credential
	// instead. Tests count derivations with it and hold them until
	// concurrent checks have arrived. It never sees a secret.
	OnDerive func(shared bool)
	// Feed pushes notice of credential changes committed by any process
	// (PostgreSQL); nil makes every check read the generation counter,
	// unless Uncached.
	Feed models.AuthFeed
	// Uncached makes every check read the database and keep nothing: a
	// process without a Feed on a store that has no generation counter
	// (a command line on PostgreSQL, which does not LISTEN) could not tell
	// when what it kept went stale.
	Uncached bool
	// Settler, when set, is waited on after a commit that changed
	// credentials (Changing) instead of the Feed: a process that does not
	// listen still returns only once every process that does has handled
	// its change. Without it, a Feed that is an AuthSettler is.
	Settler models.AuthSettler
	// Marks tells, on stores without a feed, whether anything was
	// committed since the generation counter was last read.
	Marks models.CommitCounter
	// Spawn, when set, starts the work checks leave to the background
	// (loading the key ids of a database) instead of a plain goroutine:
	// tests set it to learn when that work is done rather than wait.
	Spawn func(work func())
	rows  rowCache

	feedMu sync.Mutex
	feeds  map[string]*feed

	mu           sync.Mutex
	configByHash map[string]string // hash of a configured header key → key name
	configNames  map[string]bool
	configGroups map[string][]string  // key name → groups set by the configuration
	auditPruned  map[string]time.Time // database → when its old audit rows were last deleted
}

// New returns an Authenticator with Odoo's defaults.
func New(log *slog.Logger) *Authenticator {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Authenticator{Rounds: MinRounds, Now: time.Now, Log: log, limiter: newLimiter()}
	a.cache, a.keyCache = newCheckCache(100000, &a.checks), newCheckCache(100000, &a.checks)
	return a
}

// Hash hashes a new password with the configured rounds.
func (a *Authenticator) Hash(clear string) (string, error) {
	return hashRandom(clear, a.minRounds())
}

// HashRounds hashes a new password with rounds from the database
// (password.hashing.rounds) when they exceed the configured floor; lower
// values are ignored, as in Odoo.
func (a *Authenticator) HashRounds(clear string, rounds int) (string, error) {
	return hashRandom(clear, max(rounds, a.minRounds()))
}

// minRounds is the floor Rounds sets: never below MinRounds outside test
// binaries.
func (a *Authenticator) minRounds() int {
	if a.Rounds >= MinRounds || (a.Rounds > 0 && testBinary()) {
		return a.Rounds
	}
	return MinRounds
}

// testBinary reports whether the process is a test binary; a variable so
// that the auth tests can check what a production binary does.
var testBinary = testing.Testing

// Login verifies login and password on db (named dbname) for a client at ip
// and returns the uid. Unknown logins, archived users and wrong passwords all
// give the same AccessDenied, after the same amount of work.
func (a *Authenticator) Login(ctx context.Context, db bun.IDB, dbname, login, password, ip string) (int64, error) {
	// A key in the password slot: godoo keys skip the password derivation
	// entirely; Odoo keys are tried first because their check is cheaper.
	// Keys have their own limiter, so a right key passes even from an
	// address that the login cool-down holds.
	if pk, isKey := ParseKey(password); isKey {
		k, found, err := a.nativeKeyUser(ctx, db, dbname, pk, ScopeRPC, ip)
		if err != nil {
			return 0, err
		}
		if found && k.Login == login {
			a.clearFailures(ctx, db, dbname, ip)
			a.Log.Info("login successful with an API key", "db", dbname, "login", login, "key_id", k.ID, "ip", ip)
			return k.UserID, nil
		}
		if !pk.Odoo {
			if err := a.checkCooldown(ctx, db, dbname, login, ip); err != nil {
				return 0, err
			}
			return 0, a.fail(ctx, db, dbname, login, ip, ReasonKey)
		}
	}
	if err := a.checkCooldown(ctx, db, dbname, login, ip); err != nil {
		return 0, err
	}
	if password == "" {
		return 0, a.fail(ctx, db, dbname, login, ip, ReasonPassword)
	}
	u, found, err := models.UserByLogin(ctx, db, login)
	if err != nil {
		return 0, err
	}
	if !found || !u.Active || u.Hash == "" {
		if err := a.dummyVerify(ctx, dbname, "login\x00"+login, password); err != nil {
			return 0, err
		}
		return 0, a.fail(ctx, db, dbname, login, ip, ReasonPassword)
	}
	ok, rehash, err := a.verifyShared(ctx, dbname, u, password)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, a.fail(ctx, db, dbname, login, ip, ReasonPassword)
	}
	a.succeed(ctx, db, u, password, rehash, dbname, ip)
	a.Log.Info("login successful", "db", dbname, "login", login, "ip", ip)
	return u.ID, nil
}

// Check verifies (uid, password) as execute_kw does on every call. A cached
// success costs one indexed read of the user's auth state.
func (a *Authenticator) Check(ctx context.Context, db bun.IDB, dbname string, uid int64, password, ip string) error {
	_, err := a.CheckCall(ctx, db, dbname, uid, password, ip)
	return err
}

// CheckCall is Check returning the native key that was given in the
// password slot, whose id and restrictions the call then carries; the zero
// NativeKey when it was a password.
func (a *Authenticator) CheckCall(ctx context.Context, db bun.IDB, dbname string, uid int64, password, ip string) (models.NativeKey, error) {
	if password == "" || uid <= 0 {
		return models.NativeKey{}, models.ErrAccessDenied
	}
	pk, isKey := ParseKey(password)
	if isKey {
		k, found, err := a.nativeKeyUser(ctx, db, dbname, pk, ScopeRPC, ip)
		if err != nil {
			return models.NativeKey{}, err
		}
		if found && k.UserID == uid {
			return k, nil
		}
		if !pk.Odoo {
			// Refused without touching the password (a godoo key is never a
			// password) and without a write to the login cool-down: the key
			// limiter counted the failure if it was worth counting.
			a.Refused(ip, dbname, "", ReasonKey)
			return models.NativeKey{}, models.ErrAccessDenied
		}
	}
	return models.NativeKey{}, a.checkPassword(ctx, db, dbname, uid, password, ip)
}

// checkPassword is Check for a password.
func (a *Authenticator) checkPassword(ctx context.Context, db bun.IDB, dbname string, uid int64, password, ip string) error {
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
	if err := a.checkCooldown(ctx, db, dbname, login, ip); err != nil {
		return err
	}
	if !found || !u.Active || u.Hash == "" {
		if err := a.dummyVerify(ctx, dbname, "uid\x00"+strconv.FormatInt(uid, 10), password); err != nil {
			return err
		}
		return a.fail(ctx, db, dbname, login, ip, ReasonPassword)
	}
	ok, rehash, err := a.verifyShared(ctx, dbname, u, password)
	if err != nil {
		return err
	}
	if !ok {
		return a.fail(ctx, db, dbname, login, ip, ReasonPassword)
	}
	a.succeed(ctx, db, u, password, rehash, dbname, ip)
	return nil
}

// verifyShared checks password against u's stored hash, sharing the
// derivation with the concurrent checks of the same credential.
func (a *Authenticator) verifyShared(ctx context.Context, dbname string, u models.UserCredentials, password string) (ok, rehash bool, err error) {
	key := a.cache.digest(dbname, u.ID, u.Hash, password)
	return a.flights.do(ctx, key, a.OnDerive, func() (bool, bool) {
		return a.verifyStored(password, u.Hash)
	})
}

// dummyVerify spends a derivation on an unknown login or uid (who names
// it), shared like a real one, so that neither the time nor the work of a
// refusal tells whether the user exists.
func (a *Authenticator) dummyVerify(ctx context.Context, dbname, who, password string) error {
	key := a.cache.digest(dbname, 0, "\x00"+who, password)
	_, _, err := a.flights.do(ctx, key, a.OnDerive, func() (bool, bool) {
		dummyVerifyRounds(password, a.minRounds())
		return false, false
	})
	return err
}

// ForgetKeys drops what this process remembers of dbname's native keys,
// their rows and their verified secrets, so that the next check of each key
// reads and verifies it again, as after a change to it; the rest (users,
// header keys, the set of key ids, access rules) stays.
func (a *Authenticator) ForgetKeys(dbname string) {
	a.keyCache.forget(dbname)
	a.rows.mu.Lock()
	if r := a.rows.dbs[dbname]; r != nil {
		r.native = map[string][]models.NativeKey{}
	}
	a.rows.mu.Unlock()
}

// Forget drops cached checks of a database that was dropped or renamed.
func (a *Authenticator) Forget(dbname string) {
	a.cache.forget(dbname)
	a.keyCache.forget(dbname)
	a.forgetRows(dbname)
	a.limiter.forget(dbname)
}

func (a *Authenticator) succeed(ctx context.Context, db bun.IDB, u models.UserCredentials, password string, rehash bool, dbname, ip string) {
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
	a.clearFailures(ctx, db, dbname, ip)
}

// clearFailures forgets the login failures of the source address after a
// success, as Odoo does.
func (a *Authenticator) clearFailures(ctx context.Context, db bun.IDB, dbname, ip string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), failureWrite)
	defer cancel()
	if err := models.ClearLoginFailures(ctx, db, "ip:"+ip); err != nil {
		a.Log.Warn("clearing login failures failed", "db", dbname, "err", err)
	}
}

// fail counts a failed login of the source address for the cool-down and
// returns AccessDenied. The count is written even when the client has gone,
// so that disconnecting does not escape it.
// loginFailureHorizon is how long an address's failure count is kept
// after its last failure. Odoo keeps the counts in each worker's memory,
// where they end with the worker; past a day godoo forgets them too, so that
// failures from ever new addresses cannot fill the table.
const loginFailureHorizon = 24 * time.Hour

func (a *Authenticator) fail(ctx context.Context, db bun.IDB, dbname, login, ip, reason string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), failureWrite)
	defer cancel()
	now := a.Now().UTC().Format(models.DatetimeLayout)
	if err := models.RecordLoginFailure(ctx, db, "ip:"+ip, now); err != nil {
		a.Log.Warn("recording login failure failed", "db", dbname, "err", err)
	}
	if a.limiter.dueForPrune("login\x00" + dbname) {
		cutoff := a.Now().UTC().Add(-loginFailureHorizon).Format(models.DatetimeLayout)
		if err := models.PruneLoginFailures(ctx, db, cutoff); err != nil {
			a.Log.Warn("pruning login failures failed", "db", dbname, "err", err)
		}
	}
	a.Refused(ip, dbname, login, reason)
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

// checkCooldown refuses an attempt while the source address has failed
// too often recently. The count is per address only, as in Odoo: counting
// per login too let anyone lock a user out from anywhere by sending wrong
// passwords for it. Refused attempts are not counted, as in Odoo.
func (a *Authenticator) checkCooldown(ctx context.Context, db bun.IDB, dbname, login, ip string) error {
	after, duration := cooldown(ctx, db)
	if after <= 0 {
		return nil
	}
	n, last, err := models.LoginFailures(ctx, db, "ip:"+ip)
	if err != nil {
		return err
	}
	if n < after {
		return nil
	}
	t, err := time.Parse(models.DatetimeLayout, last)
	if err == nil && a.Now().UTC().Sub(t) < duration {
		a.Refused(ip, dbname, login, ReasonCooldown)
		return models.AccessDeniedf("Too many login failures, please wait a bit before trying again.")
	}
	return nil
}
