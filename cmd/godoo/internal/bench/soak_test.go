package bench_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
)

// fakeClock is a clock the test moves by hand; each After is announced on
// timers, so that the test moves time only once the soak waits for it.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	pending []fakeTimer
	timers  chan time.Duration
	// onAfter, when set, runs at every After.
	onAfter func()
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), timers: make(chan time.Duration, 16)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	ch := make(chan time.Time, 1)
	c.pending = append(c.pending, fakeTimer{c.now.Add(d), ch})
	c.mu.Unlock()
	if c.onAfter != nil {
		c.onAfter()
	}
	c.timers <- d
	return ch
}

// advance moves time by d and fires the timers that are due.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.pending[:0]
	for _, tm := range c.pending {
		if tm.at.After(c.now) {
			kept = append(kept, tm)
			continue
		}
		tm.ch <- c.now
	}
	c.pending = kept
}

// expect waits until the soak asked for a timer of d.
func (c *fakeClock) expect(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case got := <-c.timers:
		if got != d {
			t.Fatalf("the soak set a timer of %s, want %s", got, d)
		}
	case <-time.After(10 * time.Second): // a guard, not a measure
		t.Fatalf("the soak set no timer of %s", d)
	}
}

// fakeRSS answers the sizes of rss in turn.
type fakeRSS struct {
	rss []int64
	n   int
}

func (p *fakeRSS) RSS() (int64, error) {
	if p.n >= len(p.rss) {
		return 0, errors.New("no more samples")
	}
	p.n++
	return p.rss[p.n-1], nil
}

// countedOp is an op whose calls succeed (or fail, when failing) until
// each client made callsPerClient of them in all; further calls wait for
// the soak's end, so the counts do not depend on how fast the test runs.
func countedOp(name string, failing bool, made *atomic.Int64, perClient map[int]*atomic.Int64, callsPerClient int64, allMade chan struct{}, total int64) bench.SoakOp {
	return bench.SoakOp{Name: name, Target: func(client int) bench.CallFunc {
		n := perClient[client]
		return func(ctx context.Context) error {
			if n.Add(1) > callsPerClient {
				<-ctx.Done()
				return ctx.Err()
			}
			if made.Add(1) == total {
				close(allMade)
			}
			if failing {
				return errors.New(name + " failed")
			}
			return nil
		}
	}}
}

// TestSoakBookkeeping drives a soak with a clock of its own: two clients
// alternate two ops, five calls each; the timed run starts after each
// client's first round, memory is sampled after the first minute, every
// minute, and at the end (3m30s). The counts, the samples, the growth and
// the verdict follow.
func TestSoakBookkeeping(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name     string
		failB    bool
		rss      []int64
		wantOK   bool
		wantWhy  string
		wantGrow float64
	}{
		{"steady", false, []int64{100 * mb, 104 * mb, 101 * mb, 109 * mb}, true, "", 0.09},
		{"failed calls", true, []int64{100 * mb, 100 * mb, 100 * mb, 100 * mb}, false, "5 failed calls", 0},
		{"growing", false, []int64{100 * mb, 105 * mb, 110 * mb, 112 * mb}, false, "grew by 12.0%", 0.12},
		{"shrinking", false, []int64{100 * mb, 90 * mb, 88 * mb, 85 * mb}, false, "shrank by 15.0%", -0.15},
		{"memory unreadable", false, []int64{100 * mb}, false, "could not be read", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const clients, perClient = 2, 5
			var made atomic.Int64
			allMade := make(chan struct{})
			counts := map[int]*atomic.Int64{0: {}, 1: {}}
			ops := []bench.SoakOp{
				countedOp("a", false, &made, counts, perClient, allMade, clients*perClient),
				countedOp("b", tc.failB, &made, counts, perClient, allMade, clients*perClient),
			}
			clock := newFakeClock()
			// The timed run starts after every client's first round.
			var madeAtStart atomic.Int64
			madeAtStart.Store(-1)
			clock.onAfter = func() { madeAtStart.CompareAndSwap(-1, made.Load()) }
			done := make(chan bench.SoakResult, 1)
			go func() {
				done <- bench.Soak(context.Background(), ops, &fakeRSS{rss: tc.rss}, bench.SoakOptions{
					Clients: clients, Duration: 3*time.Minute + 30*time.Second, First: time.Minute, Every: time.Minute, Clock: clock})
			}()
			clock.expect(t, 3*time.Minute+30*time.Second)
			clock.expect(t, time.Minute)
			<-allMade
			for range 3 {
				clock.advance(time.Minute)
				clock.expect(t, time.Minute)
			}
			clock.advance(30 * time.Second)
			r := <-done
			if n := madeAtStart.Load(); n < clients*int64(len(ops)) {
				t.Errorf("the timed run started after %d calls, before every client's first round (%d)", n, clients*len(ops))
			}

			// Client 0 calls a, b, a, b, a and client 1 b, a, b, a, b.
			wantA, wantB := bench.SoakOpResult{Name: "a", Calls: 5}, bench.SoakOpResult{Name: "b", Calls: 5}
			if tc.failB {
				wantB = bench.SoakOpResult{Name: "b", Errors: 5, FirstError: "b failed"}
			}
			if len(r.Ops) != 2 || r.Ops[0] != wantA || r.Ops[1] != wantB {
				t.Errorf("ops %+v, want %+v and %+v", r.Ops, wantA, wantB)
			}
			if r.Calls != wantA.Calls+wantB.Calls || r.Errors != wantB.Errors || r.Clients != clients {
				t.Errorf("%d calls, %d errors, %d clients", r.Calls, r.Errors, r.Clients)
			}
			if tc.failB && r.FirstError != "b: b failed" {
				t.Errorf("first error %q", r.FirstError)
			}
			if r.Elapsed != 3*time.Minute+30*time.Second {
				t.Errorf("elapsed %s", r.Elapsed)
			}
			if len(tc.rss) == 4 {
				wantAt := []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute, 3*time.Minute + 30*time.Second}
				for i, s := range r.Samples {
					if s.At != wantAt[i] || s.RSS != tc.rss[i] {
						t.Errorf("sample %d: %+v, want %s %d", i, s, wantAt[i], tc.rss[i])
					}
				}
				if len(r.Samples) != 4 || r.FirstRSS != tc.rss[0] || r.EndRSS != tc.rss[3] {
					t.Errorf("samples %+v, first %d, end %d", r.Samples, r.FirstRSS, r.EndRSS)
				}
				if d := r.Growth - tc.wantGrow; d > 1e-9 || d < -1e-9 {
					t.Errorf("growth %v, want %v", r.Growth, tc.wantGrow)
				}
			}
			if r.OK != tc.wantOK || !strings.Contains(r.Why, tc.wantWhy) || (tc.wantOK && r.Why != "") {
				t.Errorf("verdict %v, %q; want %v, %q", r.OK, r.Why, tc.wantOK, tc.wantWhy)
			}
		})
	}
}

