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
	for _, st := range testStores() {
		t.Run(st.name, func(t *testing.T) {
			ctx := context.Background()
			s := st.open(t)
			set, name := createTestDB(t, s, "saleseq")
			if err := set.Database.InstallModules(ctx, name, []string{"sale"}); err != nil {
				t.Fatal(err)
			}
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
			later := NewSet(s, Config{})
			later.core.auth.Rounds = 1000
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
}
