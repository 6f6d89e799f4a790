package sale

import (
	"context"
	"slices"

	"github.com/godoo/godoo/models"
)

// Odoo stores the invoice status of orders and lines and what is left to
// invoice of each line, which scripts search and group by (the orders to
// invoice): godoo keeps them in columns too, written with the orders'
// amounts (storeOrderAmounts) and whenever else what they are made of
// changes: a line's product, delivered or invoiced quantity or state, an
// order's state, a product's invoicing policy.

// lineStatusFields are the fields of a line beyond lineAmountFields its
// invoice status depends on.
var lineStatusFields = []string{"product_id", "qty_delivered", "qty_invoiced", "state"}

// lineStatus is what a line stores of its invoicing.
type lineStatus struct {
	status string
	toBill float64
}

// storeInvoiceStatus computes and writes the invoice status of the
// orders ids and of their lines, and what is left to invoice of each
// line, leaving out the lines skip (about to be deleted or to move to
// another order). An order takes its status from its lines' (sections
// left out) and their copy of its state, as Odoo's: nothing unless
// confirmed; to invoice when a line is; invoiced when all are; upselling
// when all are invoiced or upselling; else nothing.
func storeInvoiceStatus(ctx context.Context, env *models.Env, ids, skip []int64) error {
	ids = nonZero(ids)
	if len(ids) == 0 {
		return nil
	}
	where, args := linesOf(ids, skip)
	lines, order, err := scanLines(ctx, env, where, args...)
	if err != nil {
		return err
	}
	byStatus := map[lineStatus][]int64{}
	var statuses []lineStatus // in the order first met, so that statements come in one order
	byOrder := map[int64][]*line{}
	for _, id := range order {
		l := lines[id]
		st := lineStatus{l.invoiceStatus(), l.toBill}
		if _, ok := byStatus[st]; !ok {
			statuses = append(statuses, st)
		}
		byStatus[st] = append(byStatus[st], id)
		byOrder[l.order] = append(byOrder[l.order], l)
	}
	for _, st := range statuses {
		lids := byStatus[st]
		if _, err := env.Exec(ctx, "UPDATE sale_order_line SET invoice_status = ?, qty_to_invoice = ? WHERE id IN ("+
			models.Placeholders(len(lids))+")", append([]any{st.status, st.toBill}, models.IDArgs(lids)...)...); err != nil {
			return err
		}
	}
	orders := map[string][]int64{}
	var kinds []string
	for _, id := range ids {
		var ls []string
		for _, l := range byOrder[id] {
			if !l.section {
				ls = append(ls, l.invoiceStatus())
			}
		}
		st := orderInvoiceStatus(orderState(byOrder[id]), ls)
		if !slices.Contains(kinds, st) {
			kinds = append(kinds, st)
		}
		orders[st] = append(orders[st], id)
	}
	for _, st := range kinds {
		if _, err := env.Exec(ctx, "UPDATE sale_order SET invoice_status = ? WHERE id IN ("+models.Placeholders(len(orders[st]))+")",
			append([]any{st}, models.IDArgs(orders[st])...)...); err != nil {
			return err
		}
	}
	return nil
}

// storeLinesStatus stores the invoice status of the orders of the lines
// ids, or leaves them to the order's write under way (deferOrders).
func storeLinesStatus(ctx context.Context, env *models.Env, ids []int64) error {
	orders, err := linesOrders(ctx, env, ids)
	if err != nil || deferOrders(env, orders) {
		return err
	}
	return storeInvoiceStatus(ctx, env, orders, nil)
}

// storeTemplatesStatus stores the invoice status of the orders with a
// line of a variant of the templates ids, whose invoicing policy changed,
// in batches: a product may be on any number of orders.
func storeTemplatesStatus(ctx context.Context, env *models.Env, ids []int64) error {
	orders, err := env.Int64s(ctx, "SELECT DISTINCT l.order_id FROM sale_order_line l JOIN product_product p ON p.id = l.product_id "+
		"WHERE l.order_id IS NOT NULL AND p.product_tmpl_id IN ("+models.Placeholders(len(ids))+") ORDER BY l.order_id", models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	return inBatches(orders, func(batch []int64) error { return storeInvoiceStatus(ctx, env, batch, nil) })
}

// FillInvoiceStatus stores the invoice statuses an older godoo, which
// computed them when read, left empty, in batches.
func FillInvoiceStatus(ctx context.Context, env *models.Env) error {
	orders, err := env.Int64s(ctx, "SELECT id FROM sale_order WHERE invoice_status IS NULL ORDER BY id")
	if err != nil {
		return err
	}
	return inBatches(orders, func(batch []int64) error { return storeInvoiceStatus(ctx, env, batch, nil) })
}
