package models

// The shape of read_group's groups as Odoo 18 gives them: the keys in the
// order its dicts are built, and the __domain of each group as Odoo's
// expression.AND writes it, with its operators spelled out.

// normalizeDomain spells out the implicit '&' between the terms of a
// domain, as Odoo's normalize_domain: [a, b] becomes ['&', a, b]. Leaves
// are kept as they are (the same slices), operators counted by arity.
func normalizeDomain(domain []any) []any {
	out := make([]any, 0, len(domain)+2)
	expected := 1 // terms still needed to complete the domain so far
	for _, term := range domain {
		if expected == 0 {
			out = append([]any{"&"}, out...)
			expected = 1
		}
		switch term {
		case "!":
			// one operand: expected is unchanged
		case "&", "|":
			expected++
		default:
			expected--
		}
		out = append(out, term)
	}
	return out
}

// trueLeaf is Odoo's TRUE_LEAF, the domain that matches everything.
func trueLeaf() []any { return []any{[]any{int64(1), "=", int64(1)}} }

// andDomains is Odoo's expression.AND: the normalized domains one after
// the other under as many '&' as they need, empty ones left out, and the
// domain matching everything when nothing is left.
func andDomains(domains ...[]any) []any {
	var terms []any
	count := 0
	for _, d := range domains {
		if len(d) == 0 {
			continue
		}
		terms = append(terms, normalizeDomain(d)...)
		count++
	}
	if count == 0 {
		return trueLeaf()
	}
	out := make([]any, 0, count-1+len(terms))
	for range count - 1 {
		out = append(out, "&")
	}
	return append(out, terms...)
}

// groupKeys are the keys of a group in Odoo 18's order: the values grouped
// by, the count, the aggregates in the order asked, then __domain,
// __context (lazy, with groupings left) and __range (grouped by a date).
func groupKeys(specs []groupSpec, countKey string, aggs []agg, withContext, withRange bool) []string {
	keys := make([]string, 0, len(specs)+len(aggs)+4)
	for _, s := range specs {
		keys = append(keys, s.key)
	}
	keys = append(keys, countKey)
	for _, ag := range aggs {
		keys = append(keys, ag.out)
	}
	keys = append(keys, "__domain")
	if withContext {
		keys = append(keys, "__context")
	}
	if withRange {
		keys = append(keys, "__range")
	}
	return keys
}
