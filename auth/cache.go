package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"hash"
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
	// macs holds HMACs under key (*mac), reset between uses: a new one
	// costs four allocations and hashing the key's two pads on every call.
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
	m, _ := c.macs.Get().(*mac)
	if m == nil {
		m = &mac{h: hmac.New(sha256.New, c.key[:])}
	}
	out := m.sum(db, uid, stored, secret)
	// A buffer grown by an unusually long stored hash or secret is left
	// to the collector rather than kept for every later check.
	if cap(m.buf) <= maxPooledBuf {
		c.macs.Put(m)
	}
	return out
}

// maxPooledBuf is the largest message buffer a pooled mac keeps.
const maxPooledBuf = 4 << 10

// macTrailer is hashed after the secret. SHA-256 keeps the last partial
// block of its input in its state, and neither a Sum nor HMAC's Reset
// clears it (the first Reset of an HMAC re-hashes the pad without touching
// it): ending every message with a full block of fixed bytes means that
// block holds only trailer bytes when the mac goes back to the pool.
var macTrailer [sha256.BlockSize]byte

// mac is one HMAC of a cache's pool with the buffer its messages are laid
// out in.
type mac struct {
	h   hash.Hash
	buf []byte
}

// sum returns the HMAC of one check and leaves m reset, holding no byte of
// secret: neither in its buffer, cleared after use, nor in the hash state,
// whose pending block is overwritten by macTrailer.
func (m *mac) sum(db string, uid int64, stored, secret string) [32]byte {
	// The message is laid out in the pooled buffer and hashed in one
	// write: each write of a string or of a local array through the
	// hash's interface was an allocation (five per check).
	b := append(m.buf[:0], db...)
	b = append(b, 0)
	b = binary.BigEndian.AppendUint64(b, uint64(uid))
	b = binary.BigEndian.AppendUint64(b, uint64(len(stored)))
	b = append(b, stored...)
	b = append(b, secret...)
	b = append(b, macTrailer[:]...)
	m.h.Write(b)
	clear(b)
	b = m.h.Sum(b[:0])
	var out [32]byte
	copy(out[:], b)
	clear(b)
	m.buf = b[:0]
	m.h.Reset()
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
