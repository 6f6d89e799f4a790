package models

import "context"

// Permitted returns those of ids that exist and that the user may access
// for op: the model's access rights, then its record rules. It answers for
// access that follows another record's, as an attachment's follows the
// record it belongs to, without raising.
func (env *Env) Permitted(ctx context.Context, m *Model, ids []int64, op Op) ([]int64, error) {
	ok, err := env.HasAccess(ctx, m, op)
	if err != nil || !ok {
		return nil, err
	}
	existing, err := env.Exists(ctx, m, ids)
	if err != nil || len(existing) == 0 {
		return existing, err
	}
	rw, ok, err := env.ruleWhere(ctx, m, op, idScope(m, existing))
	if err != nil || !ok {
		return existing, err
	}
	return env.passRule(ctx, m, existing, rw)
}

// HumanSize formats a byte count as Odoo's tools.human_size ("12.34 Kb"),
// which binary fields answer when the context asks for bin_size.
func HumanSize(n int64) string { return humanSize(int(n)) }

// CheckRecords is Odoo's check_access(operation) on records: the
// model's access rights for op, then its record rules on the records of
// ids that exist, each refusal with Odoo's AccessError.
func (env *Env) CheckRecords(ctx context.Context, m *Model, ids []int64, op Op) error {
	if err := env.CheckAccess(ctx, m, op); err != nil {
		return err
	}
	return env.checkRule(ctx, m, ids, op)
}
