package mail

import (
	"context"
	"html"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// threadBehaviour is mail.thread's, laid over model, which inherits it.
func threadBehaviour(model string) *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{
			AfterCreate: func(ctx context.Context, env *models.Env, id int64, _ map[string]any) error {
				discardTracking(env, model, id)
				return logCreation(ctx, env, model, id)
			},
			BeforeWrite: func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
				// Only the tracked fields the write can change are read:
				// those it names and those computed from them. An order's
				// amounts, which its lines change, are kept by the lines'
				// hooks (_track_prepare).
				return prepareTracking(ctx, env, model, ids, append([]string{}, slices.Collect(maps.Keys(vals))...))
			},
			BeforeUnlink: func(ctx context.Context, env *models.Env, ids []int64) error {
				return dropChatter(ctx, env, model, ids)
			},
		},
		Methods: []*models.Method{
			// message_post checks the access of the message it creates
			// (messageCreateRule), not write access to the record.
			{Name: "message_post", Record: true, Class: "MailThread",
				Params: []string{"body", "subject", "message_type", "email_from", "author_id", "parent_id",
					"subtype_xmlid", "subtype_id", "partner_ids", "attachment_ids", "body_is_html"},
				Fn: messagePost},
			{Name: "message_subscribe", Record: true, Class: "MailThread", Params: []string{"partner_ids", "subtype_ids"}, Fn: messageSubscribe},
			{Name: "message_unsubscribe", Record: true, Class: "MailThread", Params: []string{"partner_ids"}, Fn: messageUnsubscribe},
			{Name: "_track_prepare", Record: true, Op: models.OpRead, Class: "MailThread", Params: []string{"fields"}, Fn: trackPrepare},
		},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
			"message_partner_ids": func(ctx context.Context, env *models.Env, recs []models.Record) error {
				return followerPartners(ctx, env, model, recs)
			},
			"message_attachment_count": func(ctx context.Context, env *models.Env, recs []models.Record) error {
				return attachmentCount(ctx, env, model, recs)
			},
		},
	}
}

// logCreation posts the creation message of a new record ("Contact
// created") as its creator, and makes the creator's partner a follower,
// as Odoo's mail.thread create does unless the context's
// tracking_disable, mail_create_nolog or mail_create_nosubscribe says not
// to.
func logCreation(ctx context.Context, env *models.Env, model string, id int64) error {
	if py.Truthy(env.Context["tracking_disable"]) {
		return nil
	}
	author, err := userPartner(ctx, env)
	if err != nil {
		return err
	}
	if !py.Truthy(env.Context["mail_create_nosubscribe"]) && author != 0 {
		if err := insertFollowers(ctx, env, model, []int64{id}, []int64{author}, nil, false); err != nil {
			return err
		}
	}
	if py.Truthy(env.Context["mail_create_nolog"]) {
		return nil
	}
	desc := env.Registry.Model(model).Description
	recs, err := env.Sudo().SearchRead(ctx, env.Registry.Model("ir.model"), []any{[]any{"model", "=", model}},
		models.SearchOptions{Limit: 1}, []string{"name"}, false)
	if err != nil {
		return err
	}
	if len(recs) == 1 {
		if n, ok := recs[0]["name"].(string); ok && n != "" {
			desc = n
		}
	}
	_, err = post(ctx, env, model, id, postValues{body: "<p>" + html.EscapeString(desc) + " created</p>",
		messageType: "notification", subtypeXMLID: "mail.mt_note"})
	return err
}

// postValues are what a message is posted with.
type postValues struct {
	body, subject, messageType, subtypeXMLID string
	subtypeID, authorID, parentID            int64
	emailFrom                                any
	partnerIDs, attachmentIDs                []int64
	// trackingValues are the message's mail.tracking.value rows, as
	// one2many commands.
	trackingValues []any
	// notify posts the message to its recipients (Odoo's message_post);
	// without, it is logged only (_message_log).
	notify bool
}

