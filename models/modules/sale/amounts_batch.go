package sale

import (
	"context"
	"reflect"
	"slices"

	"github.com/godoo/godoo/models"
)

// An order created or written with lines (order_line) creates, writes
// or deletes its lines one at a time, each in its own hooks. Storing the
// lines' amounts and summing the order's after each would be a statement
// per line and a reading of all the order's lines per line: while an
// order's lines change through the order, the line hooks leave both to
// the order's hook, which stores the amounts of the lines changed in one
// statement and sums each order once when its lines are done, as Odoo's
// recomputation of stored fields once per flush.

// orderBatch is what the order hooks under way gather of the orders
// whose lines changed: the values of each order hook that waits for its
// lines (nested when a line's hook writes an order), by which its After
// hook, or the ORM when the create or write fails (batchFailed), ends
// it, and the lines whose amounts to store and the orders to sum when
// the outermost is done. A write that fails leaves no batch open behind
// it: a caller that carries on in the transaction has what it left
// stored by the next line written alone (takeLeft) or the next order
// hook that ends.
type orderBatch struct {
	open   []uintptr
	lines  []int64
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
// outermost, stores the amounts of the lines left to it, then those of
// the orders ids, of the orders left to it and of those lines' orders,
// once each.
func closeBatch(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	if !endBatch(env, vals) {
		return nil
	}
	b := batchOf(env)
	b.orders = append(b.orders, ids...)
	if len(b.open) > 0 {
		return nil
	}
	lines, orders := b.takeLeft()
	return storeLinesAndOrders(ctx, env, lines, orders)
}

// takeLeft returns, and forgets, the lines and orders left to the batch.
func (b *orderBatch) takeLeft() (lines, orders []int64) {
	lines, orders = uniqueIDs(b.lines), b.orders
	b.lines, b.orders = nil, nil
	return lines, orders
}

// storeLinesAndOrders stores the amounts of lines, then those of orders
// and of the lines' orders, once each.
func storeLinesAndOrders(ctx context.Context, env *models.Env, lines, orders []int64) error {
	if err := storeLineAmounts(ctx, env, lines); err != nil {
		return err
	}
	theirs, err := linesOrders(ctx, env, lines)
	if err != nil {
		return err
	}
	return storeOrderAmounts(ctx, env, uniqueIDs(append(orders, theirs...)), nil)
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

// deferLines leaves the amounts of the lines ids, and their orders', to
// the batch under way, and reports whether there is one.
func deferLines(env *models.Env, ids []int64) bool {
	b := batchOf(env)
	if len(b.open) == 0 {
		return false
	}
	b.lines = append(b.lines, ids...)
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
