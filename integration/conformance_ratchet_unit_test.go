package integration_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Tests of the ratchet's files and of the summary.

func TestConformancePendingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pending.txt")
	in := pendingList{"sqlite": {"b.case": true, "a.case": true}, "pg": {"a.case": true}}
	if err := writePending(path, pendingHeader, in); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := pendingHeader + "\n[pg]\na.case\n\n[sqlite]\na.case\nb.case\n"; string(b) != want {
		t.Errorf("wrote\n%s\nwant\n%s", b, want)
	}
	out, err := readPending(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || len(out["sqlite"]) != 2 || !out["pg"]["a.case"] || out["pg"]["b.case"] {
		t.Errorf("read back %v, want %v", out, in)
	}
	if err := os.WriteFile(path, []byte("a.case\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readPending(path); err == nil {
		t.Error("a case before any [store] line was accepted")
	}
	if out, err := readPending(filepath.Join(t.TempDir(), "absent.txt")); err != nil || len(out) != 0 {
		t.Errorf("an absent file reads as %v, %v; want an empty list", out, err)
	}
}

func TestConformanceDifferencesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "differences.txt")
	text := "# comment\n\nweb.slow refused credentials wait\npg:db.list.xmlrpc the server is shared\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ex, err := readDifferences(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		store, id, reason string
		ok                bool
	}{
		{"sqlite", "web.slow", "refused credentials wait", true},
		{"pg", "web.slow", "refused credentials wait", true},
		{"pg", "db.list.xmlrpc", "the server is shared", true},
		{"sqlite", "db.list.xmlrpc", "", false},
		{"pg", "other", "", false},
	} {
		if reason, ok := exempt(ex, tc.store, tc.id); ok != tc.ok || reason != tc.reason {
			t.Errorf("exempt(%s, %s) = %q, %v; want %q, %v", tc.store, tc.id, reason, ok, tc.reason, tc.ok)
		}
	}
	if err := os.WriteFile(path, []byte("case.without.reason\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readDifferences(path); err == nil {
		t.Error("a case without a reason was accepted")
	}
}

func TestConformanceSummary(t *testing.T) {
	c := &corpus{total: 3, areas: []string{"read", "web"}}
	outcomes := []outcome{
		{c: &confCase{ID: "r1", Area: "read"}},
		{c: &confCase{ID: "r2", Area: "read"}, diffs: []difference{{"result", "key order", ""}, {"result", "value", ""}}},
		{c: &confCase{ID: "w1", Area: "web"}, unbound: []string{"@p_kw"}, diffs: []difference{{"", "value", ""}}},
	}
	got := summary("sqlite", c, outcomes)
	for _, want := range []string{"conformance: 1 of 3 cases match (sqlite)", "read              1/2", "web               0/1",
		"key order                   1", "unbound symbol              1"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
}
