-- A database an older godoo made lacks data records the install of its
-- modules makes now (the modules' scheduled actions and their server
-- actions, sales_team's Sales team with the administrator in it), and
-- sale's invoice statuses, which it computed when read and godoo stores
-- now. A row of a module asks its records step
-- (modules.Catalogue.Upgrade), run when a process opens the database, to
-- make the records whose external id is missing and store what is
-- empty, once: the step claims the row by deleting it, so that what one
-- deletes afterwards stays deleted, as in Odoo until the module is
-- updated. The modules named are those with data records; a database
-- being created, which has no base records yet, needs none.
CREATE TABLE godoo_module_records_upgrade (
    module VARCHAR PRIMARY KEY
);

INSERT INTO godoo_module_records_upgrade (module)
    SELECT m.name FROM (
        SELECT 'account' AS name UNION ALL SELECT 'auth_signup' UNION ALL SELECT 'digest' UNION ALL
        SELECT 'mail' UNION ALL SELECT 'partner_autocomplete' UNION ALL SELECT 'product' UNION ALL
        SELECT 'sale' UNION ALL SELECT 'sale_async_emails' UNION ALL SELECT 'sale_pdf_quote_builder' UNION ALL
        SELECT 'sales_team' UNION ALL SELECT 'sms' UNION ALL SELECT 'snailmail' UNION ALL SELECT 'uom'
    ) m
    WHERE EXISTS (SELECT 1 FROM ir_model_data WHERE module = 'base' AND name = 'main_company');
