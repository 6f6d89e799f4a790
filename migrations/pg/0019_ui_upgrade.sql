-- A database an older godoo made lacks user interface records of base
-- that a new database has (the views of window actions, client, URL and
-- report actions). This row asks base.UpgradeUI, run when a process opens
-- the database, to create those it lacks, once: a record one deletes
-- afterwards stays deleted. A database being created, which has no base
-- records yet, needs none.
CREATE TABLE godoo_ui_upgrade (
    id INTEGER PRIMARY KEY
);

INSERT INTO godoo_ui_upgrade (id)
    SELECT 1 WHERE EXISTS (SELECT 1 FROM ir_model_data WHERE module = 'base' AND name = 'main_company');
