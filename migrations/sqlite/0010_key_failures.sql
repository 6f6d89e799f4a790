-- Failed key attempts, counted per source address ("ip:<addr>") and per key
-- id ("key:<id>"), shared by every godoo process on this database so that N
-- processes allow the same number of attempts as one (on PostgreSQL the
-- table is UNLOGGED). last_at is the last counted failure, in Unix
-- milliseconds.
CREATE TABLE auth_key_failure (
    key VARCHAR PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at BIGINT NOT NULL
);

-- The login cool-down counts failures per source address only, as Odoo
-- does: counting per login let anyone lock a user out from outside.
DELETE FROM auth_login_failure WHERE key LIKE 'login:%';
