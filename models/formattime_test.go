package models

import (
	"testing"
	"time"
)

// TestFormatTimeLayouts checks formatTime against time.Format for Odoo's
// date and datetime layouts, on the edges of each field (years of one to
// four digits and beyond, month and day ends, midnight, the last second,
// fractions of seconds, another zone) and another layout.
func TestFormatTimeLayouts(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	times := []time.Time{
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9, 2, 3, 4, 5, 6, 0, time.UTC),
		time.Date(999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 12, 30, 45, 500000, time.UTC),
		time.Date(2026, 12, 7, 18, 0, 1, 0, paris),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 6, 15, 8, 9, 10, 0, time.UTC),
	}
	for _, tm := range times {
		for _, layout := range []string{DateLayout, DatetimeLayout, time.RFC3339} {
			if got, want := formatTime(tm, layout), tm.Format(layout); got != want {
				t.Errorf("formatTime(%v, %q) = %q, want %q", tm, layout, got, want)
			}
		}
	}
}
