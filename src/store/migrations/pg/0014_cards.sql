-- 0014 on PostgreSQL: card_geo, SQLite's R*Tree, is a table of the same columns with a GiST index on its box;
-- INSERT OR IGNORE → ON CONFLICT DO NOTHING, the counts' upsert names its key, triggers as PL/pgSQL.

-- Precomputed search cards and their geo index (issue 6; homeq.md §6, §12.7, §14;
-- core/cards.h, store/store_cards.c).
--
-- Search (POST /api/v3/cards/, POST /api/v3/search) reads only these tables. A row is
-- written by cards_sync_* in the same transaction as the listing, apartment, estate or
-- project change it derives from, so a committed change is searchable at once.
--
-- cards: one narrow row per searchable thing, holding every column a filter or a sort
-- reads (the wide display data is in card_docs, read only for the rows of a page):
--   kind 0  individual: a listing that is not a project rental          (IndividualCard)
--   kind 1  project: a published, open project with at least one active listing
--           (ProjectCard; its ranges, modes, audiences and amenities are those of its
--           active listings)
--   kind 2  project ad: a listing of a published project. Not a card of the normal
--           search (its project's card stands for it); the rows of the project mode
--           (ExtendedIndividualCard) and of the company mode.
-- Only listings with status active, reserved or paused have a row; which of them an
-- answer shows is decided per request (state).
--
-- id: 2 × object_ads.id for kinds 0 and 2 (a listing is one or the other), 2 ×
-- projects.id + 1 for kind 1, so the id orders ties deterministically and the rowid
-- that every index carries is the tie-breaker of every sort.
CREATE TABLE cards (
	id BIGINT PRIMARY KEY,
	kind BIGINT NOT NULL CHECK (kind IN (0, 1, 2)),
	ref_id BIGINT NOT NULL,            -- object_ads.id (kinds 0, 2) or projects.id (kind 1)
	state BIGINT NOT NULL,             -- 1 active, 2 reserved, 4 paused (bits: a request asks for a mask)
	modes BIGINT NOT NULL,             -- 1 queue_points, 2 random, 4 first_come_first (a project: its ads')
	audience BIGINT NOT NULL,          -- 1 everyone, 2 senior, 4 youth, 8 student
	amenities BIGINT NOT NULL,         -- the search's amenity filters, one bit each (core/cards.c)
	company_id BIGINT NOT NULL,
	office_id BIGINT NOT NULL,
	estate_id BIGINT NOT NULL,         -- 0 for projects
	apartment_id BIGINT NOT NULL,      -- 0 for projects
	project_id BIGINT NOT NULL,        -- 0: not in a project
	county BIGINT NOT NULL,            -- SCB county code, "county.N" (1 = Stockholms län); 0 unknown
	municipality BIGINT NOT NULL,      -- SCB municipality code, "municipality.N" (180 = Stockholm); 0 unknown
	lat DOUBLE PRECISION NOT NULL,
	lon DOUBLE PRECISION NOT NULL,
	x DOUBLE PRECISION NOT NULL,                    -- the unit vector of (lat, lon): distances are chord lengths
	y DOUBLE PRECISION NOT NULL,
	z DOUBLE PRECISION NOT NULL,
	publish_date BIGINT NOT NULL,      -- unix seconds (a project: its newest active listing's)
	rent BIGINT NOT NULL,              -- a project: the lowest of its listings; rent_max the highest
	rent_max BIGINT NOT NULL,
	area DOUBLE PRECISION NOT NULL,
	area_max DOUBLE PRECISION NOT NULL,
	rooms DOUBLE PRECISION NOT NULL,
	rooms_max DOUBLE PRECISION NOT NULL,
	floor DOUBLE PRECISION NOT NULL,
	floor_max DOUBLE PRECISION NOT NULL,
	boost_value DOUBLE PRECISION NOT NULL DEFAULT 0,
	active_ads BIGINT NOT NULL DEFAULT 1
);
-- The walks: the default order (publish_date.desc) runs these backwards, every other
-- order sorts what they yield. Each carries, after its key, every column the common
-- filters, the sort keys and a pin read, so a search, a count and a page of pins read
-- the index alone (SQLite defers the table seek until a column outside the index is
-- needed, and a filter the request does not use never needs its column); the rowid
-- (the card id) ends every index entry and breaks ties.
CREATE INDEX cards_publish ON cards(publish_date, kind, state, modes, company_id, rent, rent_max, rooms, rooms_max,
	area, area_max, floor, floor_max, amenities, audience, lat, lon, active_ads, ref_id);
CREATE INDEX cards_county_publish ON cards(county, publish_date, kind, state, modes, company_id, rent, rent_max,
	rooms, rooms_max, area, area_max, floor, floor_max, amenities, audience, lat, lon, active_ads, ref_id);
CREATE INDEX cards_municipality_publish ON cards(municipality, publish_date, kind, state, modes, company_id, rent,
	rent_max, rooms, rooms_max, area, area_max, floor, floor_max, amenities, audience, lat, lon, active_ads, ref_id);
CREATE INDEX cards_company_publish ON cards(company_id, publish_date, kind, state, modes, rent, rent_max, rooms,
	rooms_max, area, area_max, floor, floor_max, amenities, audience, lat, lon, active_ads, ref_id);
CREATE INDEX cards_project ON cards(project_id, kind);
CREATE INDEX cards_estate ON cards(estate_id);
CREATE INDEX cards_apartment ON cards(apartment_id);

-- Exact counts without a scan: cards per place, kind, state and rental modes, at three
-- levels: (county, municipality), (county, -1) for a whole county and (-1, -1) for the
-- whole country (0 is an unknown code, so -1 marks the sums). A search that filters by
-- nothing else (the whole country, counties, municipalities; any kinds, modes and states
-- but paused) sums a few dozen of these rows; anything else counts the cards.
CREATE TABLE card_counts (
	county BIGINT NOT NULL,
	municipality BIGINT NOT NULL,
	kind BIGINT NOT NULL,
	state BIGINT NOT NULL,
	modes BIGINT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (county, municipality, kind, state, modes)
);
CREATE INDEX card_counts_municipality ON card_counts(municipality);

-- Bumped by every change of a card: a process may keep what it computed from the cards
-- (core/cards.c keeps counts) for as long as the value it read then is current. It
-- starts at a random point so that two databases never share a sequence.
CREATE TABLE card_generation (
	id BIGINT PRIMARY KEY CHECK (id = 1),
	value BIGINT NOT NULL
);
INSERT INTO card_generation(id, value) VALUES (1, floor(random() * 1000000000000000)::bigint);

CREATE OR REPLACE FUNCTION cards_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO card_counts(county, municipality, kind, state, modes, n)
		VALUES (NEW.county, NEW.municipality, NEW.kind, NEW.state, NEW.modes, 1),
		       (NEW.county, -1, NEW.kind, NEW.state, NEW.modes, 1),
		       (-1, -1, NEW.kind, NEW.state, NEW.modes, 1)
		ON CONFLICT (county, municipality, kind, state, modes) DO UPDATE SET n = card_counts.n + 1;
	UPDATE card_generation SET value = value + 1 WHERE id = 1;
	RETURN NULL;
END $$;
CREATE TRIGGER cards_insert AFTER INSERT ON cards FOR EACH ROW
	EXECUTE FUNCTION cards_insert();

CREATE OR REPLACE FUNCTION cards_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE card_counts SET n = n - 1 WHERE kind = OLD.kind AND state = OLD.state AND modes = OLD.modes
		AND ((county = OLD.county AND municipality IN (OLD.municipality, -1)) OR (county = -1 AND municipality = -1));
	INSERT INTO card_counts(county, municipality, kind, state, modes, n)
		VALUES (NEW.county, NEW.municipality, NEW.kind, NEW.state, NEW.modes, 1),
		       (NEW.county, -1, NEW.kind, NEW.state, NEW.modes, 1),
		       (-1, -1, NEW.kind, NEW.state, NEW.modes, 1)
		ON CONFLICT (county, municipality, kind, state, modes) DO UPDATE SET n = card_counts.n + 1;
	UPDATE card_generation SET value = value + 1 WHERE id = 1;
	RETURN NULL;
END $$;
CREATE TRIGGER cards_update AFTER UPDATE ON cards FOR EACH ROW
	EXECUTE FUNCTION cards_update();

-- What a card shows beyond the filter columns; one row per cards row.
-- images: "key<TAB>caption" lines in position order (key: the stored file below /media/);
-- videos: one key per line. Project cards list their dates and short-lease flags.
CREATE TABLE card_docs (
	card_id BIGINT PRIMARY KEY REFERENCES cards(id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	city TEXT NOT NULL,
	county_name TEXT NOT NULL,
	municipality_name TEXT NOT NULL,
	images TEXT NOT NULL DEFAULT '',
	videos TEXT NOT NULL DEFAULT '',
	date_access TEXT,                   -- YYYY-MM-DD; a project: its listings' distinct dates, comma-separated
	short_lease BIGINT NOT NULL,       -- 0/1; a project: bit 1 some listing is not, bit 2 some listing is
	is_quick_apply BIGINT NOT NULL DEFAULT 0,
	access_on_agreement BIGINT NOT NULL DEFAULT 0,
	prior_access BIGINT NOT NULL DEFAULT 0,
	street TEXT NOT NULL DEFAULT '',
	street_number TEXT NOT NULL DEFAULT '',
	zip TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	floor_plan TEXT,                    -- the floor plan's stored key, NULL: none
	landlord_object_id TEXT,
	sorting_mode TEXT NOT NULL DEFAULT '',
	features BIGINT NOT NULL DEFAULT 0, -- SearchAmenities bits (core/cards.c)
	indexed_at TEXT NOT NULL
);

-- geo_bounds / geo_radius: the cards whose point lies in a box.
-- SQLite's R*Tree there; here a plain table of the same columns (the store's range queries read it as
-- they are) and a GiST index on each card's box, in core PostgreSQL (no extension).
CREATE TABLE card_geo (
	id BIGINT PRIMARY KEY,
	min_lat DOUBLE PRECISION NOT NULL,
	max_lat DOUBLE PRECISION NOT NULL,
	min_lon DOUBLE PRECISION NOT NULL,
	max_lon DOUBLE PRECISION NOT NULL
);
CREATE INDEX card_geo_box ON card_geo USING gist (box(point(min_lon, min_lat), point(max_lon, max_lat)));

-- Projects whose card must be recomputed before the writing transaction ends: a project
-- listing's row came or went (including through a cascade, which core/cards.c cannot see).
CREATE TABLE card_dirty_projects (
	project_id BIGINT PRIMARY KEY
);

CREATE OR REPLACE FUNCTION cards_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM card_geo WHERE id = OLD.id;
	INSERT INTO card_dirty_projects(project_id) SELECT OLD.project_id WHERE OLD.kind = 2 ON CONFLICT DO NOTHING;
	UPDATE card_counts SET n = n - 1 WHERE kind = OLD.kind AND state = OLD.state AND modes = OLD.modes
		AND ((county = OLD.county AND municipality IN (OLD.municipality, -1)) OR (county = -1 AND municipality = -1));
	UPDATE card_generation SET value = value + 1 WHERE id = 1;
	RETURN NULL;
END $$;
CREATE TRIGGER cards_delete AFTER DELETE ON cards FOR EACH ROW
	EXECUTE FUNCTION cards_delete();

-- A listing, apartment, estate or project removed by any path (the purge job, a cascade)
-- takes its cards with it.
CREATE OR REPLACE FUNCTION cards_listing_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM cards WHERE id = 2 * OLD.id;
	RETURN NULL;
END $$;
CREATE TRIGGER cards_listing_gone AFTER DELETE ON object_ads FOR EACH ROW
	EXECUTE FUNCTION cards_listing_gone();
CREATE OR REPLACE FUNCTION cards_project_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM cards WHERE id = 2 * OLD.id + 1;
	DELETE FROM card_dirty_projects WHERE project_id = OLD.id;
	RETURN NULL;
END $$;
CREATE TRIGGER cards_project_gone AFTER DELETE ON projects FOR EACH ROW
	EXECUTE FUNCTION cards_project_gone();
