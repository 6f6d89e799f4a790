-- Web sessions of the /web/session/* routes and the auth='user' routes, kept
-- in the database so that every godoo process sharing it accepts them. The
-- session id is never stored: sid_hash is the SHA-256 of it, hex.

CREATE TABLE http_session (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sid_hash VARCHAR(64) NOT NULL,
    uid INTEGER NOT NULL REFERENCES res_users(id) ON DELETE CASCADE,
    login VARCHAR NOT NULL,
    -- token is the SHA-256 of the user's id, login and password hash at
    -- login, as Odoo's session token: a password or login change ends the
    -- session, a group change does not. Archiving ends it too (checked on
    -- res_users.active at every request).
    token VARCHAR(64) NOT NULL,
    created TIMESTAMP NOT NULL,
    -- last_seen is the last use (recorded at most once a minute); expires is
    -- last_seen plus the idle limit in force then, for the clean-up.
    last_seen TIMESTAMP NOT NULL,
    expires TIMESTAMP NOT NULL,
    ip VARCHAR,
    CONSTRAINT http_session_sid_hash_uniq UNIQUE (sid_hash)
);
CREATE INDEX http_session_expires_idx ON http_session (expires);
CREATE INDEX http_session_uid_idx ON http_session (uid);
