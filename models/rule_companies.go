package models

import (
	"context"
	"slices"
)

// companyModel is the model of the companies, whose every committed
// change moves the access cache's generation (it is AuthCached), so that
// what a rule reads of it may be kept with the rule's bound domain.
const companyModel = "res.company"

// companyHierarchy returns term, a bound rule term on m, with a child_of
// or parent_of over the companies replaced by the companies it names:
// (company_id, parent_of, ids) becomes (company_id, in, the companies of
// ids and their ancestors). Odoo's multi-company rules say parent_of;
// compiled as such, every call sent the database a recursive query to
// plan and run, while the companies are few and change rarely, and a
// change to them moves the generation of the cache that keeps the bound
// domain. Other terms, and values other than a list of ids, are kept as
// they are.
func (env *Env) companyHierarchy(ctx context.Context, m *Model, term []any) ([]any, error) {
	op, _ := term[1].(string)
	name, _ := term[0].(string)
	if op != "child_of" && op != "parent_of" || m == nil || env.Registry == nil {
		return term, nil
	}
	f := m.Fields[name]
	if f == nil || f.Type != Many2one || f.Relation != companyModel || m.Name == companyModel {
		return term, nil
	}
	co := env.Registry.Model(companyModel)
	ids, err := IDList(term[2])
	if co == nil || err != nil || len(ids) == 0 {
		return term, nil
	}
	c := &domainCompiler{env: env, queryCtx: ctx}
	w, err := c.hierarchy(co, "t0", co.Fields["id"], op, IDArgs(ids), term)
	if err != nil {
		return nil, err
	}
	found, err := env.Int64s(ctx, "SELECT t0.id FROM "+co.Table+" t0 WHERE "+w.sql, w.args...)
	if err != nil {
		return nil, err
	}
	slices.Sort(found)
	list := make([]any, len(found))
	for i, id := range found {
		list[i] = id
	}
	return []any{name, "in", list}, nil
}
