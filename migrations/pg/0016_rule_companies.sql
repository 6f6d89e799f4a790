-- A record rule's company_ids and company_id are the call's companies (the
-- context's allowed_company_ids), as Odoo's env.companies and env.company,
-- no longer all the user's: the rules of Odoo's modules name them
-- "env.company_ids" and "env.company_id" now. Rules of one's own keep
-- what they say.
UPDATE ir_rule
SET domain_force = REPLACE(REPLACE(domain_force, '"user.company_ids"', '"env.company_ids"'), '"user.company_id"', '"env.company_id"')
WHERE id IN (SELECT res_id FROM ir_model_data WHERE model = 'ir.rule' AND module NOT IN ('__export__', '__custom__'));
