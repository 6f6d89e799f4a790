package storeutil

import (
	"context"
	"slices"
)

// nameLock serialises the lazy opening and the administration of one database
// name: a buffered channel of one slot, so that waiting honours ctx.
type nameLock struct {
	ch   chan struct{}
	refs int // holders and waiters; the lock is forgotten at zero
}

// Lock takes the locks of names in sorted order, so that two calls locking
// the same pair cannot deadlock, and returns the function that releases
// them. It fails once the pools are closed, and when ctx ends first.
func (p *Pools) Lock(ctx context.Context, names ...string) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	names = slices.Clone(names)
	slices.Sort(names)
	names = slices.Compact(names)
	var held []string
	unlock := func() {
		for _, n := range slices.Backward(held) {
			p.release(n, true)
		}
	}
	for _, n := range names {
		p.mu.Lock()
		l := p.locks[n]
		if l == nil {
			l = &nameLock{ch: make(chan struct{}, 1)}
			p.locks[n] = l
		}
		l.refs++
		p.mu.Unlock()
		select {
		case l.ch <- struct{}{}:
			held = append(held, n)
		case <-ctx.Done():
			p.release(n, false)
			unlock()
			return nil, ctx.Err()
		}
	}
	return unlock, nil
}

// release gives up one reference to name's lock, freeing its slot when the
// caller held it.
func (p *Pools) release(name string, held bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.locks[name]
	if held {
		<-l.ch
	}
	l.refs--
	if l.refs == 0 {
		delete(p.locks, name)
	}
}
