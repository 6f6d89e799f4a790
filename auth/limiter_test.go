package auth

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

// TestLimiterRemembersLockOutsBounded checks the lock-outs a process
// remembers in front of the shared counters: they hold until their end,
// filling the room drops the ended ones first and keeps the others, and
// when live lock-outs alone fill it the limiter starts afresh rather than
// growing (which only costs a write each to learn them again).
func TestLimiterRemembersLockOutsBounded(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name        string
		fillerEnd   time.Time // end of the lock-outs that fill the room
		wantVictim  bool      // the victim's lock-out survives the filling
		wantAtMost  int
		wantAtLeast int
	}{
		{"ended lock-outs make room", now, true, maxLimitEntries, 1},
		{"live lock-outs start afresh", now.Add(time.Minute), false, maxLimitEntries, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newLimiter()
			l.remember("db", "key:victim", now.Add(time.Minute), now)
			if !l.blocked("db", "key:victim", now) {
				t.Fatal("a remembered lock-out does not block")
			}
			if l.blocked("other", "key:victim", now) {
				t.Fatal("a lock-out of one database blocks another")
			}
			for i := range 3 * maxLimitEntries {
				l.remember("db", "ip:"+strconv.Itoa(i), c.fillerEnd, now)
				if len(l.until) > maxLimitEntries {
					t.Fatalf("%d lock-outs remembered, past the bound of %d", len(l.until), maxLimitEntries)
				}
			}
			if got := l.blocked("db", "key:victim", now); got != c.wantVictim {
				t.Errorf("victim blocked after the filling = %v, want %v", got, c.wantVictim)
			}
			if n := len(l.until); n > c.wantAtMost || n < c.wantAtLeast {
				t.Errorf("%d lock-outs remembered, want between %d and %d", n, c.wantAtLeast, c.wantAtMost)
			}
			if l.blocked("db", "key:victim", now.Add(time.Minute)) {
				t.Error("a lock-out outlived its end")
			}
		})
	}
}

// TestLimiterSerial checks that derivations for a locked-out key id take
// turns: while one holds the turn of a key id, another for the same key id
// waits (and gives up when its call ends), one for another key id does
// not, and nothing is left behind once all are done.
func TestLimiterSerial(t *testing.T) {
	l := newLimiter()
	ctx := context.Background()
	done, err := l.serial(ctx, "db\x00k1")
	if err != nil {
		t.Fatal(err)
	}
	// With the turn taken, only the end of the call can answer a waiter.
	ended, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.serial(ended, "db\x00k1"); !errors.Is(err, context.Canceled) {
		t.Fatalf("a second derivation of a key id while the first runs: %v, want to wait until its call ended", err)
	}
	other, err := l.serial(ended, "db\x00k2")
	if err == nil {
		other() // the select found both ready and took the turn: also fine
	}
	other, err = l.serial(ctx, "db\x00k2")
	if err != nil {
		t.Fatalf("another key id waits for the first: %v", err)
	}
	other()
	waiter := make(chan error)
	go func() {
		d, err := l.serial(ctx, "db\x00k1")
		if err == nil {
			d()
		}
		waiter <- err
	}()
	done()
	if err := <-waiter; err != nil {
		t.Fatalf("the waiter after the turn was passed on: %v", err)
	}
	if len(l.slots) != 0 {
		t.Errorf("%d turns left behind", len(l.slots))
	}
}
