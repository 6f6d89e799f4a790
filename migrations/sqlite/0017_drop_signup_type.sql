-- res.partner.signup_type (0008) is auth_signup's field, not base's: Odoo 18
-- base serves no such field, so its column, its ir.model.fields row and that
-- row's external id go.

DELETE FROM ir_model_data WHERE module = 'base' AND model = 'ir.model.fields'
    AND name = 'field_res_partner__signup_type';
DELETE FROM ir_model_fields WHERE model = 'res.partner' AND name = 'signup_type' AND state = 'base';
ALTER TABLE res_partner DROP COLUMN signup_type;
