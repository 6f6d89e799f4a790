package sale

import (
	"context"
	"sort"
	"strings"

	"github.com/godoo/godoo/models"
)

// orderBehaviour is sale.order's: its defaults, its name from the
// sequence, its state changes and what may not be deleted.
func orderBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{BeforeCreate: orderBeforeCreate, AfterCreate: orderAfterCreate, BeforeUnlink: orderBeforeUnlink,
			CopyData: orderCopyData, BeforeWrite: orderBeforeWrite, AfterWrite: orderAfterWrite, WriteFailed: batchFailed},
		// Odoo's defaults, as its default_get gives them; what Odoo
		// computes when the order is created (addresses, salesperson,
		// team, validity) is orderBeforeCreate's.
		Defaults: map[string]func(context.Context, *models.Env) any{
			"date_order": func(_ context.Context, env *models.Env) any { return env.NowText() },
		},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
			"_compute_tax_totals": computeTaxTotals,
		},
		Methods: []*models.Method{
			{Name: "default_get", Class: "SaleOrder", Params: []string{"fields_list"}, Required: 1, ReadOnly: true, Fn: orderDefaultGet},
			{Name: "action_confirm", Record: true, Op: models.OpWrite, Class: "SaleOrder", Fn: actionConfirm},
			{Name: "action_cancel", Record: true, Op: models.OpWrite, Class: "SaleOrder", Fn: actionCancel},
			{Name: "action_draft", Record: true, Op: models.OpWrite, Class: "SaleOrder", Fn: actionDraft},
			{Name: "_track_subtype", Record: true, Op: models.OpRead, Class: "SaleOrder", Params: []string{"init_values"}, Fn: trackSubtype},
		},
	}
}

// orderBeforeCreate names a new order from the sale.order sequence (when
// it is Odoo's "New"), gives it the call's company (Odoo's env.company)
// when vals has none, and fills what Odoo computes from the customer, the
// user and the company: the salesperson, the sales team, the validity,
// the signature and payment asked for (orderCreateComputes), the invoice
// and delivery addresses, the pricelist, the currency.
func orderBeforeCreate(ctx context.Context, env *models.Env, vals map[string]any) error {
	if _, ok := vals["company_id"]; !ok {
		company, err := env.Company(ctx)
		if err != nil {
			return err
		}
		if company != 0 {
			vals["company_id"] = company
		}
	}
	if name, ok := vals["name"].(string); !ok || name == "" || name == "New" {
		next, err := nextName(ctx, env)
		if err != nil {
			return err
		}
		vals["name"] = next
	}
	if err := orderCreateComputes(ctx, env, vals); err != nil {
		return err
	}
	if partner := toID(vals["partner_id"]); partner != 0 {
		for field, kind := range map[string]string{"partner_invoice_id": "invoice", "partner_shipping_id": "delivery"} {
			if toID(vals[field]) == 0 {
				addr, err := address(ctx, env, partner, kind)
				if err != nil {
					return err
				}
				vals[field] = addr
			}
		}
	}
	if err := orderPricelist(ctx, env, vals); err != nil {
		return err
	}
	if toID(vals["currency_id"]) == 0 {
		var cur int64
		if ok, err := env.Scalar(ctx, &cur, "SELECT COALESCE(currency_id, 0) FROM res_company WHERE id = ?", toID(vals["company_id"])); err != nil {
			return err
		} else if ok && cur != 0 {
			vals["currency_id"] = cur
		}
	}
	openBatch(env, vals)
	return nil
}

