package integration_test

import (
	"fmt"
	"sort"
	"strings"
)

// Comparison of a normalised answer with a case's expectation: values,
// types, the order of records, and the order of the keys of every dict.
// Each difference has a path into the value and a kind; the first one's
// kind is what the summary counts, so the walk goes in the order a person
// fixing godoo would look: the form of the answer, missing and extra
// keys, key order, then the values.

// difference is one way an answer differs from the expectation.
type difference struct {
	path   string // result[2].country_id
	kind   string
	detail string
}

func (d difference) String() string { return d.path + ": " + d.kind + ": " + d.detail }

// maxDifferences bounds the differences kept per case.
const maxDifferences = 12

type comparer struct {
	mask  map[string]bool
	diffs []difference
}

func (c *comparer) add(path, kind, format string, args ...any) {
	if len(c.diffs) < maxDifferences {
		c.diffs = append(c.diffs, difference{path, kind, fmt.Sprintf(format, args...)})
	}
}

// compareAnswer compares a normalised answer in expect form with the
// expectation; keyOrder is the case's key_order, checked against the
// result dict or its first row.
func compareAnswer(want, got *object, keyOrder []string, mask map[string]bool) []difference {
	c := &comparer{mask: mask}
	wk, gk := formOf(want), formOf(got)
	if wk != gk {
		c.add("", formKind(wk, gk, got), "want %s, got %s", describe(want), describe(got))
		return c.diffs
	}
	switch wk {
	case "fault":
		c.faultOrError(want.vals["fault"], got.vals["fault"], "fault")
	case "error":
		c.faultOrError(want.vals["error"], got.vals["error"], "error")
	case "http_status":
		c.value("http_status", want.vals["http_status"], got.vals["http_status"])
		c.value("body", want.vals["body"], got.vals["body"])
		for i := range c.diffs {
			c.diffs[i].kind = "http status"
		}
	default:
		c.value(wk, want.vals[wk], got.vals[wk])
	}
	if len(keyOrder) > 0 && wk == "result" {
		if row := firstRow(got.vals["result"]); row != nil {
			if d := orderDifference(keyOrder, row.keys); d != "" {
				c.add("result (key_order)", "key order", "%s", d)
			}
		}
	}
	return c.diffs
}

// formOf is the member that says what an answer is: result, fault, error,
// body or http_status.
func formOf(o *object) string {
	for _, k := range []string{"http_status", "result", "fault", "error", "body"} {
		if o.has(k) {
			return k
		}
	}
	return "nothing"
}

// formKind classifies an answer of the wrong form by what godoo said.
func formKind(want, got string, gotAnswer *object) string {
	switch {
	case got == "http_status":
		return "http status"
	case want == "result" && (got == "fault" || got == "error"):
		text := strings.ToLower(showJSON(gotAnswer, 2000))
		switch {
		case strings.Contains(text, "doesn't exist") && strings.Contains(text, "object "):
			return "missing model"
		case strings.Contains(text, "invalid field"):
			return "missing field"
		case strings.Contains(text, "does not exist") || strings.Contains(text, "method not available"):
			return "missing method"
		}
		return "error instead of result"
	case (want == "fault" || want == "error") && got == "result":
		return "result instead of error"
	}
	return "answer form"
}

func describe(o *object) string {
	switch k := formOf(o); k {
	case "result":
		return "a result " + showJSON(o.vals[k], 300)
	case "fault", "error":
		return "a" + map[bool]string{true: "n", false: ""}[k == "error"] + " " + k + " " + showJSON(o.vals[k], 300)
	case "body":
		return "a reply without result " + showJSON(o.vals[k], 300)
	case "http_status":
		return fmt.Sprintf("HTTP %s %s", showJSON(o.vals["http_status"], 10), showJSON(o.vals["body"], 200))
	}
	return "nothing"
}

// faultOrError compares faults (code, string, exception) or JSON-RPC
// errors (code, message, data.name, data.message), with kinds that say
// which part differs.
func (c *comparer) faultOrError(want, got any, path string) {
	w, ok1 := want.(*object)
	g, ok2 := got.(*object)
	if !ok1 || !ok2 {
		c.value(path, want, got)
		return
	}
	kinds := map[string]string{"code": "fault code", "string": "error text", "exception": "error text",
		"message": "error text", "data.name": "exception name", "data.message": "error text"}
	if path == "error" {
		kinds["code"] = "error code"
	}
	before := len(c.diffs)
	c.value(path, w, g)
	for i := before; i < len(c.diffs); i++ {
		rel := strings.TrimPrefix(strings.TrimPrefix(c.diffs[i].path, path), ".")
		if k, ok := kinds[rel]; ok && c.diffs[i].kind != "key order" {
			c.diffs[i].kind = k
		}
	}
	// The exception name and the code say more than the text: put them
	// first.
	sort.SliceStable(c.diffs[before:], func(i, j int) bool {
		return rank(c.diffs[before+i].kind) < rank(c.diffs[before+j].kind)
	})
}

func rank(kind string) int {
	switch kind {
	case "fault code", "error code":
		return 0
	case "exception name":
		return 1
	}
	return 2
}

