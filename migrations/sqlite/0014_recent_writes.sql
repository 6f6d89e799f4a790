-- When each user last committed a write, for read-your-writes across
-- processes on PostgreSQL with a replica. SQLite has no replica, so the
-- table stays empty; it exists so that both dialects have the same
-- migrations.
CREATE TABLE godoo_recent_writes (
    uid INTEGER PRIMARY KEY,
    at TEXT NOT NULL
);
