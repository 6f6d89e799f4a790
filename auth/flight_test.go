package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// TestFlightsCoalesce checks that concurrent derivations under one key run
// once, every waiter gets the verdict and only the deriving check gets
// rehash; that another key derives on its own; and that a waiter whose call
// ends stops waiting. The derivation is held until every check has arrived,
// so the test needs no timing.
func TestFlightsCoalesce(t *testing.T) {
	const n = 8
	var f flights
	var derived atomic.Int32
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	onDerive := func(shared bool) {
		mu.Lock()
		arrived++
		if arrived == n {
			close(all)
		}
		mu.Unlock()
		if !shared {
			<-all // hold the derivation until every check has arrived
		}
	}
	derive := func() (bool, bool) {
		derived.Add(1)
		return true, true
	}
	var key [32]byte
	key[0] = 1
	type verdict struct{ ok, rehash bool }
	out := make(chan verdict, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			ok, rehash, err := f.do(context.Background(), key, onDerive, derive)
			if err != nil {
				t.Error(err)
			}
			out <- verdict{ok, rehash}
		})
	}
	wg.Wait()
	close(out)
	rehashes := 0
	for v := range out {
		if !v.ok {
			t.Error("a waiter did not get the verdict")
		}
		if v.rehash {
			rehashes++
		}
	}
	if d := derived.Load(); d != 1 {
		t.Errorf("%d derivations for %d concurrent checks of one credential, want 1", d, n)
	}
	if rehashes != 1 {
		t.Errorf("%d checks were told to rehash, want 1", rehashes)
	}
	if len(f.m) != 0 {
		t.Errorf("%d flights left behind", len(f.m))
	}

	// Another key derives on its own, with its own verdict.
	other := key
	other[0] = 2
	ok, _, err := f.do(context.Background(), other, nil, func() (bool, bool) { derived.Add(1); return false, false })
	if err != nil || ok || derived.Load() != 2 {
		t.Errorf("another credential: ok %v, err %v, %d derivations; want its own refusal", ok, err, derived.Load())
	}

	// A waiter whose call ended stops waiting.
	hold, release := make(chan struct{}), make(chan struct{})
	go func() {
		_, _, _ = f.do(context.Background(), key, nil, func() (bool, bool) { close(hold); <-release; return true, false })
	}()
	<-hold
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := f.do(ended, key, nil, derive); !errors.Is(err, context.Canceled) {
		t.Errorf("a waiter whose call ended: %v, want context.Canceled", err)
	}
	close(release)
}
