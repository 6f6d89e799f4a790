-- res.partner.signup_type, Odoo's example of a field restricted to a group
-- (auth_signup declares it with groups="base.group_erp_manager").

ALTER TABLE res_partner ADD COLUMN signup_type VARCHAR;
