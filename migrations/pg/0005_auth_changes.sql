-- godoo caches credential rows (users, keys, key groups, the company option
-- archived_user_disable_auth_api_key) to check a warm key without database
-- work. Every committed write to those tables, whoever makes it (godoo, the
-- command line, SQL typed by hand), must reach every process sharing the
-- database before its next request.
-- On PostgreSQL the triggers below send a notice on channel godoo_auth, which
-- every godoo process LISTENs on; PostgreSQL delivers it at commit (never on
-- rollback) and folds duplicates within a transaction. last_used is left out:
-- the usage flush writes it in batches, and it changes no check.
CREATE FUNCTION godoo_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('godoo_auth', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER res_users_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON res_users
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER res_users_apikeys_auth_changed
    AFTER INSERT OR UPDATE OF name, user_id, scope, expiration_date, key_index, key, create_uid, write_uid, create_date, write_date OR DELETE ON res_users_apikeys
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER auth_api_key_auth_changed
    AFTER INSERT OR UPDATE OF name, key_hash, user_id, active, create_uid, write_uid, create_date, write_date OR DELETE ON auth_api_key
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER auth_api_key_group_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON auth_api_key_group
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER auth_api_key_group_rel_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON auth_api_key_group_rel
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER res_company_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON res_company
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
