package auth

import (
	"context"
	"sync"
)

// flights coalesces concurrent derivations of one credential. A cold check
// of a password costs a 600 000-round PBKDF2 (about half a second of a core,
// seconds on a busy machine); a client that opens eight connections at once
// with the same password used to pay it eight times over. Now the first
// check derives and the others wait for its verdict.
//
// A flight is keyed by an HMAC of the database, the user, the stored hash
// and the secret under a per-process random key (checkCache.digest): a
// salted hash, never the secret, and a different secret, user or stored
// hash makes another flight, so a wrong password never gets the verdict of
// a right one. The secret lives only in the deriving check's own call.
type flights struct {
	mu sync.Mutex
	m  map[[32]byte]*flight
}

// flight is one derivation under way.
type flight struct {
	done chan struct{}
	ok   bool
}

// do returns the verdict of derive for key, deriving it here unless a
// derivation for the same key is under way, which it then waits for (or for
// ctx to end). Only the check that derived gets rehash: one rehash is
// enough. onDerive, when not nil, is told which of the two happens.
func (f *flights) do(ctx context.Context, key [32]byte, onDerive func(shared bool), derive func() (ok, rehash bool)) (ok, rehash bool, err error) {
	f.mu.Lock()
	if fl := f.m[key]; fl != nil {
		f.mu.Unlock()
		if onDerive != nil {
			onDerive(true)
		}
		select {
		case <-fl.done:
			return fl.ok, false, nil
		case <-ctx.Done():
			return false, false, ctx.Err()
		}
	}
	fl := &flight{done: make(chan struct{})}
	if f.m == nil {
		f.m = map[[32]byte]*flight{}
	}
	f.m[key] = fl
	f.mu.Unlock()
	// The flight ends even if derive panics: its waiters then get a
	// refusal, never a hang.
	defer func() {
		f.mu.Lock()
		delete(f.m, key)
		f.mu.Unlock()
		close(fl.done)
	}()
	if onDerive != nil {
		onDerive(false)
	}
	fl.ok, rehash = derive()
	return fl.ok, rehash, nil
}
