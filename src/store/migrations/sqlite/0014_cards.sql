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
	id INTEGER PRIMARY KEY,
	kind INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
	ref_id INTEGER NOT NULL,            -- object_ads.id (kinds 0, 2) or projects.id (kind 1)
	state INTEGER NOT NULL,             -- 1 active, 2 reserved, 4 paused (bits: a request asks for a mask)
	modes INTEGER NOT NULL,             -- 1 queue_points, 2 random, 4 first_come_first (a project: its ads')
	audience INTEGER NOT NULL,          -- 1 everyone, 2 senior, 4 youth, 8 student
	amenities INTEGER NOT NULL,         -- the search's amenity filters, one bit each (core/cards.c)
	company_id INTEGER NOT NULL,
	office_id INTEGER NOT NULL,
	estate_id INTEGER NOT NULL,         -- 0 for projects
	apartment_id INTEGER NOT NULL,      -- 0 for projects
	project_id INTEGER NOT NULL,        -- 0: not in a project
	county INTEGER NOT NULL,            -- SCB county code, "county.N" (1 = Stockholms län); 0 unknown
	municipality INTEGER NOT NULL,      -- SCB municipality code, "municipality.N" (180 = Stockholm); 0 unknown
	lat REAL NOT NULL,
	lon REAL NOT NULL,
	x REAL NOT NULL,                    -- the unit vector of (lat, lon): distances are chord lengths
	y REAL NOT NULL,
	z REAL NOT NULL,
	publish_date INTEGER NOT NULL,      -- unix seconds (a project: its newest active listing's)
	rent INTEGER NOT NULL,              -- a project: the lowest of its listings; rent_max the highest
	rent_max INTEGER NOT NULL,
	area REAL NOT NULL,
	area_max REAL NOT NULL,
	rooms REAL NOT NULL,
	rooms_max REAL NOT NULL,
	floor REAL NOT NULL,
	floor_max REAL NOT NULL,
	boost_value REAL NOT NULL DEFAULT 0,
	active_ads INTEGER NOT NULL DEFAULT 1
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
	county INTEGER NOT NULL,
	municipality INTEGER NOT NULL,
	kind INTEGER NOT NULL,
	state INTEGER NOT NULL,
	modes INTEGER NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (county, municipality, kind, state, modes)
) WITHOUT ROWID;
CREATE INDEX card_counts_municipality ON card_counts(municipality);

-- Bumped by every change of a card: a process may keep what it computed from the cards
-- (core/cards.c keeps counts) for as long as the value it read then is current. It
-- starts at a random point so that two databases never share a sequence.
CREATE TABLE card_generation (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	value INTEGER NOT NULL
);
INSERT INTO card_generation(id, value) VALUES (1, abs(random() % 1000000000000000));

CREATE TRIGGER cards_insert AFTER INSERT ON cards BEGIN
	INSERT INTO card_counts(county, municipality, kind, state, modes, n)
		VALUES (NEW.county, NEW.municipality, NEW.kind, NEW.state, NEW.modes, 1),
		       (NEW.county, -1, NEW.kind, NEW.state, NEW.modes, 1),
		       (-1, -1, NEW.kind, NEW.state, NEW.modes, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;
	UPDATE card_generation SET value = value + 1 WHERE id = 1;
END;

CREATE TRIGGER cards_update AFTER UPDATE ON cards BEGIN
	UPDATE card_counts SET n = n - 1 WHERE kind = OLD.kind AND state = OLD.state AND modes = OLD.modes
		AND ((county = OLD.county AND municipality IN (OLD.municipality, -1)) OR (county = -1 AND municipality = -1));
	INSERT INTO card_counts(county, municipality, kind, state, modes, n)
		VALUES (NEW.county, NEW.municipality, NEW.kind, NEW.state, NEW.modes, 1),
		       (NEW.county, -1, NEW.kind, NEW.state, NEW.modes, 1),
		       (-1, -1, NEW.kind, NEW.state, NEW.modes, 1)
		ON CONFLICT DO UPDATE SET n = n + 1;
	UPDATE card_generation SET value = value + 1 WHERE id = 1;
END;

-- What a card shows beyond the filter columns; one row per cards row.
-- images: "key<TAB>caption" lines in position order (key: the stored file below /media/);
-- videos: one key per line. Project cards list their dates and short-lease flags.
CREATE TABLE card_docs (
	card_id INTEGER PRIMARY KEY REFERENCES cards(id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	city TEXT NOT NULL,
	county_name TEXT NOT NULL,
	municipality_name TEXT NOT NULL,
	images TEXT NOT NULL DEFAULT '',
	videos TEXT NOT NULL DEFAULT '',
	date_access TEXT,                   -- YYYY-MM-DD; a project: its listings' distinct dates, comma-separated
	short_lease INTEGER NOT NULL,       -- 0/1; a project: bit 1 some listing is not, bit 2 some listing is
	is_quick_apply INTEGER NOT NULL DEFAULT 0,
	access_on_agreement INTEGER NOT NULL DEFAULT 0,
	prior_access INTEGER NOT NULL DEFAULT 0,
	street TEXT NOT NULL DEFAULT '',
	street_number TEXT NOT NULL DEFAULT '',
	zip TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	floor_plan TEXT,                    -- the floor plan's stored key, NULL: none
	landlord_object_id TEXT,
	sorting_mode TEXT NOT NULL DEFAULT '',
	features INTEGER NOT NULL DEFAULT 0, -- SearchAmenities bits (core/cards.c)
	indexed_at TEXT NOT NULL
);

-- geo_bounds / geo_radius: the cards whose point lies in a box.
CREATE VIRTUAL TABLE card_geo USING rtree(id, min_lat, max_lat, min_lon, max_lon);

-- Projects whose card must be recomputed before the writing transaction ends: a project
-- listing's row came or went (including through a cascade, which core/cards.c cannot see).
CREATE TABLE card_dirty_projects (
	project_id INTEGER PRIMARY KEY
);

CREATE TRIGGER cards_delete AFTER DELETE ON cards BEGIN
	DELETE FROM card_geo WHERE id = OLD.id;
	INSERT OR IGNORE INTO card_dirty_projects(project_id) SELECT OLD.project_id WHERE OLD.kind = 2;
	UPDATE card_counts SET n = n - 1 WHERE kind = OLD.kind AND state = OLD.state AND modes = OLD.modes
		AND ((county = OLD.county AND municipality IN (OLD.municipality, -1)) OR (county = -1 AND municipality = -1));
	UPDATE card_generation SET value = value + 1 WHERE id = 1;
END;

-- A listing, apartment, estate or project removed by any path (the purge job, a cascade)
-- takes its cards with it.
CREATE TRIGGER cards_listing_gone AFTER DELETE ON object_ads BEGIN
	DELETE FROM cards WHERE id = 2 * OLD.id;
END;
CREATE TRIGGER cards_project_gone AFTER DELETE ON projects BEGIN
	DELETE FROM cards WHERE id = 2 * OLD.id + 1;
	DELETE FROM card_dirty_projects WHERE project_id = OLD.id;
END;
