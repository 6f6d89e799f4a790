package base

import (
	"testing"
	"time"
)

// TestInterpolateSequence checks the Python "%" formatting of a prefix or
// suffix: names, the escaped percent sign, and the formats Python refuses.
func TestInterpolateSequence(t *testing.T) {
	vars := map[string]string{"year": "2026", "y": "26"}
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{"", "", false},
		{"INV/", "INV/", false},
		{"INV/%(year)s/", "INV/2026/", false},
		{"%(y)s%%", "26%", false},
		{"%(nope)s", "", true},
		{"%(year)d", "", true},
		{"%(year", "", true},
		{"%Y", "", true},
		{"50%", "", true},
	} {
		got, err := interpolateSequence(tc.in, vars)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("interpolateSequence(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

// TestStrftime checks each directive a sequence may name against what
// Python's strftime gives for the same moment.
func TestStrftime(t *testing.T) {
	at := time.Date(2026, 1, 4, 15, 7, 9, 0, time.UTC) // a Sunday
	for directive, want := range map[string]string{
		"%Y": "2026", "%m": "01", "%d": "04", "%y": "26", "%j": "004", "%W": "00",
		"%w": "0", "%H": "15", "%I": "03", "%M": "07", "%S": "09",
	} {
		if got := strftime(at, directive); got != want {
			t.Errorf("strftime(%s) = %q, want %q", directive, got, want)
		}
	}
	if got := strftime(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), "%W"); got != "01" {
		t.Errorf("strftime(%%W) of the first Monday = %q, want 01", got)
	}
}
