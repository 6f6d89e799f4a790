package mail

import (
	"context"
	"sort"

	"github.com/godoo/godoo/models"
)

// messageBehaviour is mail.message's: a message follows the access the
// user has to its record, as Odoo's mail.message._check_access does
// (reduced to what godoo serves): a user reads the messages they wrote,
// those addressed to them, and those of the records they can read; they
// change the messages they wrote and those of records they can change.
// Administrators (Settings) are not restricted.
func messageBehaviour(string) *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{RuleFor: messageRule}}
}

func messageRule(ctx context.Context, env *models.Env, op models.Op) ([]any, error) {
	system, err := env.HasGroup(ctx, "base.group_system")
	if err != nil || system {
		return nil, err
	}
	partner, err := userPartner(ctx, env)
	if err != nil {
		return nil, err
	}
	recordOp := models.OpWrite
	terms := [][]any{{[]any{"author_id", "=", partner}}}
	if op == models.OpRead {
		recordOp = models.OpRead
		terms = append(terms, []any{[]any{"partner_ids", "in", []any{partner}}})
	}
	byModel, err := messageRecords(ctx, env)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(byModel))
	for n := range byModel {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		m := env.Registry.Model(name)
		if m == nil {
			continue // a model godoo does not serve: administrators only
		}
		ok, err := env.Permitted(ctx, m, byModel[name], recordOp)
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
		terms = append(terms, []any{[]any{"model", "=", name}, []any{"res_id", "in", ids}})
	}
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
	return dom, nil
}

// messageRecords are the records messages belong to, by model.
func messageRecords(ctx context.Context, env *models.Env) (map[string][]int64, error) {
	rows, err := env.Query(ctx, "SELECT DISTINCT model, res_id FROM mail_message WHERE model IS NOT NULL AND res_id IS NOT NULL AND res_id <> 0")
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
