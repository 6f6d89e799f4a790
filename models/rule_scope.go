package models

import (
	"context"
	"errors"
	"maps"
	"slices"
)

// RuleScope is the records of a model a rule is asked about: those a
// search's domain matches (the search applies the rule to nothing else), or
// the ids a check names. A rule whose domain lists records by id (the
// records attachments or messages belong to) lists only those of the
// records in scope (Followed), instead of those of the whole table at every
// call; its domain is then right for the records in scope alone, which are
// all it is applied to.
type RuleScope struct {
	m *Model
	w where // a condition on alias t0 of m's table
}

// idScope is the scope of m's records ids.
func idScope(m *Model, ids []int64) RuleScope {
	return RuleScope{m: m, w: where{sql: "t0.id IN (" + Placeholders(len(ids)) + ")", args: IDArgs(ids)}}
}

// Followed is, for a model whose records belong to records of other
// models (named by the columns modelCol and idCol, fields of the same
// names), the terms of the domain of the records in scope whose record the
// user may touch for op (Env.Permitted): one per model, [modelCol = the
// model, idCol in its ids permitted, extra...]. It reads the records of
// the records in scope that satisfy cond (SQL on alias t0; "" for none).
// A model godoo does not serve gives no term: administrators only. Nor
// does the rule's own model: a record is never reached through a record
// of its own model (a message of a message, an attachment of an
// attachment), as Odoo's checks never do, and asking whether the user may
// touch it would ask the same rule again, without end when a record
// names itself.
func (s RuleScope) Followed(ctx context.Context, env *Env, op Op, modelCol, idCol, cond string, extra ...any) ([][]any, error) {
	byModel, err := s.pairs(ctx, env, modelCol, idCol, cond)
	if err != nil {
		return nil, err
	}
	var terms [][]any
	for _, name := range slices.Sorted(maps.Keys(byModel)) {
		m := env.Registry.Model(name)
		if m == nil || m == s.m || m.Name == s.m.Name {
			continue
		}
		ok, err := env.Permitted(ctx, m, byModel[name], op)
		if err != nil {
			return nil, err
		}
		if len(ok) == 0 {
			continue
		}
		ids := make([]any, len(ok))
		for i, id := range ok {
			ids[i] = id
		}
		terms = append(terms, append([]any{[]any{modelCol, "=", name}, []any{idCol, "in", ids}}, extra...))
	}
	return terms, nil
}

// AnyOf is the domain of the records that match one of terms, each a list
// of leaves that all hold.
func AnyOf(terms [][]any) []any {
	var dom []any
	for i := 1; i < len(terms); i++ {
		dom = append(dom, "|")
	}
	for _, t := range terms {
		for i := 1; i < len(t); i++ {
			dom = append(dom, "&")
		}
		dom = append(dom, t...)
	}
	return dom
}

// Pairs returns, by model, the distinct ids of the column pair modelCol,
// idCol of the records in scope that satisfy cond (SQL on alias t0; ""
// for none): the records they belong to, for a rule that asks more of
// them than access (a message's record, which the user follows).
func (s RuleScope) Pairs(ctx context.Context, env *Env, modelCol, idCol, cond string) (map[string][]int64, error) {
	return s.pairs(ctx, env, modelCol, idCol, cond)
}

// pairs returns, by model, the distinct ids of the column pair modelCol,
// idCol of the records in scope that satisfy cond.
func (s RuleScope) pairs(ctx context.Context, env *Env, modelCol, idCol, cond string) (map[string][]int64, error) {
	if s.m == nil {
		return nil, errors.New("models: a rule scope of no model")
	}
	q := "SELECT DISTINCT t0." + modelCol + ", t0." + idCol + " FROM " + s.m.Table + " t0 WHERE t0." + modelCol + " IS NOT NULL AND t0." +
		idCol + " IS NOT NULL AND t0." + idCol + " <> 0"
	if cond != "" {
		q += " AND " + cond
	}
	q += " AND (" + s.w.sql + ")"
	rows, err := env.Query(ctx, q, s.w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]int64{}
	for rows.Next() {
		var model string
		var id int64
		if err := rows.Scan(&model, &id); err != nil {
			return nil, err
		}
		out[model] = append(out[model], id)
	}
	return out, rows.Err()
}
