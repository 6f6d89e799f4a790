-- A database an older godoo made lacks records the install of some
-- modules makes now (account's chart, sale's sequence and the stored
-- amounts of its orders). A row of a module asks its upgrade step
-- (modules.Upgrade), run when a process opens the database, to make them,
-- once: the step claims the row by deleting it, so that what one deletes
-- afterwards stays deleted, as in Odoo until the module is updated. A
-- database being created, which has no base records yet, needs none.
CREATE TABLE godoo_module_upgrade (
    module VARCHAR PRIMARY KEY
);

INSERT INTO godoo_module_upgrade (module)
    SELECT m.name FROM (SELECT 'account' AS name UNION ALL SELECT 'sale' AS name) m
    WHERE EXISTS (SELECT 1 FROM ir_model_data WHERE module = 'base' AND name = 'main_company');