// value compares two values at path.
func (c *comparer) value(path string, want, got any) {
	switch w := want.(type) {
	case *object:
		g, ok := got.(*object)
		if !ok {
			c.add(path, "type", "want a dict, got %s", showJSON(got, 200))
			return
		}
		c.dict(path, w, g)
	case []any:
		g, ok := got.([]any)
		if !ok {
			c.add(path, "type", "want a list, got %s", showJSON(got, 200))
			return
		}
		c.list(path, w, g)
	default:
		if typeName(want) != typeName(got) {
			c.add(path, "type", "want %s (%s), got %s (%s)", showJSON(want, 200), typeName(want), showJSON(got, 200), typeName(got))
			return
		}
		if !equalValues(want, got, nil) {
			c.add(path, "value", "want %s, got %s", showJSON(want, 300), showJSON(got, 300))
		}
	}
}

func (c *comparer) dict(path string, w, g *object) {
	var missing, extra []string
	for _, k := range w.keys {
		if !g.has(k) {
			missing = append(missing, k)
		}
	}
	for _, k := range g.keys {
		if !w.has(k) && !c.mask[k] {
			extra = append(extra, k)
		}
	}
	if len(missing) > 0 {
		c.add(path, "missing key", "%s", strings.Join(quoteAll(missing), ", "))
	}
	if len(extra) > 0 {
		c.add(path, "extra key", "%s", strings.Join(quoteAll(extra), ", "))
	}
	if d := orderDifference(w.keys, g.keys); d != "" {
		c.add(path, "key order", "%s", d)
	}
	for _, k := range w.keys {
		if gv, ok := g.get(k); ok {
			c.value(join(path, k), w.vals[k], gv)
		}
	}
}

func (c *comparer) list(path string, w, g []any) {
	if len(w) != len(g) {
		c.add(path, "record count", "want %d items, got %d: %s", len(w), len(g), countDetail(w, g))
		return
	}
	if sameMembers(w, g, c.mask) && !equalValues(w, g, c.mask) {
		c.add(path, "record order", "want %s, got %s", showJSON(w, 400), showJSON(g, 400))
		return
	}
	for i := range w {
		c.value(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])
	}
}

// countDetail names what one list has that the other lacks.
func countDetail(w, g []any) string {
	var lacking, surplus []string
	left := map[string]int{}
	for _, e := range g {
		left[canonical(e, nil)]++
	}
	for _, e := range w {
		k := canonical(e, nil)
		if left[k] > 0 {
			left[k]--
		} else {
			lacking = append(lacking, showJSON(e, 200))
		}
	}
	for _, e := range g {
		k := canonical(e, nil)
		if left[k] > 0 {
			left[k]--
			surplus = append(surplus, showJSON(e, 200))
		}
	}
	cut := func(s []string) string {
		return clip(strings.Join(s, ", "), 400)
	}
	return fmt.Sprintf("lacking [%s], surplus [%s]", cut(lacking), cut(surplus))
}

// orderDifference compares the relative order of the keys both lists
// have; missing and extra keys are reported apart.
func orderDifference(want, got []string) string {
	inGot, inWant := map[string]bool{}, map[string]bool{}
	for _, k := range got {
		inGot[k] = true
	}
	for _, k := range want {
		inWant[k] = true
	}
	var w, g []string
	for _, k := range want {
		if inGot[k] {
			w = append(w, k)
		}
	}
	for _, k := range got {
		if inWant[k] {
			g = append(g, k)
		}
	}
	for i := range w {
		if w[i] != g[i] {
			return fmt.Sprintf("at key %d want %q, got %q: want order %s", i, w[i], g[i], strings.Join(quoteAll(w), ", "))
		}
	}
	return ""
}

func firstRow(v any) *object {
	switch x := v.(type) {
	case *object:
		return x
	case []any:
		if len(x) > 0 {
			o, _ := x[0].(*object)
			return o
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, e := range s {
		out[i] = fmt.Sprintf("%q", e)
	}
	return out
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "string"
	case []any:
		return "list"
	case *object:
		return "dict"
	}
	return fmt.Sprintf("%T", v)
}

// equalValues compares values with types and key order, leaving out the
// keys in mask (the dict walk reports a masked key one side lacks).
func equalValues(want, got any, mask map[string]bool) bool {
	return canonical(want, mask) == canonical(got, mask)
}

// sameMembers tells whether two lists hold the same values in any order.
func sameMembers(w, g []any, mask map[string]bool) bool {
	a := make([]string, len(w))
	b := make([]string, len(g))
	for i := range w {
		a[i] = canonical(w[i], mask)
	}
	for i := range g {
		b[i] = canonical(g[i], mask)
	}
	sort.Strings(a)
	sort.Strings(b)
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

// canonical renders v with its types and key order; keys in drop are left
// out.
func canonical(v any, drop map[string]bool) string {
	if o, ok := v.(*object); ok && len(drop) > 0 {
		kept := newObject()
		for _, k := range o.keys {
			if !drop[k] {
				kept.set(k, o.vals[k])
			}
		}
		v = kept
	}
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = canonical(e, drop)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case *object:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			parts[i] = fmt.Sprintf("%q:%s", k, canonical(x.vals[k], drop))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return typeName(v) + ":" + showJSON(v, 1<<20)
}
