-- 0004 on PostgreSQL: the column types mapped, identity keys (0018 on SQLite), timestamp defaults by to_char(now()).

-- Media: stored files (content-addressed), file references (homeq.md §11d, H-40) and
-- the durable job queue the background workers read (thumbnails today).

-- One row per stored object. key is the storage key and the URL path below /media/:
-- "<category>/<sha256>.<ext>" (category = entity type + "s", as in the seed's URL rule).
CREATE TABLE stored_files (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key TEXT NOT NULL UNIQUE,
	category TEXT NOT NULL,
	sha256 TEXT NOT NULL,             -- lower-case hex
	md5 TEXT NOT NULL,                -- base64, as the client sends content_md5
	size BIGINT NOT NULL CHECK (size > 0),
	mime_type TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
-- "a stored file with the same MD5 and size" (H-40), per category
CREATE INDEX stored_files_dedup ON stored_files(md5, size, category);

-- A file reference: created by POST /api/v1/file_reference/, used once by the upload.
CREATE TABLE file_references (
	id TEXT PRIMARY KEY,              -- 32 lower-case hex digits (a v4 UUID without dashes)
	company_id BIGINT REFERENCES companies(id) ON DELETE CASCADE, -- NULL for consumers
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	entity_type TEXT NOT NULL,
	mime_type TEXT NOT NULL,
	content_length BIGINT NOT NULL CHECK (content_length > 0),
	content_md5 TEXT NOT NULL,
	content_name TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'uploaded')),
	stored_file_id BIGINT REFERENCES stored_files(id),
	expires_at BIGINT NOT NULL,      -- unix seconds; the signed URL is refused after it
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	uploaded_at TEXT
);
CREATE INDEX file_references_company ON file_references(company_id);

-- Background jobs. A worker claims one with an UPDATE … RETURNING (state queued → running,
-- locked_until = now + lease); a job whose lease ran out (its worker died) is claimable again,
-- so a restart or a crash loses none.
CREATE TABLE jobs (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind TEXT NOT NULL,               -- 'thumbnails'
	payload TEXT NOT NULL,            -- kind-specific: thumbnails → stored_files.id
	state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
	attempts BIGINT NOT NULL DEFAULT 0,
	next_run_at BIGINT NOT NULL,     -- unix seconds
	locked_until BIGINT,             -- unix seconds, while running
	last_error TEXT,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX jobs_runnable ON jobs(state, next_run_at);
