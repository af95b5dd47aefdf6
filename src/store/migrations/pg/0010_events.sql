-- 0010 on PostgreSQL: seq and the ids identity columns (AUTOINCREMENT), the triggers PL/pgSQL functions.

-- The one event outbox and its consumers; the notification outbox and invitations (issue 5).
--
-- events: every domain event, appended in the transaction of the change it describes
-- (core/events.h). seq is AUTOINCREMENT so a number is never handed out twice, even
-- after the newest row was removed; SQLite commits writers one at a time, so rows become
-- visible in seq order and a consumer reading "after my position" never skips one.

CREATE TABLE events (
	seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	uuid TEXT NOT NULL UNIQUE,
	type TEXT NOT NULL,                       -- "AccountWasCreated"
	company_id BIGINT REFERENCES companies(id), -- NULL: not about one company
	aggregate TEXT NOT NULL,                  -- "account", "contact" …
	aggregate_id TEXT NOT NULL,               -- its id as text
	occurred_us BIGINT NOT NULL,             -- UTC, microseconds since the epoch
	actor_user_id BIGINT,                    -- NULL: the operator's command line
	actor_identity TEXT NOT NULL DEFAULT '',  -- user uuid, "cli"
	actor_email TEXT NOT NULL DEFAULT '',     -- Requester header or the token's e-mail (S-42)
	actor_name TEXT NOT NULL DEFAULT '',
	payload TEXT NOT NULL,                    -- the published JSON (spotahome.md §5)
	before TEXT,                              -- JSON of the changed members (S-49)
	after TEXT
);
-- "an account's events, newest first" (the changelog); "everything after seq" is the primary key
CREATE INDEX events_company ON events(company_id, seq);
-- The seq alone, narrow: paging over every event steps over an OFFSET here (10^5 entries in
-- well under a millisecond) instead of over the wide table rows (~40 ms), then reads only
-- the page's rows by key.
CREATE INDEX events_seq ON events(seq);

-- Row counts kept by triggers in the appending transaction, so the changelog's total is
-- one primary-key read however long the outbox grows (COUNT(*) over 10^6 rows costs tens
-- of milliseconds). company_id 0 counts every event.
CREATE TABLE event_counts (
	company_id BIGINT PRIMARY KEY,
	n BIGINT NOT NULL
);
CREATE OR REPLACE FUNCTION events_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO event_counts(company_id, n) VALUES (0, 1) ON CONFLICT(company_id) DO UPDATE SET n = event_counts.n + 1;
	INSERT INTO event_counts(company_id, n) SELECT NEW.company_id, 1 WHERE NEW.company_id IS NOT NULL
		ON CONFLICT(company_id) DO UPDATE SET n = event_counts.n + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER events_count_insert AFTER INSERT ON events FOR EACH ROW
	EXECUTE FUNCTION events_count_insert();
CREATE OR REPLACE FUNCTION events_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE event_counts SET n = n - 1 WHERE company_id = 0 OR company_id = OLD.company_id;
	RETURN NULL;
END $$;
CREATE TRIGGER events_count_delete AFTER DELETE ON events FOR EACH ROW
	EXECUTE FUNCTION events_count_delete();

-- Readers of the outbox (the landlord webhooks, exports …), each with its own position:
-- the seq of the last event it has handled.
CREATE TABLE event_consumers (
	name TEXT PRIMARY KEY,
	position BIGINT NOT NULL DEFAULT 0,
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);

-- One-time, expiring set-password links (core/notify.h). Only the SHA-256 of the token is
-- kept here: a copy of the database does not hand out passwords.
CREATE TABLE invitations (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	email TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,          -- hex SHA-256 of the token in the link
	created_at BIGINT NOT NULL,              -- unix seconds
	expires_at BIGINT NOT NULL,
	used_at BIGINT                           -- NULL until the password is set
);
CREATE INDEX invitations_pending ON invitations(expires_at) WHERE used_at IS NULL;

-- The notification outbox: e-mails queued in the transaction that decided them and sent
-- by the "notification" job (SMTP through libcurl, or handed to the log without SMTP).
-- link holds an invitation's secret URL while the operator may still need it (no SMTP);
-- it and the body are cleared once the e-mail has been delivered.
CREATE TABLE notifications (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('invitation', 'availability_reminder')),
	company_id BIGINT REFERENCES companies(id),
	invitation_id BIGINT REFERENCES invitations(id) ON DELETE CASCADE,
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	link TEXT,
	state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'logged', 'failed')),
	attempts BIGINT NOT NULL DEFAULT 0,
	last_error TEXT,
	actor_user_id BIGINT,                    -- who asked (the reminder's event names them)
	actor_identity TEXT NOT NULL DEFAULT '',
	actor_email TEXT NOT NULL DEFAULT '',
	actor_name TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	sent_at BIGINT
);
CREATE INDEX notifications_invitation ON notifications(invitation_id);
