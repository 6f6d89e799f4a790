-- The version of the database's own models and fields (Odoo's custom
-- models and fields: ir.model and ir.model.fields rows of state manual),
-- which every process lays over the models godoo declares. The transaction
-- that changes them moves the version; its trigger moves the generation of
-- migration 0005_auth_changes, so that every process looks at the version
-- again at its next request. A random start: a database created again
-- under the same name never shows a version a process knew of the old one.
CREATE TABLE godoo_registry_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO godoo_registry_version (id, version) VALUES (1, abs(random() % 1000000000000000));
CREATE TRIGGER godoo_registry_version_updated
    AFTER UPDATE ON godoo_registry_version
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
