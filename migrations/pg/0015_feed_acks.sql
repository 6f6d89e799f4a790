-- Acknowledged notices. A process that commits a change to credentials,
-- access rules or custom models waits until every godoo process
-- listening on the database has handled the change's notice (migration
-- 0005_auth_changes), so that the change holds at the next request in
-- every process, however loaded.
--
-- godoo_feed_barrier, called after such a commit, takes the next number
-- of godoo_feed_seq and sends it on channel godoo_auth as 'ack <n>'.
-- PostgreSQL delivers notices to every listener in commit order, and the
-- number was taken after the change committed: any barrier numbered n or
-- more comes after the change in every listener's stream. Each listener
-- (a connection named godoo-listen-<id>) records in godoo_feed_acks the
-- highest barrier it handled, once it has handled everything before it;
-- godoo_feed_pending(n) counts the listeners connected to the database
-- that have not handled n yet. Listeners that left are not counted, and
-- their rows are pruned when a listener starts. Unlogged: the rows are
-- only worth something while the listeners are connected.
CREATE SEQUENCE godoo_feed_seq;
CREATE UNLOGGED TABLE godoo_feed_acks (
    listener TEXT PRIMARY KEY,
    seen BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE FUNCTION godoo_feed_barrier() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint := nextval('godoo_feed_seq');
BEGIN
    PERFORM pg_notify('godoo_auth', 'ack ' || n);
    RETURN n;
END
$$;
CREATE FUNCTION godoo_feed_pending(n bigint) RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT count(*)::integer FROM pg_stat_activity a
    WHERE a.datname = current_database()
      AND a.application_name LIKE 'godoo-listen-%'
      AND NOT EXISTS (SELECT 1 FROM godoo_feed_acks k
                      WHERE k.listener = a.application_name AND k.seen >= n)
$$;
