-- Models that scripts query in a base database: partner tags, field
-- metadata and record rules.

CREATE TABLE res_partner_category (
    id SERIAL PRIMARY KEY,
    name VARCHAR NOT NULL,
    color INTEGER,
    parent_id INTEGER REFERENCES res_partner_category(id) ON DELETE CASCADE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);

CREATE TABLE res_partner_res_partner_category_rel (
    category_id INTEGER NOT NULL REFERENCES res_partner_category(id) ON DELETE CASCADE,
    partner_id INTEGER NOT NULL REFERENCES res_partner(id) ON DELETE CASCADE,
    PRIMARY KEY (category_id, partner_id)
);
CREATE INDEX res_partner_res_partner_category_rel_partner_idx ON res_partner_res_partner_category_rel (partner_id);

CREATE TABLE ir_model_fields (
    id SERIAL PRIMARY KEY,
    name VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    model_id INTEGER NOT NULL REFERENCES ir_model(id) ON DELETE CASCADE,
    field_description VARCHAR NOT NULL,
    help TEXT,
    ttype VARCHAR NOT NULL,
    relation VARCHAR,
    relation_field VARCHAR,
    required BOOLEAN NOT NULL DEFAULT FALSE,
    readonly BOOLEAN NOT NULL DEFAULT FALSE,
    store BOOLEAN NOT NULL DEFAULT TRUE,
    state VARCHAR DEFAULT 'base',
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP,
    CONSTRAINT ir_model_fields_name_unique UNIQUE (model, name)
);

CREATE TABLE ir_rule (
    id SERIAL PRIMARY KEY,
    name VARCHAR,
    model_id INTEGER NOT NULL REFERENCES ir_model(id) ON DELETE CASCADE,
    -- domain_force is a JSON domain; godoo evaluates only JSON, never code.
    domain_force TEXT,
    perm_read BOOLEAN NOT NULL DEFAULT TRUE,
    perm_write BOOLEAN NOT NULL DEFAULT TRUE,
    perm_create BOOLEAN NOT NULL DEFAULT TRUE,
    perm_unlink BOOLEAN NOT NULL DEFAULT TRUE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);

CREATE TABLE rule_group_rel (
    rule_group_id INTEGER NOT NULL REFERENCES ir_rule(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES res_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (rule_group_id, group_id)
);
