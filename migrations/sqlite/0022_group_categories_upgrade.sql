-- A database whose modules an older godoo installed has their groups
-- without the categories Odoo gives them (Sales, Invoicing, Technical,
-- Extra Rights, ...), so that res.users shows booleans where Odoo has
-- the selection of a category. A row of a module asks its step
-- (modules.Catalogue.Upgrade), run when a process opens the database, to
-- give the module's groups that have no category theirs, creating the
-- category when the database lacks it, once: the step claims the row by
-- deleting it, so that a category an administrator clears afterwards
-- stays cleared. The modules named are those whose groups have a
-- category; a database being created, which has no base records yet,
-- needs none.
CREATE TABLE godoo_group_categories_upgrade (
    module VARCHAR PRIMARY KEY
);

INSERT INTO godoo_group_categories_upgrade (module)
    SELECT m.name FROM (
        SELECT 'account' AS name UNION ALL SELECT 'analytic' UNION ALL SELECT 'mail' UNION ALL
        SELECT 'product' UNION ALL SELECT 'sale' UNION ALL SELECT 'sale_management' UNION ALL
        SELECT 'sales_team' UNION ALL SELECT 'spreadsheet_dashboard' UNION ALL SELECT 'uom'
    ) m
    WHERE EXISTS (SELECT 1 FROM ir_model_data WHERE module = 'base' AND name = 'main_company');
