-- The letting process (issue 15): ranking at the deadline, offers, reservation, agreement.
--
-- An application gets its place when the listing's applications close (start_processing_at):
-- fixed then, once, by the listing's candidate_sorting_mode, and never moved; before it the
-- place shown is the live one. offered_at is when the process offered it (the questionYesNo
-- step); rejection_reason the landlord's reason when its reservation was rejected.
ALTER TABLE applications ADD COLUMN offered_at INTEGER;       -- µs; NULL: never offered
ALTER TABLE applications ADD COLUMN rejection_reason INTEGER; -- rejection_reasons.id

-- The places, in a narrow table of their own: ranking writes one row of four integers per
-- application, in place order, instead of rewriting every wide application row (~1 kB with its
-- screening checks): 100,000 places are ~2 MB written, not ~110 MB (docs/BENCHMARKS.md).
-- existing_tenant: ranked first as an existing tenant of the landlord (prioritize_existing_tenants).
CREATE TABLE application_ranks (
	listing_id INTEGER NOT NULL,
	rank INTEGER NOT NULL,                   -- 1-based
	application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
	existing_tenant INTEGER NOT NULL,
	PRIMARY KEY (listing_id, rank)
) WITHOUT ROWID;
CREATE UNIQUE INDEX application_ranks_application ON application_ranks(application_id);

-- What ranking reads of each open application, from the index alone (the row is wide): the
-- live place's index of migration 0023, widened by the state and the screening verdict.
DROP INDEX applications_listing_open;
CREATE INDEX applications_listing_open ON applications(listing_id, queue_points, applied_at, state, screening_approved)
	WHERE closed_at IS NULL;

-- One row per listing whose applications have closed. Its insert is the ranking's guard:
-- the deadline job inserts it with ON CONFLICT DO NOTHING and ranks only when the row is
-- new, so two runs of the job at once (two rentd processes over one database) rank once.
CREATE TABLE listing_processes (
	listing_id INTEGER PRIMARY KEY REFERENCES object_ads(id) ON DELETE CASCADE,
	company_id INTEGER NOT NULL,
	ranked_at INTEGER NOT NULL,              -- µs
	rule TEXT NOT NULL,                      -- the candidate_sorting_mode it was ranked by
	ranked INTEGER NOT NULL,                 -- how many applications got a place
	offered_through INTEGER NOT NULL DEFAULT 0, -- the highest place offered so far
	reserved_application_id INTEGER,         -- the reserved candidate; NULL: none
	reserved_by INTEGER,                     -- the employee who reserved (NULL: the process)
	reserved_at INTEGER                      -- µs
);

-- Why a landlord rejects a reserved candidate (homeq.md §11c, GET /api/v1/rejection_reasons/).
CREATE TABLE rejection_reasons (
	id INTEGER PRIMARY KEY,
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
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	office_id INTEGER NOT NULL,
	listing_id INTEGER NOT NULL,
	apartment_id INTEGER NOT NULL,
	application_id INTEGER NOT NULL UNIQUE,
	user_id INTEGER NOT NULL,                -- the tenant
	landlord_user_id INTEGER NOT NULL,       -- the employee who confirmed
	contract_uuid TEXT NOT NULL,
	created_at INTEGER NOT NULL,             -- µs
	signed_at INTEGER                        -- µs; NULL until sealed
);
CREATE INDEX agreements_company ON agreements(company_id, id);
CREATE INDEX agreements_user ON agreements(user_id, id);

-- Whether a deadline job is queued already (store_job_queued): a listing written twice
-- queues its close job once.
CREATE INDEX jobs_queued_payload ON jobs(kind, payload) WHERE state = 'queued';

-- The letting process's e-mails go through the notification outbox too (core/accounts/notify.h):
-- an offer, "you got it", "you did not get it", a rejected reservation, a withdrawn listing.
-- SQLite changes a CHECK only by rebuilding the table.
CREATE TABLE notifications__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL CHECK (kind IN ('invitation', 'availability_reminder', 'letting_offer', 'letting_allocated',
		'letting_not_allocated', 'letting_rejected', 'letting_cancelled')),
	company_id INTEGER REFERENCES companies(id),
	invitation_id INTEGER REFERENCES invitations(id) ON DELETE CASCADE,
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	link TEXT,
	state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'logged', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT,
	actor_user_id INTEGER,                    -- who asked (the reminder's event names them)
	actor_identity TEXT NOT NULL DEFAULT '',
	actor_email TEXT NOT NULL DEFAULT '',
	actor_name TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	sent_at INTEGER
);
INSERT INTO notifications__rebuilt (id, kind, company_id, invitation_id, recipient, subject, body, link, state, attempts, last_error, actor_user_id, actor_identity, actor_email, actor_name, created_at, sent_at) SELECT id, kind, company_id, invitation_id, recipient, subject, body, link, state, attempts, last_error, actor_user_id, actor_identity, actor_email, actor_name, created_at, sent_at FROM notifications;
DROP INDEX notifications_invitation;
DROP TABLE notifications;
ALTER TABLE notifications__rebuilt RENAME TO notifications;
CREATE INDEX notifications_invitation ON notifications(invitation_id);
