-- 0013 on PostgreSQL: the triggers PL/pgSQL functions (a boolean counted as (… IS NOT NULL)::int); the redone
-- estate triggers replace their functions (same event, columns and WHEN); identity keys (0018 on SQLite).

-- Listings (object ads) (issue 6; homeq.md §11c, §12.1 ObjectAdStatus, §12.4, §15 rules 36-42).
--
-- A listing advertises one apartment. Its company is the apartment's estate's; estate_id
-- is copied from the apartment (kept in step by a trigger below) so the inventory counts
-- can be settled when an apartment's cascade removes the listing after the apartment row
-- is already gone.
--
-- status is every ObjectAdStatus of the seed. rentd itself moves a listing through
-- draft → approved (published with a date_publish still ahead: the publish_listing job
-- makes it active then) → active ⇄ paused, and → deleted (DELETE; the purge_listing job
-- removes the row). reserved, rented and closing belong to the applicant process;
-- rejected (approval_rejection_text) and publishing are representable for it too.
-- Only active listings are public (cards, search, the object view, the widget).
--
-- Times: date_publish and start_processing_at are unix seconds (UTC) — the timer and the
-- search sort on them; the dates a landlord types (access_date, short-lease dates) are
-- calendar dates, YYYY-MM-DD.
CREATE TABLE object_ads (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	uuid TEXT NOT NULL UNIQUE,               -- the market dialect's object guid (decisions.md M-14)
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	apartment_id BIGINT NOT NULL REFERENCES apartments(id) ON DELETE CASCADE,
	estate_id BIGINT NOT NULL,              -- the apartment's, denormalized (see above)
	project_id BIGINT REFERENCES projects(id), -- NULL: a succession ad; else a project rental
	requirement_id BIGINT REFERENCES requirement_profiles(id),       -- NULL: only while a draft
	soft_requirements_id BIGINT REFERENCES requirement_profiles(id), -- used with "almost approved"
	status TEXT NOT NULL CHECK (status IN ('closing', 'approved', 'active', 'rented', 'draft', 'deleted',
		'reserved', 'paused', 'rejected', 'publishing')),
	description TEXT NOT NULL DEFAULT '',    -- Markdown
	access_date TEXT,                        -- YYYY-MM-DD; NULL: access on agreement
	prior_access BIGINT NOT NULL DEFAULT 0,
	date_publish BIGINT,                    -- when it was or will be published; NULL: draft never published
	start_processing_at BIGINT,             -- date_publish + the company's minimum_up_time hours
	candidate_sorting_mode TEXT NOT NULL CHECK (candidate_sorting_mode IN ('queue_points', 'random',
		'first_come_first')),
	contract_system TEXT NOT NULL CHECK (contract_system IN ('external', 'manual_selection', 'automatic',
		'manual_selection_lock', 'automatic_strict')),
	-- the office's offer settings at creation (homeq.md §9 office fields)
	batch_size BIGINT NOT NULL,
	offer_per_ad BIGINT NOT NULL,
	offers_per_person BIGINT NOT NULL,
	offer_min_response_time BIGINT NOT NULL,
	time_to_next_engagement BIGINT NOT NULL,
	is_quick_apply BIGINT NOT NULL DEFAULT 0,
	is_short_lease BIGINT NOT NULL DEFAULT 0,
	short_lease_min_date TEXT,               -- YYYY-MM-DD or NULL
	short_lease_max_date TEXT,
	prioritize_existing_tenants BIGINT NOT NULL DEFAULT 0,
	offer_notes TEXT,                        -- NULL: none
	approval_rejection_text TEXT,            -- NULL: not rejected
	created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
	deleted_at TEXT,                         -- set with status 'deleted'; the purge job removes the row
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
-- One live listing per apartment (ApartmentHasAd): a deleted or rented one no longer counts.
CREATE UNIQUE INDEX object_ads_apartment_live ON object_ads(apartment_id)
	WHERE status NOT IN ('deleted', 'rented');
CREATE INDEX object_ads_apartment ON object_ads(apartment_id);
CREATE INDEX object_ads_company ON object_ads(company_id, status);
CREATE INDEX object_ads_estate ON object_ads(estate_id, id);
CREATE INDEX object_ads_project ON object_ads(project_id) WHERE project_id IS NOT NULL;
CREATE INDEX object_ads_requirement ON object_ads(requirement_id) WHERE requirement_id IS NOT NULL;
CREATE INDEX object_ads_soft_requirement ON object_ads(soft_requirements_id) WHERE soft_requirements_id IS NOT NULL;

-- The employees responsible for a listing (ListingDetail/ElasticObjectAd `assignments`,
-- inventory `listing.employee.id`); the creating employee is assigned.
CREATE TABLE object_ad_assignments (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	object_ad_id BIGINT NOT NULL REFERENCES object_ads(id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	UNIQUE (object_ad_id, user_id)
);
CREATE INDEX object_ad_assignments_user ON object_ad_assignments(user_id, object_ad_id);

CREATE OR REPLACE FUNCTION object_ads_follow_apartment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE object_ads SET estate_id = NEW.estate_id WHERE apartment_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER object_ads_follow_apartment AFTER UPDATE OF estate_id ON apartments FOR EACH ROW WHEN (NEW.estate_id <> OLD.estate_id)
	EXECUTE FUNCTION object_ads_follow_apartment();

-- The inventory search (migration 0008) lists each estate, its apartments, then its
-- listings: the estate and office counts gain the listings (every row until it is
-- purged) and, for exclude_projects, those of projects.
ALTER TABLE inventory_estate_counts ADD COLUMN listings BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inventory_estate_counts ADD COLUMN project_listings BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inventory_office_counts ADD COLUMN listings BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inventory_office_counts ADD COLUMN project_listings BIGINT NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION inventory_listing_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE inventory_office_counts SET listings = listings + 1,
		project_listings = project_listings + (NEW.project_id IS NOT NULL)::int
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = NEW.estate_id);
	UPDATE inventory_estate_counts SET listings = listings + 1,
		project_listings = project_listings + (NEW.project_id IS NOT NULL)::int WHERE estate_id = NEW.estate_id;
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_listing_insert AFTER INSERT ON object_ads FOR EACH ROW
	EXECUTE FUNCTION inventory_listing_insert();

-- A listing removed by its estate's cascade finds the estate's counts row gone (the
-- estate trigger below settled the office): the UPDATEs then touch nothing.
CREATE OR REPLACE FUNCTION inventory_listing_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE inventory_office_counts SET listings = listings - 1,
		project_listings = project_listings - (OLD.project_id IS NOT NULL)::int
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = OLD.estate_id);
	UPDATE inventory_estate_counts SET listings = listings - 1,
		project_listings = project_listings - (OLD.project_id IS NOT NULL)::int WHERE estate_id = OLD.estate_id;
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_listing_delete AFTER DELETE ON object_ads FOR EACH ROW
	EXECUTE FUNCTION inventory_listing_delete();

