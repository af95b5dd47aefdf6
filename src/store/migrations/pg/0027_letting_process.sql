-- 0027 on PostgreSQL: the notifications kind CHECK replaced in place (SQLite rebuilds the table for it);
-- AUTOINCREMENT → identity, the trigger a PL/pgSQL function.

-- The letting process (issue 15): ranking at the deadline, offers, reservation, agreement.
--
-- An application gets its place when the listing's applications close (start_processing_at):
-- fixed then, once, by the listing's candidate_sorting_mode, and never moved; before it the
-- place shown is the live one. offered_at is when the process offered it (the questionYesNo
-- step); rejection_reason the landlord's reason when its reservation was rejected.
ALTER TABLE applications ADD COLUMN offered_at BIGINT;       -- µs; NULL: never offered
ALTER TABLE applications ADD COLUMN rejection_reason BIGINT; -- rejection_reasons.id

-- The places, in a narrow table of their own: ranking writes one row of four integers per
-- application, in place order, instead of rewriting every wide application row (~1 kB with its
-- screening checks): 100,000 places are ~2 MB written, not ~110 MB (docs/BENCHMARKS.md).
-- existing_tenant: ranked first as an existing tenant of the landlord (prioritize_existing_tenants).
-- No foreign key: checking one would seek into the wide applications table once a place (most
-- of a 100,000 ranking's time, measured); the ranking reads the ids in the same transaction,
-- and a trigger takes a place away with its application (a purged listing, an erased user).
CREATE TABLE application_ranks (
	listing_id BIGINT NOT NULL,
	rank BIGINT NOT NULL,                   -- 1-based
	application_id BIGINT NOT NULL,
	existing_tenant BIGINT NOT NULL,
	PRIMARY KEY (listing_id, rank)
);
CREATE UNIQUE INDEX application_ranks_application ON application_ranks(application_id);
CREATE OR REPLACE FUNCTION application_ranks_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM application_ranks WHERE application_id = OLD.id;
	RETURN NULL;
END $$;
CREATE TRIGGER application_ranks_delete AFTER DELETE ON applications FOR EACH ROW
	EXECUTE FUNCTION application_ranks_delete();

-- What ranking reads of each open application, from the index alone (the row is wide): the
-- live place's index of migration 0023, widened by the state and the screening verdict.
DROP INDEX applications_listing_open;
CREATE INDEX applications_listing_open ON applications(listing_id, queue_points, applied_at, state, screening_approved)
	WHERE closed_at IS NULL;

-- One row per listing whose applications have closed. Its insert is the ranking's guard:
-- the deadline job inserts it with ON CONFLICT DO NOTHING and ranks only when the row is
-- new, so two runs of the job at once (two rentd processes over one database) rank once.
CREATE TABLE listing_processes (
	listing_id BIGINT PRIMARY KEY REFERENCES object_ads(id) ON DELETE CASCADE,
	company_id BIGINT NOT NULL,
	ranked_at BIGINT NOT NULL,              -- µs
	rule TEXT NOT NULL,                      -- the candidate_sorting_mode it was ranked by
	ranked BIGINT NOT NULL,                 -- how many applications got a place
	offered_through BIGINT NOT NULL DEFAULT 0, -- the highest place offered so far
	reserved_application_id BIGINT,         -- the reserved candidate; NULL: none
	reserved_by BIGINT,                     -- the employee who reserved (NULL: the process)
	reserved_at BIGINT                      -- µs
);

-- Why a landlord rejects a reserved candidate (homeq.md §11c, GET /api/v1/rejection_reasons/).
CREATE TABLE rejection_reasons (
	id BIGINT PRIMARY KEY,
	description TEXT NOT NULL
);
INSERT INTO rejection_reasons(id, description) VALUES
	(1, 'Insufficient income'),
	(2, 'Payment remarks'),
	(3, 'References not approved'),
	(4, 'Incomplete or unverifiable documents'),
	(5, 'Did not attend the viewing'),
	(6, 'The household does not fit the apartment'),
	(7, 'Other');

-- An agreement: made when the landlord confirms a reservation (homeq.md §3, §12.8). The
-- tenant and the landlord sign its digital contract (contracts, migration 0026);
-- signed_at is set when the last signature seals it.
CREATE TABLE agreements (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	office_id BIGINT NOT NULL,
	listing_id BIGINT NOT NULL,
	apartment_id BIGINT NOT NULL,
	application_id BIGINT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL,                -- the tenant
	landlord_user_id BIGINT NOT NULL,       -- the employee who confirmed
	contract_uuid TEXT NOT NULL,
	created_at BIGINT NOT NULL,             -- µs
	signed_at BIGINT                        -- µs; NULL until sealed
);
CREATE INDEX agreements_company ON agreements(company_id, id);
CREATE INDEX agreements_user ON agreements(user_id, id);

-- Whether a deadline job is queued already (store_job_queued): a listing written twice
-- queues its close job once.
CREATE INDEX jobs_queued_payload ON jobs(kind, payload) WHERE state = 'queued';

-- The letting process's e-mails go through the notification outbox too (core/accounts/notify.h):
-- an offer, "you got it", "you did not get it", a rejected reservation, a withdrawn listing.
-- (SQLite changes a CHECK only by rebuilding the table; PostgreSQL replaces the constraint.)
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
	ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('invitation', 'availability_reminder', 'letting_offer', 'letting_allocated',
		'letting_not_allocated', 'letting_rejected', 'letting_cancelled'));
