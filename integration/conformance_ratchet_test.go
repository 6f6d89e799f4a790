package integration_test

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Most cases do not match yet and CI must stay green, so the replay is a
// ratchet: testdata/conformance/pending.txt lists, per store, the cases
// godoo does not answer as Odoo yet. A case outside the list that differs
// is a regression; a listed case that matches must leave the list, which
// therefore only shrinks. testdata/conformance/differences.txt lists the
// cases godoo answers differently on purpose, with the reason; they are
// replayed and reported but never fail the test.

const (
	pendingFile     = "testdata/conformance/pending.txt"
	differencesFile = "testdata/conformance/differences.txt"
)

const pendingHeader = `# The cases of the Odoo 18 conformance corpus that godoo does not answer as
# Odoo yet, per store. TestConformanceOdoo18 fails when a case not listed
# here differs (a regression) and when a listed case matches: remove it, the
# list only shrinks. Regenerate after a fix with
#   go test ./integration -run TestConformanceOdoo18 -update-conformance
`

// pendingList is pending.txt: store → case ids.
type pendingList map[string]map[string]bool

func readPending(path string) (pendingList, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return pendingList{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := pendingList{}
	store := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			store = strings.Trim(line, "[]")
			if out[store] == nil {
				out[store] = map[string]bool{}
			}
		case store == "":
			return nil, fmt.Errorf("%s:%d: case %q before any [store] line", path, n, line)
		default:
			out[store][line] = true
		}
	}
	return out, sc.Err()
}

// writePending writes the list, stores and ids sorted.
func writePending(path, header string, p pendingList) error {
	var b strings.Builder
	b.WriteString(header)
	for _, store := range sortedKeys(p) {
		fmt.Fprintf(&b, "\n[%s]\n", store)
		for _, id := range sortedKeys(p[store]) {
			b.WriteString(id + "\n")
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// exemption is a case whose difference does not fail the test, with why.
type exemption struct {
	store  string // "" for every store
	reason string
}

// readDifferences reads differences.txt: "<case id> <reason>" per line,
// "<store>:<case id> <reason>" for one store only.
func readDifferences(path string) (map[string][]exemption, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][]exemption{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("%s:%d: %q has no reason", path, n, id)
		}
		store := ""
		if s, rest, ok := strings.Cut(id, ":"); ok {
			store, id = s, rest
		}
		out[id] = append(out[id], exemption{store: store, reason: reason})
	}
	return out, sc.Err()
}

// exempt tells why a case's difference on store is deliberate, if it is.
func exempt(ex map[string][]exemption, store, id string) (string, bool) {
	for _, e := range ex[id] {
		if e.store == "" || e.store == store {
			return e.reason, true
		}
	}
	return "", false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// summary renders the counts of a store's run: matches, and the cases that
// differ by area and by the kind of their first difference.
func summary(store string, c *corpus, outcomes []outcome) string {
	type tally struct{ total, matched int }
	byArea := map[string]*tally{}
	byKind := map[string]int{}
	matched := 0
	for _, o := range outcomes {
		t := byArea[o.c.Area]
		if t == nil {
			t = &tally{}
			byArea[o.c.Area] = t
		}
		t.total++
		if o.matched() {
			t.matched++
			matched++
			continue
		}
		byKind[o.kind()]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "conformance: %d of %d cases match (%s)\n", matched, c.total, store)
	b.WriteString("  by area (matched/cases):\n")
	for _, a := range c.areas {
		if t := byArea[a]; t != nil {
			fmt.Fprintf(&b, "    %-14s %4d/%-4d\n", a, t.matched, t.total)
		}
	}
	b.WriteString("  differing cases by first difference:\n")
	kinds := sortedKeys(byKind)
	sort.SliceStable(kinds, func(i, j int) bool { return byKind[kinds[i]] > byKind[kinds[j]] })
	for _, k := range kinds {
		fmt.Fprintf(&b, "    %-24s %4d\n", k, byKind[k])
	}
	return b.String()
}
