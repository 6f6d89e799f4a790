package auth

import (
	"strconv"
	"testing"
	"time"
)

// TestLimiterKeepsLockOutsWhenFull checks that filling the limiter with
// one-off failures (a flood from ever new addresses) drops those, not the
// key ids and addresses it has locked out, and that its size stays bounded.
func TestLimiterKeepsLockOutsWhenFull(t *testing.T) {
	l := &limiter{after: 5, window: time.Minute}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for range 5 {
		l.fail("db", now, "key:victim")
	}
	if !l.blocked("db", "key:victim", now) {
		t.Fatal("five failures do not block")
	}
	for i := range 3 * maxLimitEntries {
		l.fail("db", now, "ip:"+strconv.Itoa(i))
		if len(l.entries) > maxLimitEntries+1 {
			t.Fatalf("%d entries, past the bound of %d", len(l.entries), maxLimitEntries)
		}
	}
	if !l.blocked("db", "key:victim", now) {
		t.Fatal("a flood of one-off failures lifted a lock-out")
	}
	// The lock-out still ends with its window.
	if l.blocked("db", "key:victim", now.Add(time.Minute)) {
		t.Fatal("a lock-out outlived its window")
	}
}

// TestLimiterForgetsWhenLockOutsFill checks the last resort: when locked-out
// entries alone fill more than half the room, the limiter starts afresh
// rather than sweeping on every failure.
func TestLimiterForgetsWhenLockOutsFill(t *testing.T) {
	l := &limiter{after: 1, window: time.Minute}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for i := range maxLimitEntries + 2 {
		l.fail("db", now, "ip:"+strconv.Itoa(i))
	}
	if len(l.entries) > maxLimitEntries/2 {
		t.Fatalf("%d entries after the limiter filled with lock-outs, want a fresh start", len(l.entries))
	}
}
