package models

import (
	"regexp"
	"strings"
	"testing"
)

// TestValidDBName checks the database names accepted against Odoo's
// pattern, DBNAME_PATTERN of odoo/service/db.py, with the length bound:
// every byte value in each position, and the edges.
func TestValidDBName(t *testing.T) {
	odoo := regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`)
	names := []string{"", "a", "ab", "a_", "_a", ".a", "-a", "a.b-c_d", "db\n", "a b", "é1", "ab\x00",
		strings.Repeat("a", 63), strings.Repeat("a", 64)}
	for c := range 256 {
		names = append(names, string([]byte{byte(c), 'x'}), string([]byte{'x', byte(c)}), "x"+string([]byte{byte(c)})+"y")
	}
	for _, n := range names {
		want := len(n) <= 63 && odoo.MatchString(n)
		if got := ValidDBName(n); got != want {
			t.Errorf("ValidDBName(%q) = %v, want %v", n, got, want)
		}
	}
}
