package sale

import (
	"context"
	"reflect"
	"slices"

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
// whose lines changed: the values of each order hook that waits for its
// lines (nested when a line's hook writes an order), by which its After
// hook, or the ORM when the create or write fails (batchFailed), ends
// it, and the orders to sum when the outermost is done. A write that
// fails leaves no batch open behind it: a caller that carries on in the
// transaction has its lines' orders summed again.
type orderBatch struct {
	open   []uintptr
	orders []int64
}

// batchOf is the transaction's orderBatch.
func batchOf(env *models.Env) *orderBatch {
	return env.TxData("sale.orderBatch", func() any { return &orderBatch{} }).(*orderBatch)
}

// batchKey is what tells the batch of an order hook's values from the
// others: the map itself, which the ORM gives both hooks of a create or
// a write.
func batchKey(vals map[string]any) uintptr { return reflect.ValueOf(vals).Pointer() }

// openBatch starts, for an order hook whose vals change lines, the
// batch its lines' hooks leave their orders to.
func openBatch(env *models.Env, vals map[string]any) {
	if _, ok := vals["order_line"]; ok {
		b := batchOf(env)
		b.open = append(b.open, batchKey(vals))
	}
}

// endBatch ends the batch openBatch started for vals, and reports
// whether there was one.
func endBatch(env *models.Env, vals map[string]any) bool {
	b := batchOf(env)
	i := slices.Index(b.open, batchKey(vals))
	if i < 0 {
		return false
	}
	b.open = slices.Delete(b.open, i, i+1)
	return true
}

// closeBatch ends the batch openBatch started for vals and, for the
// outermost, stores the amounts of the orders ids and of those the lines
// left to it, once each.
func closeBatch(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	if !endBatch(env, vals) {
		return nil
	}
	b := batchOf(env)
	b.orders = append(b.orders, ids...)
	if len(b.open) > 0 {
		return nil
	}
	orders := uniqueIDs(b.orders)
	b.orders = nil
	return storeOrderAmounts(ctx, env, orders, nil)
}

// batchFailed ends the batch of an order's create or write that failed
// (models.Hooks.WriteFailed). The orders its lines left to it stay with
// the batch, summed by the next outermost order hook that ends.
func batchFailed(_ context.Context, env *models.Env, _ []int64, vals map[string]any) {
	endBatch(env, vals)
}

// deferOrders leaves the orders' amounts to the batch under way, and
// reports whether there is one.
func deferOrders(env *models.Env, orders []int64) bool {
	b := batchOf(env)
	if len(b.open) == 0 {
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
