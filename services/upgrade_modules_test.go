package services

import (
	"context"
	"testing"

	"github.com/godoo/godoo/models"
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
		// What an older godoo's install left: no sequence.
		if _, err := db.ExecContext(ctx, "DELETE FROM ir_sequence WHERE code = 'sale.order'"); err != nil {
			t.Fatal(err)
		}
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
	})
}

// TestSaleAmountsUpgrade checks, on both stores, that the orders and
// lines of a database made before godoo stored their amounts (the columns
// empty, as EnsureSchema adds them) get them when a process opens it.
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
		for _, q := range []string{
			"UPDATE sale_order SET amount_untaxed = NULL, amount_tax = NULL, amount_total = NULL",
			"UPDATE sale_order_line SET price_subtotal = NULL, price_tax = NULL, price_total = NULL, price_reduce_taxexcl = NULL, price_reduce_taxinc = NULL",
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		later := newTestSet(s)
		recs := adminCaller(t, later, name, testAdminPassword)("sale.order", "read", []any{order}, []any{"amount_untaxed", "amount_total"}).(*models.Table).Records()
		if r := recs[0]; r["amount_untaxed"] != 38.0 || r["amount_total"] != 38.0 {
			t.Errorf("the old order's amounts after the upgrade: %v", r)
		}
		lines := adminCaller(t, later, name, testAdminPassword)("sale.order.line", "search_read", []any{[]any{"order_id", "=", order}},
			[]any{"price_subtotal"}, 0, 0, "id").(*models.Table).Records()
		if len(lines) != 2 || lines[0]["price_subtotal"] != 27.0 || lines[1]["price_subtotal"] != 11.0 {
			t.Errorf("the old lines' subtotals after the upgrade: %v", lines)
		}
	})
}
