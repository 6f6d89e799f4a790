package services

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
)

// TestModuleRecordsUpgrade checks, on both stores, that a database where
// modules were installed before their install made some of their data
// records (sales_team's Sales team with the administrator in it, mail's
// scheduled actions) gets those records, with their external ids and the
// references between them, when a process next opens it; that it gets
// them once, and that records deleted afterwards stay deleted.
func TestModuleRecordsUpgrade(t *testing.T) {
	// In the order the records are made: the member names the team, the
	// scheduled action its server action.
	missing := []string{"sales_team.crm_team_member_admin_sales", "sales_team.team_sales_department",
		"mail.ir_cron_mail_scheduler_action", "mail.ir_cron_mail_scheduler_action_ir_actions_server"}
	eachStore(t, func(t *testing.T, s models.Store) {
		ctx := context.Background()
		set, name := moduleDB(t, s, "recordsup", "sales_team")
		db, err := set.core.open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		// run runs fn as the superuser on the database a new process opens.
		run := func(fn func(env *models.Env) error) {
			t.Helper()
			later := newTestSet(s)
			db, err := later.core.open(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := later.core.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
				return nil, fn(env)
			}); err != nil {
				t.Fatal(err)
			}
		}
		// count is the number of records of the xml ids that exist.
		count := func(env *models.Env) (n int) {
			for _, x := range missing {
				var model string
				module, xname, _ := strings.Cut(x, ".")
				if _, err := env.Scalar(ctx, &model, "SELECT model FROM ir_model_data WHERE module = ? AND name = ?", module, xname); err != nil {
					t.Fatal(err)
				}
				id, err := env.XMLID(ctx, x)
				if err != nil {
					t.Fatal(err)
				}
				if model == "" || id == 0 {
					continue
				}
				found, err := env.WithContext(map[string]any{"active_test": false}).Search(ctx, env.Registry.Model(model), []any{[]any{"id", "=", id}}, models.SearchOptions{})
				if err != nil {
					t.Fatal(err)
				}
				n += len(found)
			}
			return n
		}
		// drop deletes the records and their external ids, as an older
		// godoo's install left the database.
		drop := func(env *models.Env) error {
			for _, x := range missing {
				module, xname, _ := strings.Cut(x, ".")
				var model string
				if _, err := env.Scalar(ctx, &model, "SELECT model FROM ir_model_data WHERE module = ? AND name = ?", module, xname); err != nil {
					return err
				}
				if id, err := env.XMLID(ctx, x); err != nil {
					return err
				} else if m := env.Registry.Model(model); m != nil && id != 0 {
					found, err := env.WithContext(map[string]any{"active_test": false}).Search(ctx, m, []any{[]any{"id", "=", id}}, models.SearchOptions{})
					if err != nil {
						return err
					}
					if err := env.Unlink(ctx, m, found); err != nil {
						return err
					}
				}
				if _, err := env.Exec(ctx, "DELETE FROM ir_model_data WHERE module = ? AND name = ?", module, xname); err != nil {
					return err
				}
			}
			return nil
		}
		run(func(env *models.Env) error {
			if n := count(env); n != len(missing) {
				t.Errorf("%d of the %d records after the install", n, len(missing))
			}
			return drop(env)
		})
		askRecordsUpgrade(t, db, "sales_team", "mail")
		run(func(env *models.Env) error {
			if n := count(env); n != len(missing) {
				t.Errorf("%d of the %d records after the upgrade", n, len(missing))
			}
			team, err := env.XMLID(ctx, "sales_team.team_sales_department")
			if err != nil {
				return err
			}
			member, err := env.XMLID(ctx, "sales_team.crm_team_member_admin_sales")
			if err != nil {
				return err
			}
			recs, err := env.Read(ctx, env.Registry.Model("crm.team.member"), []int64{member}, []string{"crm_team_id", "user_id"}, false)
			if err != nil {
				return err
			}
			if got, _ := models.ToInt64(recs[0]["crm_team_id"]); got != team || recs[0]["user_id"] != int64(2) {
				t.Errorf("the administrator's membership: %v, want team %d and user 2", recs[0], team)
			}
			return nil
		})
		run(func(env *models.Env) error {
			var teams int64
			if _, err := env.Scalar(ctx, &teams, "SELECT COUNT(*) FROM crm_team WHERE name = 'Sales'"); err != nil {
				return err
			}
			if teams != 1 {
				t.Errorf("%d Sales teams after another opening, want 1", teams)
			}
			return drop(env)
		})
		run(func(env *models.Env) error {
			if n := count(env); n != 0 {
				t.Errorf("%d records after a deletion and another opening, want 0", n)
			}
			return nil
		})
	})
}

// askRecordsUpgrade asks, as migration 0021 does in a database an older
// godoo made, the records steps of modules to run at the next opening.
func askRecordsUpgrade(t *testing.T, db *bun.DB, modules ...string) {
	t.Helper()
	for _, m := range modules {
		if _, err := db.ExecContext(context.Background(), "INSERT INTO godoo_module_records_upgrade (module) VALUES (?)", m); err != nil {
			t.Fatal(err)
		}
	}
}

// TestInvoiceStatusUpgrade checks, on both stores, that the orders and
// lines of a database made before godoo stored their invoice status (the
// columns empty, as EnsureSchema adds them) get it when a process opens
// it.
func TestInvoiceStatusUpgrade(t *testing.T) {
	eachStore(t, func(t *testing.T, s models.Store) {
		ctx := context.Background()
		set, name := moduleDB(t, s, "invoicestatus", "sale")
		call := adminCaller(t, set, name, testAdminPassword)
		partner := call("res.partner", "create", map[string]any{"name": "buyer"})
		tmpl := call("product.template", "create", map[string]any{"name": "thing"})
		product := call("product.product", "search", []any{[]any{"product_tmpl_id", "=", tmpl}}).([]int64)[0]
		order := call("sale.order", "create", map[string]any{"partner_id": partner, "order_line": []any{
			[]any{0, 0, map[string]any{"product_id": product, "product_uom_qty": 3, "price_unit": 10.0}}}}).(int64)
		call("sale.order", "action_confirm", []any{order})
		db, err := set.core.open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"UPDATE sale_order SET invoice_status = NULL", "UPDATE sale_order_line SET invoice_status = NULL, qty_to_invoice = NULL"} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		askRecordsUpgrade(t, db, "sale")
		if _, err := newTestSet(s).core.open(ctx, name); err != nil {
			t.Fatal(err)
		}
		var status, lineStatus string
		var toInvoice float64
		if err := db.QueryRowContext(ctx, "SELECT o.invoice_status, l.invoice_status, l.qty_to_invoice FROM sale_order o "+
			"JOIN sale_order_line l ON l.order_id = o.id WHERE o.id = ?", order).Scan(&status, &lineStatus, &toInvoice); err != nil {
			t.Fatal(err)
		}
		if status != "to invoice" || lineStatus != "to invoice" || toInvoice != 3 {
			t.Errorf("after the upgrade: order %q, line %q with %v to invoice; want to invoice, to invoice, 3", status, lineStatus, toInvoice)
		}
	})
}
