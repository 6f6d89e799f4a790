package modules

import (
	"testing"

	"github.com/godoo/godoo/models"
)

// TestLinkTables: the many2many fields of the modules' models link through
// the tables and columns Odoo 18 gives them: those the field names in
// Odoo's definition, else the canonical ones (both tables in order with
// _rel, each table with _id).
func TestLinkTables(t *testing.T) {
	named := []struct{ model, field, table, column1, column2 string }{
		{"product.template", "taxes_id", "product_taxes_rel", "prod_id", "tax_id"},
		{"product.template", "supplier_taxes_id", "product_supplier_taxes_rel", "prod_id", "tax_id"},
		{"product.product", "product_template_variant_value_ids", "product_variant_combination", "product_product_id", "product_template_attribute_value_id"},
		{"sale.order", "tag_ids", "sale_order_tag_rel", "order_id", "tag_id"},
		{"sale.order", "transaction_ids", "sale_order_transaction_rel", "sale_order_id", "transaction_id"},
		{"payment.transaction", "sale_order_ids", "sale_order_transaction_rel", "transaction_id", "sale_order_id"},
		{"sale.order.line", "invoice_lines", "sale_order_line_invoice_rel", "order_line_id", "invoice_line_id"},
		{"sale.order.line", "tax_id", "account_tax_sale_order_line_rel", "sale_order_line_id", "account_tax_id"},
		{"mail.message", "attachment_ids", "message_attachment_rel", "message_id", "attachment_id"},
		{"mail.message", "partner_ids", "mail_message_res_partner_rel", "mail_message_id", "res_partner_id"},
		{"mail.message", "starred_partner_ids", "mail_message_res_partner_starred_rel", "mail_message_id", "res_partner_id"},
		{"mail.activity.type", "suggested_next_type_ids", "mail_activity_rel", "activity_id", "recommended_id"},
		{"mail.activity.type", "previous_type_ids", "mail_activity_rel", "recommended_id", "activity_id"},
		{"account.tax", "children_tax_ids", "account_tax_filiation_rel", "parent_tax", "child_tax"},
		{"account.report", "section_report_ids", "account_report_section_rel", "main_report_id", "sub_report_id"},
		{"account.move", "transaction_ids", "account_invoice_transaction_rel", "invoice_id", "transaction_id"},
		{"account.move.line", "sale_line_ids", "sale_order_line_invoice_rel", "invoice_line_id", "order_line_id"},
	}
	cat := Known()
	r := models.NewRegistry()
	if err := cat.Register(r, cat.Names()); err != nil {
		t.Fatal(err)
	}
	for _, c := range named {
		m := r.Model(c.model)
		if m == nil {
			t.Errorf("%s: no such model", c.model)
			continue
		}
		f := m.Field(c.field)
		if f == nil {
			t.Errorf("%s.%s: no such field", c.model, c.field)
			continue
		}
		if f.RelTable != c.table || f.RelCol != c.column1 || f.RelOther != c.column2 {
			t.Errorf("%s.%s links through %s(%s, %s), want %s(%s, %s)", c.model, c.field, f.RelTable, f.RelCol, f.RelOther,
				c.table, c.column1, c.column2)
		}
	}
}
