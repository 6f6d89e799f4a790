-- Base schema of a godoo database: the tables behind Odoo's base models.
-- SQLite checks forward references at write time, so foreign keys are declared inline.

CREATE TABLE res_lang (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR NOT NULL UNIQUE,
    code VARCHAR NOT NULL UNIQUE,
    iso_code VARCHAR,
    url_code VARCHAR,
    active BOOLEAN NOT NULL DEFAULT FALSE,
    direction VARCHAR NOT NULL DEFAULT 'ltr',
    date_format VARCHAR NOT NULL DEFAULT '%m/%d/%Y',
    time_format VARCHAR NOT NULL DEFAULT '%H:%M:%S',
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);

CREATE TABLE res_currency (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR NOT NULL UNIQUE,
    symbol VARCHAR NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);

CREATE TABLE res_country (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR NOT NULL,
    code VARCHAR(2) NOT NULL UNIQUE,
    phone_code INTEGER,
    currency_id INTEGER CONSTRAINT res_country_currency_id_fkey REFERENCES res_currency(id) ON DELETE SET NULL,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);

CREATE TABLE res_country_state (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    country_id INTEGER NOT NULL CONSTRAINT res_country_state_country_id_fkey REFERENCES res_country(id) ON DELETE CASCADE,
    name VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP,
    CONSTRAINT res_country_state_name_code_uniq UNIQUE (country_id, code)
);

CREATE TABLE res_partner (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR,
    company_id INTEGER CONSTRAINT res_partner_company_id_fkey REFERENCES res_company(id) ON DELETE SET NULL,
    parent_id INTEGER CONSTRAINT res_partner_parent_id_fkey REFERENCES res_partner(id) ON DELETE SET NULL,
    commercial_partner_id INTEGER CONSTRAINT res_partner_commercial_partner_id_fkey REFERENCES res_partner(id) ON DELETE SET NULL,
    ref VARCHAR,
    email VARCHAR,
    phone VARCHAR,
    mobile VARCHAR,
    website VARCHAR,
    is_company BOOLEAN NOT NULL DEFAULT FALSE,
    type VARCHAR DEFAULT 'contact',
    street VARCHAR,
    street2 VARCHAR,
    city VARCHAR,
    zip VARCHAR,
    state_id INTEGER CONSTRAINT res_partner_state_id_fkey REFERENCES res_country_state(id) ON DELETE RESTRICT,
    country_id INTEGER CONSTRAINT res_partner_country_id_fkey REFERENCES res_country(id) ON DELETE RESTRICT,
    lang VARCHAR,
    tz VARCHAR,
    comment TEXT,
    color INTEGER DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    image_1920 TEXT,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);
CREATE INDEX res_partner_parent_id_index ON res_partner (parent_id);
CREATE INDEX res_partner_name_index ON res_partner (name);

CREATE TABLE res_company (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR NOT NULL,
    partner_id INTEGER NOT NULL CONSTRAINT res_company_partner_id_fkey REFERENCES res_partner(id) ON DELETE RESTRICT,
    currency_id INTEGER CONSTRAINT res_company_currency_id_fkey REFERENCES res_currency(id) ON DELETE RESTRICT,
    parent_id INTEGER CONSTRAINT res_company_parent_id_fkey REFERENCES res_company(id) ON DELETE RESTRICT,
    sequence INTEGER DEFAULT 10,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    archived_user_disable_auth_api_key BOOLEAN NOT NULL DEFAULT FALSE,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP,
    CONSTRAINT res_company_name_uniq UNIQUE (name)
);

CREATE TABLE res_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login VARCHAR NOT NULL,
    password VARCHAR,
    partner_id INTEGER NOT NULL CONSTRAINT res_users_partner_id_fkey REFERENCES res_partner(id) ON DELETE RESTRICT,
    company_id INTEGER NOT NULL CONSTRAINT res_users_company_id_fkey REFERENCES res_company(id) ON DELETE RESTRICT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    share BOOLEAN NOT NULL DEFAULT FALSE,
    -- auth_version changes whenever the password, the active flag, the login or
    -- the groups change; every process compares it to invalidate its cache of
    -- successful credential checks.
    auth_version INTEGER NOT NULL DEFAULT 1,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP,
    CONSTRAINT res_users_login_key UNIQUE (login)
);

CREATE TABLE res_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR NOT NULL,
    comment TEXT,
    share BOOLEAN NOT NULL DEFAULT FALSE,
    api_key_duration REAL DEFAULT 0,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);

CREATE TABLE res_groups_users_rel (
    gid INTEGER NOT NULL REFERENCES res_groups(id) ON DELETE CASCADE,
    uid INTEGER NOT NULL REFERENCES res_users(id) ON DELETE CASCADE,
    PRIMARY KEY (gid, uid)
);
CREATE INDEX res_groups_users_rel_uid_index ON res_groups_users_rel (uid);

CREATE TABLE res_groups_implied_rel (
    gid INTEGER NOT NULL REFERENCES res_groups(id) ON DELETE CASCADE,
    hid INTEGER NOT NULL REFERENCES res_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (gid, hid)
);

CREATE TABLE res_company_users_rel (
    cid INTEGER NOT NULL REFERENCES res_company(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES res_users(id) ON DELETE CASCADE,
    PRIMARY KEY (cid, user_id)
);

CREATE TABLE ir_model (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    model VARCHAR NOT NULL UNIQUE,
    name VARCHAR NOT NULL,
    info TEXT,
    state VARCHAR DEFAULT 'base',
    transient BOOLEAN NOT NULL DEFAULT FALSE,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);

CREATE TABLE ir_model_data (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    module VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    res_id INTEGER,
    noupdate BOOLEAN NOT NULL DEFAULT FALSE,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP,
    CONSTRAINT ir_model_data_module_name_uniq_index UNIQUE (module, name)
);
CREATE INDEX ir_model_data_model_res_id_index ON ir_model_data (model, res_id);

CREATE TABLE ir_model_access (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR NOT NULL,
    model_id INTEGER NOT NULL REFERENCES ir_model(id) ON DELETE CASCADE,
    group_id INTEGER REFERENCES res_groups(id) ON DELETE RESTRICT,
    perm_read BOOLEAN NOT NULL DEFAULT FALSE,
    perm_write BOOLEAN NOT NULL DEFAULT FALSE,
    perm_create BOOLEAN NOT NULL DEFAULT FALSE,
    perm_unlink BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);

CREATE TABLE ir_config_parameter (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key VARCHAR NOT NULL,
    value TEXT NOT NULL,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP,
    CONSTRAINT ir_config_parameter_key_uniq UNIQUE (key)
);

-- Failed login attempts, shared by every godoo process on this database so
-- that the cool-down holds across instances. key is "ip:<addr>" or "login:<login>".
CREATE TABLE auth_login_failure (
    key VARCHAR PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure TIMESTAMP NOT NULL
);
