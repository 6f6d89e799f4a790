-- When each user last committed a write, for read-your-writes across
-- processes: a process about to send a user's read to the replica asks
-- the primary whether that user wrote within the window, whichever
-- process served the write. Unlogged: it is not worth a WAL record per
-- write, it is never read on a replica, and losing it in a crash only
-- loses a window of seconds.
CREATE UNLOGGED TABLE godoo_recent_writes (
    uid INTEGER PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL
);
