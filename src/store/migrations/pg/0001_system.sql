-- 0001 on PostgreSQL: the timestamp default by to_char(now()), the instance id from gen_random_uuid()
-- (32 hex digits, 122 of them random) instead of SQLite's randomblob().
-- The first migration: the server's own bookkeeping. Domain tables follow in
-- their own numbered files.

-- Key/value facts about this installation (instance id, demo data seeded, …).
CREATE TABLE system_settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
);

INSERT INTO system_settings(key, value) VALUES ('instance_id', replace(gen_random_uuid()::text, '-', ''));
