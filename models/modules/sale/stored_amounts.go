package sale

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models"
)

// Odoo stores the amounts of orders and lines (amount_untaxed,
// amount_tax, amount_total; price_subtotal, price_tax, price_total and
// the reduced prices), so that they can be searched, ordered and grouped:
// godoo keeps them in columns too, written whenever what they are made of
// changes (a line's quantity, price, discount, taxes, currency or order;
// a line created or deleted; the order's currency).

// lineAmountFields are the fields of a line its stored amounts depend
// on: a write of one of them computes them again.
var lineAmountFields = []string{"product_uom_qty", "price_unit", "discount", "tax_id", "currency_id", "display_type", "order_id"}

// storeLineAmounts computes and writes the stored amounts of the lines
// ids, in one statement.
func storeLineAmounts(ctx context.Context, env *models.Env, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	lines, order, err := readLines(ctx, env, "l.id IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	rows := make([][]any, 0, len(order))
	for _, id := range order {
		l := lines[id]
		var excl, incl float64
		if l.qty != 0 {
			excl, incl = l.subtotal/l.qty, l.total/l.qty
		}
		rows = append(rows, []any{id, l.subtotal, l.tax, l.total, excl, incl})
	}
	return updateRows(ctx, env, "sale_order_line",
		[]string{"price_subtotal", "price_tax", "price_total", "price_reduce_taxexcl", "price_reduce_taxinc"}, rows)
}

// updateRows writes the columns cols of the rows of table in one
// statement: each of rows is a row's id followed by its values, in the
// order of cols. Both stores join a list of VALUES, whose columns they
// both name column1, column2, ..., to the table by id; a statement per
// row was one round trip per line of an order.
func updateRows(ctx context.Context, env *models.Env, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString("UPDATE " + table + " SET ")
	for i, c := range cols {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(c + " = v.column" + strconv.Itoa(i+2))
	}
	q.WriteString(" FROM (VALUES ")
	row := "(" + models.Placeholders(len(cols)+1) + ")"
	args := make([]any, 0, len(rows)*(len(cols)+1))
	for i, r := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(row)
		args = append(args, r...)
	}
	q.WriteString(") AS v WHERE " + table + ".id = v.column1")
	_, err := env.Exec(ctx, q.String(), args...)
	return err
}

// linesOf is the condition on lines l, with its arguments, of the lines
// of the orders ids but those skip.
func linesOf(ids, skip []int64) (string, []any) {
	where, args := "l.order_id IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)
	if len(skip) > 0 {
		where += " AND l.id NOT IN (" + models.Placeholders(len(skip)) + ")"
		args = append(args, models.IDArgs(skip)...)
	}
	return where, args
}

// storeOrderAmounts computes and writes the stored amounts of the orders
// ids from their lines' stored ones, leaving out the lines skip (lines
// about to be deleted or to move to another order): the sums, rounded to
// the order's currency, in one statement.
func storeOrderAmounts(ctx context.Context, env *models.Env, ids, skip []int64) error {
	ids = nonZero(ids)
	if len(ids) == 0 {
		return nil
	}
	rounding, err := orderRounding(ctx, env, ids)
	if err != nil {
		return err
	}
	type sums struct{ untaxed, tax float64 }
	byOrder := map[int64]*sums{}
	where, args := linesOf(ids, skip)
	rows, err := env.Query(ctx, "SELECT l.order_id, COALESCE(SUM(l.price_subtotal), 0), COALESCE(SUM(l.price_tax), 0) "+
		"FROM sale_order_line l WHERE "+where+" GROUP BY l.order_id", args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		s := &sums{}
		if err := rows.Scan(&id, &s.untaxed, &s.tax); err != nil {
			rows.Close()
			return err
		}
		byOrder[id] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	amounts := make([][]any, 0, len(ids))
	for _, id := range ids {
		s := byOrder[id]
		if s == nil {
			s = &sums{}
		}
		rd := rounding[id]
		untaxed, tax := round(s.untaxed, rd), round(s.tax, rd)
		amounts = append(amounts, []any{id, untaxed, tax, round(untaxed+tax, rd)})
	}
	if err := updateRows(ctx, env, "sale_order", []string{"amount_untaxed", "amount_tax", "amount_total"}, amounts); err != nil {
		return err
	}
	return storeInvoiceStatus(ctx, env, ids, skip)
}

// storeAmounts computes and writes the stored amounts of the orders ids
// and of all their lines.
func storeAmounts(ctx context.Context, env *models.Env, ids []int64) error {
	ids = nonZero(ids)
	if len(ids) == 0 {
		return nil
	}
	lines, err := env.Int64s(ctx, "SELECT id FROM sale_order_line WHERE order_id IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	if err := storeLineAmounts(ctx, env, lines); err != nil {
		return err
	}
	return storeOrderAmounts(ctx, env, ids, nil)
}

// linesOrders are the orders of the lines ids.
func linesOrders(ctx context.Context, env *models.Env, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return env.Int64s(ctx, "SELECT DISTINCT order_id FROM sale_order_line WHERE order_id IS NOT NULL AND id IN ("+
		models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
}

// nonZero is ids without the zeros (a line without order).
func nonZero(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id != 0 {
			out = append(out, id)
		}
	}
	return out
}

// fillBatch is how many lines or orders the stored values are computed
// for at once (the fills of missing values, a product's orders), well
// under the stores' limits of arguments.
const fillBatch = 500

// inBatches calls fn with ids, fillBatch at a time, in their order, and
// stops at its first error: a statement over every order of a product or
// of a database would pass the stores' limit of arguments.
func inBatches(ids []int64, fn func(batch []int64) error) error {
	for batch := range slices.Chunk(ids, fillBatch) {
		if err := fn(batch); err != nil {
			return err
		}
	}
	return nil
}

// storeMissingAmounts fills the stored amounts of the lines and orders
// of a database made before godoo stored them (their columns empty), in
// batches. A line whose taxes godoo does not compute (a group of taxes,
// which such a database could hold) is left empty rather than keep the
// database from opening, and so is its order: totals without one of its
// lines would be wrong, while an empty one says they are unknown.
func storeMissingAmounts(ctx context.Context, env *models.Env) error {
	lines, err := env.Int64s(ctx, "SELECT id FROM sale_order_line WHERE price_subtotal IS NULL ORDER BY id")
	if err != nil {
		return err
	}
	for batch := range slices.Chunk(lines, fillBatch) {
		err := storeLineAmounts(ctx, env, batch)
		if models.KindOf(err) == models.KindUser {
			// A tax of the batch is not computed: its lines one by one,
			// leaving those of that tax empty. readLines fails before
			// writing anything.
			err = nil
			for _, id := range batch {
				if err = storeLineAmounts(ctx, env, []int64{id}); models.KindOf(err) == models.KindUser {
					err = nil
				}
				if err != nil {
					break
				}
			}
		}
		if err != nil {
			return err
		}
	}
	orders, err := env.Int64s(ctx, `SELECT o.id FROM sale_order o WHERE o.amount_total IS NULL
		AND NOT EXISTS (SELECT 1 FROM sale_order_line l WHERE l.order_id = o.id AND l.price_subtotal IS NULL) ORDER BY o.id`)
	if err != nil {
		return err
	}
	return inBatches(orders, func(batch []int64) error { return storeOrderAmounts(ctx, env, batch, nil) })
}
