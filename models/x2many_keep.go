package models

import "context"

// x2manyKeep is the condition on alias t0 of the comodel co that a read of
// the x2many field f keeps its linked records by, besides their link (a
// condition on t0 naming the records linked to those read): the field's
// domain, and the comodel's read rules. Odoo reads an x2many with a search
// of the comodel under the field's domain, which its record rules apply
// to, so ids of records the user may not read never show; the superuser's
// reads skip the rules, as Odoo's do.
func (env *Env) x2manyKeep(ctx context.Context, f *Field, co *Model, link where) (where, error) {
	keep := sqlTrue
	if len(f.Domain) > 0 {
		w, err := env.compileDomain(ctx, co, "t0", f.Domain, false)
		if err != nil {
			return where{}, err
		}
		keep = w
	}
	rw, ok, err := env.ruleWhere(ctx, co, OpRead, RuleScope{m: co, w: link})
	if err != nil || !ok {
		return keep, err
	}
	return and(keep, rw), nil
}
