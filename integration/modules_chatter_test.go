package integration_test

import (
	"fmt"
	"strings"
	"testing"
)

// chatterOf reads the messages of model's record id, oldest first.
func chatterOf(t *testing.T, e *env, c caller, model string, id any) []map[string]any {
	t.Helper()
	got := e.mustKw(t, c, "mail.message", "search_read", []any{[]any{[]any{"model", "=", model}, []any{"res_id", "=", id}}},
		map[string]any{"fields": []any{"message_type", "subtype_id", "body", "tracking_value_ids", "author_id"}, "order": "id"}).([]any)
	out := make([]map[string]any, len(got))
	for i, m := range got {
		out[i] = m.(map[string]any)
	}
	return out
}

// trackedValues reads the tracking values ids by the name of their
// field: old and new values of the columns the field's type uses.
func trackedValues(t *testing.T, e *env, c caller, ids any) map[string]map[string]any {
	t.Helper()
	vals := e.mustKw(t, c, "mail.tracking.value", "read", []any{ids, []any{"field_id", "old_value_char", "new_value_char",
		"old_value_float", "new_value_float", "currency_id"}}, nil).([]any)
	out := map[string]map[string]any{}
	for _, v := range vals {
		v := v.(map[string]any)
		field := v["field_id"].([]any)[0]
		name := e.mustKw(t, c, "ir.model.fields", "read", []any{[]any{field}, []any{"name"}}, nil).([]any)[0].(map[string]any)["name"].(string)
		out[name] = v
	}
	return out
}

// TestMailTracking: a change of a tracked field is logged in the chatter
// at the end of the call, one message per record with a tracking value
// per field changed (an order's amounts when its lines change, a
// partner's email), posted with sale's subtype when the order is
// confirmed; the call that creates the record, untracked fields and the
// context's tracking_disable log nothing.
func TestMailTracking(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		// JSON-RPC: the XML-RPC client reads an empty string as nil.
		c := jsonCaller{e.srv.URL}
		p := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Track Co", "email": "a@example.com"}}, nil)
		tmpl := e.mustKw(t, c, "product.template", "create", []any{map[string]any{"name": "Tracked Widget", "list_price": 10.0}}, nil)
		prod := e.mustKw(t, c, "product.product", "search", []any{[]any{[]any{"product_tmpl_id", "=", tmpl}}}, nil).([]any)[0]
		so := e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": p, "order_line": []any{[]any{int64(0), int64(0),
			map[string]any{"product_id": prod, "product_uom_qty": 2.0, "price_unit": 10.0, "tax_id": []any{[]any{int64(6), int64(0), []any{}}}}}}}}, nil)
		if msgs := chatterOf(t, e, c, "sale.order", so); len(msgs) != 1 || len(msgs[0]["tracking_value_ids"].([]any)) != 0 {
			t.Fatalf("after create: %v, want the creation message alone", msgs)
		}

		line := e.mustKw(t, c, "sale.order.line", "search", []any{[]any{[]any{"order_id", "=", so}}}, nil).([]any)[0]
		e.mustKw(t, c, "sale.order.line", "write", []any{[]any{line}, map[string]any{"discount": 50.0}}, nil)
		e.mustKw(t, c, "sale.order", "write", []any{[]any{so}, map[string]any{"note": "<p>untracked</p>"}}, nil)
		msgs := chatterOf(t, e, c, "sale.order", so)
		if len(msgs) != 2 {
			t.Fatalf("after the line's discount and the note: %d messages, want 2: %v", len(msgs), msgs)
		}
		amounts := msgs[1]
		if amounts["message_type"] != "notification" || amounts["subtype_id"].([]any)[1] != "Note" || amounts["body"] != "" {
			t.Errorf("amounts message: %v", amounts)
		}
		vals := trackedValues(t, e, c, amounts["tracking_value_ids"])
		for _, f := range []string{"amount_total", "amount_untaxed"} {
			v := vals[f]
			if v == nil || v["old_value_float"] != 20.0 || v["new_value_float"] != 10.0 || v["currency_id"] == false {
				t.Errorf("tracking of %s: %v", f, v)
			}
		}
		if len(vals) != 2 {
			t.Errorf("tracking values %v, want the two amounts", vals)
		}

		e.mustKw(t, c, "sale.order", "action_confirm", []any{[]any{so}}, nil)
		msgs = chatterOf(t, e, c, "sale.order", so)
		if len(msgs) != 3 {
			t.Fatalf("after action_confirm: %d messages", len(msgs))
		}
		confirmed := msgs[2]
		if confirmed["subtype_id"].([]any)[1] != "Sales Order Confirmed" || confirmed["message_type"] != "notification" || confirmed["body"] != "" {
			t.Errorf("confirmation message: %v", confirmed)
		}
		if v := trackedValues(t, e, c, confirmed["tracking_value_ids"]); len(v) != 1 || v["state"]["old_value_char"] != "Quotation" ||
			v["state"]["new_value_char"] != "Sales Order" {
			t.Errorf("confirmation tracking: %v", v)
		}

		e.mustKw(t, c, "sale.order", "action_cancel", []any{[]any{so}},
			map[string]any{"context": map[string]any{"disable_cancel_warning": true, "tracking_disable": true}})
		if n := len(chatterOf(t, e, c, "sale.order", so)); n != 3 {
			t.Errorf("a cancel with tracking_disable logged: %d messages", n)
		}
		e.mustKw(t, c, "sale.order", "action_draft", []any{[]any{so}}, nil)
		msgs = chatterOf(t, e, c, "sale.order", so)
		if len(msgs) != 4 || msgs[3]["subtype_id"].([]any)[1] != "Note" {
			t.Fatalf("after action_draft: %v", msgs)
		}
		if v := trackedValues(t, e, c, msgs[3]["tracking_value_ids"]); v["state"]["old_value_char"] != "Cancelled" || v["state"]["new_value_char"] != "Quotation" {
			t.Errorf("back to draft: %v", v)
		}

		e.mustKw(t, c, "res.partner", "write", []any{[]any{p}, map[string]any{"email": "b@example.com", "comment": "<p>x</p>"}}, nil)
		pm := chatterOf(t, e, c, "res.partner", p)
		last := pm[len(pm)-1]
		if v := trackedValues(t, e, c, last["tracking_value_ids"]); len(v) != 1 || v["email"]["old_value_char"] != "a@example.com" ||
			v["email"]["new_value_char"] != "b@example.com" {
			t.Errorf("partner's email tracking: %v", v)
		}
	})
}

