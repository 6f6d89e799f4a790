package models

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models/py"
)

// irRuleDomain combines the active ir.rule rows of m for op as Odoo does:
// global rules (no group) are AND-ed, the rules of the user's groups are
// OR-ed, and the two are AND-ed. ok is false when no rule applies.
func (env *Env) irRuleDomain(ctx context.Context, m *Model, op Op) ([]any, bool, error) {
	c, err := env.irRules(ctx, m, op)
	return c.domain, c.ok, err
}

// irRules is irRuleDomain's combined rules, with their compiled SQL kept
// beside them.
func (env *Env) irRules(ctx context.Context, m *Model, op Op) (ruleCache, error) {
	// The rules' companies are the context's: a call that switches them
	// gets rules of its own. The rules depend on the context through
	// allowedCompanies alone, which companiesKey names.
	companies := env.companiesKey()
	key := m.Name + "\x00" + string(op) + "\x00" + companies
	if c, ok := env.state.rules[key]; ok {
		return c, nil
	}
	c, err := env.loadIRRules(ctx, m, op, companies)
	if err != nil {
		return ruleCache{}, err
	}
	if env.state.rules == nil {
		env.state.rules = map[string]ruleCache{}
	}
	env.state.rules[key] = c
	return c, nil
}

// ruleRow is one ir.rule as the rule check reads it, before its values are
// bound to the call.
type ruleRow struct {
	id, nGroups, nMine int64
	dom                any
}

// loadIRRules combines the rules of m for op for the call's companies,
// named by companies (companiesKey).
func (env *Env) loadIRRules(ctx context.Context, m *Model, op Op, companies string) (ruleCache, error) {
	key := accessKey{env.UID, m.Name, op}
	if b, ok := env.access().getBound(key, companies); ok {
		return b, nil
	}
	found, ok := env.access().getRules(key)
	if !ok {
		var err error
		if found, err = env.readIRRules(ctx, m, op); err != nil {
			return ruleCache{}, err
		}
		env.access().putRules(key, found)
	}
	d, applies, keep, err := env.combineIRRules(ctx, m, found)
	if err != nil {
		return ruleCache{}, err
	}
	bound := ruleCache{domain: d, ok: applies, compiled: &compiledRule{}}
	if keep {
		if namesCallCompanies(found) {
			bound.companies = companies
		}
		env.access().putBound(key, bound)
	}
	return bound, nil
}

// readIRRules reads the active rules of m for op, with whether they are
// global and whether the user is in one of their groups.
func (env *Env) readIRRules(ctx context.Context, m *Model, op Op) ([]ruleRow, error) {
	rows, err := env.Query(ctx, `SELECT r.id, r.domain_force, (SELECT COUNT(*) FROM rule_group_rel g WHERE g.rule_group_id = r.id),
		(SELECT COUNT(*) FROM rule_group_rel g JOIN res_groups_users_rel u ON u.gid = g.group_id WHERE g.rule_group_id = r.id AND u.uid = ?)
		FROM ir_rule r JOIN ir_model im ON im.id = r.model_id
		WHERE im.model = ? AND r.active AND r.perm_`+string(op)+` ORDER BY r.id`, env.UID, m.Name)
	if err != nil {
		return nil, err
	}
	// Read every rule first: no other query may run on the transaction's
	// connection while these rows are open (PostgreSQL's protocol).
	found := []ruleRow{}
	for rows.Next() {
		var r ruleRow
		if err := rows.Scan(&r.id, &r.dom, &r.nGroups, &r.nMine); err != nil {
			rows.Close()
			return nil, err
		}
		r.dom = fromBytes(r.dom)
		found = append(found, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, env.Classify(err)
	}
	return found, nil
}

// combineIRRules binds the rules' values and combines them as Odoo does:
// global rules intersect, group rules unite. keep reports that every value
// bound comes from the user's own row or companies (generationValues),
// whose changes move the access cache's generation, so that the domain
// may be kept across calls.
func (env *Env) combineIRRules(ctx context.Context, m *Model, found []ruleRow) (_ []any, _ bool, keep bool, _ error) {
	keep = true
	var global, group []any
	applies := false
	for _, r := range found {
		if r.nGroups > 0 && r.nMine == 0 {
			continue // a group rule of groups the user is not in
		}
		var d []any
		if s, _ := r.dom.(string); s != "" {
			if err := json.Unmarshal([]byte(s), &d); err != nil {
				return nil, false, false, ValidationErrorf("Invalid domain in record rule %d", r.id)
			}
		}
		d = py.Numbers(d).([]any)
		var err error
		if d, err = env.bindRuleValues(ctx, m, d, &keep); err != nil {
			return nil, false, false, err
		}
		if len(d) == 0 {
			d = []any{[]any{int64(1), "=", int64(1)}}
		}
		if r.nGroups == 0 {
			global = append(append([]any{"&"}, wrapDomain(d)...), global...)
		} else {
			group = append(append([]any{"|"}, wrapDomain(d)...), group...)
		}
		applies = true
	}
	if !applies {
		return nil, false, keep, nil
	}
	// Each list was built with one operator too many; close it with a
	// neutral term.
	out := []any{"&"}
	out = append(out, append(global, []any{int64(1), "=", int64(1)})...)
	if group == nil {
		out = append(out, []any{int64(1), "=", int64(1)})
	} else {
		out = append(out, append(group, []any{int64(0), "=", int64(1)})...)
	}
	return out, true, keep, nil
}

func fromBytes(v any) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}

