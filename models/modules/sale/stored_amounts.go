package sale

import (
	"context"

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
// ids.
func storeLineAmounts(ctx context.Context, env *models.Env, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	lines, order, err := readLines(ctx, env, "l.id IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	for _, id := range order {
		l := lines[id]
		var excl, incl float64
		if l.qty != 0 {
			excl, incl = l.subtotal/l.qty, l.total/l.qty
		}
		if _, err := env.Exec(ctx, `UPDATE sale_order_line SET price_subtotal = ?, price_tax = ?, price_total = ?,
			price_reduce_taxexcl = ?, price_reduce_taxinc = ? WHERE id = ?`, l.subtotal, l.tax, l.total, excl, incl, id); err != nil {
			return err
		}
	}
	return nil
}

// storeOrderAmounts computes and writes the stored amounts of the orders
// ids from their lines' stored ones, leaving out the lines skip (lines
// about to be deleted or to move to another order): the sums, rounded to
// the order's currency.
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
	q := "SELECT order_id, COALESCE(SUM(price_subtotal), 0), COALESCE(SUM(price_tax), 0) FROM sale_order_line WHERE order_id IN (" +
		models.Placeholders(len(ids)) + ")"
	args := models.IDArgs(ids)
	if len(skip) > 0 {
		q += " AND id NOT IN (" + models.Placeholders(len(skip)) + ")"
		args = append(args, models.IDArgs(skip)...)
	}
	rows, err := env.Query(ctx, q+" GROUP BY order_id", args...)
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
	for _, id := range ids {
		s := byOrder[id]
		if s == nil {
			s = &sums{}
		}
		rd := rounding[id]
		untaxed, tax := round(s.untaxed, rd), round(s.tax, rd)
		if _, err := env.Exec(ctx, "UPDATE sale_order SET amount_untaxed = ?, amount_tax = ?, amount_total = ? WHERE id = ?",
			untaxed, tax, round(untaxed+tax, rd), id); err != nil {
			return err
		}
	}
	return nil
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

// storeMissingAmounts fills the stored amounts of the lines and orders
// of a database made before godoo stored them (their columns empty). A
// line whose taxes godoo does not compute (a group of taxes, which such a
// database could hold) is left empty rather than keep the database from
// opening; its order sums the others.
func storeMissingAmounts(ctx context.Context, env *models.Env) error {
	lines, err := env.Int64s(ctx, "SELECT id FROM sale_order_line WHERE price_subtotal IS NULL")
	if err != nil {
		return err
	}
	for _, id := range lines {
		if err := storeLineAmounts(ctx, env, []int64{id}); err != nil && models.KindOf(err) != models.KindUser {
			return err
		}
	}
	orders, err := env.Int64s(ctx, "SELECT id FROM sale_order WHERE amount_total IS NULL")
	if err != nil {
		return err
	}
	return storeOrderAmounts(ctx, env, orders, nil)
}
