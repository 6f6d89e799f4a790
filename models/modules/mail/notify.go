package mail

import (
	"context"
	"slices"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// notify delivers the message msg, posted on model's record id, as
// Odoo's _notify_thread: to the partners it names and to the record's
// followers of its subtype (only internal ones when the subtype is
// internal), its author aside unless the context's mail_notify_author
// asks. A recipient whose user handles notifications in Odoo gets an
// inbox notification; any other gets one by e-mail, and the e-mail is a
// mail.mail of the message to them all, with Odoo's layout left out (its
// body is the message's, sanitised as stored).
//
// godoo sends no e-mail: the mail.mail stays in state outgoing with its
// notifications ready, as Odoo's transaction leaves it before the
// sending Odoo tries once the call is committed (which, with no mail
// server, fails and turns both to exception) and as Odoo's mail queue
// holds what it has not sent yet. A mail gateway can send them from there
// (and mark them sent, which deletes them); those nobody sends are
// deleted after a while (vacuumUnsent).
func notify(ctx context.Context, env *models.Env, msg int64, model string, id int64, v postValues, subtype, author int64) error {
	su := env.Sudo()
	recipients, err := recipientsOf(ctx, su, model, id, v.partnerIDs, subtype)
	if err != nil {
		return err
	}
	if !py.Truthy(env.Context["mail_notify_author"]) {
		recipients = slices.DeleteFunc(recipients, func(p int64) bool { return p == author })
	}
	if len(recipients) == 0 {
		return nil
	}
	inbox, err := su.Int64s(ctx, "SELECT DISTINCT partner_id FROM res_users WHERE active = ? AND share = ? AND notification_type = ? AND partner_id IN ("+
		models.Placeholders(len(recipients))+")", append([]any{true, false, "inbox"}, models.IDArgs(recipients)...)...)
	if err != nil {
		return err
	}
	notifications := env.Registry.Model("mail.notification")
	var byEmail []int64
	for _, p := range recipients {
		if !slices.Contains(inbox, p) {
			byEmail = append(byEmail, p)
			continue
		}
		if _, err := su.Create(ctx, notifications, map[string]any{"mail_message_id": msg, "res_partner_id": p, "author_id": author,
			"notification_type": "inbox", "notification_status": "sent"}); err != nil {
			return err
		}
	}
	if len(byEmail) == 0 {
		return nil
	}
	// The e-mail's body is the message's as stored, sanitised: the
	// caller's body, when body_is_html, may hold what sanitising removes,
	// and mail.mail's body_html, a text field, keeps whatever it is given.
	var body string
	if _, err := su.Scalar(ctx, &body, "SELECT COALESCE(body, '') FROM mail_message WHERE id = ?", msg); err != nil {
		return err
	}
	if err := vacuumUnsent(ctx, su); err != nil {
		return err
	}
	mail, err := su.Create(ctx, env.Registry.Model("mail.mail"), map[string]any{"mail_message_id": msg, "body_html": body,
		"state": "outgoing", "is_notification": true, "auto_delete": true,
		"recipient_ids": []any{[]any{int64(6), int64(0), byEmail}}})
	if err != nil {
		return err
	}
	for _, p := range byEmail {
		if _, err := su.Create(ctx, notifications, map[string]any{"mail_message_id": msg, "res_partner_id": p, "author_id": author,
			"mail_mail_id": mail, "notification_type": "email", "notification_status": "ready", "is_read": true}); err != nil {
			return err
		}
	}
	return nil
}

// recipientsOf are the partners a message of subtype posted on model's
// record id reaches: those it names, then the record's followers of the
// subtype, internal ones only when the subtype is internal; active
// partners only, each once, in that order.
func recipientsOf(ctx context.Context, env *models.Env, model string, id int64, named []int64, subtype int64) ([]int64, error) {
	var internal bool
	if _, err := env.Scalar(ctx, &internal, "SELECT COALESCE(internal, ?) FROM mail_message_subtype WHERE id = ?", false, subtype); err != nil {
		return nil, err
	}
	q := "SELECT f.partner_id FROM mail_followers f JOIN mail_followers_mail_message_subtype_rel r ON r.mail_followers_id = f.id " +
		"JOIN res_partner p ON p.id = f.partner_id WHERE f.res_model = ? AND f.res_id = ? AND r.mail_message_subtype_id = ?"
	if internal {
		q += " AND p.partner_share = ?"
	}
	q += " ORDER BY f.id"
	args := []any{model, id, subtype}
	if internal {
		args = append(args, false)
	}
	followers, err := env.Int64s(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	all := append(slices.Clone(named), followers...)
	if len(all) == 0 {
		return nil, nil
	}
	active, err := env.Int64s(ctx, "SELECT id FROM res_partner WHERE active = ? AND id IN ("+models.Placeholders(len(all))+")",
		append([]any{true}, models.IDArgs(all)...)...)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, p := range all {
		if slices.Contains(active, p) && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}
