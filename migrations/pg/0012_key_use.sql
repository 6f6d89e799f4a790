-- Successful uses of API keys, counted per key and hour (UTC, the start of
-- the hour) rather than one row per call: kind is native (res.users.apikeys)
-- or header (auth.api.key). Processes add their counts at each flush of
-- key usage.
CREATE TABLE auth_key_use (
    kind VARCHAR NOT NULL,
    key_id INTEGER NOT NULL,
    hour TIMESTAMP NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (kind, key_id, hour)
);
