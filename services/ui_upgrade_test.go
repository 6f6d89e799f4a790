package services

import (
	"context"
	"testing"
)

// TestUIUpgrade checks, on both stores, that a database an older godoo
// made without some of base's user interface records (URL actions, the
// views of window actions) gets them, with their external ids, when a
// process opens it, that opening it again makes none twice, and that one
// deleted afterwards is not made again.
func TestUIUpgrade(t *testing.T) {
	tables := map[string]string{"ir.actions.act_url": "ir_actions_act_url", "ir.actions.act_window.view": "ir_actions_act_window_view"}
	for _, st := range testStores() {
		t.Run(st.name, func(t *testing.T) {
			ctx := context.Background()
			s := st.open(t)
			first, name := createTestDB(t, s, "uiupgrade")
			count := func(set *Set) map[string]int64 {
				t.Helper()
				db, err := set.core.open(ctx, name)
				if err != nil {
					t.Fatal(err)
				}
				out := map[string]int64{}
				for model, table := range tables {
					var rows, ids int64
					if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&rows); err != nil {
						t.Fatal(err)
					}
					if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM ir_model_data WHERE module = 'base' AND model = ?", model).Scan(&ids); err != nil {
						t.Fatal(err)
					}
					if rows != ids {
						t.Errorf("%s: %d rows, %d external ids", model, rows, ids)
					}
					out[model] = rows
				}
				return out
			}
			made := count(first)
			if made["ir.actions.act_url"] != 3 || made["ir.actions.act_window.view"] != 14 {
				t.Fatalf("a new database has %v", made)
			}
			// What an older godoo's install left: none of them, and
			// migration 0019 not applied.
			db, err := first.core.open(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			remove := func(qs ...string) {
				t.Helper()
				for _, q := range qs {
					if _, err := db.ExecContext(ctx, q); err != nil {
						t.Fatal(err)
					}
				}
			}
			for model, table := range tables {
				remove("DELETE FROM "+table, "DELETE FROM ir_model_data WHERE module = 'base' AND model = '"+model+"'")
			}
			remove("DELETE FROM godoo_migrations WHERE name = '0019_ui_upgrade.sql'", "DROP TABLE godoo_ui_upgrade")
			// A new process opens it, then another.
			for _, set := range []*Set{NewSet(s, Config{}), NewSet(s, Config{})} {
				if got := count(set); got["ir.actions.act_url"] != 3 || got["ir.actions.act_window.view"] != 14 {
					t.Errorf("after the upgrade: %v", got)
				}
			}
			// A URL action deleted afterwards stays deleted.
			remove("DELETE FROM ir_actions_act_url WHERE url = '/web'",
				"DELETE FROM ir_model_data WHERE module = 'base' AND name = 'action_open_website'")
			if got := count(NewSet(s, Config{})); got["ir.actions.act_url"] != 2 {
				t.Errorf("after a deletion: %v", got)
			}
		})
	}
}
