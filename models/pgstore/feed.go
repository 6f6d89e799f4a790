package pgstore

import (
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"github.com/godoo/godoo/models"
)

var _ models.AuthFeed = (*Store)(nil)

// authChannel is the channel the triggers of migration 0005_auth_changes
// notify.
const authChannel = "godoo_auth"

// Listener settings: reconnect soon after a loss, and ping now and then so
// that a connection that died silently is noticed.
const (
	minReconnect = 100 * time.Millisecond
	maxReconnect = 10 * time.Second
	pingEvery    = 15 * time.Second
)

// watch is one LISTEN connection on one database.
type watch struct {
	name string
	l    *pq.Listener
}

// WatchAuth LISTENs on the database's godoo_auth channel on a connection of
// its own, to the listen DSN (WithListen) when one is set: a pooler in
// transaction mode cannot carry LISTEN. The watch ends when the database's pool is closed (drop, rename,
// duplicate) or the store is closed.
func (s *Store) WatchAuth(name string, on func(models.AuthEvent)) (stop func()) {
	events := make(chan pq.ListenerEventType, 16)
	l := pq.NewListener(s.listen.withDB(name), minReconnect, maxReconnect, func(ev pq.ListenerEventType, _ error) {
		select { // never block the listener; a lost event is followed by others
		case events <- ev:
		default:
		}
	})
	w := &watch{name: name, l: l}
	s.mu.Lock()
	if s.pools.Err() != nil {
		s.mu.Unlock()
		_ = l.Close()
		go on(models.AuthFeedClosed)
		return func() {}
	}
	s.watches[w] = true
	s.mu.Unlock()
	go s.runWatch(w, events, on)
	// Close waits for the listener's lock, which a ping without answer
	// holds: stop returns at once and the watch ends with AuthFeedClosed.
	return func() { go func() { _ = l.Close() }() }
}

func (s *Store) runWatch(w *watch, events <-chan pq.ListenerEventType, on func(models.AuthEvent)) {
	defer func() {
		s.mu.Lock()
		delete(s.watches, w)
		s.mu.Unlock()
		on(models.AuthFeedClosed)
	}()
	// Listen waits for the connection; Close (from closeWatches) ends the
	// wait with an error.
	if err := w.l.Listen(authChannel); err != nil {
		_ = w.l.Close()
		return
	}
	// Events of the attempts before LISTEN took hold are over: only those
	// that follow count.
	for drained := false; !drained; {
		select {
		case <-events:
		default:
			drained = true
		}
	}
	on(models.AuthFeedUp)
	var pinging atomic.Bool
	pingDone := make(chan error, 1)
	pingDown := false
	ping := time.NewTicker(s.feedPing)
	defer ping.Stop()
	for {
		select {
		case n, ok := <-w.l.Notify:
			if !ok {
				return
			}
			if n == nil {
				// Sent after a reconnection, once LISTEN is in place again:
				// notices of the gap are lost, so the cache starts over.
				pingDown = false
				on(models.AuthFeedUp)
			} else {
				on(models.AuthChanged)
			}
		case ev := <-events:
			if ev == pq.ListenerEventDisconnected || ev == pq.ListenerEventConnectionAttemptFailed {
				on(models.AuthFeedDown)
			}
		case <-ping.C:
			// One ping at a time, answered on pingDone; one still without
			// answer at the next tick marks the feed down (notices may be
			// lost) until a ping is answered or pq reconnects.
			if pinging.CompareAndSwap(false, true) {
				go func() { pingDone <- w.l.Ping(); pinging.Store(false) }()
			} else if !pingDown {
				pingDown = true
				on(models.AuthFeedDown)
			}
		case err := <-pingDone:
			switch {
			case err != nil && !pingDown:
				pingDown = true
				on(models.AuthFeedDown)
			case err == nil && pingDown:
				pingDown = false
				on(models.AuthFeedUp)
			}
		}
	}
}

// closeWatches ends the watches of name ("" for all).
func (s *Store) closeWatches(name string) {
	s.mu.Lock()
	var ws []*watch
	for w := range s.watches {
		if name == "" || w.name == name {
			ws = append(ws, w)
		}
	}
	s.mu.Unlock()
	// Close waits for the listener's lock, which a ping without answer
	// holds; the drop or rename that called this must not wait for it (it
	// ends the database's sessions itself).
	for _, w := range ws {
		go func() { _ = w.l.Close() }()
	}
}
