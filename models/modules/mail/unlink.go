package mail

import (
	"context"

	"github.com/godoo/godoo/models"
)

// dropChatter removes, with the records ids of model, their messages
// (with their tracking values, notifications and outgoing e-mails) and
// their followers, and forgets their tracking, as Odoo's mail.thread
// unlink does: the link goes through model and res_id, which no foreign
// key cascades.
func dropChatter(ctx context.Context, env *models.Env, model string, ids []int64) error {
	for _, id := range ids {
		discardTracking(env, model, id)
	}
	su := env.Sudo()
	in := []any{[]any{"model", "=", model}, []any{"res_id", "in", anyIDs(ids)}}
	msgs, err := su.Search(ctx, env.Registry.Model("mail.message"), in, models.SearchOptions{})
	if err != nil {
		return err
	}
	if len(msgs) > 0 {
		for _, dep := range []string{"mail.tracking.value", "mail.notification", "mail.mail"} {
			if err := dropWhere(ctx, su, dep, []any{[]any{"mail_message_id", "in", anyIDs(msgs)}}); err != nil {
				return err
			}
		}
		if err := su.Unlink(ctx, env.Registry.Model("mail.message"), msgs); err != nil {
			return err
		}
	}
	return dropWhere(ctx, su, "mail.followers", []any{[]any{"res_model", "=", model}, []any{"res_id", "in", anyIDs(ids)}})
}

// dropWhere deletes the records of model that domain finds.
func dropWhere(ctx context.Context, env *models.Env, model string, domain []any) error {
	m := env.Registry.Model(model)
	ids, err := env.Search(ctx, m, domain, models.SearchOptions{})
	if err != nil || len(ids) == 0 {
		return err
	}
	return env.Unlink(ctx, m, ids)
}
