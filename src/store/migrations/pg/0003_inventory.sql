-- 0003 on PostgreSQL: the column types mapped (INTEGER → BIGINT, REAL → DOUBLE PRECISION), identity keys
-- (never reused, as 0018 makes them on SQLite), timestamp defaults by to_char(now()).

-- The inventory: estates (buildings) and their apartments, with the apartments'
-- 3D views and notes (homeq.md §4, §10, §15 rules 18-23).

-- An estate belongs to one office of one company; its scope is that office's path.
CREATE TABLE estates (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	office_id BIGINT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
	name TEXT NOT NULL,                 -- legal_name on the wire
	city TEXT NOT NULL,
	landlord_object_id TEXT,            -- the landlord's own reference; NULL: none
	estate_owner TEXT NOT NULL DEFAULT '',
	org_number TEXT NOT NULL DEFAULT '',
	bankgiro TEXT NOT NULL DEFAULT '',
	postgiro TEXT NOT NULL DEFAULT '',
	area_caption TEXT NOT NULL DEFAULT '',
	area_description TEXT NOT NULL DEFAULT '',
	area_image_caption TEXT NOT NULL DEFAULT '',
	cover_caption TEXT NOT NULL DEFAULT '',
	cover_description TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX estates_company ON estates(company_id, office_id);
CREATE INDEX estates_office ON estates(office_id);
CREATE INDEX estates_landlord_object_id ON estates(company_id, landlord_object_id);

-- An apartment's company and office are its estate's (rule 20: inherited).
-- city_key/street_key/number_key are the estate city, street_name and street_number
-- folded to lower case with whitespace collapsed (core/inventory.c): the identity
-- (national_id, city, street, number) is unique system-wide (decisions.md H-30).
CREATE TABLE apartments (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	estate_id BIGINT NOT NULL REFERENCES estates(id) ON DELETE CASCADE,
	national_id TEXT NOT NULL,
	city_key TEXT NOT NULL,
	street_key TEXT NOT NULL,
	number_key TEXT NOT NULL,
	street_name TEXT NOT NULL,
	street_number TEXT NOT NULL,
	zip_code TEXT NOT NULL,
	latitude DOUBLE PRECISION NOT NULL,
	longitude DOUBLE PRECISION NOT NULL,
	county TEXT NOT NULL DEFAULT '',        -- derived from the position (H-28)
	municipality TEXT NOT NULL DEFAULT '',
	area DOUBLE PRECISION NOT NULL CHECK (area >= 1),
	floor DOUBLE PRECISION NOT NULL,
	rent BIGINT NOT NULL CHECK (rent >= 1),
	rooms DOUBLE PRECISION NOT NULL CHECK (rooms >= 1),
	description TEXT NOT NULL DEFAULT '',
	landlord_object_id TEXT,
	renovation_date TEXT,                   -- YYYY-MM-DD
	floor_plan_reference TEXT,              -- file reference ids
	promotion_file_reference TEXT,
	balcony TEXT NOT NULL DEFAULT 'NONE' CHECK (balcony IN ('NONE', 'PRESENT', 'NORTH', 'WEST', 'SOUTH',
		'EAST', 'NORTHWEST', 'NORTHEAST', 'SOUTHWEST', 'SOUTHEAST')),
	bathtub TEXT NOT NULL DEFAULT 'NONE' CHECK (bathtub IN ('NONE', 'PREPARED', 'PRESENT')),
	dishwasher TEXT NOT NULL DEFAULT 'NONE' CHECK (dishwasher IN ('NONE', 'PREPARED', 'PRESENT')),
	dryer TEXT NOT NULL DEFAULT 'NONE' CHECK (dryer IN ('NONE', 'PREPARED', 'PRESENT')),
	kitchen_fan TEXT NOT NULL DEFAULT 'NONE' CHECK (kitchen_fan IN ('NONE', 'PREPARED', 'PRESENT')),
	washing_machine TEXT NOT NULL DEFAULT 'NONE' CHECK (washing_machine IN ('NONE', 'PREPARED', 'PRESENT')),
	garage TEXT NOT NULL DEFAULT 'NONE' CHECK (garage IN ('NONE', 'AVAILABLE', 'INCLUDED')),
	parking TEXT NOT NULL DEFAULT 'NONE' CHECK (parking IN ('NONE', 'AVAILABLE', 'INCLUDED')),
	water TEXT NOT NULL DEFAULT 'PAY_EXTRA' CHECK (water IN ('PAY_EXTRA', 'COLD_INCLUDED',
		'WARM_COLD_INCLUDED', 'ALL_INCLUDED')),
	accessibility_adapted BIGINT NOT NULL DEFAULT 0,
	cable_package_included BIGINT NOT NULL DEFAULT 0,
	electricity_included BIGINT NOT NULL DEFAULT 0,
	elevator BIGINT NOT NULL DEFAULT 0,
	handicap_adapted BIGINT NOT NULL DEFAULT 0,
	heating_included BIGINT NOT NULL DEFAULT 0,
	internet_included BIGINT NOT NULL DEFAULT 0,
	laundry_room BIGINT NOT NULL DEFAULT 0,
	pantry BIGINT NOT NULL DEFAULT 0,
	patio BIGINT NOT NULL DEFAULT 0,
	security_door BIGINT NOT NULL DEFAULT 0,
	shower BIGINT NOT NULL DEFAULT 1,
	can_create_ad_listing BIGINT NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE UNIQUE INDEX apartments_identity ON apartments(national_id, city_key, street_key, number_key);
CREATE INDEX apartments_estate ON apartments(estate_id);
CREATE INDEX apartments_landlord_object_id ON apartments(landlord_object_id);

-- Positions are dense (0, 1, 2 …) per apartment; the store renumbers on every move,
-- insert and delete, and (position, id) is the order.
CREATE TABLE apartment_3d_views (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	apartment_id BIGINT NOT NULL REFERENCES apartments(id) ON DELETE CASCADE,
	position BIGINT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX apartment_3d_views_apartment ON apartment_3d_views(apartment_id, position, id);

CREATE TABLE apartment_notes (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	apartment_id BIGINT NOT NULL REFERENCES apartments(id) ON DELETE CASCADE,
	author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	context TEXT NOT NULL CHECK (context IN ('A', 'R')),
	text TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX apartment_notes_apartment ON apartment_notes(apartment_id, created_at, id);
