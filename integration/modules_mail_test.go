package integration_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// eachModulesStore runs fn once per store on a database with the flow's
// modules installed (a copy of the run's template for them).
func eachModulesStore(t *testing.T, fn func(t *testing.T, e *env)) {
	itest.ForStores(t, func(t *testing.T, name string, store models.Store) {
		set := newSet(store, services.Config{MasterPassword: masterPassword})
		db := uniqueName("it_mod_")
		copied := createFromModulesTemplate(t, store, set, db, false, flowModules)
		if !copied {
			if err := set.Database.Create(context.Background(), db, services.CreateOptions{AdminLogin: "admin",
				AdminPassword: adminPassword, Modules: flowModules}); err != nil {
				t.Fatal(err)
			}
		}
		itest.DropWhenDone(t, store, set, db, copied)
		h := godoorpc.NewHandler(set, godoorpc.Options{})
		h.SetReady(true)
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		fn(t, wrapEnv(&itest.Env{Name: name, Store: store, Set: set, Srv: srv, DB: db, H: h}))
	})
}

// TestMailThread: a record of a model that inherits mail.thread gets its
// creation message and its creator as follower; message_post stores a
// text body escaped as Odoo does, with its type, subtype and partners;
// message_ids lists the record's messages only, newest first; followers
// and attachments show on the record.
func TestMailThread(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		p := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Thread Co", "email": "t@example.com"}}, nil)
		other := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Other"}}, nil)
		admin := e.mustKw(t, c, "res.users", "read", []any{[]any{int64(2)}, []any{"partner_id"}}, nil).([]any)[0].(map[string]any)["partner_id"].([]any)[0]
		note := e.mustKw(t, c, "res.partner", "message_post", []any{[]any{p}},
			map[string]any{"body": "<b>x</b> & 'y'\n\nz", "message_type": "comment", "subtype_xmlid": "mail.mt_note"})
		comment := e.mustKw(t, c, "res.partner", "message_post", []any{[]any{p}},
			map[string]any{"body": "hi", "message_type": "comment", "subtype_xmlid": "mail.mt_comment", "partner_ids": []any{other}})
		rec := e.mustKw(t, c, "res.partner", "read", []any{[]any{p}, []any{"message_ids", "message_partner_ids", "message_follower_ids"}}, nil).([]any)[0].(map[string]any)
		msgs := rec["message_ids"].([]any)
		if len(msgs) != 3 || msgs[0] != comment || msgs[1] != note {
			t.Fatalf("message_ids %v, want [%v %v created]", msgs, comment, note)
		}
		if ps := rec["message_partner_ids"].([]any); len(ps) != 1 || ps[0] != admin {
			t.Errorf("message_partner_ids %v, want the creator's partner %v", ps, admin)
		}
		if fs := rec["message_follower_ids"].([]any); len(fs) != 1 {
			t.Errorf("message_follower_ids %v", fs)
		}
		got := e.mustKw(t, c, "mail.message", "read", []any{msgs, []any{"body", "message_type", "subtype_id", "partner_ids", "email_from", "reply_to", "record_name", "model", "res_id"}}, nil).([]any)
		for i, want := range []struct{ body, typ, subtype string }{
			{"<p>hi</p>", "comment", "Discussions"},
			// plaintext2html escapes quotes; the body field's sanitiser writes
			// them back as plain characters, as lxml serialises text.
			{"<p>&lt;b&gt;x&lt;/b&gt; &amp; 'y'</p><p>z</p>", "comment", "Note"},
			{"<p>Contact created</p>", "notification", "Note"},
		} {
			m := got[i].(map[string]any)
			if m["body"] != want.body || m["message_type"] != want.typ || m["subtype_id"].([]any)[1] != want.subtype {
				t.Errorf("message %d: %v %v %v, want %+v", i, m["body"], m["message_type"], m["subtype_id"], want)
			}
			from := `"Administrator" <admin@example.com>`
			if m["email_from"] != from || m["reply_to"] != from || m["record_name"] != "Thread Co" || m["model"] != "res.partner" || m["res_id"] != p {
				t.Errorf("message %d: %v", i, m)
			}
		}
		if ps := got[0].(map[string]any)["partner_ids"].([]any); len(ps) != 1 || ps[0] != other {
			t.Errorf("partner_ids of the comment: %v", ps)
		}
		e.mustKw(t, c, "ir.attachment", "create", []any{map[string]any{"name": "a.txt", "datas": "eA==", "res_model": "res.partner", "res_id": p}}, nil)
		rec = e.mustKw(t, c, "res.partner", "read", []any{[]any{p, other}, []any{"message_attachment_count"}}, nil).([]any)[0].(map[string]any)
		if rec["message_attachment_count"] != int64(1) {
			t.Errorf("message_attachment_count %v", rec["message_attachment_count"])
		}
		if _, f := e.kw(t, c, "res.partner", "message_post", []any{[]any{p, other}}, map[string]any{"body": "x"}); f == nil {
			t.Errorf("message_post on two records")
		}
	})
}

// TestMailMessageAccess: a user reads the messages of the records they
// can read (and their own), not those of records they cannot.
func TestMailMessageAccess(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := xmlCaller{e.srv.URL}
		shown := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Shown"}}, nil)
		e.mustKw(t, c, "res.partner", "message_post", []any{[]any{shown}}, map[string]any{"body": "x", "message_type": "comment"})
		// A message on a journal entry, which an internal user without
		// accounting rights may not read.
		hidden := e.mustKw(t, c, "mail.message", "create", []any{map[string]any{"body": "secret", "model": "account.move", "res_id": int64(1)}}, nil)
		user := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Clerk", "login": "clerk", "password": "clerk-Secret-1"}}, nil)
		uid := authLogin(t, c, e.db, "clerk", "clerk-Secret-1")
		if uid != user {
			t.Fatalf("clerk logs in as %v", uid)
		}
		kw := func(method string, args ...any) (any, *faultInfo) {
			return c.call(t, "object", "execute_kw", e.db, uid, "clerk-Secret-1", "mail.message", method, args)
		}
		got, f := kw("search", []any{[]any{"model", "=", "res.partner"}, []any{"res_id", "=", shown}})
		if f != nil || len(got.([]any)) != 2 {
			t.Errorf("messages of a partner the user reads: %v %+v", got, f)
		}
		got, f = kw("search", []any{[]any{"id", "=", hidden}})
		if f != nil || len(got.([]any)) != 0 {
			t.Errorf("a message of a record the user cannot read: %v %+v", got, f)
		}
		if _, f := kw("read", []any{hidden}, []any{"body"}); f == nil || f.Code != 4 {
			t.Errorf("reading a message of a record the user cannot read: %+v", f)
		}
	})
}
