package pgstore

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

// lock takes the locks of names in sorted order, so that two calls locking the
// same pair cannot deadlock, and returns the function that releases them. It
// fails once the store is closed.
func (s *Store) lock(ctx context.Context, names ...string) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil, errClosed
	}
	names = slices.Clone(names)
	slices.Sort(names)
	names = slices.Compact(names)
	var held []string
	unlock := func() {
		for _, n := range slices.Backward(held) {
			s.release(n, true)
		}
	}
	for _, n := range names {
		s.mu.Lock()
		l := s.locks[n]
		if l == nil {
			l = &nameLock{ch: make(chan struct{}, 1)}
			s.locks[n] = l
		}
		l.refs++
		s.mu.Unlock()
		select {
		case l.ch <- struct{}{}:
			held = append(held, n)
		case <-ctx.Done():
			s.release(n, false)
			unlock()
			return nil, ctx.Err()
		}
	}
	return unlock, nil
}

// release gives up one reference to name's lock, freeing its slot when the
// caller held it.
func (s *Store) release(name string, held bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.locks[name]
	if held {
		<-l.ch
	}
	l.refs--
	if l.refs == 0 {
		delete(s.locks, name)
	}
}
