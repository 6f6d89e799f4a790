package auth

import (
	"testing"
	"time"

	"github.com/godoo/godoo/models"
)

// TestDatetimeText checks that the kept text of a second is the time's
// own text in UTC, whatever its zone and fraction, when the clock moves
// on, stays or goes back, and that a second already formatted costs no
// allocation.
func TestDatetimeText(t *testing.T) {
	brussels := time.FixedZone("CET", 3600)
	base := time.Date(2026, 12, 31, 23, 59, 58, 0, time.UTC)
	for _, at := range []time.Time{
		base, base.Add(999 * time.Millisecond), base.Add(time.Second), base.Add(2 * time.Second),
		base.Add(time.Second).In(brussels), base.Add(-time.Hour), base.Add(-time.Hour + 500*time.Millisecond),
		base.Add(2 * time.Second).In(brussels),
	} {
		if got, want := datetimeText(at), at.UTC().Format(models.DatetimeLayout); got != want {
			t.Errorf("datetimeText(%v) = %q, want %q", at, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { datetimeText(base) }); n != 0 {
		t.Errorf("a second already formatted allocates %v times", n)
	}
}
