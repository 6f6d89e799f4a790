package auth

import (
	"context"
	"hash/fnv"

	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// Basic checks HTTP Basic credentials of a godoo user on db, for the dual
// scheme. Unlike Login, which always derives the key as Odoo does, it uses
// the cache of successful checks, so a client that sends Basic credentials
// on every request pays the 600 000-round derivation once; the cache entry
// is bound to the stored hash and auth_version like every other.
func (a *Authenticator) Basic(ctx context.Context, db bun.IDB, dbname, login, password, ip string) (int64, error) {
	if password != "" {
		u, found, err := models.UserByLogin(ctx, db, login)
		if err != nil {
			return 0, err
		}
		if found && u.Active && u.Hash != "" && a.cache.hit(dbname, u.ID, u.Hash, password, u.AuthVersion) {
			return u.ID, nil
		}
	}
	return a.Login(ctx, db, dbname, login, password, ip)
}

// ConfiguredBasic checks Basic credentials against a hash from the server
// configuration, caching successes under the configured hash.
func (a *Authenticator) ConfiguredBasic(user, password, hash string) bool {
	const cacheDB = "\x00basic-config"
	// One cache slot per configured user; the digest covers user and hash.
	h := fnv.New64a()
	h.Write([]byte(user))
	uid := int64(h.Sum64() >> 1)
	if hash != "" && a.cache.hit(cacheDB, uid, hash+"\x00"+user, password, 0) {
		return true
	}
	if hash == "" {
		dummyVerifyRounds(password, a.minRounds())
		return false
	}
	ok, _ := VerifyPassword(password, hash, 1)
	if ok {
		a.cache.store(cacheDB, uid, hash+"\x00"+user, password, 0)
	}
	return ok
}
