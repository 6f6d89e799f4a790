-- godoo caches the access checks (ir.model.access verdicts, the ir.rule
-- rows that apply) per user across transactions. Every committed write to
-- the tables they come from, and to group membership, moves the same
-- generation as migration 0005_auth_changes, in every process.
CREATE TRIGGER res_groups_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON res_groups
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER res_groups_users_rel_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON res_groups_users_rel
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER res_groups_implied_rel_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON res_groups_implied_rel
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER res_company_users_rel_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON res_company_users_rel
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER ir_model_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON ir_model
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER ir_model_access_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON ir_model_access
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER ir_rule_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON ir_rule
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
CREATE TRIGGER rule_group_rel_auth_changed
    AFTER INSERT OR UPDATE OR DELETE ON rule_group_rel
    FOR EACH STATEMENT EXECUTE FUNCTION godoo_auth_changed();