// messagePost is mail.thread's message_post on one record: a body that is
// text (as every body a client sends is: only Python code holds Markup)
// is escaped as Odoo's plaintext2html does, unless body_is_html. It
// answers the new message's id.
func messagePost(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
	if len(ids) != 1 {
		return nil, models.ServerErrorf("builtins.ValueError", "Expected singleton: %s", models.RecordRepr(m.Name, ids))
	}
	if m.Abstract {
		return nil, models.ServerErrorf("builtins.ValueError",
			"Posting a message should be done on a business document. Use message_notify to send a notification to an user.")
	}
	if err := env.CheckExist(ctx, m, ids); err != nil {
		return nil, err
	}
	v := postValues{messageType: "notification", notify: true}
	body, _ := a["body"].(string)
	if py.Truthy(a["body_is_html"]) {
		v.body = body
	} else if body != "" {
		v.body = plaintext2html(body)
	}
	if s, ok := a["subject"].(string); ok {
		v.subject = s
	}
	if s, ok := a["message_type"].(string); ok && s != "" {
		v.messageType = s
	}
	if s, ok := a["subtype_xmlid"].(string); ok {
		v.subtypeXMLID = s
	}
	v.subtypeID, _ = a["subtype_id"].(int64)
	v.authorID, _ = a["author_id"].(int64)
	v.parentID, _ = a["parent_id"].(int64)
	if a.Has("email_from") && py.Truthy(a["email_from"]) {
		v.emailFrom = a["email_from"]
	}
	var err error
	if v.partnerIDs, err = idList(a["partner_ids"]); err != nil {
		return nil, err
	}
	if v.attachmentIDs, err = idList(a["attachment_ids"]); err != nil {
		return nil, err
	}
	if v.messageType == "user_notification" {
		return nil, models.UserErrorf("Use message_notify to send a notification to an user.")
	}
	if err := env.CheckAccess(ctx, env.Registry.Model("mail.message"), models.OpCreate); err != nil {
		return nil, err
	}
	msg, err := post(ctx, env, m.Name, ids[0], v)
	if err != nil {
		return nil, err
	}
	// The message was made as the superuser: the caller's right to make
	// it is checked now, as Odoo's create checks it once the message is
	// made (the refusal rolls it back).
	if err := env.CheckRecords(ctx, env.Registry.Model("mail.message"), []int64{msg}, models.OpCreate); err != nil {
		return nil, err
	}
	if err := followPost(ctx, env, m.Name, ids[0], v); err != nil {
		return nil, err
	}
	return msg, nil
}

// followPost makes the caller follow the record they wrote a message on
// (unless the message is a notification or the context says
// mail_create_nosubscribe), so that they get the answers, and the
// partners it names when the context says mail_post_autofollow, as
// Odoo's message_post.
func followPost(ctx context.Context, env *models.Env, model string, id int64, v postValues) error {
	if py.Truthy(env.Context["mail_post_autofollow"]) && len(v.partnerIDs) > 0 {
		if err := insertFollowers(ctx, env, model, []int64{id}, v.partnerIDs, nil, true); err != nil {
			return err
		}
	}
	switch v.messageType {
	case "notification", "user_notification", "auto_comment":
		return nil
	}
	if py.Truthy(env.Context["mail_create_nosubscribe"]) {
		return nil
	}
	var active bool
	if _, err := env.Scalar(ctx, &active, "SELECT active FROM res_users WHERE id = ?", env.UID); err != nil || !active {
		return err
	}
	me, err := userPartner(ctx, env)
	if err != nil || me == 0 {
		return err
	}
	return insertFollowers(ctx, env, model, []int64{id}, []int64{me}, nil, true)
}

func idList(v any) ([]int64, error) {
	if !py.Truthy(v) {
		return nil, nil
	}
	return models.IDList(v)
}

