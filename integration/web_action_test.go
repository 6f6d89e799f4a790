package integration_test

import (
	"strconv"
	"testing"
)

// loadAction checks /web/action/load as an employee (the action is read as
// the superuser, as Odoo's route does): by external id, by id as a number
// or a text, by path; an id no action has, an external id of another model,
// or a path no action has, is Odoo's MissingActionError.
func (w *webScenario) loadAction(t *testing.T) {
	admin := w.client(t, w.e.srv.URL, modeRaw, false)
	admin.login(t, "admin", adminPassword)
	xmlid := func(name string) any {
		return admin.mustKw(t, "ir.model.data", "search_read", []any{[]any{[]any{"module", "=", "base"}, []any{"name", "=", name}}},
			map[string]any{"fields": []any{"res_id"}}).([]any)[0].(map[string]any)["res_id"]
	}
	users := xmlid("action_res_users")
	// Its views are Odoo's ir.actions.act_window.view rows of it.
	usersViews := []any{[]any{xmlid("view_users_tree"), "list"}, []any{xmlid("view_users_form"), "form"}}
	admin.mustKw(t, "ir.actions.act_window", "write", []any{[]any{users}, map[string]any{"path": "users"}}, nil)
	c := w.client(t, w.e.srv.URL, modeRaw, false)
	c.login(t, "demo", "demo")
	for _, tc := range []struct {
		name string
		id   any
	}{{"external id", "base.action_res_users"}, {"id", users}, {"id as text", strconv.FormatInt(users.(int64), 10)}, {"path", "users"}} {
		a := c.post(t, "/web/action/load", map[string]any{"action_id": tc.id})
		got, ok := a.result.(map[string]any)
		if a.err != nil || !ok {
			t.Fatalf("%s: %s", tc.name, a.body)
		}
		want := map[string]any{"id": users, "name": "Users", "type": "ir.actions.act_window", "xml_id": "base.action_res_users",
			"res_model": "res.users", "path": "users", "views": usersViews, "embedded_action_ids": []any{}}
		for k, v := range want {
			equal(t, tc.name+" "+k, got[k], v)
		}
		for _, k := range []string{"create_uid", "usage", "view_ids"} {
			if _, ok := got[k]; ok {
				t.Errorf("%s: the web client is given %s", tc.name, k)
			}
		}
	}
	// views: the action's view_ids first, then its view_id for that
	// view's type, then the other types of view_mode.
	groups, form := xmlid("action_res_groups"), xmlid("view_groups_form")
	admin.mustKw(t, "ir.actions.act_window", "write", []any{[]any{groups}, map[string]any{"view_id": form}}, nil)
	a := c.post(t, "/web/action/load", map[string]any{"action_id": "base.action_res_groups"})
	got, _ := a.result.(map[string]any)
	equal(t, "views with a view_id", got["views"], []any{[]any{form, "form"}, []any{false, "list"}})
	admin.mustKw(t, "ir.actions.act_window.view", "create", []any{map[string]any{"act_window_id": groups, "view_mode": "kanban", "sequence": int64(1)}}, nil)
	a = c.post(t, "/web/action/load", map[string]any{"action_id": groups})
	got, _ = a.result.(map[string]any)
	equal(t, "views with view_ids", got["views"], []any{[]any{false, "kanban"}, []any{form, "form"}, []any{false, "list"}})

	for _, tc := range []struct {
		id   any
		want string
	}{
		// Odoo's text for an id has no final period.
		{int64(99999991), "The action “99999991” does not exist"},
		{"99999991", "The action “99999991” does not exist"},
		{"base.main_company", "The action “base.main_company” does not exist."},
		{"base.nope", "The action “base.nope” does not exist."},
		{"nopath", "The action “nopath” does not exist."},
	} {
		a := c.post(t, "/web/action/load", map[string]any{"action_id": tc.id})
		data, _ := a.err["data"].(map[string]any)
		equal(t, tc.want+" error", data["name"], "odoo.addons.web.controllers.action.MissingActionError")
		equal(t, tc.want+" message", errMessage(a.err), tc.want)
	}
}

// sharedActionIDs checks that actions of every kind take their ids from
// one sequence, as Odoo's ir_actions table gives them: the actions a
// database starts with and new ones of each kind never share an id, and
// /web/action/load finds any of them by its bare id.
func (w *webScenario) sharedActionIDs(t *testing.T) {
	admin := w.client(t, w.e.srv.URL, modeRaw, false)
	admin.login(t, "admin", adminPassword)
	model := admin.mustKw(t, "ir.model", "search", []any{[]any{[]any{"model", "=", "res.partner"}}}, nil).([]any)[0]
	created := map[string]any{
		"ir.actions.client":     admin.mustKw(t, "ir.actions.client", "create", []any{map[string]any{"name": "Shared client", "tag": "shared_tag"}}, nil),
		"ir.actions.act_url":    admin.mustKw(t, "ir.actions.act_url", "create", []any{map[string]any{"name": "Shared URL", "url": "/odoo"}}, nil),
		"ir.actions.server":     admin.mustKw(t, "ir.actions.server", "create", []any{map[string]any{"name": "Shared server", "model_id": model, "state": "code"}}, nil),
		"ir.actions.act_window": admin.mustKw(t, "ir.actions.act_window", "create", []any{map[string]any{"name": "Shared window", "res_model": "res.partner"}}, nil),
	}
	owner := map[int64]string{}
	for _, m := range []string{"ir.actions.act_window", "ir.actions.server", "ir.actions.client", "ir.actions.act_url", "ir.actions.report"} {
		for _, id := range admin.mustKw(t, m, "search", []any{[]any{}}, map[string]any{"context": map[string]any{"active_test": false}}).([]any) {
			if other, ok := owner[id.(int64)]; ok {
				t.Errorf("id %d is an action of %s and of %s", id, other, m)
			}
			owner[id.(int64)] = m
		}
	}
	for m, id := range created {
		a := admin.post(t, "/web/action/load", map[string]any{"action_id": id})
		got, ok := a.result.(map[string]any)
		if a.err != nil || !ok {
			t.Fatalf("load %s %v: %s", m, id, a.body)
		}
		equal(t, m+" loaded by id", got["type"], m)
		equal(t, m+" id", got["id"], id)
	}
}