CREATE OR REPLACE FUNCTION inventory_listing_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE inventory_office_counts SET listings = listings - 1,
		project_listings = project_listings - (OLD.project_id IS NOT NULL)::int
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = OLD.estate_id);
	UPDATE inventory_estate_counts SET listings = listings - 1,
		project_listings = project_listings - (OLD.project_id IS NOT NULL)::int WHERE estate_id = OLD.estate_id;
	UPDATE inventory_office_counts SET listings = listings + 1,
		project_listings = project_listings + (NEW.project_id IS NOT NULL)::int
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = NEW.estate_id);
	UPDATE inventory_estate_counts SET listings = listings + 1,
		project_listings = project_listings + (NEW.project_id IS NOT NULL)::int WHERE estate_id = NEW.estate_id;
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_listing_move AFTER UPDATE OF estate_id, project_id ON object_ads FOR EACH ROW WHEN (NEW.estate_id <> OLD.estate_id OR (NEW.project_id IS NULL) <> (OLD.project_id IS NULL))
	EXECUTE FUNCTION inventory_listing_move();

-- 0008's estate triggers, redone to carry the listings with the apartments.
DROP TRIGGER inventory_estate_delete ON estates;
CREATE OR REPLACE FUNCTION inventory_estate_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE inventory_office_counts SET estates = estates - 1,
		apartments = apartments - (SELECT apartments FROM inventory_estate_counts WHERE estate_id = OLD.id),
		listings = listings - (SELECT listings FROM inventory_estate_counts WHERE estate_id = OLD.id),
		project_listings = project_listings -
			(SELECT project_listings FROM inventory_estate_counts WHERE estate_id = OLD.id)
		WHERE office_id = OLD.office_id;
	DELETE FROM inventory_estate_counts WHERE estate_id = OLD.id;
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_estate_delete AFTER DELETE ON estates FOR EACH ROW
	EXECUTE FUNCTION inventory_estate_delete();

DROP TRIGGER inventory_estate_move ON estates;
CREATE OR REPLACE FUNCTION inventory_estate_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE inventory_office_counts SET estates = estates - 1,
		apartments = apartments - (SELECT apartments FROM inventory_estate_counts WHERE estate_id = OLD.id),
		listings = listings - (SELECT listings FROM inventory_estate_counts WHERE estate_id = OLD.id),
		project_listings = project_listings -
			(SELECT project_listings FROM inventory_estate_counts WHERE estate_id = OLD.id)
		WHERE office_id = OLD.office_id;
	INSERT INTO inventory_office_counts(office_id, company_id, estates, apartments, listings, project_listings)
		SELECT NEW.office_id, NEW.company_id, 1, apartments, listings, project_listings
		FROM inventory_estate_counts WHERE estate_id = OLD.id
		ON CONFLICT(office_id) DO UPDATE SET estates = inventory_office_counts.estates + 1,
			apartments = inventory_office_counts.apartments + excluded.apartments, listings = inventory_office_counts.listings + excluded.listings,
			project_listings = inventory_office_counts.project_listings + excluded.project_listings;
	UPDATE inventory_estate_counts SET company_id = NEW.company_id, office_id = NEW.office_id
		WHERE estate_id = OLD.id;
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_estate_move AFTER UPDATE OF office_id, company_id ON estates FOR EACH ROW WHEN (NEW.office_id <> OLD.office_id OR NEW.company_id <> OLD.company_id)
	EXECUTE FUNCTION inventory_estate_move();
