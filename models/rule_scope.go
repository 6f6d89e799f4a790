package models

import (
	"context"
	"errors"
)

// RuleScope is the records of a model a rule is asked about: those a
// search's domain matches (the search applies the rule to nothing else), or
// the ids a check names. A rule whose domain lists records by id (the
// records attachments or messages belong to) lists only those of the
// records in scope (Pairs), instead of those of the whole table at every
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

// Pairs returns, by model, the distinct ids of the column pair modelCol,
// idCol of the records in scope that satisfy cond (SQL on alias t0 with
// args; "" for none): the records those records belong to.
func (s RuleScope) Pairs(ctx context.Context, env *Env, modelCol, idCol, cond string, args ...any) (map[string][]int64, error) {
	if s.m == nil {
		return nil, errors.New("models: a rule scope of no model")
	}
	q := "SELECT DISTINCT t0." + modelCol + ", t0." + idCol + " FROM " + s.m.Table + " t0 WHERE t0." + modelCol + " IS NOT NULL AND t0." +
		idCol + " IS NOT NULL AND t0." + idCol + " <> 0"
	if cond != "" {
		q += " AND " + cond
	}
	q += " AND (" + s.w.sql + ")"
	args = append(append([]any{}, args...), s.w.args...)
	rows, err := env.Query(ctx, q, args...)
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