// TestMessageSubscribe: message_subscribe makes partners followers with
// the subtypes given (replacing those of a follower) or the model's
// default ones (leaving a follower as it is); message_unsubscribe removes
// them and answers None, which XML-RPC cannot send. A user follows a
// record they can read, and needs write access to subscribe or
// unsubscribe others; partners that do not exist are left out.
func TestMessageSubscribe(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		j := jsonCaller{e.srv.URL}
		r := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Followed"}}, nil)
		q := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Follower", "email": "f@example.com"}}, nil)
		note := e.mustKw(t, c, "mail.message.subtype", "search", []any{[]any{[]any{"name", "=", "Note"}}}, nil).([]any)[0]
		external := e.mustKw(t, c, "mail.message.subtype", "search", []any{[]any{[]any{"default", "=", true}, []any{"internal", "=", false},
			"|", []any{"res_model", "=", false}, []any{"res_model", "=", "res.partner"}}}, map[string]any{"order": "sequence, id"})
		subtypesOf := func(partner any) []any {
			t.Helper()
			got := e.mustKw(t, c, "mail.followers", "search_read", []any{[]any{[]any{"res_model", "=", "res.partner"},
				[]any{"res_id", "=", r}, []any{"partner_id", "=", partner}}}, map[string]any{"fields": []any{"subtype_ids"}}).([]any)
			if len(got) != 1 {
				return nil
			}
			return got[0].(map[string]any)["subtype_ids"].([]any)
		}
		if got := e.mustKw(t, c, "res.partner", "message_subscribe", []any{[]any{r}}, map[string]any{"partner_ids": []any{q}}); got != true {
			t.Errorf("message_subscribe answered %v", got)
		}
		if got := subtypesOf(q); !sameIDs(got, external.([]any)) {
			t.Errorf("a customer follows with %v, want the default subtypes not internal %v", got, external)
		}
		e.mustKw(t, c, "res.partner", "message_subscribe", []any{[]any{r}, []any{q}, []any{note}}, nil)
		if got := subtypesOf(q); !sameIDs(got, []any{note}) {
			t.Errorf("subtypes given: %v, want [%v]", got, note)
		}
		e.mustKw(t, c, "res.partner", "message_subscribe", []any{[]any{r}, []any{q}}, nil)
		if got := subtypesOf(q); !sameIDs(got, []any{note}) {
			t.Errorf("subscribing a follower again without subtypes changed them: %v", got)
		}
		_, f := e.kw(t, c, "res.partner", "message_unsubscribe", []any{[]any{r}, []any{q}}, nil)
		wantFault(t, c, f, 1, "cannot marshal None unless allow_none is enabled")
		if got := subtypesOf(q); got != nil {
			t.Errorf("still following after message_unsubscribe: %v", got)
		}
		// Records that do not exist get no followers.
		_, f = e.kw(t, c, "res.partner", "message_subscribe", []any{[]any{r, int64(987654)}, []any{q}}, nil)
		wantFault(t, c, f, 2, "Record does not exist or has been deleted.")
		if n := e.count(t, "mail.followers", []any{[]any{"res_model", "=", "res.partner"}, []any{"res_id", "=", int64(987654)}}); n != 0 {
			t.Errorf("%d followers of a record that does not exist", n)
		}
		// Partners that do not exist are left out, as Odoo's search of
		// the active partners leaves them: the call answers True.
		if got := e.mustKw(t, c, "res.partner", "message_subscribe", []any{[]any{r}, []any{int64(987655)}}, nil); got != true {
			t.Errorf("subscribing a partner that does not exist answered %v", got)
		}
		if n := e.count(t, "mail.followers", []any{[]any{"partner_id", "=", int64(987655)}}); n != 0 {
			t.Errorf("%d followers rows of a partner that does not exist", n)
		}
		e.mustKw(t, j, "res.partner", "message_subscribe", []any{[]any{r}, []any{q}}, nil)
		if got := e.mustKw(t, j, "res.partner", "message_unsubscribe", []any{[]any{r}, []any{q}}, nil); got != nil {
			t.Errorf("message_unsubscribe over JSON-RPC answered %v, want null", got)
		}

		// A clerk reads products but may not change them.
		tmpl := e.mustKw(t, c, "product.template", "create", []any{map[string]any{"name": "Followed product"}}, nil)
		user := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Clerk", "login": "clerk", "password": "clerk-Secret-1"}}, nil)
		uid := authLogin(t, c, e.db, "clerk", "clerk-Secret-1")
		if uid != user {
			t.Fatalf("clerk logs in as %v", uid)
		}
		me := e.mustKw(t, c, "res.users", "read", []any{[]any{uid}, []any{"partner_id"}}, nil).([]any)[0].(map[string]any)["partner_id"].([]any)[0]
		clerk := func(method string, args ...any) (any, *faultInfo) {
			return c.call(t, "object", "execute_kw", e.db, uid, "clerk-Secret-1", "product.template", method, args)
		}
		if got, f := clerk("message_subscribe", []any{tmpl}, []any{me}); f != nil || got != true {
			t.Errorf("a reader following: %v %+v", got, f)
		}
		if n := e.count(t, "mail.followers", []any{[]any{"res_model", "=", "product.template"}, []any{"res_id", "=", tmpl}, []any{"partner_id", "=", me}}); n != 1 {
			t.Errorf("%d follower rows of the clerk", n)
		}
		_, f = clerk("message_subscribe", []any{tmpl}, []any{q})
		wantFault(t, c, f, 4, "You are not allowed to modify")
		_, f = clerk("message_unsubscribe", []any{tmpl}, []any{q})
		wantFault(t, c, f, 4, "You are not allowed to modify")
		_, f = clerk("message_unsubscribe", []any{tmpl}, []any{me})
		wantFault(t, c, f, 1, "cannot marshal None")
		if n := e.count(t, "mail.followers", []any{[]any{"res_model", "=", "product.template"}, []any{"res_id", "=", tmpl}, []any{"partner_id", "=", me}}); n != 0 {
			t.Errorf("the clerk still follows after unsubscribing")
		}
		// Orders the clerk may not read: following one answers False.
		so := e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": r}}, nil)
		if got, f := c.call(t, "object", "execute_kw", e.db, uid, "clerk-Secret-1", "sale.order", "message_subscribe", []any{[]any{so}, []any{me}}); f != nil || got != false {
			t.Errorf("following a record one cannot read: %v %+v, want False", got, f)
		}
	})
}

