package services

import (
	"context"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// TestSaleSequenceUpgrade checks, on both stores, that a database where
// sale was installed before its install created the sale.order sequence
// gets it when a process opens it: the next order is named from it, not
// "New"; a database that has the sequence keeps its one.
func TestSaleSequenceUpgrade(t *testing.T) {
	eachStore(t, func(t *testing.T, s models.Store) {
		ctx := context.Background()
		set, name := moduleDB(t, s, "saleseq", "sale")
		db, err := set.core.open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		// What an older godoo's install left: no sequence, and migration
		// 0020's request of sale's upgrade.
		if _, err := db.ExecContext(ctx, "DELETE FROM ir_sequence WHERE code = 'sale.order'"); err != nil {
			t.Fatal(err)
		}
		askUpgrade(t, db, "sale")
		count := func(set *Set) int64 {
			t.Helper()
			db, err := set.core.open(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			var n int64
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM ir_sequence WHERE code = 'sale.order'").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(set); n != 0 {
			t.Fatalf("%d sale.order sequences before the upgrade", n)
		}
		// A new process opens the database.
		later := newTestSet(s)
		if n := count(later); n != 1 {
			t.Fatalf("%d sale.order sequences after the upgrade, want 1", n)
		}
		id, err := later.Auth.Password(ctx, Credentials{DB: name, UID: 2, Password: testAdminPassword})
		if err != nil {
			t.Fatal(err)
		}
		partner, err := later.Object.Execute(ctx, id, "res.partner", "create", []any{map[string]any{"name": "buyer"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		order, err := later.Object.Execute(ctx, id, "sale.order", "create", []any{map[string]any{"partner_id": partner}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := later.Object.Execute(ctx, id, "sale.order", "read", []any{order, []any{"name"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := recs.(*models.Table).Records()[0]["name"]; got != "S00001" {
			t.Errorf("the first order is named %v, want S00001", got)
		}
		xmlids, err := later.Object.Execute(ctx, id, "ir.model.data", "search_count", []any{[]any{[]any{"module", "=", "sale"}, []any{"name", "=", "seq_sale_order"}}}, nil)
		if err != nil || xmlids != int64(1) {
			t.Errorf("%v external ids sale.seq_sale_order (%v)", xmlids, err)
		}
		// A third process finds the sequence and makes none.
		third := NewSet(s, Config{})
		if n := count(third); n != 1 {
			t.Errorf("%d sale.order sequences after a second upgrade, want 1", n)
		}
		// The upgrade ran once: a sequence deleted since stays deleted.
		if _, err := db.ExecContext(ctx, "DELETE FROM ir_sequence WHERE code = 'sale.order'"); err != nil {
			t.Fatal(err)
		}
		if n := count(NewSet(s, Config{})); n != 0 {
			t.Errorf("%d sale.order sequences after a deletion and another opening, want 0", n)
		}
	})
}

// TestSaleAmountsUpgrade checks, on both stores, that the orders and
// lines of a database made before godoo stored their amounts (the columns
// empty, as EnsureSchema adds them) get them when a process opens it; that
// an order with a line whose taxes godoo does not compute stays empty
// rather than sum its other lines; and that the fill runs once.
func TestSaleAmountsUpgrade(t *testing.T) {
	eachStore(t, func(t *testing.T, s models.Store) {
		ctx := context.Background()
		set, name := moduleDB(t, s, "saleamounts", "sale")
		call := adminCaller(t, set, name, testAdminPassword)
		partner := call("res.partner", "create", map[string]any{"name": "buyer"})
		tmpl := call("product.template", "create", map[string]any{"name": "thing"})
		product := call("product.product", "search", []any{[]any{"product_tmpl_id", "=", tmpl}}).([]int64)[0]
		order := call("sale.order", "create", map[string]any{"partner_id": partner, "order_line": []any{
			[]any{0, 0, map[string]any{"product_id": product, "product_uom_qty": 3, "price_unit": 10.0, "discount": 10.0}},
			[]any{0, 0, map[string]any{"product_id": product, "product_uom_qty": 2, "price_unit": 5.5}},
		}}).(int64)
		db, err := set.core.open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		// The administrator is no accountant: the superuser makes the tax.
		made, err := set.core.run(ctx, db, models.SuperuserID, false, func(ctx context.Context, env *models.Env) (any, error) {
			group, err := env.Create(ctx, env.Registry.Model("account.tax.group"), map[string]any{"name": "G", "company_id": int64(1)})
			if err != nil {
				return nil, err
			}
			var country int64
			if _, err := env.Scalar(ctx, &country, "SELECT id FROM res_country WHERE code = 'US'"); err != nil {
				return nil, err
			}
			return env.Create(ctx, env.Registry.Model("account.tax"), map[string]any{"name": "T", "amount": 10.0, "amount_type": "percent",
				"type_tax_use": "sale", "company_id": int64(1), "sequence": int64(1), "tax_group_id": group, "country_id": country})
		})
		if err != nil {
			t.Fatal(err)
		}
		tax := made.(int64)
		taxed := call("sale.order", "create", map[string]any{"partner_id": partner, "order_line": []any{
			[]any{0, 0, map[string]any{"product_id": product, "product_uom_qty": 1, "price_unit": 7.0, "tax_id": []any{}}},
			[]any{0, 0, map[string]any{"product_id": product, "product_uom_qty": 1, "price_unit": 4.0, "tax_id": []any{[]any{6, 0, []any{tax}}}}},
		}}).(int64)
		empty := func() {
			t.Helper()
			for _, q := range []string{
				"UPDATE sale_order SET amount_untaxed = NULL, amount_tax = NULL, amount_total = NULL",
				"UPDATE sale_order_line SET price_subtotal = NULL, price_tax = NULL, price_total = NULL, price_reduce_taxexcl = NULL, price_reduce_taxinc = NULL",
			} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
		}
		empty()
		// A group of taxes, which godoo does not compute, as such a
		// database could hold.
		if _, err := db.ExecContext(ctx, "UPDATE account_tax SET amount_type = 'group' WHERE id = ?", tax); err != nil {
			t.Fatal(err)
		}
		askUpgrade(t, db, "sale")
		later := newTestSet(s)
		recs := adminCaller(t, later, name, testAdminPassword)("sale.order", "read", []any{order, taxed}, []any{"amount_untaxed", "amount_total"}).(*models.Table).Records()
		if r := recs[0]; r["amount_untaxed"] != 38.0 || r["amount_total"] != 38.0 {
			t.Errorf("the old order's amounts after the upgrade: %v", r)
		}
		var unknown int64
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sale_order WHERE id = ? AND amount_untaxed IS NULL AND amount_total IS NULL", taxed).Scan(&unknown); err != nil || unknown != 1 {
			t.Errorf("the order with a line of a group of taxes was filled (%v): %v", err, recs[1])
		}
		lines := adminCaller(t, later, name, testAdminPassword)("sale.order.line", "search_read", []any{[]any{"order_id", "=", order}},
			[]any{"price_subtotal"}, 0, 0, "id").(*models.Table).Records()
		if len(lines) != 2 || lines[0]["price_subtotal"] != 27.0 || lines[1]["price_subtotal"] != 11.0 {
			t.Errorf("the old lines' subtotals after the upgrade: %v", lines)
		}
		// The fill ran once: a process opening the database later
		// leaves empty amounts as it finds them.
		empty()
		if _, err := newTestSet(s).core.open(ctx, name); err != nil {
			t.Fatal(err)
		}
		var filled int64
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sale_order_line WHERE price_subtotal IS NOT NULL").Scan(&filled); err != nil || filled != 0 {
			t.Errorf("%d lines filled at a second opening (%v), want 0", filled, err)
		}
	})
}

// TestAccountUpgradeOnce checks, on both stores, that account's upgrade
// runs once: accounts of the chart an administrator deleted after it ran
// stay deleted when another process opens the database. So do they when
// account was installed after migration 0020 asked for its upgrade in a
// database that did not have it then.
func TestAccountUpgradeOnce(t *testing.T) {
	for _, installedLater := range []bool{false, true} {
		t.Run(map[bool]string{false: "upgraded", true: "installed-later"}[installedLater], func(t *testing.T) {
			accountUpgradeOnce(t, installedLater)
		})
	}
}

func accountUpgradeOnce(t *testing.T, installedLater bool) {
	eachStore(t, func(t *testing.T, s models.Store) {
		ctx := context.Background()
		set, name := createTestDB(t, s, "acctonce")
		db, err := set.core.open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if installedLater {
			askUpgrade(t, db, "account")
		}
		if err := set.Database.InstallModules(ctx, name, []string{"account"}); err != nil {
			t.Fatal(err)
		}
		count := func() int64 {
			t.Helper()
			var n int64
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM account_account").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if !installedLater {
			askUpgrade(t, db, "account")
			if _, err := newTestSet(s).core.open(ctx, name); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(); n != 2 {
			t.Fatalf("%d accounts after the upgrade, want the chart's 2", n)
		}
		// The administrator deletes the chart's accounts.
		for _, q := range []string{
			"UPDATE res_partner SET property_account_receivable_id = NULL, property_account_payable_id = NULL",
			"DELETE FROM ir_model_data WHERE model = 'account.account'",
			"DELETE FROM account_account",
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if _, err := newTestSet(s).core.open(ctx, name); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 0 {
			t.Errorf("%d accounts after a deletion and another opening, want 0", n)
		}
	})
}

// askUpgrade asks, as migration 0020 does in a database an older godoo
// made, the upgrade steps of modules to run at the next opening.
func askUpgrade(t *testing.T, db *bun.DB, modules ...string) {
	t.Helper()
	for _, m := range modules {
		if _, err := db.ExecContext(context.Background(), "INSERT INTO godoo_module_upgrade (module) VALUES (?)", m); err != nil {
			t.Fatal(err)
		}
	}
}
