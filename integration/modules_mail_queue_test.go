package integration_test

import (
	"context"
	"testing"
)

// TestMailQueue: the outgoing e-mails of notifications follow Odoo's
// life: cancel and mark_outgoing change their state and keep them; one a
// gateway marks sent has its notifications delivered and is deleted
// (auto_delete), its message kept. E-mails with auto_delete nobody sent
// within the retention period are deleted, at the next notification,
// with their notifications cancelled; the parameter's 0 keeps them.
func TestMailQueue(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		c := xmlCaller{e.srv.URL}
		r := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Queued Co"}}, nil)
		q := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Reader", "email": "r@example.com"}}, nil)
		post := func() (msg, mail any) {
			t.Helper()
			msg = e.mustKw(t, c, "res.partner", "message_post", []any{[]any{r}},
				map[string]any{"body": "News", "message_type": "comment", "subtype_xmlid": "mail.mt_comment", "partner_ids": []any{q}})
			mails := e.mustKw(t, c, "mail.mail", "search", []any{[]any{[]any{"mail_message_id", "=", msg}}}, nil).([]any)
			if len(mails) != 1 {
				t.Fatalf("mail.mail of message %v: %v", msg, mails)
			}
			return msg, mails[0]
		}
		stateOf := func(mail any) any {
			t.Helper()
			got := e.mustKw(t, c, "mail.mail", "search_read", []any{[]any{[]any{"id", "=", mail}}}, map[string]any{"fields": []any{"state"}}).([]any)
			if len(got) == 0 {
				return nil
			}
			return got[0].(map[string]any)["state"]
		}
		statusOf := func(msg any) any {
			t.Helper()
			got := e.mustKw(t, c, "mail.notification", "search_read", []any{[]any{[]any{"mail_message_id", "=", msg}, []any{"res_partner_id", "=", q}}},
				map[string]any{"fields": []any{"notification_status"}}).([]any)
			if len(got) != 1 {
				t.Fatalf("notifications of %v: %v", msg, got)
			}
			return got[0].(map[string]any)["notification_status"]
		}

		msg, mail := post()
		if got := e.mustKw(t, c, "mail.mail", "cancel", []any{[]any{mail}}, nil); got != true || stateOf(mail) != "cancel" {
			t.Errorf("cancel answered %v, state %v", got, stateOf(mail))
		}
		if got := e.mustKw(t, c, "mail.mail", "mark_outgoing", []any{[]any{mail}}, nil); got != true || stateOf(mail) != "outgoing" {
			t.Errorf("mark_outgoing answered %v, state %v", got, stateOf(mail))
		}
		e.mustKw(t, c, "mail.mail", "write", []any{[]any{mail}, map[string]any{"state": "sent"}}, nil)
		if s := stateOf(mail); s != nil {
			t.Errorf("a sent e-mail with auto_delete is kept, in state %v", s)
		}
		if s := statusOf(msg); s != "sent" {
			t.Errorf("notification of a sent e-mail: %v, want sent", s)
		}
		if n := e.count(t, "mail.message", []any{[]any{"id", "=", msg}}); n != 1 {
			t.Errorf("the message of a sent notification was deleted")
		}

		pool, err := e.store.Open(ctx, e.db)
		if err != nil {
			t.Fatal(err)
		}
		age := func(mail any) {
			t.Helper()
			if _, err := pool.ExecContext(ctx, "UPDATE mail_mail SET create_date = ? WHERE id = ?", "2000-01-01 00:00:00", mail); err != nil {
				t.Fatal(err)
			}
		}
		staleMsg, stale := post()
		kept, _ := post()
		keptMail := e.mustKw(t, c, "mail.mail", "search", []any{[]any{[]any{"mail_message_id", "=", kept}}}, nil).([]any)[0]
		e.mustKw(t, c, "mail.mail", "write", []any{[]any{keptMail}, map[string]any{"auto_delete": false}}, nil)
		age(stale)
		age(keptMail)
		param := e.mustKw(t, c, "ir.config_parameter", "create", []any{map[string]any{"key": "mail.mail.unsent_retention_days", "value": "0"}}, nil)
		post()
		if stateOf(stale) != "outgoing" {
			t.Errorf("a retention of 0 days deleted an unsent e-mail")
		}
		e.mustKw(t, c, "ir.config_parameter", "write", []any{[]any{param}, map[string]any{"value": "30"}}, nil)
		_, fresh := post()
		if s := stateOf(stale); s != nil {
			t.Errorf("an e-mail unsent for longer than the retention is kept, in state %v", s)
		}
		if s := statusOf(staleMsg); s != "canceled" {
			t.Errorf("notification of a deleted unsent e-mail: %v, want canceled", s)
		}
		if stateOf(keptMail) != "outgoing" || stateOf(fresh) != "outgoing" {
			t.Errorf("an e-mail without auto_delete or a recent one was deleted")
		}
	})
}
