package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"io"
	"sync"

	"github.com/godoo/godoo/models"
)

// checkCache remembers successful credential checks so that a call with the
// same (database, uid, stored hash, secret) skips the key derivation. It
// stores an HMAC of the secret and the stored hash under a per-process random
// key, never the secret itself, and the user's auth_version at the time of
// the check: both are re-read on every call, so a password change, archiving
// or group change made by any process sharing the database, a hash replaced
// by hand, or a database dropped and created again under the same name
// invalidates the entry at the next request.
type checkCache struct {
	mu      sync.Mutex
	key     [32]byte
	max     int
	entries map[cacheKey]cacheEntry
	// counts is shared by the authenticator's caches, for its metrics.
	counts *models.HitCounts
	// macs holds HMACs under key, reset between uses: a new one costs
	// four allocations and hashing the key's two pads on every call.
	macs sync.Pool
}

type cacheKey struct {
	db  string
	uid int64
}

type cacheEntry struct {
	digest  [32]byte
	version int64
}

func newCheckCache(max int, counts *models.HitCounts) *checkCache {
	c := &checkCache{max: max, entries: make(map[cacheKey]cacheEntry), counts: counts}
	if _, err := rand.Read(c.key[:]); err != nil {
		panic("auth: no randomness for the credential cache key: " + err.Error())
	}
	return c
}

func (c *checkCache) digest(db string, uid int64, stored, secret string) [32]byte {
	h, _ := c.macs.Get().(hash.Hash)
	if h == nil {
		h = hmac.New(sha256.New, c.key[:])
	}
	defer func() { h.Reset(); c.macs.Put(h) }()
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(uid))
	io.WriteString(h, db)
	h.Write([]byte{0})
	h.Write(b[:])
	binary.BigEndian.PutUint64(b[:], uint64(len(stored)))
	h.Write(b[:])
	io.WriteString(h, stored)
	io.WriteString(h, secret)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// hit reports whether secret was verified for (db, uid) against the stored
// hash at version.
func (c *checkCache) hit(db string, uid int64, stored, secret string, version int64) bool {
	d := c.digest(db, uid, stored, secret)
	c.mu.Lock()
	e, ok := c.entries[cacheKey{db, uid}]
	c.mu.Unlock()
	hit := ok && e.version == version && hmac.Equal(e.digest[:], d[:])
	c.counts.Note(hit)
	return hit
}

// store remembers a successful check. One entry per user: a user with two
// secrets in use (password and key) re-derives on alternation, which is rare.
func (c *checkCache) store(db string, uid int64, stored, secret string, version int64) {
	d := c.digest(db, uid, stored, secret)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		for k := range c.entries { // evict an arbitrary entry
			delete(c.entries, k)
			break
		}
	}
	c.entries[cacheKey{db, uid}] = cacheEntry{digest: d, version: version}
}

// forget drops every entry of db (the database was dropped or renamed).
func (c *checkCache) forget(db string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if k.db == db {
			delete(c.entries, k)
		}
	}
}
