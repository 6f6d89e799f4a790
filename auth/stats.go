package auth

import "time"

// CheckCacheCounts returns how many credential checks found their verified
// credential in the cache (and so skipped the key derivation) and how many
// did not, since the process started: the hit ratio an operator watches.
func (a *Authenticator) CheckCacheCounts() (hits, misses uint64) {
	return a.checks.Hits.Load(), a.checks.Misses.Load()
}

// FeedState reports whether dbname's notices of credential changes are
// watched (only on stores with a feed, once a check needed them) and
// whether that watch is up now. It starts no watch.
func (a *Authenticator) FeedState(dbname string) (watched, up bool) {
	if a.Feed == nil {
		return false, false
	}
	a.feedMu.Lock()
	f := a.feeds[dbname]
	a.feedMu.Unlock()
	if f == nil {
		return false, false
	}
	return true, f.up.Load()
}

// WatchFeed starts watching dbname's notices if nothing does yet, waits up
// to d for the watch to be up, and reports whether it is, for readiness;
// false on stores without a feed.
func (a *Authenticator) WatchFeed(dbname string, d time.Duration) (up bool) {
	if a.Feed == nil {
		return false
	}
	f := a.feedOf(dbname)
	f.waitUp(d)
	return f.up.Load()
}

// FeedGeneration returns dbname's feed generation, which moves at every
// notice, reconnection or loss of the watch and empties the cached rows; 0
// when nothing watches dbname. Tests use it to tell a read caused by a
// moved generation from one the cache should have saved.
func (a *Authenticator) FeedGeneration(dbname string) uint64 {
	if a.Feed == nil {
		return 0
	}
	a.feedMu.Lock()
	f := a.feeds[dbname]
	a.feedMu.Unlock()
	if f == nil {
		return 0
	}
	return f.gen.Load()
}
