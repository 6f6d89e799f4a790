package auth

import (
	"context"
	"crypto/subtle"
	"strings"
	"sync"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// ScopeRPC is the scope the RPC password slot and bearer routes ask for; keys
// with no scope are global and match it too.
const ScopeRPC = "rpc"

// nativeKeyUser returns the usable native key matching pk for scope, or
// ok=false. A warm check of a godoo key costs a map look-up and a SHA-256: the
// key rows come from the cache of credential rows (fresh.go), which any
// committed change empties. A cold one costs one indexed read. Odoo keys
// cost their PBKDF2 once; later checks hit the digest cache, which is bound
// to the stored hash so that a replaced key never matches.
//
// A locked-out address or key id (limiter.go) never makes a right key fail:
// the check runs as usual, with bounded work, and only the bookkeeping of
// wrong keys (counting, audit rows) stops, and derivations of Odoo keys
// take turns.
func (a *Authenticator) nativeKeyUser(ctx context.Context, db bun.IDB, dbname string, pk ParsedKey, scope, ip string) (models.NativeKey, bool, error) {
	now := a.Now().UTC()
	if pk.Malformed {
		// A bad checksum: no look-up, no derivation, nothing counted.
		return models.NativeKey{}, false, nil
	}
	st, err := a.fresh(ctx, db, dbname)
	if err != nil {
		return models.NativeKey{}, false, err
	}
	cands, cached := a.cachedNative(dbname, st, pk.Index)
	if !cached && !a.knownIndex(db, dbname, st, pk.Index) {
		cands, cached = nil, true // no such key id: refused without a read
	}
	if !cached {
		if cands, err = models.NativeKeysByIndex(ctx, db, pk.Index); err != nil {
			return models.NativeKey{}, false, err
		}
		a.putNative(dbname, st, pk.Index, cands)
	}
	nowText := datetimeText(now)
	usable := false
	for _, k := range cands {
		if !k.UsableFor(scope, nowText) {
			continue
		}
		usable = true
		if a.keyCache.hit(dbname, k.ID, k.Hash, pk.Key, 0) {
			return a.nativeFrom(dbname, k, ip, now)
		}
		ok, err := a.verifyKey(ctx, dbname, pk, k, ip, now)
		if err != nil {
			return models.NativeKey{}, false, err
		}
		if ok {
			a.keyCache.store(dbname, k.ID, k.Hash, pk.Key, 0)
			return a.nativeFrom(dbname, k, ip, now)
		}
	}
	if cached && len(cands) == 0 {
		return models.NativeKey{}, false, nil // refused from memory: not worth a write
	}
	index := ""
	if len(cands) > 0 {
		index = pk.Index
	}
	if a.keyFailed(ctx, db, dbname, now, ip, index) && usable {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), failureWrite)
		defer cancel()
		for _, k := range cands {
			if err := models.AuditFailure(actx, db, "native", k.ID, nowText, ip); err != nil {
				a.Log.Warn("recording a failed key attempt failed", "db", dbname, "err", err)
			}
		}
	}
	return models.NativeKey{}, false, nil
}

// nativeFrom accepts the verified key k if it may be used from ip, and
// records its use. A right key from outside its networks is refused with
// AccessDenied: it is not counted as a wrong key, nor does its caller go on
// to try it as a password.
func (a *Authenticator) nativeFrom(dbname string, k models.NativeKey, ip string, now time.Time) (models.NativeKey, bool, error) {
	if !k.Limits.AllowsAddr(ip) {
		a.Refused(ip, dbname, k.Login, ReasonKeyAddress)
		return models.NativeKey{}, false, models.ErrAccessDenied
	}
	a.usage.touch(dbname, "res_users_apikeys", k.ID, now)
	return k, true, nil
}

