package integration_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestMessagePostAccess: posting on a record needs the access Odoo's
// _mail_post_access asks (write), or to follow the record, or to answer
// a message addressed to oneself; a reader who is none of these is
// refused with mail.message's AccessError and nothing is posted; its
// create asks the same. Posting
// on a record that does not exist answers MissingError, on the abstract
// mail.thread Odoo's ValueError.
func TestMessagePostAccess(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		tmpl := e.mustKw(t, c, "product.template", "create", []any{map[string]any{"name": "Read-only product"}}, nil)
		other := e.mustKw(t, c, "product.template", "create", []any{map[string]any{"name": "Addressed product"}}, nil)
		customer := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Customer"}}, nil)
		so := e.mustKw(t, c, "sale.order", "create", []any{map[string]any{"partner_id": customer}}, nil)
		// A clerk reads products but may not change them, nor read orders.
		uid := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Poster", "login": "poster", "password": "poster-Secret-1"}}, nil)
		me := e.mustKw(t, c, "res.users", "read", []any{[]any{uid}, []any{"partner_id"}}, nil).([]any)[0].(map[string]any)["partner_id"].([]any)[0]
		clerk := func(model, method string, args []any, kw map[string]any) (any, *faultInfo) {
			return c.call(t, "object", "execute_kw", e.db, uid, "poster-Secret-1", model, method, args, kw)
		}
		comments := func(model string, id any) int64 {
			return e.count(t, "mail.message", []any{[]any{"model", "=", model}, []any{"res_id", "=", id}, []any{"message_type", "=", "comment"}})
		}
		comment := map[string]any{"body": "From the clerk", "message_type": "comment"}

		_, f := clerk("product.template", "message_post", []any{[]any{tmpl}}, comment)
		wantFault(t, c, f, 4, "The requested operation cannot be completed due to security restrictions. Please contact your system administrator.")
		wantFault(t, c, f, 4, "(Document type: Message, Operation: create)")
		if f != nil && !strings.HasSuffix(f.String, fmt.Sprintf(", User: %v", uid)) {
			t.Errorf("refusal %q does not name the user %v", f.String, uid)
		}
		if n := comments("product.template", tmpl); n != 0 {
			t.Errorf("a refused post left %d comments", n)
		}
		_, f = clerk("sale.order", "message_post", []any{[]any{so}}, comment)
		wantFault(t, c, f, 4, "Operation: create")

		// A follower posts on what they only read.
		if got, f := clerk("product.template", "message_subscribe", []any{[]any{tmpl}, []any{me}}, nil); f != nil || got != true {
			t.Fatalf("the clerk following: %v %+v", got, f)
		}
		if _, f := clerk("product.template", "message_post", []any{[]any{tmpl}}, comment); f != nil {
			t.Errorf("a follower posting: %+v", f)
		}
		if n := comments("product.template", tmpl); n != 1 {
			t.Errorf("%d comments after the follower's post, want 1", n)
		}

		// An answer to a message addressed to the clerk is allowed; one
		// to a message that was not is not.
		addressed := e.mustKw(t, c, "product.template", "message_post", []any{[]any{other}},
			map[string]any{"body": "For the clerk", "message_type": "comment", "partner_ids": []any{me}})
		unaddressed := e.mustKw(t, c, "product.template", "message_post", []any{[]any{other}},
			map[string]any{"body": "For nobody", "message_type": "comment"})
		_, f = clerk("product.template", "message_post", []any{[]any{other}},
			map[string]any{"body": "Stray", "message_type": "comment", "parent_id": unaddressed})
		wantFault(t, c, f, 4, "Operation: create")
		if _, f := clerk("product.template", "message_post", []any{[]any{other}},
			map[string]any{"body": "Answer", "message_type": "comment", "parent_id": addressed}); f != nil {
			t.Errorf("answering a message addressed to oneself: %+v", f)
		}

		// mail.message's create asks the same as message_post: being the
		// author of a message is not enough to write in a record's chatter.
		_, f = clerk("mail.message", "create", []any{map[string]any{"model": "sale.order", "res_id": so, "author_id": me,
			"message_type": "comment", "body": "Sneaked in"}}, nil)
		wantFault(t, c, f, 4, "(Document type: Message, Operation: create)")
		if _, f := clerk("mail.message", "create", []any{map[string]any{"model": "product.template", "res_id": tmpl,
			"message_type": "comment", "body": "As a follower"}}, nil); f != nil {
			t.Errorf("a follower creating a message: %+v", f)
		}
		if _, f := clerk("mail.message", "create", []any{map[string]any{"message_type": "comment", "body": "Private"}}, nil); f != nil {
			t.Errorf("a message of no record: %+v", f)
		}
		// A message the clerk may not read is refused in mail.message's
		// words, naming it.
		hidden := e.mustKw(t, c, "sale.order", "message_post", []any{[]any{so}}, map[string]any{"body": "Internal", "message_type": "comment"})
		_, f = clerk("mail.message", "read", []any{[]any{hidden}, []any{"body"}}, nil)
		wantFault(t, c, f, 4, fmt.Sprintf("(Document type: Message, Operation: read)\n\nRecords: [%v], User: %v", hidden, uid))

		_, f = e.kw(t, c, "res.partner", "message_post", []any{[]any{int64(987654)}}, comment)
		wantFault(t, c, f, 2, "Record does not exist or has been deleted.")
		_, f = e.kw(t, c, "mail.thread", "message_post", []any{[]any{customer}}, comment)
		wantFault(t, c, f, 1, "Posting a message should be done on a business document.")
	})
}
