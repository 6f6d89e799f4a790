package auth

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestRefusalLog checks the aggregated log of refused attempts: nothing is
// written during the minute, one line per source with its count and
// reasons when the minute is over (at the next refusal or at a flush), the
// minute in progress at a final flush, and one line for the sources beyond
// the bound.
func TestRefusalLog(t *testing.T) {
	start := time.Date(2026, 11, 27, 12, 0, 5, 0, time.UTC)
	var now time.Time
	var buf bytes.Buffer
	a := New(slog.New(slog.NewTextHandler(&buf, nil)))
	a.Now = func() time.Time { return now }
	lines := func() []string {
		s := strings.TrimSpace(buf.String())
		buf.Reset()
		if s == "" {
			return nil
		}
		return strings.Split(s, "\n")
	}

	now = start
	for i := range 2000 {
		a.Refused("203.0.113.1", "odoo", "admin", ReasonPassword)
		if i%2 == 0 {
			a.Refused("203.0.113.2", "odoo", "", ReasonKey)
		}
		now = start.Add(time.Duration(i) * 25 * time.Millisecond) // 50 s in all
	}
	a.Refused("203.0.113.2", "odoo", "demo", ReasonCooldown)
	a.FlushRefusals(false)
	if got := lines(); len(got) != 0 {
		t.Fatalf("lines written during the minute: %q", got)
	}
	now = start.Add(time.Minute)
	a.Refused("203.0.113.3", "other", "x", ReasonHeader)
	got := lines()
	want := []string{
		`level=INFO msg="refused attempts" source=203.0.113.1 minute=2026-11-27T12:00:00.000Z count=2000 db=odoo login=admin password=2000`,
		`level=WARN msg="refused attempts" source=203.0.113.2 minute=2026-11-27T12:00:00.000Z count=1001 db=odoo login=demo cooldown=1 key=1000`,
	}
	if len(got) != len(want) {
		t.Fatalf("lines after the minute: %q, want %q", got, want)
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
	a.FlushRefusals(false)
	if got := lines(); len(got) != 0 {
		t.Fatalf("a flush in the minute in progress wrote %q", got)
	}
	a.FlushRefusals(true)
	if got := lines(); len(got) != 1 || !strings.Contains(got[0], "source=203.0.113.3 ") || !strings.Contains(got[0], "count=1 ") {
		t.Fatalf("final flush = %q, want the line of 203.0.113.3", got)
	}

	// A flood from ever new addresses: a line each up to the bound, then
	// one line for all the others.
	now = start.Add(2 * time.Minute)
	for i := range maxRefusalSources + 7 {
		a.Refused(fmt.Sprintf("10.0.%d.%d", i/256, i%256), "odoo", fmt.Sprintf("u%d", i), ReasonKey)
	}
	a.FlushRefusals(true)
	got = lines()
	if len(got) != maxRefusalSources+1 {
		t.Fatalf("%d lines for %d sources, want %d", len(got), maxRefusalSources+7, maxRefusalSources+1)
	}
	last := got[len(got)-1]
	if !strings.Contains(last, "other_sources=7 ") || !strings.Contains(last, "count=7 ") || !strings.Contains(last, "login=u10000,u10001,u10002,u10003,u10004,…") {
		t.Errorf("line of the other sources = %q", last)
	}
}
