package modules

import "github.com/godoo/godoo/models"

// LinkMoves are the link tables the modules' many2many fields had before
// they took the tables and columns Odoo 18 names (product_taxes_rel,
// sale_order_tag_rel, ...): the canonical names godoo gave them then. A
// database that installed modules before keeps its links there until a
// process opens it (models.MoveLinkTables, from services). A field whose
// table and columns did not change is not listed.
func LinkMoves() []models.LinkMove {
	return linkMoves
}

var linkMoves = []models.LinkMove{
	{Model: "account.account", Field: "tax_ids", Table: "account_account_account_tax_rel", Column1: "account_account_id", Column2: "account_tax_id"},
	{Model: "account.move", Field: "transaction_ids", Table: "account_move_payment_transaction_rel", Column1: "account_move_id", Column2: "payment_transaction_id"},
	{Model: "account.move.line", Field: "sale_line_ids", Table: "account_move_line_sale_order_line_rel", Column1: "account_move_line_id", Column2: "sale_order_line_id"},
	{Model: "account.move.reversal", Field: "move_ids", Table: "account_move_account_move_reversal_rel", Column1: "account_move_reversal_id", Column2: "account_move_id"},
	{Model: "account.move.reversal", Field: "new_move_ids", Table: "account_move_new_move_ids_rel", Column1: "account_move_reversal_id", Column2: "account_move_id"},
	{Model: "account.report", Field: "section_main_report_ids", Table: "account_report_section_main_report_ids_rel", Column1: "id1", Column2: "id2"},
	{Model: "account.report", Field: "section_report_ids", Table: "account_report_section_report_ids_rel", Column1: "id1", Column2: "id2"},
	{Model: "account.tax", Field: "children_tax_ids", Table: "account_tax_children_tax_ids_rel", Column1: "id1", Column2: "id2"},
	{Model: "mail.activity.type", Field: "previous_type_ids", Table: "mail_activity_type_previous_type_ids_rel", Column1: "id1", Column2: "id2"},
	{Model: "mail.activity.type", Field: "suggested_next_type_ids", Table: "mail_activity_type_suggested_next_type_ids_rel", Column1: "id1", Column2: "id2"},
	{Model: "mail.compose.message", Field: "attachment_ids", Table: "ir_attachment_mail_compose_message_rel", Column1: "mail_compose_message_id", Column2: "ir_attachment_id"},
	{Model: "mail.compose.message", Field: "partner_ids", Table: "mail_compose_message_res_partner_rel", Column1: "mail_compose_message_id", Column2: "res_partner_id"},
	{Model: "mail.message", Field: "attachment_ids", Table: "ir_attachment_mail_message_rel", Column1: "mail_message_id", Column2: "ir_attachment_id"},
	{Model: "mail.message", Field: "starred_partner_ids", Table: "mail_message_starred_partner_ids_rel", Column1: "mail_message_id", Column2: "res_partner_id"},
	{Model: "mail.template", Field: "attachment_ids", Table: "ir_attachment_mail_template_rel", Column1: "mail_template_id", Column2: "ir_attachment_id"},
	{Model: "payment.transaction", Field: "invoice_ids", Table: "account_move_payment_transaction_rel", Column1: "payment_transaction_id", Column2: "account_move_id"},
	{Model: "payment.transaction", Field: "sale_order_ids", Table: "payment_transaction_sale_order_rel", Column1: "payment_transaction_id", Column2: "sale_order_id"},
	{Model: "product.product", Field: "product_template_variant_value_ids", Table: "product_product_product_template_variant_value_ids_rel", Column1: "product_product_id", Column2: "product_template_attribute_value_id"},
	{Model: "product.template", Field: "optional_product_ids", Table: "product_template_optional_product_ids_rel", Column1: "id1", Column2: "id2"},
	{Model: "product.template", Field: "supplier_taxes_id", Table: "account_tax_supplier_taxes_id_rel", Column1: "product_template_id", Column2: "account_tax_id"},
	{Model: "product.template", Field: "taxes_id", Table: "account_tax_product_template_rel", Column1: "product_template_id", Column2: "account_tax_id"},
	{Model: "product.template.attribute.exclusion", Field: "value_ids", Table: "product_template_attribute_exclusion_value_ids_rel", Column1: "product_template_attribute_exclusion_id", Column2: "product_template_attribute_value_id"},
	{Model: "sale.order", Field: "tag_ids", Table: "crm_tag_sale_order_rel", Column1: "sale_order_id", Column2: "crm_tag_id"},
	{Model: "sale.order", Field: "transaction_ids", Table: "payment_transaction_sale_order_rel", Column1: "sale_order_id", Column2: "payment_transaction_id"},
	{Model: "sale.order.line", Field: "invoice_lines", Table: "account_move_line_sale_order_line_rel", Column1: "sale_order_line_id", Column2: "account_move_line_id"},
}
