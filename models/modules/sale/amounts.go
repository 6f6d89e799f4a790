package sale

import (
	"context"
	"slices"

	"github.com/godoo/godoo/models"
)

// orderLines reads the lines of the orders of recs, by order.
func orderLines(ctx context.Context, env *models.Env, recs []models.Record) (map[int64][]*line, error) {
	ids := recordIDs(recs)
	out := map[int64][]*line{}
	if len(ids) == 0 {
		return out, nil
	}
	lines, order, err := readLines(ctx, env, "l.order_id IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return nil, err
	}
	for _, id := range order {
		l := lines[id]
		out[l.order] = append(out[l.order], l)
	}
	return out, nil
}

// orderRounding is the rounding of each order's currency.
func orderRounding(ctx context.Context, env *models.Env, ids []int64) (map[int64]float64, error) {
	out := map[int64]float64{}
	rows, err := env.Query(ctx, "SELECT o.id, COALESCE(c.rounding, 0.01) FROM sale_order o LEFT JOIN res_currency c ON c.id = o.currency_id WHERE o.id IN ("+
		models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r float64
		if err := rows.Scan(&id, &r); err != nil {
			return nil, err
		}
		out[id] = r
	}
	return out, rows.Err()
}

// orderState is the state of an order as its lines keep a copy of it
// ("draft" when it has none, which then has nothing to invoice).
func orderState(lines []*line) string {
	if len(lines) == 0 {
		return "draft"
	}
	return lines[0].state
}

// orderInvoiceStatus is an order's invoice status from its state and
// its lines' statuses.
func orderInvoiceStatus(state string, lines []string) string {
	all := func(ok func(string) bool) bool {
		for _, s := range lines {
			if !ok(s) {
				return false
			}
		}
		return len(lines) > 0
	}
	switch {
	case state != "sale":
		return "no"
	case slices.Contains(lines, "to invoice"):
		return "to invoice"
	case all(func(s string) bool { return s == "invoiced" }):
		return "invoiced"
	case all(func(s string) bool { return s == "invoiced" || s == "upselling" }):
		return "upselling"
	}
	return "no"
}
