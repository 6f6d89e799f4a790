package base_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

// TestLoadAction checks, on both stores, the action /web/action/load
// gives: found by external id, id or path, or Odoo's MissingActionError.
func TestLoadAction(t *testing.T) {
	eachInstalled(t, func(t *testing.T, ctx context.Context, env *models.Env, r *models.Registry) error {
		env = env.Sudo()
		got, err := base.LoadAction(ctx, env, "base.action_res_users")
		if err != nil {
			return err
		}
		action, ok := got.(*models.Dict)
		if !ok {
			t.Fatalf("LoadAction answered %T", got)
		}
		id, _ := action.Get("id")
		// Its views are its ir.actions.act_window.view rows, Odoo's.
		views, _ := action.Get("views")
		if got := fmt.Sprint(views); got != fmt.Sprintf("[[%d list] [%d form]]", xmlID(t, ctx, env, "base.view_users_tree"), xmlID(t, ctx, env, "base.view_users_form")) {
			t.Errorf("action_res_users views %s", got)
		}
		// A URL action, as the web client reads it.
		got, err = base.LoadAction(ctx, env, "base.action_third_party")
		if err != nil {
			return err
		}
		url := got.(*models.Dict)
		for k, want := range map[string]any{"type": "ir.actions.act_url", "url": "https://apps.odoo.com/apps/modules", "target": "new", "name": "Third-Party Apps"} {
			if v, _ := url.Get(k); v != want {
				t.Errorf("action_third_party %s = %v, want %v", k, v, want)
			}
		}
		for _, tc := range []struct {
			name string
			id   any
			want string
		}{
			{"external id", "base.action_res_users", ""},
			{"id", id, ""},
			{"id as text", fmt.Sprint(id), ""},
			{"missing id", int64(99999991), "The action “99999991” does not exist"},
			{"missing external id", "base.nope", "The action “base.nope” does not exist."},
			{"external id of another model", "base.main_company", "The action “base.main_company” does not exist."},
			{"missing path", "nopath", "The action “nopath” does not exist."},
		} {
			got, err := base.LoadAction(ctx, env, tc.id)
			if tc.want == "" {
				if err != nil {
					t.Errorf("%s: %v", tc.name, err)
					continue
				}
				if d, ok := got.(*models.Dict); !ok {
					t.Errorf("%s: answered %T", tc.name, got)
				} else if x, _ := d.Get("xml_id"); x != "base.action_res_users" {
					t.Errorf("%s: xml_id %v", tc.name, x)
				}
				continue
			}
			if err == nil || err.Error() != tc.want {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
			}
		}
		return nil
	})
}

// xmlID is the record of an external id, failing the test when none has it.
func xmlID(t *testing.T, ctx context.Context, env *models.Env, xmlid string) int64 {
	t.Helper()
	id, err := env.XMLID(ctx, xmlid)
	if err != nil || id == 0 {
		t.Fatalf("%s: %d %v", xmlid, id, err)
	}
	return id
}
