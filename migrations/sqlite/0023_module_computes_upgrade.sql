-- A database an older godoo made with account installed has companies
-- without the fiscal country Odoo computes from their country
-- (account_fiscal_country_id, stored, which godoo never computed). A row
-- of a module asks its computes step (modules.Catalogue.Upgrade), run
-- when a process opens the database, to store the values of such fields
-- where they are empty, once: the step claims the row by deleting it, so
-- that a value an administrator clears afterwards stays cleared. A
-- database being created, which has no base records yet, needs none.
CREATE TABLE godoo_module_computes_upgrade (
    module VARCHAR PRIMARY KEY
);

INSERT INTO godoo_module_computes_upgrade (module)
    SELECT 'account'
    WHERE EXISTS (SELECT 1 FROM ir_model_data WHERE module = 'base' AND name = 'main_company');
