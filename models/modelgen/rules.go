package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/godoo/godoo/models/base"
	"github.com/godoo/godoo/models/pyexpr"
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

// ruleUser stands for the current user, or a record reached from it, in
// a rule's domain: its attributes are the names the engine binds when the
// rule is checked ("user.id", "user.commercial_partner_id", ...).
type ruleUser struct{ path string }

// Attr is a record's id (user.id, user.partner_id.id), a list of ids
// (user.company_ids.ids), or a record further on.
func (u ruleUser) Attr(name string) (any, error) {
	switch {
	case name == "id" && u.path == "user":
		return "user.id", nil
	case name == "id" || name == "ids":
		return u.path, nil
	}
	return ruleUser{u.path + "." + name}, nil
}

// ruleBound are the names of the user's records that the engine's record
// rules bind (models/access_rules.go); a translated domain may use no
// other.
var ruleBound = map[string]bool{"user.id": true, "user.partner_id": true, "user.commercial_partner_id": true,
	"user.company_id": true, "user.company_ids": true, "env.company_id": true, "env.company_ids": true}

// pyDomainJSON translates the Python literal of a rule domain into JSON.
// company_ids, Odoo's companies of the call (the context's
// allowed_company_ids, all the user's when it names none), is a list
// holding the name "env.company_ids": the engine puts the ids in its
// place, so that company_ids + [False] is the ids and False; company_id,
// the call's company (the first allowed, or the user's current one), is
// "env.company_id".
func pyDomainJSON(src string) (string, error) {
	v, err := pyexpr.Eval(src, func(name string) (any, bool) {
		switch name {
		case "user":
			return ruleUser{"user"}, true
		case "company_ids":
			return []any{"env.company_ids"}, true
		case "company_id":
			return "env.company_id", true
		}
		return nil, false
	})
	if err != nil {
		return "", fmt.Errorf("%s: %w", src, err)
	}
	if err := checkBound(v); err != nil {
		return "", fmt.Errorf("%s: %w", src, err)
	}
	b, err := json.Marshal(v)
	return string(noEscape(b)), err
}

// checkBound refuses a record left unbound (user.partner_id without .id)
// and a name of the user the engine does not bind.
func checkBound(v any) error {
	switch x := v.(type) {
	case ruleUser:
		return fmt.Errorf("%s is a record, not an id", x.path)
	case string:
		if (strings.HasPrefix(x, "user.") || strings.HasPrefix(x, "env.")) && !ruleBound[x] {
			return fmt.Errorf("the engine does not bind %s", x)
		}
	case []any:
		for _, e := range x {
			if err := checkBound(e); err != nil {
				return err
			}
		}
	}
	return nil
}
