package sale

import (
	"context"

	"github.com/godoo/godoo/models"
)

// An order created or written with lines (order_line) creates, writes
// or deletes its lines one at a time, each in its own hooks. Summing the
// order's amounts after each would read all its lines again for each
// line: while an order's lines change through the order, the line hooks
// store the lines' own amounts and leave the orders to the order's hook,
// which sums each order once when its lines are done, as Odoo's
// recomputation of the order's amounts once per flush.

// orderBatch is what the order hooks under way gather of the orders
// whose lines changed: how many order hooks wait for their lines
// (nested when a line's hook writes an order), and the orders to sum
// when the outermost is done.
type orderBatch struct {
	depth  int
	orders []int64
}

// batchOf is the transaction's orderBatch.
func batchOf(env *models.Env) *orderBatch {
	return env.TxData("sale.orderBatch", func() any { return &orderBatch{} }).(*orderBatch)
}

// openBatch starts, for an order hook whose vals change lines, the
// batch its lines' hooks leave their orders to.
func openBatch(env *models.Env, vals map[string]any) {
	if _, ok := vals["order_line"]; ok {
		batchOf(env).depth++
	}
}

// closeBatch ends the batch openBatch started for vals and, for the
// outermost, stores the amounts of the orders ids and of those the lines
// left to it, once each.
func closeBatch(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	if _, ok := vals["order_line"]; !ok {
		return nil
	}
	b := batchOf(env)
	b.depth--
	b.orders = append(b.orders, ids...)
	if b.depth > 0 {
		return nil
	}
	orders := uniqueIDs(b.orders)
	b.orders = nil
	return storeOrderAmounts(ctx, env, orders, nil)
}

// deferOrders leaves the orders' amounts to the batch under way, and
// reports whether there is one.
func deferOrders(env *models.Env, orders []int64) bool {
	b := batchOf(env)
	if b.depth == 0 {
		return false
	}
	b.orders = append(b.orders, orders...)
	return true
}

// uniqueIDs is ids without zeros and repetitions, in their first order.
func uniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
