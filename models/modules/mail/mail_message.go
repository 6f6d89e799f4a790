package mail

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models"
)

// messageBehaviour is mail.message's: a message follows the access the
// user has to its record, as Odoo's mail.message._check_access does
// (reduced to what godoo serves): a user reads the messages they wrote,
// those addressed to them, and those of the records they can read; they
// change the messages they wrote and those of records they can change;
// they create messages as message_post may post them (messageCreateRule).
// Administrators (Settings) are not restricted. A refusal is worded as
// Odoo's mail.message words it.
func messageBehaviour(string) *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{RuleFor: messageRule, RuleRefusal: messageRefusal}}
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
	if op == models.OpCreate {
		return messageCreateRule(ctx, env, scope, partner)
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

// messageCreateRule is Odoo's check of new messages: a message of no
// record (a private one) or a user_notification may be made by anyone;
// one on a record needs the model's _mail_post_access to it (write
// unless postAccess says otherwise), or the user to follow the record,
// or to answer a message addressed to them. Being its author is not
// enough: it would let anyone write in any record's chatter.
func messageCreateRule(ctx context.Context, env *models.Env, scope models.RuleScope, partner int64) ([]any, error) {
	terms := [][]any{{[]any{"model", "=", false}}, {[]any{"res_id", "=", false}}, {[]any{"res_id", "=", 0}},
		{[]any{"message_type", "=", "user_notification"}}, {[]any{"parent_id.partner_ids", "in", []any{partner}}}}
	// The records of models whose _mail_post_access is not write are
	// checked for theirs, every other for write.
	other := map[models.Op][]string{}
	var all []string
	for _, model := range slices.Sorted(maps.Keys(postAccess)) {
		q := "'" + strings.ReplaceAll(model, "'", "''") + "'"
		other[postAccess[model]] = append(other[postAccess[model]], q)
		all = append(all, q)
	}
	conds := map[models.Op]string{models.OpWrite: ""}
	if len(all) > 0 {
		conds[models.OpWrite] = "t0.model NOT IN (" + strings.Join(all, ", ") + ")"
	}
	for op, list := range other {
		conds[op] = "t0.model IN (" + strings.Join(list, ", ") + ")"
	}
	for _, op := range slices.Sorted(maps.Keys(conds)) {
		permitted, err := scope.Followed(ctx, env, op, "model", "res_id", conds[op])
		if err != nil {
			return nil, err
		}
		terms = append(terms, permitted...)
	}
	records, err := scope.Pairs(ctx, env, "model", "res_id", "")
	if err != nil {
		return nil, err
	}
	for _, model := range slices.Sorted(maps.Keys(records)) {
		ids := records[model]
		mine, err := env.Int64s(ctx, "SELECT res_id FROM mail_followers WHERE res_model = ? AND partner_id = ? AND res_id IN ("+
			models.Placeholders(len(ids))+")", append([]any{model, partner}, models.IDArgs(ids)...)...)
		if err != nil {
			return nil, err
		}
		if len(mine) > 0 {
			terms = append(terms, []any{[]any{"model", "=", model}, []any{"res_id", "in", anyIDs(mine)}})
		}
	}
	return models.AnyOf(terms), nil
}

// messageRefusal is mail.message's AccessError, Odoo's
// _make_access_error of the model: it names the operation, at most six
// of the messages refused and the user.
func messageRefusal(env *models.Env, op models.Op, ids []int64) error {
	shown := make([]string, 0, 6)
	for _, id := range ids[:min(len(ids), 6)] {
		shown = append(shown, strconv.FormatInt(id, 10))
	}
	return &models.Error{Kind: models.KindAccess, Message: fmt.Sprintf("The requested operation cannot be completed due to security restrictions. "+
		"Please contact your system administrator.\n\n(Document type: %s, Operation: %s)\n\nRecords: [%s], User: %d",
		env.Registry.Model("mail.message").Description, op, strings.Join(shown, ", "), env.UID)}
}
