package sale_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestOrderAmountsOncePerWrite checks, on both stores, that an order
// created or written with several lines stores its lines' amounts in one
// statement and sums its own once, when its lines are done, not after
// each line, and that the sums are right; lines written alone still
// update their order, in one statement too.
func TestOrderAmountsOncePerWrite(t *testing.T) {
	storetest.EachInstalled(t, installed, func(t *testing.T, s models.Store, db *bun.DB, r *models.Registry, inTx storetest.InTx) {
		ctx := context.Background()
		orders, lines := r.Model("sale.order"), r.Model("sale.order.line")
		var partner, product int64
		if err := inTx(models.SuperuserID, func(env *models.Env) (err error) {
			partner, _, product, err = buyerAndThing(ctx, env)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		line := func(qty float64) any {
			return []any{int64(0), int64(0), map[string]any{"product_id": product, "product_uom_qty": qty}}
		}
		sums := &storetest.StatementCounter{Table: "UPDATE sale_order SET amount_untaxed"}
		lineAmounts := &storetest.StatementCounter{Table: "UPDATE sale_order_line SET price_subtotal"}
		db.AddQueryHook(sums)
		db.AddQueryHook(lineAmounts)
		var order int64
		for _, c := range []struct {
			name        string
			do          func(env *models.Env) error
			sums, lines int64
			total       float64
		}{
			{"created with five lines", func(env *models.Env) (err error) {
				order, err = env.Create(ctx, orders, map[string]any{"partner_id": partner,
					"order_line": []any{line(1), line(2), line(3), line(4), line(5)}})
				return err
			}, 1, 1, 150},
			{"written with two more", func(env *models.Env) error {
				return env.Write(ctx, orders, []int64{order}, map[string]any{"order_line": []any{line(1), line(1)}})
			}, 1, 1, 170},
			{"a line written alone", func(env *models.Env) error {
				ids, err := env.Search(ctx, lines, []any{[]any{"order_id", "=", order}}, models.SearchOptions{Limit: 1, Order: "id"})
				if err != nil {
					return err
				}
				return env.Write(ctx, lines, ids, map[string]any{"product_uom_qty": 11.0})
			}, 1, 1, 270},
			{"three lines written through the order", func(env *models.Env) error {
				ids, err := env.Search(ctx, lines, []any{[]any{"order_id", "=", order}}, models.SearchOptions{Limit: 3, Order: "id"})
				if err != nil {
					return err
				}
				cmds := make([]any, len(ids))
				for i, id := range ids {
					cmds[i] = []any{int64(1), id, map[string]any{"discount": 50.0}}
				}
				// 110 + 20 + 30 halved.
				return env.Write(ctx, orders, []int64{order}, map[string]any{"order_line": cmds})
			}, 1, 1, 190},
			{"all lines written alone at once", func(env *models.Env) error {
				ids, err := env.Search(ctx, lines, []any{[]any{"order_id", "=", order}}, models.SearchOptions{})
				if err != nil {
					return err
				}
				return env.Write(ctx, lines, ids, map[string]any{"discount": 0.0, "price_unit": 1.0})
			}, 1, 1, 27},
		} {
			sums.N.Store(0)
			lineAmounts.N.Store(0)
			if err := inTx(models.SuperuserID, func(env *models.Env) error {
				if err := c.do(env); err != nil {
					return err
				}
				recs, err := env.Read(ctx, orders, []int64{order}, []string{"amount_total"}, false)
				if err != nil {
					return err
				}
				if got := recs[0]["amount_total"]; got != c.total {
					t.Errorf("%s: amount_total %v, want %v", c.name, got, c.total)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if n := sums.N.Load(); n != c.sums {
				t.Errorf("%s: the order's amounts written %d times, want %d", c.name, n, c.sums)
			}
			if n := lineAmounts.N.Load(); n != c.lines {
				t.Errorf("%s: the lines' amounts written in %d statements, want %d", c.name, n, c.lines)
			}
		}
	})
}

// TestOrderAmountsAfterFailedWrite checks, on both stores, that an
// order's write through its lines that fails leaves no batch behind: a
// caller that carries on in the transaction has a line written alone
// update its order at once.
func TestOrderAmountsAfterFailedWrite(t *testing.T) {
	storetest.EachInstalled(t, installed, func(t *testing.T, s models.Store, db *bun.DB, r *models.Registry, inTx storetest.InTx) {
		ctx := context.Background()
		orders, lines := r.Model("sale.order"), r.Model("sale.order.line")
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			partner, _, product, err := buyerAndThing(ctx, env)
			if err != nil {
				return err
			}
			order, err := env.Create(ctx, orders, map[string]any{"partner_id": partner,
				"order_line": []any{[]any{int64(0), int64(0), map[string]any{"product_id": product, "product_uom_qty": 1.0}}}})
			if err != nil {
				return err
			}
			ids, err := env.Search(ctx, lines, []any{[]any{"order_id", "=", order}}, models.SearchOptions{})
			if err != nil {
				return err
			}
			// The second line does not exist: the write fails after the
			// first line's.
			if err := env.Write(ctx, orders, []int64{order}, map[string]any{"order_line": []any{
				[]any{int64(1), ids[0], map[string]any{"product_uom_qty": 2.0}},
				[]any{int64(1), int64(999999), map[string]any{"product_uom_qty": 1.0}}}}); err == nil {
				t.Fatal("a write of a line that does not exist succeeded")
			}
			if err := env.Write(ctx, lines, ids, map[string]any{"product_uom_qty": 3.0}); err != nil {
				return err
			}
			recs, err := env.Read(ctx, orders, []int64{order}, []string{"amount_total"}, false)
			if err != nil {
				return err
			}
			if got := recs[0]["amount_total"]; got != 30.0 {
				t.Errorf("amount_total %v after a line written alone, want 30", got)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
