package storeutil

import "runtime"

// AwaitWaiters reports, once name's lock has n holders and waiters, that
// it has, so that a test knows a goroutine waits for it without timing
// anything; false after a bounded number of looks.
func AwaitWaiters(p *Pools, name string, n int) bool {
	for range 100_000_000 {
		p.mu.Lock()
		l := p.locks[name]
		ok := l != nil && l.refs >= n
		p.mu.Unlock()
		if ok {
			return true
		}
		runtime.Gosched()
	}
	return false
}

// Locks is how many names have a lock remembered.
func Locks(p *Pools) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.locks)
}
