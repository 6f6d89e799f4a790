package sale

import (
	"context"

	"github.com/godoo/godoo/models"
)

// Tracking is the tracking of sale.order's fields, as Odoo's sale
// 18 declares it: the chatter logs a change of the customer, pricelist,
// salesperson, state, amounts, sales team and lock.
func Tracking() map[string]map[string]int {
	return map[string]map[string]int{
		"sale.order": {"partner_id": 1, "pricelist_id": 1, "user_id": 2, "state": 3, "amount_total": 4,
			"amount_untaxed": 5, "team_id": 100, "locked": 100},
	}
}

// trackSubtype is sale.order's _track_subtype: a change of state to a
// confirmed order (or a sent quotation) is posted with its subtype
// rather than logged as a note. init_values holds the initial values of
// the fields changed.
func trackSubtype(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
	init, _ := a["init_values"].(map[string]any)
	if _, ok := init["state"]; !ok || len(ids) != 1 {
		return false, nil
	}
	st, err := orderStates(ctx, env, ids)
	if err != nil {
		return nil, err
	}
	switch st[ids[0]] {
	case "sale":
		return "sale.mt_order_confirmed", nil
	case "sent":
		return "sale.mt_order_sent", nil
	}
	return false, nil
}

// trackOrders has the chatter keep the tracked values of the orders of
// the lines ids (and of the order a line moves to or is created in,
// order) before the lines change, as Odoo's recomputation of an order's
// stored amounts does: the call's end logs the amounts that changed.
func trackOrders(ctx context.Context, env *models.Env, ids []int64, order int64) error {
	orders := env.Registry.Model("sale.order")
	prepare := orders.Methods["_track_prepare"]
	if prepare == nil {
		return nil // a registry without the chatter
	}
	var todo []int64
	if len(ids) > 0 {
		var err error
		if todo, err = env.Int64s(ctx, "SELECT DISTINCT order_id FROM sale_order_line WHERE order_id IS NOT NULL AND id IN ("+
			models.Placeholders(len(ids))+")", models.IDArgs(ids)...); err != nil {
			return err
		}
	}
	if order != 0 {
		todo = append(todo, order)
	}
	if len(todo) == 0 {
		return nil
	}
	_, err := prepare.Fn(ctx, env, orders, todo, models.Args{"fields": []any{"amount_untaxed", "amount_total"}})
	return err
}