// verifyKey compares pk with the stored hash of k: a SHA-256 for godoo
// keys; for Odoo keys a PBKDF2, shared with the concurrent checks of the
// same key, and taking turns per key id while the address or the key id is
// locked out.
func (a *Authenticator) verifyKey(ctx context.Context, dbname string, pk ParsedKey, k models.NativeKey, ip string, now time.Time) (bool, error) {
	if !pk.Odoo {
		return VerifyKey(pk.Key, k.Hash), nil
	}
	if a.keyBlocked(dbname, ip, pk.Index, now) {
		done, err := a.limiter.serial(ctx, dbname+"\x00"+pk.Index)
		if err != nil {
			return false, err
		}
		defer done()
	}
	ok, _, err := a.flights.do(ctx, a.keyCache.digest(dbname, k.ID, k.Hash, pk.Key), a.OnDerive, func() (bool, bool) {
		return VerifyKey(pk.Key, k.Hash), false
	})
	return ok, err
}

// BearerKey authenticates a native key given as a bearer token.
func (a *Authenticator) BearerKey(ctx context.Context, db bun.IDB, dbname, key, ip string) (Identity, error) {
	pk, ok := ParseKey(key)
	if !ok {
		a.Refused(ip, dbname, "", ReasonBearer)
		return Identity{}, models.ErrAccessDenied
	}
	k, found, err := a.nativeKeyUser(ctx, db, dbname, pk, ScopeRPC, ip)
	if err != nil {
		return Identity{}, err
	}
	if !found {
		a.Refused(ip, dbname, "", ReasonBearer)
		return Identity{}, models.ErrAccessDenied
	}
	return Identity{DB: dbname, UID: k.UserID, Login: k.Login, KeyID: k.ID, Limits: k.Limits, Mode: "bearer"}, nil
}

// ConfigKey is a header key from the server configuration, section
// [api_key_<name>]: its secret in clear (key =, kept for compatibility) or,
// better, its hash (key_hash = sha256$<hex>, which ConfigKeyHash makes),
// and the codes of the key groups it belongs to (key_groups =), which
// replace the groups of the database record when given.
type ConfigKey struct {
	Key    string
	Hash   string
	Groups []string
}

// ConfigKeyHash is the key_hash of a configuration key: "sha256$" and the
// SHA-256 of the key in hex, the value HeaderKeyHash stores.
func ConfigKeyHash(key string) string { return "sha256$" + HeaderKeyHash(key) }

// ParseConfigKeyHash reads a key_hash value: "sha256$" and 64 lowercase hex
// digits. ok is false for anything else.
func ParseConfigKeyHash(v string) (hexHash string, ok bool) {
	h, found := strings.CutPrefix(v, "sha256$")
	if !found || len(h) != 64 || !isLowerHex(h) {
		return "", false
	}
	return h, true
}

// SetConfigKeys installs header keys that come from the server
// configuration: key name to key. Only their hashes are kept; a key whose
// Hash does not parse (ParseConfigKeyHash) matches nothing. A configured
// key replaces the database value of the key of that name, which then no
// longer authenticates.
func (a *Authenticator) SetConfigKeys(keys map[string]ConfigKey) {
	byHash := make(map[string]string, len(keys))
	names := make(map[string]bool, len(keys))
	groups := make(map[string][]string, len(keys))
	for name, k := range keys {
		names[name] = true
		if k.Groups != nil {
			groups[name] = k.Groups
		}
		h := HeaderKeyHash(k.Key)
		if k.Key == "" {
			var ok bool
			if h, ok = ParseConfigKeyHash(k.Hash); !ok {
				continue
			}
		}
		byHash[h] = name
	}
	a.mu.Lock()
	a.configByHash, a.configNames, a.configGroups = byHash, names, groups
	a.mu.Unlock()
}

