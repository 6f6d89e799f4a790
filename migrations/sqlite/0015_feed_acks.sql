-- Acknowledged notices exist on PostgreSQL only (see the pg migration of
-- the same name): on SQLite every check reads the generation counter of
-- migration 0005_auth_changes, so a change holds at the next request in
-- every process without waiting for anyone. Nothing to create; the file
-- keeps both dialects' migrations alike.
SELECT 1;
