package mail

import (
	"context"
	"strconv"

	"github.com/godoo/godoo/models"
)

// retentionParam is the system parameter that says how many days an
// outgoing e-mail nobody sent is kept (30 when unset; 0 or less keeps
// them all). Odoo has none: without a mail server its queue fails every
// e-mail and keeps it, in state exception, for ever.
const retentionParam = "mail.mail.unsent_retention_days"

// vacuumBatch is how many stale e-mails one notification deletes at
// most: each call's cleanup costs a bounded time, and as each new
// e-mail deletes up to that many older ones, the queue holds no more
// than the e-mails of the retention period.
const vacuumBatch = 100

// vacuumIndex is the index of mail.mail that serves the condition of
// vacuumUnsent, which each notification runs.
var vacuumIndex = models.Index{Name: "mail_mail_vacuum_index", Columns: []string{"auto_delete", "state", "create_date"}}

// Indexes are the indexes the module gives its models beyond those of
// their declarations, by model.
func Indexes() map[string][]models.Index {
	return map[string][]models.Index{"mail.mail": {vacuumIndex}}
}

// mailBehaviour is mail.mail's, the outgoing e-mails: what Odoo does
// once an e-mail is sent (its notifications delivered, the e-mail deleted
// when auto_delete says so, the message kept), which here happens when a
// mail gateway marks it sent, and Odoo's cancel and mark_outgoing.
func mailBehaviour(string) *models.Behaviour {
	setState := func(state string) func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) {
		return func(ctx context.Context, env *models.Env, m *models.Model, ids []int64, _ models.Args) (any, error) {
			return true, env.Write(ctx, m, ids, map[string]any{"state": state})
		}
	}
	return &models.Behaviour{
		Hooks: models.Hooks{AfterWrite: func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
			if vals["state"] != "sent" {
				return nil
			}
			return postprocessSent(ctx, env, ids)
		}},
		Methods: []*models.Method{
			{Name: "cancel", Record: true, Op: models.OpWrite, Class: "MailMail", Fn: setState("cancel")},
			{Name: "mark_outgoing", Record: true, Op: models.OpWrite, Class: "MailMail", Fn: setState("outgoing")},
		},
	}
}

// postprocessSent is Odoo's _postprocess_sent_message for e-mails ids,
// sent: their e-mail notifications are delivered, and those with
// auto_delete are deleted (a notification's message stays).
func postprocessSent(ctx context.Context, env *models.Env, ids []int64) error {
	su := env.Sudo()
	notifs, err := su.Search(ctx, env.Registry.Model("mail.notification"), []any{[]any{"mail_mail_id", "in", anyIDs(ids)},
		[]any{"notification_type", "=", "email"}, []any{"notification_status", "not in", []any{"sent", "canceled"}}}, models.SearchOptions{})
	if err != nil {
		return err
	}
	if len(notifs) > 0 {
		if err := su.Write(ctx, env.Registry.Model("mail.notification"), notifs,
			map[string]any{"notification_status": "sent", "failure_type": false, "failure_reason": false}); err != nil {
			return err
		}
	}
	return dropWhere(ctx, su, "mail.mail", []any{[]any{"id", "in", anyIDs(ids)}, []any{"auto_delete", "=", true}})
}

// vacuumUnsent deletes the oldest e-mails with auto_delete that nobody
// sent within the retention period (retentionParam), at most
// vacuumBatch of them, and cancels their notifications: outgoing mail
// that no gateway sends must not grow without bound.
func vacuumUnsent(ctx context.Context, env *models.Env) error {
	days := 30
	var param string
	if found, err := env.Scalar(ctx, &param, "SELECT value FROM ir_config_parameter WHERE key = ?", retentionParam); err != nil {
		return err
	} else if found {
		if n, err := strconv.Atoi(param); err == nil {
			days = n
		}
	}
	if days <= 0 {
		return nil
	}
	cutoff := env.Now.AddDate(0, 0, -days).Format(models.DatetimeLayout)
	mails := env.Registry.Model("mail.mail")
	// Calls that post at once each take other e-mails on PostgreSQL,
	// rather than wait for those another one's transaction is deleting
	// (SQLite has one writer at a time). The index vacuumIndex serves the
	// condition.
	lock := ""
	if env.Dialect == "pg" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	stale, err := env.Int64s(ctx, "SELECT id FROM mail_mail WHERE auto_delete = ? AND state IN (?, ?, ?) AND create_date < ? ORDER BY id LIMIT ?"+lock,
		true, "outgoing", "exception", "cancel", cutoff, vacuumBatch)
	if err != nil || len(stale) == 0 {
		return err
	}
	notifs, err := env.Search(ctx, env.Registry.Model("mail.notification"), []any{[]any{"mail_mail_id", "in", anyIDs(stale)},
		[]any{"notification_status", "in", []any{"ready", "process", "pending"}}}, models.SearchOptions{})
	if err != nil {
		return err
	}
	if len(notifs) > 0 {
		if err := env.Write(ctx, env.Registry.Model("mail.notification"), notifs, map[string]any{"notification_status": "canceled"}); err != nil {
			return err
		}
	}
	return env.Unlink(ctx, mails, stale)
}
