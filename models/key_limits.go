package models

import (
	"fmt"
	"net/netip"
	"strings"
)

// KeyLimits are the restrictions of one API key, native or header: which
// model methods it may call, whether only those that never write, and from
// which source addresses. They only narrow what the key's user may do; the
// user's own rights still apply. They are compiled once when the key's row
// is read, and cached with it, so that a check costs a few comparisons and
// no parsing. The zero value (and nil) restricts nothing.
type KeyLimits struct {
	// ReadOnly allows only the methods of IsReadOnlyMethod.
	ReadOnly bool
	// Allow and From are the stored texts, one pattern or range a line.
	Allow, From []string
	// broken is set when a stored value does not compile: the key then
	// allows nothing, rather than more than it was meant to.
	broken bool
	// exact maps a model named in full to its method matchers; any holds
	// those of patterns whose model ends in '*'.
	exact map[string][]nameMatch
	any   []modelMatch
	nets  []netip.Prefix
}

// nameMatch matches a name exactly, or by prefix when it ended in '*' (a
// lone '*' is the empty prefix, matching everything).
type nameMatch struct {
	text   string
	prefix bool
}

func (m nameMatch) matches(s string) bool {
	if m.prefix {
		return strings.HasPrefix(s, m.text)
	}
	return s == m.text
}

type modelMatch struct {
	model   nameMatch
	methods []nameMatch
}

// Restricted reports whether l restricts anything.
func (l *KeyLimits) Restricted() bool {
	return l != nil && (l.ReadOnly || l.broken || len(l.Allow) > 0 || len(l.From) > 0)
}

// CompileKeyLimits compiles the stored restriction fields of a key:
// allowed is the allowed_methods text, networks the allowed_networks text.
// An error names the first value that does not compile.
func CompileKeyLimits(allowed, networks string, readOnly bool) (*KeyLimits, error) {
	l := &KeyLimits{ReadOnly: readOnly, Allow: SplitKeyList(allowed, false), From: SplitKeyList(networks, true)}
	for _, p := range l.Allow {
		model, methods, ok := strings.Cut(p, ":")
		if !ok || model == "" || methods == "" || strings.Contains(methods, ":") {
			return nil, fmt.Errorf("%q is not MODEL:METHODS (such as res.partner:read,search_read, sale.order:* or *:read)", p)
		}
		mm := modelMatch{model: compileName(model)}
		if strings.Contains(model[:len(model)-1], "*") {
			return nil, fmt.Errorf("%q: '*' may only end a model name", p)
		}
		for _, m := range strings.Split(methods, ",") {
			m = strings.TrimSpace(m)
			if m == "" || strings.Contains(m[:len(m)-1], "*") {
				return nil, fmt.Errorf("%q: a method is a name, a prefix ending in '*', or '*'", p)
			}
			mm.methods = append(mm.methods, compileName(m))
		}
		if mm.model.prefix {
			l.any = append(l.any, mm)
			continue
		}
		if l.exact == nil {
			l.exact = map[string][]nameMatch{}
		}
		l.exact[model] = append(l.exact[model], mm.methods...)
	}
	for _, n := range l.From {
		p, err := netip.ParsePrefix(n)
		if err != nil {
			a, aerr := netip.ParseAddr(n)
			if aerr != nil {
				return nil, fmt.Errorf("%q is not an address range (CIDR such as 10.0.0.0/8) or an address", n)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		l.nets = append(l.nets, p.Masked())
	}
	return l, nil
}

// KeyLimitsOf compiles stored restriction fields as a key check needs
// them: nil when nothing is restricted, and a key that allows nothing when
// a stored value does not compile (written by hand past the checks).
func KeyLimitsOf(allowed, networks string, readOnly bool) *KeyLimits {
	l, err := CompileKeyLimits(allowed, networks, readOnly)
	if err != nil {
		return &KeyLimits{broken: true}
	}
	if !l.Restricted() {
		return nil
	}
	return l
}

func compileName(s string) nameMatch {
	if strings.HasSuffix(s, "*") {
		return nameMatch{text: s[:len(s)-1], prefix: true}
	}
	return nameMatch{text: s}
}

// SplitKeyList splits a stored or typed list of patterns or address ranges:
// one a line, or separated by spaces or semicolons; address ranges may also
// be separated by commas (patterns use commas between methods). An empty
// list is nil.
func SplitKeyList(s string, commas bool) []string {
	out := strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ' ' || r == '\t' || r == ';' || (commas && r == ',')
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

// AllowsCall reports whether the key may call method on model.
func (l *KeyLimits) AllowsCall(model, method string) bool {
	if l == nil {
		return true
	}
	if l.broken || (l.ReadOnly && !IsReadOnlyMethod(method)) {
		return false
	}
	if len(l.Allow) == 0 {
		return true
	}
	for _, m := range l.exact[model] {
		if m.matches(method) {
			return true
		}
	}
	for _, mm := range l.any {
		if !mm.model.matches(model) {
			continue
		}
		for _, m := range mm.methods {
			if m.matches(method) {
				return true
			}
		}
	}
	return false
}

// CheckCall is AllowsCall as an error: Odoo's AccessError, naming the model
// and the method, for a call the key may not make.
func (l *KeyLimits) CheckCall(model, method string) error {
	if l.AllowsCall(model, method) {
		return nil
	}
	reason := "restricted to the methods it lists"
	if l.ReadOnly && !IsReadOnlyMethod(method) {
		reason = "read-only"
	}
	return AccessErrorf("This API key is %s: it may not call method '%s' on model '%s'.", reason, method, model)
}

// AllowsAddr reports whether the key may be used from address ip (the
// client address, the forwarded one in proxy mode). An address that cannot
// be read is outside every range.
func (l *KeyLimits) AllowsAddr(ip string) bool {
	if l == nil {
		return true
	}
	if l.broken {
		return false
	}
	if len(l.nets) == 0 {
		return true
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, n := range l.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}
