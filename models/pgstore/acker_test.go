package pgstore

import "testing"

// TestAckerKeepsWithoutPool: what a watch has to write (an acknowledgement,
// its start-up barrier) while the process has no pool of the database is
// kept for the next signal, not dropped.
func TestAckerKeepsWithoutPool(t *testing.T) {
	s, err := New("postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		name    string
		seen    int64
		started bool
	}{
		{"an acknowledgement", 7, false},
		{"the start-up barrier", 0, true},
		{"both", 9, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAcker(s, "nopool", listenerPrefix+"test")
			if tc.seen > 0 {
				a.ack(tc.seen)
			}
			if tc.started {
				a.up()
			}
			a.flush()
			a.mu.Lock()
			defer a.mu.Unlock()
			if a.seen != tc.seen || a.started != tc.started {
				t.Errorf("kept seen %d, started %v; want %d, %v", a.seen, a.started, tc.seen, tc.started)
			}
		})
	}
}