// post creates the message of model's record id, as the superuser (the
// caller's right to post was checked), authored by the caller's partner
// unless v names another author.
func post(ctx context.Context, env *models.Env, model string, id int64, v postValues) (int64, error) {
	su := env.Sudo()
	subtype := v.subtypeID
	if subtype == 0 {
		xmlid := v.subtypeXMLID
		if xmlid == "" {
			xmlid = "mail.mt_note"
		}
		var err error
		if subtype, err = env.XMLID(ctx, xmlid); err != nil {
			return 0, err
		}
	}
	author := v.authorID
	if author == 0 {
		var err error
		if author, err = userPartner(ctx, env); err != nil {
			return 0, err
		}
	}
	vals := map[string]any{"model": model, "res_id": id, "body": v.body, "message_type": v.messageType,
		"subtype_id": subtype, "date": env.NowText()}
	if author != 0 {
		vals["author_id"] = author
	}
	if v.subject != "" {
		vals["subject"] = v.subject
	}
	if v.parentID != 0 {
		vals["parent_id"] = v.parentID
	}
	from := v.emailFrom
	if from == nil && author != 0 {
		if addr, err := partnerAddress(ctx, su, author); err != nil {
			return 0, err
		} else if addr != "" {
			from = addr
		}
	}
	if from != nil {
		vals["email_from"] = from
		vals["reply_to"] = from
	}
	names, err := su.DisplayNames(ctx, env.Registry.Model(model), []int64{id})
	if err != nil {
		return 0, err
	}
	if n, ok := names[id].(string); ok {
		vals["record_name"] = n
	}
	if len(v.partnerIDs) > 0 {
		vals["partner_ids"] = []any{[]any{int64(6), int64(0), v.partnerIDs}}
	}
	if len(v.attachmentIDs) > 0 {
		vals["attachment_ids"] = []any{[]any{int64(6), int64(0), v.attachmentIDs}}
	}
	if len(v.trackingValues) > 0 {
		vals["tracking_value_ids"] = v.trackingValues
	}
	msg, err := su.Create(ctx, env.Registry.Model("mail.message"), vals)
	if err != nil {
		return 0, err
	}
	if v.notify {
		if err := notify(ctx, env, msg, model, id, v, subtype, author); err != nil {
			return 0, err
		}
	}
	if len(v.attachmentIDs) > 0 {
		// The attachments posted move to the record, as Odoo's
		// _process_attachments_for_post does for the caller's own.
		if err := su.Write(ctx, env.Registry.Model("ir.attachment"), v.attachmentIDs,
			map[string]any{"res_model": model, "res_id": id}); err != nil {
			return 0, err
		}
	}
	return msg, nil
}

// userPartner is the caller's partner, 0 when the caller has none.
func userPartner(ctx context.Context, env *models.Env) (int64, error) {
	var id int64
	if _, err := env.Scalar(ctx, &id, "SELECT partner_id FROM res_users WHERE id = ?", env.UID); err != nil {
		return 0, err
	}
	return id, nil
}

// partnerAddress is a partner's address as Odoo's formataddr writes it:
// "Name" <email>, empty when the partner has no email.
func partnerAddress(ctx context.Context, env *models.Env, partner int64) (string, error) {
	recs, err := env.Read(ctx, env.Registry.Model("res.partner"), []int64{partner}, []string{"name", "email"}, false)
	if err != nil || len(recs) == 0 {
		return "", err
	}
	email, _ := recs[0]["email"].(string)
	if email == "" {
		return "", nil
	}
	name, _ := recs[0]["name"].(string)
	if name == "" {
		return email, nil
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `" <` + email + `>`, nil
}

// followerPartners computes message_partner_ids: the partners following
// each record.
func followerPartners(ctx context.Context, env *models.Env, model string, recs []models.Record) error {
	ids := recordIDs(recs)
	links, err := env.Pairs(ctx, "SELECT res_id, partner_id FROM mail_followers WHERE res_model = ? AND partner_id IS NOT NULL AND res_id IN ("+
		models.Placeholders(len(ids))+") ORDER BY id", append([]any{model}, ids...)...)
	if err != nil {
		return err
	}
	for _, r := range recs {
		l := links[r["id"].(int64)]
		if l == nil {
			l = []int64{}
		}
		r["message_partner_ids"] = l
	}
	return nil
}

// attachmentCount computes message_attachment_count: the attachments of
// each record (not those of its binary fields).
func attachmentCount(ctx context.Context, env *models.Env, model string, recs []models.Record) error {
	ids := recordIDs(recs)
	links, err := env.Pairs(ctx, "SELECT res_id, id FROM ir_attachment WHERE res_model = ? AND res_field IS NULL AND res_id IN ("+
		models.Placeholders(len(ids))+")", append([]any{model}, ids...)...)
	if err != nil {
		return err
	}
	for _, r := range recs {
		r["message_attachment_count"] = int64(len(links[r["id"].(int64)]))
	}
	return nil
}

func recordIDs(recs []models.Record) []any {
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = r["id"]
	}
	return out
}

var brRuns = regexp.MustCompile(`((<\s*[bB][rR]\s*/?>\s*){2,})`)

// plaintext2html is Odoo's plaintext2html without its link detection:
// the text escaped (as markupsafe escapes), line breaks as <br/>, and
// paragraphs where two or more breaks follow each other, in <p>.
func plaintext2html(text string) string {
	text = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(text)
	text = strings.NewReplacer("\n", "<br/>", "\r", "<br/>").Replace(text)
	var b strings.Builder
	b.WriteString("<p>")
	last := 0
	for _, m := range brRuns.FindAllStringIndex(text, -1) {
		b.WriteString(text[last:m[0]])
		b.WriteString("</p><p>")
		last = m[1]
	}
	b.WriteString(text[last:])
	b.WriteString("</p>")
	return b.String()
}
