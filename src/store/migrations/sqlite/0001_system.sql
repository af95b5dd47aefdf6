-- The first migration: the server's own bookkeeping. Domain tables follow in
-- their own numbered files.

-- Key/value facts about this installation (instance id, demo data seeded, …).
CREATE TABLE system_settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

INSERT INTO system_settings(key, value) VALUES ('instance_id', lower(hex(randomblob(16))));
