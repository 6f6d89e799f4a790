package sale_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestInvoiceStatusStored checks, on both stores, that the invoice
// status of an order and its lines, and what is left to invoice of each
// line, are stored as Odoo's, so that a search finds the orders to
// invoice, and follow what they are made of: the order's state, a line's
// invoiced quantity, the product's invoicing policy.
func TestInvoiceStatusStored(t *testing.T) {
	storetest.EachInstalled(t, installed, func(t *testing.T, s models.Store, db *bun.DB, r *models.Registry, inTx storetest.InTx) {
		ctx := context.Background()
		orders, lines, templates := r.Model("sale.order"), r.Model("sale.order.line"), r.Model("product.template")
		var order, tmpl int64
		var line []int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			partner, made, product, err := buyerAndThing(ctx, env)
			if err != nil {
				return err
			}
			tmpl = made
			order, err = env.Create(ctx, orders, map[string]any{"partner_id": partner, "order_line": []any{
				[]any{int64(0), int64(0), map[string]any{"product_id": product, "product_uom_qty": 3.0}}}})
			if err != nil {
				return err
			}
			line, err = env.Search(ctx, lines, []any{[]any{"order_id", "=", order}}, models.SearchOptions{})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name       string
			do         func(env *models.Env) error
			status     string
			lineStatus string
			toInvoice  float64
		}{
			{"a quotation", func(*models.Env) error { return nil }, "no", "no", 0},
			{"confirmed", func(env *models.Env) error {
				_, err := orders.Methods["action_confirm"].Fn(ctx, env, orders, []int64{order}, models.Args{})
				return err
			}, "to invoice", "to invoice", 3},
			{"partly invoiced", func(env *models.Env) error {
				return env.Write(ctx, lines, line, map[string]any{"qty_invoiced": 1.0})
			}, "to invoice", "to invoice", 2},
			{"all invoiced", func(env *models.Env) error {
				return env.Write(ctx, lines, line, map[string]any{"qty_invoiced": 3.0})
			}, "invoiced", "invoiced", 0},
			{"invoiced on delivery, none delivered", func(env *models.Env) error {
				if err := env.Write(ctx, lines, line, map[string]any{"qty_invoiced": 0.0}); err != nil {
					return err
				}
				return env.Write(ctx, templates, []int64{tmpl}, map[string]any{"invoice_policy": "delivery"})
			}, "no", "no", 0},
			{"delivered", func(env *models.Env) error {
				return env.Write(ctx, lines, line, map[string]any{"qty_delivered": 2.0})
			}, "to invoice", "to invoice", 2},
		} {
			if err := inTx(models.SuperuserID, func(env *models.Env) error {
				if err := c.do(env); err != nil {
					return err
				}
				found, err := env.Search(ctx, orders, []any{[]any{"invoice_status", "=", c.status}}, models.SearchOptions{})
				if err != nil {
					return err
				}
				if len(found) != 1 || found[0] != order {
					t.Errorf("%s: orders of status %q: %v, want [%d]", c.name, c.status, found, order)
				}
				recs, err := env.Read(ctx, lines, line, []string{"invoice_status", "qty_to_invoice"}, false)
				if err != nil {
					return err
				}
				if recs[0]["invoice_status"] != c.lineStatus || recs[0]["qty_to_invoice"] != c.toInvoice {
					t.Errorf("%s: line %v, want %q and %v to invoice", c.name, recs[0], c.lineStatus, c.toInvoice)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