// TestMailNotify: a message posted to partners leaves, with no e-mail
// sent, a mail.mail in state outgoing to those notified by e-mail, with
// their notifications ready; a follower whose user handles notifications
// in Odoo gets an inbox notification instead; an internal note reaches no
// customer following the record. The author of a message follows the
// record, and so do the partners it names when the context asks.
// Deleting the record deletes its chatter.
func TestMailNotify(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		r := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Notified Co"}}, nil)
		q := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Customer", "email": "c@example.com"}}, nil)
		user := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Inbox User", "login": "inbox",
			"password": "inbox-Secret-1", "notification_type": "inbox"}}, nil)
		up := e.mustKw(t, c, "res.users", "read", []any{[]any{user}, []any{"partner_id"}}, nil).([]any)[0].(map[string]any)["partner_id"].([]any)[0]
		e.mustKw(t, c, "res.partner", "message_subscribe", []any{[]any{r}, []any{up}}, nil)

		msg := e.mustKw(t, c, "res.partner", "message_post", []any{[]any{r}},
			map[string]any{"body": "Hello", "message_type": "comment", "subtype_xmlid": "mail.mt_comment", "partner_ids": []any{q}})
		mails := e.mustKw(t, c, "mail.mail", "search_read", []any{[]any{[]any{"mail_message_id", "=", msg}}},
			map[string]any{"fields": []any{"state", "recipient_ids", "body_html", "is_notification"}}).([]any)
		if len(mails) != 1 {
			t.Fatalf("mail.mail of the message: %v", mails)
		}
		m := mails[0].(map[string]any)
		if m["state"] != "outgoing" || !sameIDs(m["recipient_ids"].([]any), []any{q}) || m["body_html"] != "<p>Hello</p>" || m["is_notification"] != true {
			t.Errorf("mail.mail %v", m)
		}
		// An HTML body reaches the e-mail as the message keeps it,
		// sanitised, never as the caller sent it.
		unsafe := e.mustKw(t, c, "res.partner", "message_post", []any{[]any{r}}, map[string]any{"body": "<p>Hi</p><script>alert(1)</script>",
			"body_is_html": true, "message_type": "comment", "subtype_xmlid": "mail.mt_comment", "partner_ids": []any{q}})
		stored := e.mustKw(t, c, "mail.message", "read", []any{[]any{unsafe}, []any{"body"}}, nil).([]any)[0].(map[string]any)["body"]
		sent := e.mustKw(t, c, "mail.mail", "search_read", []any{[]any{[]any{"mail_message_id", "=", unsafe}}},
			map[string]any{"fields": []any{"body_html"}}).([]any)
		if len(sent) != 1 || sent[0].(map[string]any)["body_html"] != stored || strings.Contains(fmt.Sprint(stored), "<script") {
			t.Errorf("mail.mail of an HTML body %v, want the message's sanitised body %q", sent, stored)
		}
		notifs := e.mustKw(t, c, "mail.notification", "search_read", []any{[]any{[]any{"mail_message_id", "=", msg}}},
			map[string]any{"fields": []any{"res_partner_id", "notification_type", "notification_status", "mail_mail_id"}, "order": "id"}).([]any)
		got := map[any]map[string]any{}
		for _, n := range notifs {
			n := n.(map[string]any)
			got[n["res_partner_id"].([]any)[0]] = n
		}
		if n := got[q]; len(got) != 2 || n == nil || n["notification_type"] != "email" || n["notification_status"] != "ready" || n["mail_mail_id"] == false {
			t.Errorf("notifications %v: want the customer's by e-mail", notifs)
		}
		if n := got[up]; n == nil || n["notification_type"] != "inbox" || n["mail_mail_id"] != false {
			t.Errorf("notifications %v: want the follower's in the inbox", notifs)
		}

		e.mustKw(t, c, "res.partner", "message_subscribe", []any{[]any{r}, []any{q}}, nil)
		note := e.mustKw(t, c, "mail.message.subtype", "search", []any{[]any{[]any{"name", "=", "Note"}}}, nil).([]any)[0]
		e.mustKw(t, c, "res.partner", "message_subscribe", []any{[]any{r}, []any{q}, []any{note}}, nil)
		internal := e.mustKw(t, c, "res.partner", "message_post", []any{[]any{r}},
			map[string]any{"body": "Internal", "message_type": "comment", "subtype_xmlid": "mail.mt_note"})
		if n := e.count(t, "mail.mail", []any{[]any{"mail_message_id", "=", internal}}); n != 0 {
			t.Errorf("an internal note e-mailed a customer: %d mail.mail", n)
		}

		// Writing a message makes its author follow the record; the
		// context's mail_post_autofollow makes the partners named follow.
		quiet := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Quiet"}},
			map[string]any{"context": map[string]any{"mail_create_nosubscribe": true}})
		followers := func() []any {
			got := e.mustKw(t, c, "res.partner", "read", []any{[]any{quiet}, []any{"message_partner_ids"}}, nil).([]any)
			return got[0].(map[string]any)["message_partner_ids"].([]any)
		}
		if got := followers(); len(got) != 0 {
			t.Fatalf("followers of a record created with mail_create_nosubscribe: %v", got)
		}
		admin := e.mustKw(t, c, "res.users", "read", []any{[]any{int64(2)}, []any{"partner_id"}}, nil).([]any)[0].(map[string]any)["partner_id"].([]any)[0]
		e.mustKw(t, c, "res.partner", "message_post", []any{[]any{quiet}}, map[string]any{"body": "x", "message_type": "comment",
			"partner_ids": []any{q}, "context": map[string]any{"mail_post_autofollow": true}})
		if got := followers(); !sameIDs(got, []any{admin, q}) {
			t.Errorf("followers after a post with mail_post_autofollow: %v, want the author %v and %v", got, admin, q)
		}

		// Deleting a record deletes its chatter: messages, with their
		// tracking values, notifications and e-mails, and followers.
		e.mustKw(t, c, "res.partner", "write", []any{[]any{r}, map[string]any{"email": "gone@example.com"}}, nil)
		msgs := e.mustKw(t, c, "mail.message", "search", []any{[]any{[]any{"model", "=", "res.partner"}, []any{"res_id", "=", r}}}, nil).([]any)
		e.mustKw(t, c, "res.partner", "unlink", []any{[]any{r}}, nil)
		for model, domain := range map[string][]any{
			"mail.message":        {[]any{"model", "=", "res.partner"}, []any{"res_id", "=", r}},
			"mail.followers":      {[]any{"res_model", "=", "res.partner"}, []any{"res_id", "=", r}},
			"mail.tracking.value": {[]any{"mail_message_id", "in", msgs}},
			"mail.notification":   {[]any{"mail_message_id", "in", msgs}},
			"mail.mail":           {[]any{"mail_message_id", "in", msgs}},
		} {
			if n := e.count(t, model, domain); n != 0 {
				t.Errorf("%d %s left of a deleted record", n, model)
			}
		}
	})
}

// sameIDs tells whether a and b hold the same ids, in any order.
func sameIDs(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[any]int{}
	for _, v := range a {
		seen[v]++
	}
	for _, v := range b {
		if seen[v] == 0 {
			return false
		}
		seen[v]--
	}
	return true
}
