package progress_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/godoo/godoo/cmd/godoo/internal/progress"
)

// clock is a clock the test moves.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }
func lastLine(s string) string       { return s[strings.LastIndex(s, "\r\x1b[K")+len("\r\x1b[K"):] }
func drawings(s string) int          { return strings.Count(s, "\r\x1b[K") }

func TestReporter(t *testing.T) {
	cases := []struct {
		name string
		run  func(r *progress.Reporter, c *clock)
		want string // the last state of the line
		n    int    // how many times it was drawn
	}{
		{"steps", func(r *progress.Reporter, c *clock) {
			r.Step("creating the database")
			c.add(1500 * time.Millisecond)
			r.Step("applying the migrations")
		}, "db create x: applying the migrations 1.5s", 2},
		{"counts", func(r *progress.Reporter, c *clock) {
			r.Step("importing keys")
			r.Total(1000)
			c.add(time.Second)
			r.Add(450)
		}, "db create x: importing keys 45% (450/1000) 1s", 3},
		{"redraws at most every 100 ms", func(r *progress.Reporter, c *clock) {
			r.Step("rows")
			r.Total(1000)
			for range 99 {
				c.add(time.Millisecond)
				r.Add(1)
			}
			c.add(time.Millisecond)
			r.Add(1)
		}, "db create x: rows 10% (100/1000) 100ms", 3},
		{"the last unit is drawn", func(r *progress.Reporter, c *clock) {
			r.Step("rows")
			r.Total(2)
			r.Add(1)
			r.Add(1)
		}, "db create x: rows 100% (2/2) 0s", 3},
		{"unknown total", func(r *progress.Reporter, c *clock) {
			r.Step("rows")
			c.add(200 * time.Millisecond)
			r.Add(7)
		}, "db create x: rows (7) 200ms", 2},
		{"done", func(r *progress.Reporter, c *clock) {
			r.Step("rows")
			c.add(2345 * time.Millisecond)
			r.Done(nil)
		}, "db create x: done in 2.3s\n", 2},
		{"failed", func(r *progress.Reporter, c *clock) {
			r.Step("rows")
			r.Done(errors.New("no"))
		}, "", 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			c := newClock()
			tc.run(progress.New(&b, "db create x", true, c.now), c)
			if got := lastLine(b.String()); got != tc.want {
				t.Errorf("the line is %q, want %q", got, tc.want)
			}
			if got := drawings(b.String()); got != tc.n {
				t.Errorf("drawn %d times, want %d: %q", got, tc.n, b.String())
			}

			// Off, as on anything but a terminal, it writes nothing.
			b.Reset()
			c = newClock()
			tc.run(progress.New(&b, "db create x", false, c.now), c)
			if b.Len() != 0 {
				t.Errorf("a reporter that is off wrote %q", b.String())
			}
		})
	}
}
