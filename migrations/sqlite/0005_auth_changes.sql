-- godoo caches credential rows (users, keys, key groups, the company option
-- archived_user_disable_auth_api_key) to check a warm key without database
-- work. Every committed write to those tables, whoever makes it (godoo, the
-- command line, SQL typed by hand), must reach every process sharing the
-- database before its next request.
-- On SQLite the triggers below bump the one row of godoo_auth_generation in
-- the writing transaction, and every process reads it before trusting its
-- cache. last_used is left out: the usage flush writes it in batches, and it
-- changes no check.
CREATE TABLE godoo_auth_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
-- A random start: a database dropped and created again under the same name
-- never shows a generation that a process cached for the old one.
INSERT INTO godoo_auth_generation (id, generation) VALUES (1, abs(random() % 1000000000000000));

CREATE TRIGGER res_users_auth_inserted
    AFTER INSERT ON res_users
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_users_auth_updated
    AFTER UPDATE ON res_users
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_users_auth_deleted
    AFTER DELETE ON res_users
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_users_apikeys_auth_inserted
    AFTER INSERT ON res_users_apikeys
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_users_apikeys_auth_updated
    AFTER UPDATE OF name, user_id, scope, expiration_date, key_index, key, create_uid, write_uid, create_date, write_date ON res_users_apikeys
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_users_apikeys_auth_deleted
    AFTER DELETE ON res_users_apikeys
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_api_key_auth_inserted
    AFTER INSERT ON auth_api_key
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_api_key_auth_updated
    AFTER UPDATE OF name, key_hash, user_id, active, create_uid, write_uid, create_date, write_date ON auth_api_key
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_api_key_auth_deleted
    AFTER DELETE ON auth_api_key
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_api_key_group_auth_inserted
    AFTER INSERT ON auth_api_key_group
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_api_key_group_auth_updated
    AFTER UPDATE ON auth_api_key_group
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_api_key_group_auth_deleted
    AFTER DELETE ON auth_api_key_group
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_api_key_group_rel_auth_inserted
    AFTER INSERT ON auth_api_key_group_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_api_key_group_rel_auth_updated
    AFTER UPDATE ON auth_api_key_group_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER auth_api_key_group_rel_auth_deleted
    AFTER DELETE ON auth_api_key_group_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_company_auth_inserted
    AFTER INSERT ON res_company
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_company_auth_updated
    AFTER UPDATE ON res_company
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_company_auth_deleted
    AFTER DELETE ON res_company
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