// TestSoakFirstSample: a minute in, or at half time in a short run.
func TestSoakFirstSample(t *testing.T) {
	for d, want := range map[time.Duration]time.Duration{
		10 * time.Minute: time.Minute, 2 * time.Minute: time.Minute, 90 * time.Second: 45 * time.Second, 4 * time.Second: 2 * time.Second,
	} {
		if got := bench.SoakFirstSample(d); got != want {
			t.Errorf("SoakFirstSample(%s) = %s, want %s", d, got, want)
		}
	}
}

// TestSoakReport: the Markdown of a failed soak gives the verdict, why, the
// memory samples and the failing call's first error; the JSON holds the
// soak.
func TestSoakReport(t *testing.T) {
	s := &bench.SoakResult{Clients: 32, Elapsed: 10 * time.Minute, Calls: 600000, Errors: 3, FirstError: "json2: HTTP 500",
		Ops:      []bench.SoakOpResult{{Name: "xml-key", Calls: 300000}, {Name: "json2", Calls: 300000, Errors: 3, FirstError: "HTTP 500"}},
		Samples:  []bench.SoakSample{{At: time.Minute, RSS: 40 << 20}, {At: 10 * time.Minute, RSS: 42 << 20}},
		FirstRSS: 40 << 20, EndRSS: 42 << 20, Growth: 0.05, Why: "3 failed calls"}
	rep := bench.NewReport(bench.Meta{Store: "PostgreSQL", Duration: 10 * time.Minute, Clients: []int{32}}, nil)
	rep.Soak = s
	var md, js strings.Builder
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"a soak of 10m0s with 32 clients",
		"Soak, 32 clients for 10m0s: 600000 calls (1000/s), 3 errors",
		"server RSS 40.0 MB after the first sample, 42.0 MB at the end (+5.0%). Verdict: FAIL: 3 failed calls.",
		"Server RSS: 1m0s 40.0 MB, 10m0s 42.0 MB.",
		"| json2 | 300000 | 3 | HTTP 500 |",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md.String())
		}
	}
	if strings.Contains(md.String(), "pairs of") {
		t.Errorf("a soak alone speaks of pairs:\n%s", md.String())
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"soak": {`) || !strings.Contains(js.String(), `"rss_growth": 0.05`) {
		t.Errorf("the JSON lacks the soak:\n%s", js.String())
	}
}
