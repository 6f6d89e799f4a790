package services

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
)

// TestGroupCategoriesUpgrade checks, on both stores, that a database
// where modules were installed before their groups had categories
// (sales_team's and mail's groups without one, mail's own category
// missing) gets them when a process next opens it: the category a
// module makes is created again with its external id, and res.users
// then has the Sales selection where it had a boolean per group; that it
// does so once, so that a category cleared afterwards stays cleared.
func TestGroupCategoriesUpgrade(t *testing.T) {
	eachStore(t, func(t *testing.T, s models.Store) {
		ctx := context.Background()
		set, name := moduleDB(t, s, "groupcats", "sales_team")
		db, err := set.core.open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		// ids are the groups of module by external id.
		ids := func(module string) map[string]int64 {
			t.Helper()
			rows, err := db.QueryContext(ctx, "SELECT name, res_id FROM ir_model_data WHERE model = 'res.groups' AND module = ?", module)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := map[string]int64{}
			for rows.Next() {
				var n string
				var id int64
				if err := rows.Scan(&n, &id); err != nil {
					t.Fatal(err)
				}
				out[module+"."+n] = id
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return out
		}
		sales, mail := ids("sales_team"), ids("mail")
		if len(sales) != 3 || len(mail) == 0 {
			t.Fatalf("groups of sales_team %v and mail %v", sales, mail)
		}
		categoryOf := func(gid int64) int64 {
			t.Helper()
			var c int64
			if err := db.QueryRowContext(ctx, "SELECT COALESCE(category_id, 0) FROM res_groups WHERE id = ?", gid).Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		want := map[int64]int64{}
		for _, g := range []map[string]int64{sales, mail} {
			for x, id := range g {
				if want[id] = categoryOf(id); want[id] == 0 {
					t.Errorf("after the install, group %s has no category", x)
				}
			}
		}
		salesman := sales["sales_team.group_sale_salesman"]
		selection := selGroupsField(sales)
		usersFields := func() map[string]any {
			t.Helper()
			later := newTestSet(s)
			call := adminCaller(t, later, name, testAdminPassword)
			out := map[string]any{}
			for k, v := range call("res.users", "fields_get", []any{}, []any{"type"}).(*models.Dict).All() {
				out[k] = v
			}
			return out
		}
		if f := usersFields(); f[selection] == nil {
			t.Fatalf("after the install, res.users has no %s", selection)
		}

		// The database as an older godoo's install left it.
		canned := "mail.module_category_canned_response"
		cannedID := want[mail["mail.group_mail_canned_response_admin"]]
		execSQL(t, db, "UPDATE res_groups SET category_id = NULL WHERE id IN (SELECT res_id FROM ir_model_data WHERE model = 'res.groups' AND module IN ('sales_team', 'mail'))")
		execSQL(t, db, "DELETE FROM ir_module_category WHERE id = ?", cannedID)
		execSQL(t, db, "DELETE FROM ir_model_data WHERE module = 'mail' AND name = 'module_category_canned_response'")
		if f := usersFields(); f[selection] != nil || f[fmt.Sprintf("in_group_%d", salesman)] == nil {
			t.Fatalf("without categories, res.users has %s and lacks in_group_%d", selection, salesman)
		}

		askGroupCategoriesUpgrade(t, db, "sales_team", "mail")
		f := usersFields()
		if f[selection] == nil || f[fmt.Sprintf("in_group_%d", salesman)] != nil {
			t.Errorf("after the upgrade, res.users lacks %s or has in_group_%d", selection, salesman)
		}
		var made int64
		if err := db.QueryRowContext(ctx, "SELECT res_id FROM ir_model_data WHERE module = 'mail' AND name = 'module_category_canned_response'").Scan(&made); err != nil {
			t.Fatalf("the external id %s after the upgrade: %v", canned, err)
		}
		for _, g := range []map[string]int64{sales, mail} {
			for x, id := range g {
				got, w := categoryOf(id), want[id]
				if w == cannedID {
					w = made
				}
				if got != w {
					t.Errorf("after the upgrade, group %s has category %d, want %d", x, got, w)
				}
			}
		}

		execSQL(t, db, "UPDATE res_groups SET category_id = NULL WHERE id = ?", salesman)
		usersFields()
		if c := categoryOf(salesman); c != 0 {
			t.Errorf("a category cleared after the upgrade is %d after another opening, want none", c)
		}
	})
}

// selGroupsField is the name of res.users' selection of the groups.
func selGroupsField(groups map[string]int64) string {
	var ids []int64
	for _, id := range groups {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return "sel_groups_" + strings.Join(parts, "_")
}

// execSQL runs a statement on db outside any call, as an older godoo left
// the database.
func execSQL(t *testing.T, db *bun.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// askGroupCategoriesUpgrade asks, as migration 0022 does in a database an
// older godoo made, the group categories steps of modules to run at the
// next opening.
func askGroupCategoriesUpgrade(t *testing.T, db *bun.DB, modules ...string) {
	t.Helper()
	for _, m := range modules {
		execSQL(t, db, "INSERT INTO godoo_group_categories_upgrade (module) VALUES (?)", m)
	}
}

// TestGroupCategoriesUpgradeDeletedRecords checks, on both stores, that
// the group categories step leaves the database openable when an
// administrator deleted what it would touch while the external ids
// remained: a group whose row is gone is left alone, and a category
// whose row is gone is made again under its external id rather than its
// deleted id written onto the group.
func TestGroupCategoriesUpgradeDeletedRecords(t *testing.T) {
	eachStore(t, func(t *testing.T, s models.Store) {
		ctx := context.Background()
		set, name := moduleDB(t, s, "groupdel", "sales_team")
		db, err := set.core.open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		ref := func(module, xmlid string) int64 {
			t.Helper()
			var id int64
			if err := db.QueryRowContext(ctx, "SELECT res_id FROM ir_model_data WHERE module = ? AND name = ?", module, xmlid).Scan(&id); err != nil {
				t.Fatalf("%s.%s: %v", module, xmlid, err)
			}
			return id
		}
		manager := ref("sales_team", "group_sale_manager")
		salesman := ref("sales_team", "group_sale_salesman")
		canned := ref("mail", "group_mail_canned_response_admin")
		call := adminCaller(t, newTestSet(s), name, testAdminPassword)
		execSQL(t, db, "DELETE FROM ir_model_access WHERE group_id = ?", manager)
		call("res.groups", "unlink", []any{manager})
		// An older godoo's unlink kept the external id of the group.
		execSQL(t, db, "DELETE FROM ir_model_data WHERE module = 'sales_team' AND name = 'group_sale_manager'")
		execSQL(t, db, "INSERT INTO ir_model_data (module, name, model, res_id, noupdate) VALUES ('sales_team', 'group_sale_manager', 'res.groups', ?, ?)", manager, true)
		execSQL(t, db, "UPDATE res_groups SET category_id = NULL WHERE id IN (SELECT res_id FROM ir_model_data WHERE model = 'res.groups' AND module IN ('sales_team', 'mail'))")
		deleted := ref("mail", "module_category_canned_response")
		execSQL(t, db, "DELETE FROM ir_module_category WHERE id = ?", deleted)

		askGroupCategoriesUpgrade(t, db, "sales_team", "mail")
		if _, err := newTestSet(s).core.open(ctx, name); err != nil {
			t.Fatalf("the opening after the upgrade: %v", err)
		}
		var c, n int64
		if err := db.QueryRowContext(ctx, "SELECT COALESCE(category_id, 0) FROM res_groups WHERE id = ?", salesman).Scan(&c); err != nil || c == 0 {
			t.Errorf("after the upgrade, the salesman group has category %d (%v), want one", c, err)
		}
		made := ref("mail", "module_category_canned_response")
		if made == deleted {
			t.Errorf("the external id of the deleted category still names %d", deleted)
		}
		if err := db.QueryRowContext(ctx, "SELECT COALESCE(category_id, 0) FROM res_groups WHERE id = ?", canned).Scan(&c); err != nil || c != made {
			t.Errorf("after the upgrade, the canned responses group has category %d (%v), want %d", c, err, made)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM ir_module_category WHERE id = ?", made).Scan(&n); err != nil || n != 1 {
			t.Errorf("the category made again, %d: %d rows (%v)", made, n, err)
		}
	})
}