// HeaderKey authenticates an API-KEY header key (auth.api.key) and returns
// the key's user, with the codes of the key's groups. The key is looked up by its hash on a unique index (or in
// the cache of credential rows); archived keys, and keys of archived users
// when their company says so, are refused. A locked-out address still gets
// its look-up (one indexed read), so that a right key passes; only wrong
// keys stop being counted, audited and cached.
func (a *Authenticator) HeaderKey(ctx context.Context, db bun.IDB, dbname, key, ip string) (Identity, error) {
	now := a.Now().UTC()
	if key == "" {
		return Identity{}, models.ErrAccessDenied
	}
	h := HeaderKeyHash(key)
	a.mu.Lock()
	configName, fromConfig := a.configByHash[h]
	overridden := a.configNames
	groups, configGroups := a.configGroups[configName]
	a.mu.Unlock()
	ref := "h:" + h
	if fromConfig {
		ref = "n:" + configName
	}
	st, err := a.fresh(ctx, db, dbname)
	if err != nil {
		return Identity{}, err
	}
	row, cached := a.cachedHeader(dbname, st, ref)
	if !cached {
		if fromConfig {
			row.key, row.found, err = models.HeaderKeyByName(ctx, db, configName)
		} else {
			row.key, row.found, err = models.HeaderKeyByHash(ctx, db, h)
		}
		if err != nil {
			return Identity{}, err
		}
		// A locked-out address sending ever new keys must not fill the
		// cache with rows of keys that do not exist.
		if row.found || !a.keyBlocked(dbname, ip, "", now) {
			a.putHeader(dbname, st, ref, row)
		}
	}
	k, found := row.key, row.found
	if found && !fromConfig && overridden[k.Name] {
		found = false // the configuration holds this key's secret now
	}
	if fromConfig && configGroups {
		k.Groups = groups // the configuration holds its groups too
	}
	if found && k.Usable && k.Expires != "" && k.Expires < datetimeText(now) {
		k.Usable = false // expired: refused like an archived key
	}
	if found && k.Usable && !k.Limits.AllowsAddr(ip) {
		a.Refused(ip, dbname, k.Login, ReasonKeyAddress)
		return Identity{}, models.ErrAccessDenied
	}
	if !found || !k.Usable {
		a.Refused(ip, dbname, "", ReasonHeader)
		if cached && !row.found {
			return Identity{}, models.ErrAccessDenied // refused from memory: not worth a write
		}
		if a.keyFailed(ctx, db, dbname, now, ip, "") && row.found {
			actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), failureWrite)
			defer cancel()
			if err := models.AuditFailure(actx, db, "header", k.ID, now.Format(models.DatetimeLayout), ip); err != nil {
				a.Log.Warn("recording a failed key attempt failed", "db", dbname, "err", err)
			}
		}
		return Identity{}, models.ErrAccessDenied
	}
	a.usage.touch(dbname, "auth_api_key", k.ID, now)
	return Identity{DB: dbname, UID: k.UserID, Login: k.Login, KeyID: k.ID, KeyName: k.Name, Groups: k.Groups, Limits: k.Limits, Mode: "api_key"}, nil
}

// Verify reports whether password matches the stored value, as an
// interactive check does: the password only (never a key), with no cache
// and no cool-down. The identity check of sensitive actions uses it.
func (a *Authenticator) Verify(password, stored string) bool {
	if password == "" || stored == "" {
		return false
	}
	ok, _ := a.verifyStored(password, stored)
	return ok
}

// verifyStored checks a password against the stored value: a passlib hash,
// or a plaintext value left in the column (Odoo accepts it once and
// replaces it with a hash, so rehash is true).
func (a *Authenticator) verifyStored(password, stored string) (ok, rehash bool) {
	if stored != "" && !strings.HasPrefix(stored, "$") {
		return subtle.ConstantTimeCompare([]byte(password), []byte(stored)) == 1, true
	}
	return VerifyPassword(password, stored, a.minRounds())
}

