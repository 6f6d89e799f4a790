-- API keys: native keys (res.users.apikeys, in the password slot and as
-- bearer keys), header keys (auth.api.key, OCA auth_api_key) and their groups,
-- and an audit trail. No clear key is ever stored: only hashes, found through
-- an indexed public part of the key.

CREATE TABLE res_users_apikeys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR NOT NULL,
    user_id INTEGER NOT NULL REFERENCES res_users(id) ON DELETE CASCADE,
    scope VARCHAR,
    expiration_date TIMESTAMP,
    -- key_index is the public key id of a godoo key (16 hex characters), or the
    -- first 8 characters of an Odoo key imported from an Odoo database.
    key_index VARCHAR(16) NOT NULL,
    -- key is "sha256$<hex>" for godoo keys, "$pbkdf2-sha512$..." for Odoo keys.
    key VARCHAR NOT NULL,
    last_used TIMESTAMP,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);
CREATE INDEX res_users_apikeys_index_idx ON res_users_apikeys (key_index);
CREATE INDEX res_users_apikeys_user_id_idx ON res_users_apikeys (user_id);

-- The description wizard of Odoo's key creation flow.
CREATE TABLE res_users_apikeys_description (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR NOT NULL,
    duration VARCHAR,
    expiration_date TIMESTAMP,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);

CREATE TABLE auth_api_key (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR NOT NULL,
    -- key_hash is the SHA-256 of the key, hex: the unique index finds a key
    -- in one look-up.
    key_hash VARCHAR(64) NOT NULL,
    user_id INTEGER NOT NULL REFERENCES res_users(id) ON DELETE CASCADE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    last_used TIMESTAMP,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP,
    CONSTRAINT auth_api_key_name_uniq UNIQUE (name),
    CONSTRAINT auth_api_key_key_hash_uniq UNIQUE (key_hash)
);

CREATE TABLE auth_api_key_group (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP,
    CONSTRAINT auth_api_key_group_code_uniq UNIQUE (code)
);

CREATE TABLE auth_api_key_group_rel (
    group_id INTEGER NOT NULL REFERENCES auth_api_key_group(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL REFERENCES auth_api_key(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, key_id)
);

-- Key creation, revocation and failed attempts; never a secret.
CREATE TABLE auth_key_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TIMESTAMP NOT NULL,
    event VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    key_id INTEGER,
    key_name VARCHAR,
    user_id INTEGER,
    actor_uid INTEGER,
    ip VARCHAR
);
CREATE INDEX auth_key_audit_at_idx ON auth_key_audit (at);
