package integration_test

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// A replay runs the corpus's cases in order on one database and compares
// each answer with the recording; the live test gets its answers from
// godoo over HTTP, the oracle test from Odoo's recorded raw answers.

// replay runs cases in order against one database, binding symbols as it
// goes.
type replay struct {
	corpus *corpus
	ids    *idSpace
	fields fieldSource
	db     string
	apikey string
	uids   map[string]any // role → uid
	// answer sends a case's request (placeholders resolved), or in the
	// oracle test looks up Odoo's recorded answer.
	answer func(c *confCase, request *object) (answer, error)
	// today, when set, turns on the modules flow's rules (see
	// normalizer.today).
	today time.Time
}

func (r *replay) run(c *confCase) outcome {
	u := r.corpus.seed.roles[c.As]
	ph := placeholders{db: r.db, login: u.login, password: u.password, apikey: r.apikey, uid: r.uids[c.As], ids: r.ids}
	res := ph.resolve(c.Request)
	o := outcome{c: c, unbound: res.unbound, want: expectation(c)}
	if c.As != "anonymous" && r.uids[c.As] == nil && (c.Protocol == "web" || hasString(c.Request, "<uid>")) {
		o.unbound = append(o.unbound, "<uid> of "+c.As)
	}
	a, err := r.answer(c, res.value.(*object))
	if err != nil {
		o.got = newObject()
		o.diffs = []difference{{"", "no answer", err.Error()}}
		return o
	}
	if c.Bind != "" && c.Model != "" {
		if id, ok := boundID(a); ok {
			r.ids.bind(c.Bind, c.Model, id)
		}
	}
	if len(c.Binds) > 0 && c.Model != "" && a.kind == "result" {
		list, _ := a.result.([]any)
		for i, sym := range c.Binds {
			if i < len(list) {
				if id, ok := list[i].(int64); ok {
					r.ids.bind(sym, c.Model, id)
				}
			}
		}
	}
	o.unbound = append(o.unbound, r.unboundIn(c.Expect)...)
	mask := map[string]bool{}
	for _, k := range c.Mask {
		mask[k] = true
	}
	n := &normalizer{ids: r.ids, fields: r.fields, db: r.db, mask: mask, named: res.named, today: r.today}
	o.got = n.expectForm(a, caseMethod(c), c.Model)
	o.diffs = compareAnswer(o.want, o.got, c.KeyOrder, mask)
	if a.envelopeProblem != "" && (a.kind == "result" || a.kind == "error") {
		o.diffs = append(o.diffs, difference{"", "envelope", a.envelopeProblem})
	}
	o.symbols = symbolsUsed(c.Request, r.ids)
	return o
}

// unboundIn lists the seed and case symbols an expectation names that
// are bound to no record: the answer cannot name them either.
func (r *replay) unboundIn(expect *object) []string {
	var out []string
	eachString(expect, func(s string) {
		if r.corpus.symbols[s] {
			if _, ok := r.ids.syms[s]; !ok && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	})
	return out
}

// outcome is a case's comparison.
type outcome struct {
	c         *confCase
	unbound   []string
	want, got *object
	diffs     []difference
	symbols   string
}

func (o outcome) matched() bool { return len(o.diffs) == 0 }

// kind is what the summary counts a differing case under: a request that
// names an unbound symbol first (its seed record or binding case failed),
// else the kind of the first difference.
func (o outcome) kind() string {
	if len(o.unbound) > 0 {
		return "unbound symbol"
	}
	if len(o.diffs) == 0 {
		return ""
	}
	return o.diffs[0].kind
}

// report is the failure message of a differing case: the case, its
// request as recorded, the symbols it used, the differences with their
// paths, and both answers normalised.
func (o outcome) report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "case %s (%s.json, %s as %s)\n", o.c.ID, o.c.Area, o.c.Protocol, o.c.As)
	fmt.Fprintf(&b, "  request: %s\n", showJSON(o.c.Request, 1500))
	if o.symbols != "" {
		fmt.Fprintf(&b, "  symbols: %s\n", o.symbols)
	}
	if len(o.unbound) > 0 {
		fmt.Fprintf(&b, "  unbound: %s (named by the case; a seed record or an earlier binding case failed)\n", strings.Join(o.unbound, " "))
	}
	if o.matched() {
		b.WriteString("  matches\n")
	}
	for i, d := range o.diffs {
		label := "then"
		if i == 0 {
			label = "first difference"
		}
		fmt.Fprintf(&b, "  %s at %s\n", label, d)
	}
	fmt.Fprintf(&b, "  want: %s\n  got:  %s", showJSON(o.want, 4000), showJSON(o.got, 4000))
	return b.String()
}

// hasString tells whether v holds the string s.
func hasString(v any, s string) bool {
	found := false
	eachString(v, func(e string) { found = found || e == s })
	return found
}

// symbolsUsed lists the symbols of a request with the ids they stand for.
func symbolsUsed(request *object, ids *idSpace) string {
	var out []string
	eachString(request, func(s string) {
		if ref, ok := ids.resolve(s); ok && strings.HasPrefix(s, "@") {
			if e := fmt.Sprintf("%s=%s(%d)", s, ref.model, ref.id); !slices.Contains(out, e) {
				out = append(out, e)
			}
		}
	})
	return strings.Join(out, " ")
}

// eachString calls fn with every string in v, dict keys left out.
func eachString(v any, fn func(string)) {
	switch x := v.(type) {
	case string:
		fn(x)
	case []any:
		for _, e := range x {
			eachString(e, fn)
		}
	case *object:
		for _, k := range x.keys {
			eachString(x.vals[k], fn)
		}
	}
}
