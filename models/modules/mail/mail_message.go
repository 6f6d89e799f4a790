package mail

import (
	"context"

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

// messageRule reads the records of the messages in scope alone: a search
// or a check of a thread's messages costs what they are, not the table.
func messageRule(ctx context.Context, env *models.Env, op models.Op, scope models.RuleScope) ([]any, error) {
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
	followed, err := scope.Followed(ctx, env, recordOp, "model", "res_id", "")
	if err != nil {
		return nil, err
	}
	return models.AnyOf(append(terms, followed...)), nil
}