// nextName is the next number of the sale.order sequence, "New" when the
// database has none, as Odoo names an order then.
func nextName(ctx context.Context, env *models.Env) (string, error) {
	seqs := env.Registry.Model("ir.sequence")
	next := seqs.Methods["next_by_code"]
	if next == nil {
		return "New", nil
	}
	v, err := next.Fn(ctx, env.Sudo(), seqs, nil, models.Args{"sequence_code": "sale.order"})
	if err != nil {
		return "", err
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "New", nil
}

// address is the contact of kind (invoice, delivery) of partner's
// commercial entity when it has one, else the partner itself: Odoo's
// address_get.
func address(ctx context.Context, env *models.Env, partner int64, kind string) (int64, error) {
	ids, err := env.Int64s(ctx, "SELECT id FROM res_partner WHERE parent_id = ? AND type = ? AND active = ? ORDER BY id LIMIT 1", partner, kind, true)
	if err != nil || len(ids) == 0 {
		return partner, err
	}
	return ids[0], nil
}

// orderRelated are the order's fields its lines keep a copy of (Odoo's
// stored related fields of sale.order.line), by the line's field name.
var orderRelated = map[string]string{"state": "state", "currency_id": "currency_id", "company_id": "company_id",
	"order_partner_id": "partner_id", "salesman_id": "user_id"}

// orderAfterWrite keeps the lines' copies of the order's fields in step
// with the order (the personal and multi-company rules of the lines
// filter on them), and the stored amounts with a new currency (rounded
// to it) or lines changed through order_line.
func orderAfterWrite(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	for _, of := range orderRelated {
		if _, ok := vals[of]; ok {
			if err := syncLines(ctx, env, "order_id", ids); err != nil {
				return err
			}
			break
		}
	}
	if _, ok := vals["currency_id"]; ok {
		if err := storeAmounts(ctx, env, ids); err != nil {
			return err
		}
	}
	if _, ok := vals["state"]; ok {
		if err := storeInvoiceStatus(ctx, env, ids, nil); err != nil {
			return err
		}
	}
	return closeBatch(ctx, env, ids, vals)
}

// orderBeforeWrite lets the lines a write changes through order_line
// leave the orders' amounts to orderAfterWrite (openBatch).
func orderBeforeWrite(_ context.Context, env *models.Env, _ []int64, vals map[string]any) error {
	openBatch(env, vals)
	return nil
}

// orderAfterCreate stores a new order's amounts: nothing without lines,
// its lines' sums with them, once its lines are all made (closeBatch).
func orderAfterCreate(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
	if _, ok := vals["order_line"]; ok {
		return closeBatch(ctx, env, []int64{id}, vals)
	}
	return storeOrderAmounts(ctx, env, []int64{id}, nil)
}

// syncLines copies the order's fields into the lines whose column col
// (id or order_id) is one of ids.
func syncLines(ctx context.Context, env *models.Env, col string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	sets := make([]string, 0, len(orderRelated))
	for _, lf := range sortedKeys(orderRelated) {
		sets = append(sets, lf+" = (SELECT o."+orderRelated[lf]+" FROM sale_order o WHERE o.id = sale_order_line.order_id)")
	}
	_, err := env.Exec(ctx, "UPDATE sale_order_line SET "+strings.Join(sets, ", ")+" WHERE "+col+" IN ("+models.Placeholders(len(ids))+")",
		models.IDArgs(ids)...)
	return err
}

// sortedKeys are m's keys in order.
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// orderBeforeUnlink refuses to delete an order that is not a quotation
// or cancelled, with Odoo's text.
func orderBeforeUnlink(ctx context.Context, env *models.Env, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	n, err := env.Int64s(ctx, "SELECT id FROM sale_order WHERE state NOT IN ('draft', 'cancel') AND id IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	if len(n) > 0 {
		return models.UserErrorf("You can not delete a sent quotation or a confirmed sales order. You must first cancel it.")
	}
	return nil
}

// orderCopyFields are the fields of an order Odoo does not copy: the
// copy is a new quotation, named from the sequence and dated now.
var orderCopyFields = []string{"name", "state", "date_order", "validity_date", "origin", "locked", "signature", "signed_by",
	"signed_on", "invoice_status", "currency_rate", "commitment_date", "reference"}

// orderCopyData makes a copy a new quotation with copies of the lines.
func orderCopyData(ctx context.Context, env *models.Env, id int64, vals, _ map[string]any) error {
	for _, n := range orderCopyFields {
		delete(vals, n)
	}
	lines := env.Registry.Model("sale.order.line")
	ids, err := env.Search(ctx, lines, []any{[]any{"order_id", "=", id}}, models.SearchOptions{Order: "sequence, id"})
	if err != nil {
		return err
	}
	recs, err := env.Read(ctx, lines, ids, lineCopyFields, false)
	if err != nil {
		return err
	}
	cmds := make([]any, 0, len(recs))
	for _, r := range recs {
		line := map[string]any{}
		for _, n := range lineCopyFields {
			switch v := r[n]; {
			case n == "tax_id":
				line[n] = []any{[]any{int64(6), int64(0), v}}
			case v != false || n == "is_downpayment":
				line[n] = v
			}
		}
		cmds = append(cmds, []any{int64(0), int64(0), line})
	}
	vals["order_line"] = cmds
	return nil
}

// lineCopyFields are what a copied order's lines take from the original's.
var lineCopyFields = []string{"sequence", "display_type", "name", "product_id", "product_uom_qty", "product_uom",
	"price_unit", "discount", "tax_id", "customer_lead", "is_downpayment"}

// actionConfirm confirms quotations: state sale, dated now. An order
// that is not a quotation is refused with Odoo's text.
func actionConfirm(ctx context.Context, env *models.Env, m *models.Model, ids []int64, _ models.Args) (any, error) {
	states, err := orderStates(ctx, env, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if s := states[id]; s != "draft" && s != "sent" {
			return nil, models.UserErrorf("Some orders are not in a state requiring confirmation.")
		}
	}
	if err := subscribeCustomers(ctx, env, m, ids); err != nil {
		return nil, err
	}
	if err := env.Write(ctx, m, ids, map[string]any{"state": "sale", "date_order": env.NowText()}); err != nil {
		return nil, err
	}
	return true, nil
}

// subscribeCustomers makes each order's customer a follower of the
// order, as Odoo's action_confirm does before it confirms.
func subscribeCustomers(ctx context.Context, env *models.Env, m *models.Model, ids []int64) error {
	subscribe := m.Methods["message_subscribe"]
	if subscribe == nil {
		return nil // a registry without the chatter
	}
	recs, err := env.Read(ctx, m, ids, []string{"partner_id"}, false)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if partner := toID(r["partner_id"]); partner != 0 {
			if _, err := subscribe.Fn(ctx, env, m, []int64{r["id"].(int64)}, models.Args{"partner_ids": []any{partner}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// actionCancel cancels orders. A confirmed order answers the
// sale.order.cancel wizard's action instead, as Odoo asks before it
// warns the customer, unless the context has disable_cancel_warning.
func actionCancel(ctx context.Context, env *models.Env, m *models.Model, ids []int64, _ models.Args) (any, error) {
	states, err := orderStates(ctx, env, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if states[id] == "sale" && env.Context["disable_cancel_warning"] != true {
			return cancelWizard(ctx, env, ids[0])
		}
	}
	if err := env.Write(ctx, m, ids, map[string]any{"state": "cancel"}); err != nil {
		return nil, err
	}
	return true, nil
}

// cancelWizard is Odoo's action opening the sale.order.cancel wizard on
// order.
func cancelWizard(ctx context.Context, env *models.Env, order int64) (any, error) {
	ref := func(xmlid string) (any, error) {
		id, err := env.XMLID(ctx, xmlid)
		if err != nil || id == 0 {
			return false, err
		}
		return id, nil
	}
	template, err := ref("sale.mail_template_sale_cancellation")
	if err != nil {
		return nil, err
	}
	view, err := ref("sale.sale_order_cancel_view_form")
	if err != nil {
		return nil, err
	}
	return ordered(
		"name", "Cancel Sales Order",
		"view_mode", "form",
		"res_model", "sale.order.cancel",
		"view_id", view,
		"type", "ir.actions.act_window",
		"context", ordered(
			"default_template_id", template,
			"default_order_id", order,
			"mark_so_as_canceled", true,
			"default_email_layout_xmlid", "mail.mail_notification_layout_with_responsible_signature",
			"model_description", "Sales Order",
		),
		"target", "new",
	), nil
}

// actionDraft makes cancelled or sent orders quotations again.
func actionDraft(ctx context.Context, env *models.Env, m *models.Model, ids []int64, _ models.Args) (any, error) {
	states, err := orderStates(ctx, env, ids)
	if err != nil {
		return nil, err
	}
	var todo []int64
	for _, id := range ids {
		if s := states[id]; s == "cancel" || s == "sent" {
			todo = append(todo, id)
		}
	}
	if len(todo) > 0 {
		if err := env.Write(ctx, m, todo, map[string]any{"state": "draft", "signature": false, "signed_by": false, "signed_on": false}); err != nil {
			return nil, err
		}
	}
	return true, nil
}

// states are orders' states, by id.
type states map[int64]string

// ordered is the dict of keys and values in turn, in their order.
func ordered(kv ...any) *models.Dict {
	d := models.NewDict(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		d.Set(kv[i].(string), kv[i+1])
	}
	return d
}

// orderStates reads the state of the orders ids as the caller: a
// missing order or one the caller may not read gets the ORM's error.
func orderStates(ctx context.Context, env *models.Env, ids []int64) (states, error) {
	out := states{}
	if len(ids) == 0 {
		return out, nil
	}
	orders := env.Registry.Model("sale.order")
	if err := env.CheckExist(ctx, orders, ids); err != nil {
		return nil, err
	}
	recs, err := env.Read(ctx, orders, ids, []string{"state"}, false)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id, _ := r["id"].(int64)
		out[id], _ = r["state"].(string)
	}
	return out, nil
}
