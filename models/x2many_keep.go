package models

import "context"

// x2manyKeep is the condition on alias t0 of the comodel co that a read of
// the x2many field f keeps its linked records by, besides their link (a
// condition on t0 naming the records linked to those read): the field's
// domain, and the comodel's read rules. Odoo reads an x2many with a search
// of the comodel under the field's domain, which its record rules apply
// to, so ids of records the user may not read never show; the superuser's
// reads skip the rules, as Odoo's do. The domain is compiled as a
// search's, with the user's field access, not as a rule's: Odoo reads a
// one2many with a search of the comodel, and a many2many with the
// comodel's _where_calc, both in the reading user's environment, where
// the record rules alone are compiled as the superuser. The registry has
// compiled every field's domain when it was built (Registry.checkDomain),
// so only a user's groups can make it fail here.
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
