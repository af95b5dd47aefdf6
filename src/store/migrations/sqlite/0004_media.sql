-- Media: stored files (content-addressed), file references (homeq.md §11d, H-40) and
-- the durable job queue the background workers read (thumbnails today).

-- One row per stored object. key is the storage key and the URL path below /media/:
-- "<category>/<sha256>.<ext>" (category = entity type + "s", as in the seed's URL rule).
CREATE TABLE stored_files (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL UNIQUE,
	category TEXT NOT NULL,
	sha256 TEXT NOT NULL,             -- lower-case hex
	md5 TEXT NOT NULL,                -- base64, as the client sends content_md5
	size INTEGER NOT NULL CHECK (size > 0),
	mime_type TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
-- "a stored file with the same MD5 and size" (H-40), per category
CREATE INDEX stored_files_dedup ON stored_files(md5, size, category);

-- A file reference: created by POST /api/v1/file_reference/, used once by the upload.
CREATE TABLE file_references (
	id TEXT PRIMARY KEY,              -- 32 lower-case hex digits (a v4 UUID without dashes)
	company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE, -- NULL for consumers
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	entity_type TEXT NOT NULL,
	mime_type TEXT NOT NULL,
	content_length INTEGER NOT NULL CHECK (content_length > 0),
	content_md5 TEXT NOT NULL,
	content_name TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'uploaded')),
	stored_file_id INTEGER REFERENCES stored_files(id),
	expires_at INTEGER NOT NULL,      -- unix seconds; the signed URL is refused after it
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	uploaded_at TEXT
);
CREATE INDEX file_references_company ON file_references(company_id);

-- Background jobs. A worker claims one with an UPDATE … RETURNING (state queued → running,
-- locked_until = now + lease); a job whose lease ran out (its worker died) is claimable again,
-- so a restart or a crash loses none.
CREATE TABLE jobs (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,               -- 'thumbnails'
	payload TEXT NOT NULL,            -- kind-specific: thumbnails → stored_files.id
	state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_run_at INTEGER NOT NULL,     -- unix seconds
	locked_until INTEGER,             -- unix seconds, while running
	last_error TEXT,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX jobs_runnable ON jobs(state, next_run_at);