// FlushKeyUsage writes the last-used times and the per-hour use counts
// gathered since the previous flush, one transaction per database, and
// now and then deletes the audit rows and counts older than the
// retention. open returns a database's pool.
func (a *Authenticator) FlushKeyUsage(ctx context.Context, open func(ctx context.Context, dbname string) (*bun.DB, error)) error {
	seen, counts := a.usage.drain()
	for dbname, tables := range seen {
		db, err := open(ctx, dbname)
		if err != nil {
			continue // dropped since
		}
		err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for table, ids := range tables {
				if err := models.TouchKeys(ctx, tx, table, ids); err != nil {
					return err
				}
			}
			for k, n := range counts[dbname] {
				if err := models.CountKeyUses(ctx, tx, keyKind(k.table), k.id, k.hour, n); err != nil {
					return err
				}
			}
			if a.auditPruneDue(dbname) {
				return models.PruneKeyAudit(ctx, tx, a.Now().UTC())
			}
			return nil
		})
		if err != nil {
			a.Log.Warn("recording key use failed", "db", dbname, "err", err)
		}
	}
	return nil
}

// auditPruneEvery is how often each process deletes the key audit rows and
// use counts past their retention, per database.
const auditPruneEvery = time.Hour

// auditPruneDue reports whether dbname's old audit rows are to be deleted
// now: at the first flush of the process, then once per auditPruneEvery.
func (a *Authenticator) auditPruneDue(dbname string) bool {
	now := a.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if last, ok := a.auditPruned[dbname]; ok && now.Sub(last) < auditPruneEvery {
		return false
	}
	if a.auditPruned == nil {
		a.auditPruned = map[string]time.Time{}
	}
	a.auditPruned[dbname] = now
	return true
}

// keyKind is the audit's kind of the keys of table.
func keyKind(table string) string {
	if table == "auth_api_key" {
		return "header"
	}
	return "native"
}

// usage gathers last-used times and use counts in memory so that a busy key
// costs one write per flush rather than one per request. Every call with a
// key touches it under one lock, so touch only stores times; they become
// text once per flush, in drain.
type usage struct {
	mu sync.Mutex
	t  touches
}

// useKey is a key in one hour (DatetimeLayout, the start of the hour).
type useKey struct {
	table string
	id    int64
	hour  string
}

// touchKey is a useKey while it is being counted: the hour as Unix
// seconds.
type touchKey struct {
	table string
	id    int64
	hour  int64
}

// touches are what usage holds between flushes: db → table → key id →
// last use, and db → key and hour → uses.
type touches struct {
	seen   map[string]map[string]map[int64]time.Time
	counts map[string]map[touchKey]int64
}

func (u *usage) touch(dbname, table string, id int64, at time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.t.counts == nil {
		u.t.counts = map[string]map[touchKey]int64{}
	}
	if u.t.counts[dbname] == nil {
		u.t.counts[dbname] = map[touchKey]int64{}
	}
	u.t.counts[dbname][touchKey{table, id, at.Truncate(time.Hour).Unix()}]++
	if u.t.seen == nil {
		u.t.seen = map[string]map[string]map[int64]time.Time{}
	}
	if u.t.seen[dbname] == nil {
		u.t.seen[dbname] = map[string]map[int64]time.Time{}
	}
	if u.t.seen[dbname][table] == nil {
		u.t.seen[dbname][table] = map[int64]time.Time{}
	}
	u.t.seen[dbname][table][id] = at
}

// drain takes what was gathered since the last drain, with its times as
// DatetimeLayout text in UTC.
func (u *usage) drain() (map[string]map[string]map[int64]string, map[string]map[useKey]int64) {
	u.mu.Lock()
	t := u.t
	u.t = touches{}
	u.mu.Unlock()
	seen := make(map[string]map[string]map[int64]string, len(t.seen))
	for db, tables := range t.seen {
		seen[db] = make(map[string]map[int64]string, len(tables))
		for table, ids := range tables {
			out := make(map[int64]string, len(ids))
			for id, at := range ids {
				out[id] = at.UTC().Format(models.DatetimeLayout)
			}
			seen[db][table] = out
		}
	}
	counts := make(map[string]map[useKey]int64, len(t.counts))
	for db, keys := range t.counts {
		out := make(map[useKey]int64, len(keys))
		for k, n := range keys {
			out[useKey{k.table, k.id, time.Unix(k.hour, 0).UTC().Format(models.DatetimeLayout)}] += n
		}
		counts[db] = out
	}
	return seen, counts
}
