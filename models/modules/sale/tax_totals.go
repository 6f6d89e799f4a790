package sale

import (
	"context"
	"database/sql"
	"slices"

	"github.com/godoo/godoo/models"
)

// computeTaxTotals fills orders' tax_totals, the summary Odoo's form
// shows under the lines: the untaxed amount, the taxes by tax group, the
// total, in the order's currency and the company's (godoo converts
// nothing: an order's amounts are in its currency, which is the
// company's unless a pricelist says otherwise).
func computeTaxTotals(ctx context.Context, env *models.Env, recs []models.Record) error {
	byOrder, err := orderLines(ctx, env, recs)
	if err != nil {
		return err
	}
	for _, r := range recs {
		id, _ := r["id"].(int64)
		var currency, companyCurrency sql.NullInt64
		var rounding, companyRounding sql.NullFloat64
		rows, err := env.Query(ctx, `SELECT o.currency_id, c.rounding, co.currency_id, cc.rounding FROM sale_order o
			LEFT JOIN res_currency c ON c.id = o.currency_id
			LEFT JOIN res_company co ON co.id = o.company_id
			LEFT JOIN res_currency cc ON cc.id = co.currency_id WHERE o.id = ?`, id)
		if err != nil {
			return err
		}
		if rows.Next() {
			err = rows.Scan(&currency, &rounding, &companyCurrency, &companyRounding)
		}
		rows.Close()
		if err != nil {
			return err
		}
		groups, order, err := taxGroups(ctx, env, byOrder[id])
		if err != nil {
			return err
		}
		var untaxed, taxes float64
		for _, l := range byOrder[id] {
			untaxed += l.subtotal
			taxes += l.tax
		}
		rd := rounding.Float64
		untaxed, taxes = round(untaxed, rd), round(taxes, rd)
		sameBase := true
		groupList := make([]any, 0, len(order))
		for _, g := range order {
			tg := groups[g]
			if round(tg.base, rd) != untaxed {
				sameBase = false
			}
			taxIDs := make([]any, len(tg.taxes))
			for i, t := range tg.taxes {
				taxIDs[i] = t
			}
			groupList = append(groupList, ordered(
				"id", g, "involved_tax_ids", taxIDs,
				"tax_amount_currency", round(tg.amount, rd), "tax_amount", round(tg.amount, rd),
				"base_amount_currency", round(tg.base, rd), "base_amount", round(tg.base, rd),
				"display_base_amount_currency", round(tg.base, rd), "display_base_amount", round(tg.base, rd),
				"group_name", tg.name, "group_label", false))
		}
		r["tax_totals"] = ordered(
			"currency_id", nullID(currency), "currency_pd", rd,
			"company_currency_id", nullID(companyCurrency), "company_currency_pd", companyRounding.Float64,
			"has_tax_groups", len(order) > 0,
			"subtotals", []any{ordered(
				"tax_groups", groupList, "tax_amount_currency", taxes, "tax_amount", taxes,
				"base_amount_currency", untaxed, "base_amount", untaxed, "name", "Untaxed Amount")},
			"base_amount_currency", untaxed, "base_amount", untaxed,
			"tax_amount_currency", taxes, "tax_amount", taxes,
			"same_tax_base", sameBase,
			"total_amount_currency", round(untaxed+taxes, rd), "total_amount", round(untaxed+taxes, rd))
	}
	return nil
}

// taxGroup is what the taxes of one group amount to on an order.
type taxGroup struct {
	name         string
	taxes        []int64
	amount, base float64
}

// taxGroups sums the lines' taxes by tax group, the groups in the order
// their first tax comes.
func taxGroups(ctx context.Context, env *models.Env, lines []*line) (map[int64]*taxGroup, []int64, error) {
	out := map[int64]*taxGroup{}
	var order []int64
	for _, l := range lines {
		counted := map[int64]bool{}
		for _, t := range l.taxed {
			g := out[t.group]
			if g == nil {
				g = &taxGroup{}
				out[t.group] = g
				order = append(order, t.group)
			}
			if !slices.Contains(g.taxes, t.id) {
				g.taxes = append(g.taxes, t.id)
			}
			g.amount += t.amountDue
			if !counted[t.group] {
				counted[t.group] = true
				g.base += l.subtotal
			}
		}
	}
	for _, id := range order {
		names, err := env.Strings(ctx, "SELECT name FROM account_tax_group WHERE id = ?", id)
		if err != nil {
			return nil, nil, err
		}
		if len(names) > 0 {
			out[id].name = names[0]
		}
	}
	return out, order, nil
}