// ruleValues are the names a JSON rule domain may use for the current user,
// in place of the Python expressions of Odoo's rules (user.id,
// user.commercial_partner_id.id, ...), which godoo never evaluates.
var ruleValues = map[string]string{
	"user.id":                    "SELECT id FROM res_users WHERE id = ?",
	"user.partner_id":            "SELECT partner_id FROM res_users WHERE id = ?",
	"user.commercial_partner_id": "SELECT COALESCE(p.commercial_partner_id, p.id) FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.id = ?",
	"user.company_id":            "SELECT company_id FROM res_users WHERE id = ?",
}

// generationValues are the ruleValues read from res_users alone: a change
// to them, as to the user's companies, moves the access cache's
// generation. user.commercial_partner_id reads res_partner, which does
// not.
var generationValues = map[string]bool{"user.id": true, "user.partner_id": true, "user.company_id": true}

// bindRuleValues replaces the ruleValues names found as term values of a
// rule domain, or as elements of a list value, by the current user's ids;
// "user.company_ids" becomes the list of the user's companies and
// "env.company_ids" that of the call's companies (inside a list, its ids
// take its place: Odoo's company_ids + [False]); "env.company_id" is the
// call's company. It clears *keep when it bound a value that is not one of
// generationValues, the user's companies or the call's (which the bound
// domain's cache entry records). A hierarchy term over the companies of m
// becomes the list of the companies it names (companyHierarchy).
func (env *Env) bindRuleValues(ctx context.Context, m *Model, d []any, keep *bool) ([]any, error) {
	out := make([]any, len(d))
	for i, item := range d {
		t, ok := item.([]any)
		if !ok || len(t) != 3 {
			out[i] = item
			continue
		}
		v, err := env.bindRuleValue(ctx, t[2], keep)
		if err != nil {
			return nil, err
		}
		if out[i], err = env.companyHierarchy(ctx, m, []any{t[0], t[1], v}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// bindRuleValue is a term's value with the user's names bound.
func (env *Env) bindRuleValue(ctx context.Context, v any, keep *bool) (any, error) {
	switch x := v.(type) {
	case string:
		if q, known := ruleValues[x]; known {
			if !generationValues[x] {
				*keep = false
			}
			var id int64
			if _, err := env.Scalar(ctx, &id, q, env.UID); err != nil {
				return nil, err
			}
			return id, nil
		}
		switch x {
		case "user.company_ids":
			return env.userCompanies(ctx)
		case "env.company_ids":
			return env.ruleCompanies(ctx)
		case "env.company_id":
			return env.ruleCompany(ctx)
		}
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if e == "user.company_ids" || e == "env.company_ids" {
				var ids []any
				var err error
				if e == "user.company_ids" {
					ids, err = env.userCompanies(ctx)
				} else {
					ids, err = env.ruleCompanies(ctx)
				}
				if err != nil {
					return nil, err
				}
				out = append(out, ids...)
				continue
			}
			b, err := env.bindRuleValue(ctx, e, keep)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		}
		return out, nil
	}
	return v, nil
}

// userCompanies are the ids of the current user's companies.
func (env *Env) userCompanies(ctx context.Context) ([]any, error) {
	ids, err := env.Int64s(ctx, "SELECT cid FROM res_company_users_rel WHERE user_id = ?", env.UID)
	if err != nil {
		return nil, err
	}
	list := make([]any, len(ids))
	for j, id := range ids {
		list[j] = id
	}
	return list, nil
}

// allowedCompanies are the companies the call's context allows
// (allowed_company_ids, which Registry.Call checked are the user's), nil
// when it names none.
func (env *Env) allowedCompanies() []int64 {
	v, ok := env.Context["allowed_company_ids"]
	if !ok {
		return nil
	}
	ids, err := IDList(v)
	if err != nil {
		return nil
	}
	return ids
}

// companiesKey names the call's companies as its context gives them
// (allowed_company_ids): their ids, comma-separated, or "-" when it names
// none. It is built by hand, as it is at every call: fmt.Sprint of the
// list was three allocations and a reflection walk.
func (env *Env) companiesKey() string {
	allowed := env.allowedCompanies()
	if len(allowed) == 0 {
		return "-"
	}
	var buf [64]byte
	b := buf[:0]
	for i, id := range allowed {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
}

// namesCallCompanies reports whether a rule of found is bound to the
// call's companies, so that its bound domain depends on the context.
func namesCallCompanies(found []ruleRow) bool {
	for _, r := range found {
		if s, _ := r.dom.(string); strings.Contains(s, "env.company_id") {
			return true
		}
	}
	return false
}

// ruleCompanies are Odoo's company_ids of a rule (env.companies): the
// context's allowed companies, or all the user's when it names none.
func (env *Env) ruleCompanies(ctx context.Context) ([]any, error) {
	allowed := env.allowedCompanies()
	if len(allowed) == 0 {
		return env.userCompanies(ctx)
	}
	list := make([]any, len(allowed))
	for i, id := range allowed {
		list[i] = id
	}
	return list, nil
}

// Company is Odoo's env.company: the first of the context's allowed
// companies (which Registry.Call checked are the user's), or the user's
// current company.
func (env *Env) Company(ctx context.Context) (int64, error) {
	v, err := env.ruleCompany(ctx)
	if err != nil {
		return 0, err
	}
	id, _ := v.(int64)
	return id, nil
}

// ruleCompany is Odoo's company_id of a rule (env.company): the first of
// the context's allowed companies, or the user's current company.
func (env *Env) ruleCompany(ctx context.Context) (any, error) {
	if allowed := env.allowedCompanies(); len(allowed) > 0 {
		return allowed[0], nil
	}
	var id int64
	if _, err := env.Scalar(ctx, &id, ruleValues["user.company_id"], env.UID); err != nil {
		return nil, err
	}
	return id, nil
}
