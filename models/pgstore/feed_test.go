package pgstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
)

// feedGuard bounds every wait for a feed event: a failure guard, far above
// the milliseconds the events take.
const feedGuard = 30 * time.Second

// feedEvents records a watch's events in order.
type feedEvents struct {
	t  *testing.T
	ch chan models.AuthEvent
}

func watch(t *testing.T, s *pgstore.Store, name string) (*feedEvents, func()) {
	f := &feedEvents{t: t, ch: make(chan models.AuthEvent, 256)}
	stop := s.WatchAuth(name, func(ev models.AuthEvent) { f.ch <- ev })
	return f, stop
}

var eventNames = map[models.AuthEvent]string{models.AuthFeedUp: "up", models.AuthFeedDown: "down",
	models.AuthChanged: "changed", models.AuthFeedClosed: "closed"}

// until returns the events up to and including the first want; the test
// fails when want does not come within feedGuard.
func (f *feedEvents) until(want models.AuthEvent) []string {
	f.t.Helper()
	var seen []string
	guard := time.After(feedGuard)
	for {
		select {
		case ev := <-f.ch:
			seen = append(seen, eventNames[ev])
			if ev == want {
				return seen
			}
		case <-guard:
			f.t.Fatalf("no %q event within %s; events: %v", eventNames[want], feedGuard, seen)
		}
	}
}

// feedDB makes a database of the test's own for a watch.
func feedDB(t *testing.T) string {
	t.Helper()
	name := prefix(t) + "feed"
	if _, err := adminDB(t).ExecContext(context.Background(), "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestFeedFailedAttemptsBeforeListen: connection attempts that failed
// before LISTEN took hold (the server was not up when the watch began) do
// not mark the feed down once it is up. pq reports them only after LISTEN,
// when the watch starts reading its events; read then as news, they left
// the feed down for good, since the first connection brings no
// reconnection notice that would bring it up again.
func TestFeedFailedAttemptsBeforeListen(t *testing.T) {
	name := feedDB(t)
	r := newRelay(t)
	r.setRefuse(true)
	s, err := pgstore.New(r.dsn())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	events, stop := watch(t, s, name)
	defer stop()
	// Before stop: a listener's Close waits for a ping that the relay
	// holds, so the relay goes first, also when the test fails.
	defer r.close()
	// pq reports a failed attempt before it makes the next one: after the
	// second refusal, at least one failure waits in the watch's events.
	for i := 0; i < 2; i++ {
		select {
		case <-r.refused:
		case <-time.After(feedGuard):
			t.Fatalf("the listener made %d connection attempts within %s", i, feedGuard)
		}
	}
	r.setRefuse(false)
	if seen := events.until(models.AuthFeedUp); len(seen) != 1 {
		t.Fatalf("events before the feed was up: %v", seen)
	}
	// A notice proves the connection listens; nothing may have marked the
	// feed down before it.
	if _, err := rawDB(t, name).ExecContext(context.Background(), "SELECT pg_notify('godoo_auth', '')"); err != nil {
		t.Fatal(err)
	}
	if seen := events.until(models.AuthChanged); len(seen) != 1 {
		t.Errorf("events between up and the notice: %v, want only the notice", seen)
	}
}

// TestFeedUnansweredPing: a ping that gets no answer (the connection is
// open, but nothing comes back) marks the feed down at the next tick, a
// late answer brings it up again, and closing the store does not wait for
// a ping that is still without answer.
func TestFeedUnansweredPing(t *testing.T) {
	name := feedDB(t)
	r := newRelay(t)
	s, err := pgstore.New(r.dsn(), pgstore.WithFeedPing(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	events, stop := watch(t, s, name)
	defer stop()
	defer r.close()
	events.until(models.AuthFeedUp)

	r.hold()
	if seen := events.until(models.AuthFeedDown); len(seen) != 1 {
		t.Errorf("events before down: %v", seen)
	}
	r.pass()
	if seen := events.until(models.AuthFeedUp); len(seen) != 1 {
		t.Errorf("events after the late answer: %v, want up", seen)
	}

	r.hold()
	events.until(models.AuthFeedDown)
	// Neither stopping the watch nor closing the store waits for the ping.
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(feedGuard):
		t.Fatalf("stopping the watch waited %s for a ping without answer", feedGuard)
	}
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("close: %v", err)
		}
	case <-time.After(feedGuard):
		t.Fatalf("closing the store waited %s for a ping without answer", feedGuard)
	}
	// Once the connection is gone, the stuck ping fails and the watch ends.
	r.close()
	events.until(models.AuthFeedClosed)
}
