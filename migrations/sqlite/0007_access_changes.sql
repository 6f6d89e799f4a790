-- godoo caches the access checks (ir.model.access verdicts, the ir.rule
-- rows that apply) per user across transactions. Every committed write to
-- the tables they come from, and to group membership, moves the same
-- generation as migration 0005_auth_changes, in every process.
CREATE TRIGGER res_groups_auth_inserted
    AFTER INSERT ON res_groups
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_groups_auth_updated
    AFTER UPDATE ON res_groups
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_groups_auth_deleted
    AFTER DELETE ON res_groups
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_groups_users_rel_auth_inserted
    AFTER INSERT ON res_groups_users_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_groups_users_rel_auth_updated
    AFTER UPDATE ON res_groups_users_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_groups_users_rel_auth_deleted
    AFTER DELETE ON res_groups_users_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_groups_implied_rel_auth_inserted
    AFTER INSERT ON res_groups_implied_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_groups_implied_rel_auth_updated
    AFTER UPDATE ON res_groups_implied_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_groups_implied_rel_auth_deleted
    AFTER DELETE ON res_groups_implied_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_company_users_rel_auth_inserted
    AFTER INSERT ON res_company_users_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_company_users_rel_auth_updated
    AFTER UPDATE ON res_company_users_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER res_company_users_rel_auth_deleted
    AFTER DELETE ON res_company_users_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER ir_model_auth_inserted
    AFTER INSERT ON ir_model
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER ir_model_auth_updated
    AFTER UPDATE ON ir_model
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER ir_model_auth_deleted
    AFTER DELETE ON ir_model
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER ir_model_access_auth_inserted
    AFTER INSERT ON ir_model_access
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER ir_model_access_auth_updated
    AFTER UPDATE ON ir_model_access
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER ir_model_access_auth_deleted
    AFTER DELETE ON ir_model_access
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER ir_rule_auth_inserted
    AFTER INSERT ON ir_rule
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER ir_rule_auth_updated
    AFTER UPDATE ON ir_rule
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER ir_rule_auth_deleted
    AFTER DELETE ON ir_rule
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER rule_group_rel_auth_inserted
    AFTER INSERT ON rule_group_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER rule_group_rel_auth_updated
    AFTER UPDATE ON rule_group_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
CREATE TRIGGER rule_group_rel_auth_deleted
    AFTER DELETE ON rule_group_rel
    BEGIN UPDATE godoo_auth_generation SET generation = generation + 1; END;
