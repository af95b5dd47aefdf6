-- 0023 on PostgreSQL: AUTOINCREMENT → identity; the event-count triggers get their WHEN by DROP/CREATE TRIGGER
-- (their functions are unchanged).

-- Applications (issue 14): an applicant's interest in a market object (a published
-- listing), and the process steps it goes through (momentum.md A.7; the letting process of
-- the next issue moves it past 'registered').
--
-- An application keeps everything ranking needs, fixed at the moment of applying: the
-- queue it was made in, the applicant's points in that queue then, the apply time in
-- microseconds (the tie-break), and the screening verdict with its named checks. Ranking
-- never has to look back at queue history or a profile that has changed since.
--
-- Every step has its own id from one increasing sequence; an application's etag is the id
-- of its current step (decisions.md M-19), so a command with a stale etag is detected by
-- comparing one integer. A step is answered (answer, answered_at) by the command that
-- ends it; history is the answered steps.
--
-- Times are microseconds since the epoch (UTC), bound from C (portable SQL).
CREATE TABLE applications (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	listing_id BIGINT NOT NULL REFERENCES object_ads(id) ON DELETE CASCADE,
	company_id BIGINT NOT NULL,             -- the listing's, so landlord reads scope without a join
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	queue_type TEXT NOT NULL,                -- the market-object type of the listing when applying
	queue_points BIGINT NOT NULL,           -- the applicant's points in that queue when applying
	applied_at BIGINT NOT NULL,             -- µs
	state TEXT NOT NULL CHECK (state IN ('registered', 'question', 'form', 'viewing', 'signing',
		'contract_signed', 'completed', 'cancelled', 'annulled', 'removed', 'locked')),
	step_id BIGINT NOT NULL DEFAULT 0,      -- the current step: the etag
	closed_at BIGINT,                       -- µs; NULL while open
	screening_approved BIGINT NOT NULL,     -- 1: every checked requirement passed when applying
	screening TEXT NOT NULL DEFAULT '[]',    -- the named checks then, JSON
	contact_name TEXT,                       -- the apply command's contact, when allowed
	contact_phone TEXT,
	contact_mobile TEXT,
	contact_email TEXT,
	updated_at BIGINT NOT NULL              -- µs
);
-- an applicant's applications, newest first
CREATE INDEX applications_user ON applications(user_id, applied_at);
-- one open application per applicant and object (a second apply is a conflict, even two at once)
CREATE UNIQUE INDEX applications_open_once ON applications(listing_id, user_id) WHERE closed_at IS NULL;
-- a listing's open applications in queue order: the live position (placeSorted) and ranking
CREATE INDEX applications_listing_open ON applications(listing_id, queue_points, applied_at) WHERE closed_at IS NULL;
-- a listing's applications by state: the landlord's counts (ApplyStats)
CREATE INDEX applications_listing_state ON applications(listing_id, state);

CREATE TABLE application_steps (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,    -- the etag while it is the current step
	application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
	state TEXT NOT NULL,                     -- the application's state during this step
	created_at BIGINT NOT NULL,             -- µs
	answer TEXT,                             -- the command that ended it ('yes', 'no', 'remove', 'done' …)
	answered_at BIGINT,                     -- µs
	data TEXT NOT NULL DEFAULT '{}'          -- the presentation's data, JSON
);
CREATE INDEX application_steps_application ON application_steps(application_id, id);

-- The outbox now holds the market's application events too (aggregate 'application'). The
-- accounts dialect's changelog is the account and contact events only: its counts and its
-- page indexes are narrowed to them, so application traffic neither shows in it nor slows it.
DROP TRIGGER events_count_insert ON events;
DROP TRIGGER events_count_delete ON events;
CREATE OR REPLACE FUNCTION events_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO event_counts(company_id, n) VALUES (0, 1) ON CONFLICT(company_id) DO UPDATE SET n = event_counts.n + 1;
	INSERT INTO event_counts(company_id, n) SELECT NEW.company_id, 1 WHERE NEW.company_id IS NOT NULL
		ON CONFLICT(company_id) DO UPDATE SET n = event_counts.n + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER events_count_insert AFTER INSERT ON events FOR EACH ROW WHEN (NEW.aggregate IN ('account', 'contact'))
	EXECUTE FUNCTION events_count_insert();
CREATE OR REPLACE FUNCTION events_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE event_counts SET n = n - 1 WHERE company_id = 0 OR company_id = OLD.company_id;
	RETURN NULL;
END $$;
CREATE TRIGGER events_count_delete AFTER DELETE ON events FOR EACH ROW WHEN (OLD.aggregate IN ('account', 'contact'))
	EXECUTE FUNCTION events_count_delete();
DROP INDEX events_company;
DROP INDEX events_seq;
CREATE INDEX events_changelog_company ON events(company_id, seq) WHERE aggregate IN ('account', 'contact');
CREATE INDEX events_changelog ON events(seq) WHERE aggregate IN ('account', 'contact');
