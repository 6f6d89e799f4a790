package main

// odooLinkTables are the link tables and columns Odoo 18's modules name
// for their many2many fields (the relation, column1 and column2 of the
// field's definition), which fields_get does not tell: facts of Odoo's
// data model, by "model field", as [table, column1, column2]. A field
// named here is left to these; the others get Odoo's canonical names
// (linkTables). mail.message's notified_partner_ids is not here: Odoo
// links it through mail.notification's own table, which godoo serves as
// a model.
var odooLinkTables = map[string][3]string{
	"mail.message starred_partner_ids":                   {"mail_message_res_partner_starred_rel", "mail_message_id", "res_partner_id"},
	"mail.message attachment_ids":                        {"message_attachment_rel", "message_id", "attachment_id"},
	"mail.activity.type suggested_next_type_ids":         {"mail_activity_rel", "activity_id", "recommended_id"},
	"mail.activity.type previous_type_ids":               {"mail_activity_rel", "recommended_id", "activity_id"},
	"mail.compose.message attachment_ids":                {"mail_compose_message_ir_attachment_rel", "wizard_id", "attachment_id"},
	"mail.compose.message partner_ids":                   {"mail_compose_message_res_partner_rel", "wizard_id", "partner_id"},
	"mail.template attachment_ids":                       {"email_template_attachment_rel", "email_template_id", "attachment_id"},
	"account.tax children_tax_ids":                       {"account_tax_filiation_rel", "parent_tax", "child_tax"},
	"account.account tax_ids":                            {"account_account_tax_default_rel", "account_id", "tax_id"},
	"account.report section_report_ids":                  {"account_report_section_rel", "main_report_id", "sub_report_id"},
	"account.report section_main_report_ids":             {"account_report_section_rel", "sub_report_id", "main_report_id"},
	"account.move.reversal move_ids":                     {"account_move_reversal_move", "reversal_id", "move_id"},
	"account.move.reversal new_move_ids":                 {"account_move_reversal_new_move", "reversal_id", "new_move_id"},
	"product.template taxes_id":                          {"product_taxes_rel", "prod_id", "tax_id"},
	"product.template supplier_taxes_id":                 {"product_supplier_taxes_rel", "prod_id", "tax_id"},
	"product.template optional_product_ids":              {"product_optional_rel", "src_id", "dest_id"},
	"product.product product_template_variant_value_ids": {"product_variant_combination", "product_product_id", "product_template_attribute_value_id"},
	"product.template.attribute.exclusion value_ids":     {"product_attr_exclusion_value_ids_rel", "product_template_attribute_exclusion_id", "product_template_attribute_value_id"},
	"sale.order.line invoice_lines":                      {"sale_order_line_invoice_rel", "order_line_id", "invoice_line_id"},
	"sale.order transaction_ids":                         {"sale_order_transaction_rel", "sale_order_id", "transaction_id"},
	"sale.order tag_ids":                                 {"sale_order_tag_rel", "order_id", "tag_id"},
	"payment.transaction invoice_ids":                    {"account_invoice_transaction_rel", "transaction_id", "invoice_id"},
	"account.move transaction_ids":                       {"account_invoice_transaction_rel", "invoice_id", "transaction_id"},
	"account.move.line sale_line_ids":                    {"sale_order_line_invoice_rel", "invoice_line_id", "order_line_id"},
	"payment.transaction sale_order_ids":                 {"sale_order_transaction_rel", "transaction_id", "sale_order_id"},
}

// nameLinkTables gives the fields of odooLinkTables their names, before
// linkTables names the rest.
func nameLinkTables(decls map[string]*declaration) {
	for _, name := range sortedKeys(decls) {
		for _, f := range decls[name].fields {
			if t, ok := odooLinkTables[name+" "+f.name]; ok && f.attrs["relation_table"] == nil {
				f.set("relation_table", t[0])
				f.set("column1", t[1])
				f.set("column2", t[2])
			}
		}
	}
}
