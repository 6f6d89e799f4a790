-- SQLite has no TRUNCATE: DELETE without WHERE fires the row triggers of
-- migrations 0005 and 0007 on tables that have triggers. This migration
-- keeps the two dialects' lists alike.
UPDATE godoo_auth_generation SET generation = generation + 1;
