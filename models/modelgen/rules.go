package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models/base"
)

// generateRules writes Odoo's record rules (the recording's ir_rule.json)
// into out/ir.rule.json as data records. Odoo's domains are Python
// expressions; godoo evaluates JSON domains only, whose values name the
// current user's records as the engine's record rules know them
// ("user.id", "user.company_ids", ...), so each is translated here once.
func generateRules(recording, out string) error {
	var rules []struct {
		XMLID  string   `json:"xmlid"`
		Name   string   `json:"name"`
		Model  string   `json:"model"`
		Groups []string `json:"groups"`
		Domain string   `json:"domain_force"`
		Global bool     `json:"global"`
		Active bool     `json:"active"`
		Read   bool     `json:"perm_read"`
		Write  bool     `json:"perm_write"`
		Create bool     `json:"perm_create"`
		Unlink bool     `json:"perm_unlink"`
	}
	if err := readJSON(filepath.Join(recording, "ir_rule.json"), &rules); err != nil {
		return err
	}
	noupdate, err := recordedNoupdate(recording)
	if err != nil {
		return err
	}
	rows := make([]base.DataRecord, 0, len(rules))
	for _, r := range rules {
		domain, err := pyDomainJSON(r.Domain)
		if err != nil {
			return fmt.Errorf("rule %s: %w", r.XMLID, err)
		}
		groups := make([]any, len(r.Groups))
		for i, g := range r.Groups {
			groups[i] = g
		}
		rows = append(rows, base.DataRecord{XMLID: r.XMLID, Noupdate: noupdate[r.XMLID], Values: map[string]any{
			"name": r.Name, "model_id": "base.model_" + strings.ReplaceAll(r.Model, ".", "_"), "groups": groups,
			"domain_force": domain, "global": r.Global, "active": r.Active,
			"perm_read": r.Read, "perm_write": r.Write, "perm_create": r.Create, "perm_unlink": r.Unlink,
		}})
	}
	return writeLines(filepath.Join(out, "ir.rule.json"), rows)
}

// ruleNames are the Python names Odoo's rule domains use, as godoo's record
// rules name them. user.company_ids and company_ids are lists: inside a
// list (company_ids + [False]) their ids take the name's place.
var ruleNames = map[string]string{
	"user.id":                       "user.id",
	"user.partner_id.id":            "user.partner_id",
	"user.commercial_partner_id.id": "user.commercial_partner_id",
	"user.company_id.id":            "user.company_id",
	"company_id":                    "user.company_id",
	"company_ids":                   "user.company_ids",
	"user.company_ids.ids":          "user.company_ids",
}

// pyDomainJSON translates the Python literal of a rule domain into JSON.
func pyDomainJSON(src string) (string, error) {
	p := &pyParser{src: src}
	v, err := p.expr()
	if err != nil {
		return "", err
	}
	if p.skipSpace(); p.pos != len(p.src) {
		return "", fmt.Errorf("unexpected %q in %s", p.src[p.pos:], src)
	}
	b, err := json.Marshal(v)
	return string(noEscape(b)), err
}

// pyParser reads the Python literals of rule domains: lists, tuples,
// strings, numbers, True, False, None, the names of ruleNames, and the sum
// of lists.
type pyParser struct {
	src string
	pos int
}

func (p *pyParser) skipSpace() {
	for p.pos < len(p.src) && strings.ContainsRune(" \t\n\r", rune(p.src[p.pos])) {
		p.pos++
	}
}

// expr is a term, or a sum of lists and list names.
func (p *pyParser) expr() (any, error) {
	v, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.skipSpace(); p.pos < len(p.src) && p.src[p.pos] == '+'; p.skipSpace() {
		p.pos++
		w, err := p.term()
		if err != nil {
			return nil, err
		}
		v = append(asList(v), asList(w)...)
	}
	return v, nil
}

// asList is a list as it takes part in a sum: a list name stands for its
// ids.
func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

func (p *pyParser) term() (any, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, fmt.Errorf("unexpected end of %s", p.src)
	}
	switch c := p.src[p.pos]; {
	case c == '[' || c == '(':
		return p.sequence(map[byte]byte{'[': ']', '(': ')'}[c])
	case c == '\'' || c == '"':
		end := strings.IndexByte(p.src[p.pos+1:], c)
		if end < 0 {
			return nil, fmt.Errorf("unterminated string in %s", p.src)
		}
		s := p.src[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
		return s, nil
	default:
		start := p.pos
		for p.pos < len(p.src) && (isWord(p.src[p.pos]) || p.src[p.pos] == '.' || p.src[p.pos] == '-') {
			p.pos++
		}
		word := p.src[start:p.pos]
		switch word {
		case "True":
			return true, nil
		case "False":
			return false, nil
		case "None":
			return nil, nil
		}
		if n, err := strconv.ParseInt(word, 10, 64); err == nil {
			return n, nil
		}
		if name, ok := ruleNames[word]; ok {
			return name, nil
		}
		return nil, fmt.Errorf("unknown name %q in %s", word, p.src)
	}
}

// sequence is a list or tuple up to its closing bracket.
func (p *pyParser) sequence(closing byte) (any, error) {
	p.pos++
	out := []any{}
	for {
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == closing {
			p.pos++
			return out, nil
		}
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
		} else if p.pos >= len(p.src) || p.src[p.pos] != closing {
			return nil, fmt.Errorf("expected %q in %s", closing, p.src)
		}
	}
}

func isWord(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
