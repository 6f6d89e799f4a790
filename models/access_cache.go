package models

import (
	"sync"
	"sync/atomic"
)

// AccessCache keeps, across transactions, what the access checks read for
// each user of one database: the ACL verdicts (ir.model.access) and the
// record rules that apply (ir.rule, before their values are bound to the
// call). The services hand a call the AccessCache of the database's current
// generation (see auth): triggers move the generation at every committed
// change to access rights, groups or rules, in any process, so a cache
// never outlives what it read.
type AccessCache struct {
	mu     sync.Mutex
	access map[accessKey]bool
	rules  map[accessKey][]ruleRow
	// bound are the rules combined, their values bound to the user, when
	// those values are of the tables whose changes move the generation.
	bound map[accessKey]ruleCache
	n     int
	// Counts, when set, counts the look-ups of ACL verdicts and rules
	// that found their entry, for the server's metrics; the services share
	// one across a database's successive caches.
	Counts *HitCounts
}

// HitCounts counts the look-ups of a cache that found their entry and those
// that did not, so that an operator can watch its hit ratio.
type HitCounts struct {
	Hits, Misses atomic.Uint64
}

// Note counts one look-up; a nil HitCounts counts nothing.
func (h *HitCounts) Note(hit bool) {
	switch {
	case h == nil:
	case hit:
		h.Hits.Add(1)
	default:
		h.Misses.Add(1)
	}
}

type accessKey struct {
	uid   int64
	model string
	op    Op
}

// maxAccessEntries bounds an AccessCache; it is emptied when full.
const maxAccessEntries = 100000

// NewAccessCache returns an empty cache.
func NewAccessCache() *AccessCache { return &AccessCache{} }

func (c *AccessCache) getAccess(k accessKey) (bool, bool) {
	if c == nil {
		return false, false
	}
	return lookup(c, &c.access, k, true)
}

func (c *AccessCache) putAccess(k accessKey, v bool) {
	if c != nil {
		store(c, &c.access, k, v)
	}
}

func (c *AccessCache) getRules(k accessKey) ([]ruleRow, bool) {
	if c == nil {
		return nil, false
	}
	return lookup(c, &c.rules, k, true)
}

func (c *AccessCache) putRules(k accessKey, v []ruleRow) {
	if c != nil {
		store(c, &c.rules, k, v)
	}
}

// getBound returns the bound rules of k when they were bound for the
// call's companies (or for any, when no rule names them). It counts only
// its hits: a miss, an entry of other companies included, goes on to
// getRules, which counts the look-up.
func (c *AccessCache) getBound(k accessKey, companies string) (ruleCache, bool) {
	if c == nil {
		return ruleCache{}, false
	}
	v, ok := lookup(c, &c.bound, k, false)
	ok = ok && (v.companies == "" || v.companies == companies)
	if ok {
		c.Counts.Note(true)
	}
	return v, ok
}

func (c *AccessCache) putBound(k accessKey, v ruleCache) {
	if c != nil {
		store(c, &c.bound, k, v)
	}
}

// lookup reads k from *m, one of c's maps, under c.mu, counting the
// look-up in c.Counts when count is set.
func lookup[V any](c *AccessCache, m *map[accessKey]V, k accessKey, count bool) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := (*m)[k]
	if count {
		c.Counts.Note(ok)
	}
	return v, ok
}

// store puts v at k in *m, one of c's maps, under c.mu.
func store[V any](c *AccessCache, m *map[accessKey]V, k accessKey, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.full()
	if *m == nil {
		*m = map[accessKey]V{}
	}
	(*m)[k] = v
	c.n++
}

// full empties the cache when it reached its bound. The caller holds c.mu.
func (c *AccessCache) full() {
	if c.n >= maxAccessEntries {
		c.access, c.rules, c.bound, c.n = nil, nil, nil, 0
	}
}
