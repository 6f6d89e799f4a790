-- TRUNCATE fires no row or statement trigger of migrations 0005 and 0007:
-- it gets its own, so that emptying a table of credentials or access rules
-- by hand reaches every process too. (Triggers do not fire while
-- session_replication_role is replica, as during pg_restore or logical
-- replication: restart godoo after such a load.)
CREATE TRIGGER res_users_auth_truncated
    AFTER TRUNCATE ON res_users
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER res_users_apikeys_auth_truncated
    AFTER TRUNCATE ON res_users_apikeys
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER auth_api_key_auth_truncated
    AFTER TRUNCATE ON auth_api_key
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER auth_api_key_group_auth_truncated
    AFTER TRUNCATE ON auth_api_key_group
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER auth_api_key_group_rel_auth_truncated
    AFTER TRUNCATE ON auth_api_key_group_rel
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER res_company_auth_truncated
    AFTER TRUNCATE ON res_company
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER res_groups_auth_truncated
    AFTER TRUNCATE ON res_groups
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER res_groups_users_rel_auth_truncated
    AFTER TRUNCATE ON res_groups_users_rel
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER res_groups_implied_rel_auth_truncated
    AFTER TRUNCATE ON res_groups_implied_rel
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER res_company_users_rel_auth_truncated
    AFTER TRUNCATE ON res_company_users_rel
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER ir_model_auth_truncated
    AFTER TRUNCATE ON ir_model
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER ir_model_access_auth_truncated
    AFTER TRUNCATE ON ir_model_access
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER ir_rule_auth_truncated
    AFTER TRUNCATE ON ir_rule
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER rule_group_rel_auth_truncated
    AFTER TRUNCATE ON rule_group_rel
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
