package integration_test

import (
	"slices"
	"testing"
)

// TestMessageIdsLeaveOutNotifications: a record's message_ids lists its
// messages but for user notifications, which mail's field domain leaves
// out, for the administrator and for an internal user alike; a search of
// mail.message still finds the notification.
func TestMessageIdsLeaveOutNotifications(t *testing.T) {
	eachModulesStore(t, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		p := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{"name": "Chattered"}}, nil)
		comment := e.mustKw(t, c, "res.partner", "message_post", []any{[]any{p}}, map[string]any{"body": "Hello", "message_type": "comment"})
		note := e.mustKw(t, c, "mail.message", "create", []any{map[string]any{"model": "res.partner", "res_id": p,
			"message_type": "user_notification", "body": "For one user"}}, nil)
		all := e.mustKw(t, c, "mail.message", "search", []any{[]any{[]any{"model", "=", "res.partner"}, []any{"res_id", "=", p}}}, nil).([]any)
		if !slices.Contains(all, note) || !slices.Contains(all, comment) {
			t.Fatalf("the partner's messages %v lack the comment %v or the notification %v", all, comment, note)
		}
		uid := e.mustKw(t, c, "res.users", "create", []any{map[string]any{"name": "Reader", "login": "reader", "password": "reader-Secret-1"}}, nil)
		reader := func(model, method string, args []any, kw map[string]any) (any, *faultInfo) {
			return c.call(t, "object", "execute_kw", e.db, uid, "reader-Secret-1", model, method, args, kw)
		}
		admin := func(model, method string, args []any, kw map[string]any) (any, *faultInfo) {
			return e.mustKw(t, c, model, method, args, kw), nil
		}
		for who, call := range map[string]func(string, string, []any, map[string]any) (any, *faultInfo){"admin": admin, "reader": reader} {
			got, f := call("res.partner", "read", []any{[]any{p}, []any{"message_ids"}}, nil)
			if f != nil {
				t.Fatalf("%s reading message_ids: %+v", who, f)
			}
			ids := got.([]any)[0].(map[string]any)["message_ids"].([]any)
			if slices.Contains(ids, note) || !slices.Contains(ids, comment) {
				t.Errorf("%s: message_ids %v, want the comment %v without the notification %v", who, ids, comment, note)
			}
		}
	})
}
