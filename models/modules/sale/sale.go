// Package sale is the Go behaviour of Odoo's sale module: what the
// declarations of its folder cannot say. Orders take their name from the
// sale.order sequence and move through Odoo's states (action_confirm,
// action_cancel with its wizard, action_draft); order and line amounts
// are computed as Odoo computes them and stored, as Odoo stores them.
package sale

import (
	"context"
	"fmt"

	"github.com/godoo/godoo/models"
)

// Behaviours are the module's behaviours, laid over those of the models
// they name.
func Behaviours() map[string]func() *models.Behaviour {
	return map[string]func() *models.Behaviour{
		"sale.order":       orderBehaviour,
		"sale.order.line":  lineBehaviour,
		"res.partner":      partnerBehaviour,
		"product.template": templateBehaviour,
		"res.company":      companyBehaviour,
	}
}

// Computed names the computes of the fields Odoo computes that godoo
// computes when they are read (they have no column), by model and field.
// The amounts and invoice statuses of orders and lines are stored
// instead, as Odoo's (stored_amounts.go, stored_invoice_status.go).
func Computed() map[string]map[string]string {
	return map[string]map[string]string{
		"sale.order":      {"tax_totals": "_compute_tax_totals"},
		"sale.order.line": {"product_template_id": "_compute_product_template_id"},
		"res.partner":     {"sale_order_count": "_compute_sale_order_count"},
	}
}

// OnDelete is Odoo's ondelete of the module's many2one fields that is
// not "set null", by model and field: an order's lines go with it.
func OnDelete() map[string]map[string]string {
	return map[string]map[string]string{
		"sale.order.line": {"order_id": "cascade"},
	}
}

// Install gives the companies there Odoo's sale settings, and creates
// the module's records that its behaviour names: the sequence orders are
// named by, the cancel wizard's form view and the cancellation mail
// template its action opens with.
func Install(ctx context.Context, env *models.Env) error {
	if err := installCompanySettings(ctx, env); err != nil {
		return err
	}
	records := []record{
		orderSequence(),
		{"ir.ui.view", "sale_order_cancel_view_form", map[string]any{"name": "sale.order.cancel.form", "model": "sale.order.cancel",
			"type": "form", "priority": int64(16), "mode": "primary", "arch_db": `<form string="Cancel Sales Order"/>`}},
		{"mail.template", "mail_template_sale_cancellation", map[string]any{"name": "Sales: Order Cancellation",
			"subject": "{{ object.company_id.name }} {{ object.type_name }} Cancelled (Ref {{ object.name or 'n/a' }})"}},
	}
	for _, r := range records {
		if err := create(ctx, env, r.model, r.xmlid, r.vals); err != nil {
			return err
		}
	}
	return nil
}

// record is a record a module's install creates, with its external id
// (in the module sale).
type record struct {
	model, xmlid string
	vals         map[string]any
}

// orderSequence is the sequence orders are named by.
func orderSequence() record {
	return record{"ir.sequence", "seq_sale_order", map[string]any{"name": "Sales Order", "code": "sale.order", "prefix": "S",
		"padding": int64(5), "number_next": int64(1), "number_increment": int64(1), "implementation": "standard"}}
}

// Upgrade fills the stored amounts of the orders and lines of a database
// made before godoo stored them, and creates the sale.order sequence in a
// database where sale was installed before its install created it
// (orders were named "New" there), unless a sequence of that code
// exists, archived or not. It runs once (modules.Catalogue.Upgrade): a sequence an
// administrator deletes afterwards stays deleted, as in Odoo.
func Upgrade(ctx context.Context, env *models.Env) error {
	if err := storeMissingAmounts(ctx, env); err != nil {
		return err
	}
	var n int64
	if _, err := env.Scalar(ctx, &n, "SELECT COUNT(*) FROM ir_sequence WHERE code = ?", "sale.order"); err != nil || n > 0 {
		return err
	}
	r := orderSequence()
	return create(ctx, env, r.model, r.xmlid, r.vals)
}

// create creates a record of model with the external id sale.xmlid; a
// model the registry lacks (mail.template without mail) is skipped. An
// external id left by a record deleted since is pointed at the new one.
func create(ctx context.Context, env *models.Env, model, xmlid string, vals map[string]any) error {
	m := env.Registry.Model(model)
	if m == nil {
		return nil // mail.template: a registry without mail
	}
	if model == "mail.template" {
		if im := env.Registry.Model("ir.model"); im != nil {
			ids, err := env.Search(ctx, im, []any{[]any{"model", "=", "sale.order"}}, models.SearchOptions{})
			if err != nil {
				return err
			}
			if len(ids) > 0 {
				vals["model_id"] = ids[0]
			}
		}
	}
	id, err := env.Create(ctx, m, vals)
	if err != nil {
		return fmt.Errorf("%s sale.%s: %w", model, xmlid, err)
	}
	res, err := env.Exec(ctx, "UPDATE ir_model_data SET res_id = ? WHERE module = ? AND name = ?", id, "sale", xmlid)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	_, err = env.Create(ctx, env.Registry.Model("ir.model.data"),
		map[string]any{"module": "sale", "name": xmlid, "model": model, "res_id": id, "noupdate": true})
	return err
}

// toID is the id a value of a many2one holds (0 for none).
func toID(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case float64:
		return int64(x)
	case []any:
		if len(x) > 0 {
			return toID(x[0])
		}
	}
	return 0
}

// recordIDs are the ids of recs.
func recordIDs(recs []models.Record) []int64 {
	ids := make([]int64, 0, len(recs))
	for _, r := range recs {
		if id, ok := r["id"].(int64); ok {
			ids = append(ids, id)
		}
	}
	return ids
}
