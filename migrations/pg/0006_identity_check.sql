-- Odoo's identity check: creating or removing API keys needs a password
-- re-entered within the last 10 minutes. A web session remembers when its
-- user last passed the check (Odoo's session key identity-check-last).
ALTER TABLE http_session ADD COLUMN identity_check_last TIMESTAMP;

-- res.users.identitycheck: the pending call (request, JSON: context, model,
-- ids, method) and whether the password given for it was right. The
-- password itself is never stored: password holds '1' (verified) or '0'.
CREATE TABLE res_users_identitycheck (
    id SERIAL PRIMARY KEY,
    request TEXT NOT NULL,
    password VARCHAR,
    create_uid INTEGER, write_uid INTEGER,
    create_date TIMESTAMP, write_date TIMESTAMP
);
