-- Ids are never reused (issue 12): every table whose generated id can leave the server
-- becomes AUTOINCREMENT, so a deleted estate's id is never given to the next estate of
-- another company, and a stale link finds nothing instead of someone else's data.
--
-- SQLite cannot add AUTOINCREMENT to a table in place: each table is rebuilt (create the
-- new one, copy, drop, rename, then its indexes and triggers, migration 0017's listing-view
-- triggers among them) as in the procedure of SQLite's "ALTER TABLE" page. The migration
-- runner turns foreign-key enforcement off while migrations run (dropping a table others
-- refer to would otherwise cascade) and runs PRAGMA foreign_key_check before committing.
-- legacy_alter_table keeps the renames from rewriting, or refusing, the other tables'
-- foreign keys and triggers, which name these tables and must keep naming them.
--
-- Copying the rows with their ids seeds sqlite_sequence with each table's current maximum.
-- Ids above it that were deleted before this migration cannot be known any more.
--
-- Tables left as they are: cards (a search index rebuilt from listings, its id never
-- leaves), tables keyed by another table's id, single-row tables and the R*Tree's own
-- (the list with reasons is in tests/unit/test_store.c, which checks the schema).
PRAGMA legacy_alter_table = ON;

-- apartment_3d_views
CREATE TABLE apartment_3d_views__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	apartment_id INTEGER NOT NULL REFERENCES apartments(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO apartment_3d_views__rebuilt (id, apartment_id, position, title, url, created_at) SELECT id, apartment_id, position, title, url, created_at FROM apartment_3d_views;
DROP TABLE apartment_3d_views;
ALTER TABLE apartment_3d_views__rebuilt RENAME TO apartment_3d_views;
CREATE INDEX apartment_3d_views_apartment ON apartment_3d_views(apartment_id, position, id);

-- apartment_notes
CREATE TABLE apartment_notes__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	apartment_id INTEGER NOT NULL REFERENCES apartments(id) ON DELETE CASCADE,
	author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	context TEXT NOT NULL CHECK (context IN ('A', 'R')),
	text TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO apartment_notes__rebuilt (id, apartment_id, author_id, context, text, created_at, updated_at) SELECT id, apartment_id, author_id, context, text, created_at, updated_at FROM apartment_notes;
DROP TABLE apartment_notes;
ALTER TABLE apartment_notes__rebuilt RENAME TO apartment_notes;
CREATE INDEX apartment_notes_apartment ON apartment_notes(apartment_id, created_at, id);

-- apartments
CREATE TABLE apartments__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	estate_id INTEGER NOT NULL REFERENCES estates(id) ON DELETE CASCADE,
	national_id TEXT NOT NULL,
	city_key TEXT NOT NULL,
	street_key TEXT NOT NULL,
	number_key TEXT NOT NULL,
	street_name TEXT NOT NULL,
	street_number TEXT NOT NULL,
	zip_code TEXT NOT NULL,
	latitude REAL NOT NULL,
	longitude REAL NOT NULL,
	county TEXT NOT NULL DEFAULT '',        -- derived from the position (H-28)
	municipality TEXT NOT NULL DEFAULT '',
	area REAL NOT NULL CHECK (area >= 1),
	floor REAL NOT NULL,
	rent INTEGER NOT NULL CHECK (rent >= 1),
	rooms REAL NOT NULL CHECK (rooms >= 1),
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
	accessibility_adapted INTEGER NOT NULL DEFAULT 0,
	cable_package_included INTEGER NOT NULL DEFAULT 0,
	electricity_included INTEGER NOT NULL DEFAULT 0,
	elevator INTEGER NOT NULL DEFAULT 0,
	handicap_adapted INTEGER NOT NULL DEFAULT 0,
	heating_included INTEGER NOT NULL DEFAULT 0,
	internet_included INTEGER NOT NULL DEFAULT 0,
	laundry_room INTEGER NOT NULL DEFAULT 0,
	pantry INTEGER NOT NULL DEFAULT 0,
	patio INTEGER NOT NULL DEFAULT 0,
	security_door INTEGER NOT NULL DEFAULT 0,
	shower INTEGER NOT NULL DEFAULT 1,
	can_create_ad_listing INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO apartments__rebuilt (id, estate_id, national_id, city_key, street_key, number_key, street_name, street_number, zip_code, latitude, longitude, county, municipality, area, floor, rent, rooms, description, landlord_object_id, renovation_date, floor_plan_reference, promotion_file_reference, balcony, bathtub, dishwasher, dryer, kitchen_fan, washing_machine, garage, parking, water, accessibility_adapted, cable_package_included, electricity_included, elevator, handicap_adapted, heating_included, internet_included, laundry_room, pantry, patio, security_door, shower, can_create_ad_listing, created_at, updated_at) SELECT id, estate_id, national_id, city_key, street_key, number_key, street_name, street_number, zip_code, latitude, longitude, county, municipality, area, floor, rent, rooms, description, landlord_object_id, renovation_date, floor_plan_reference, promotion_file_reference, balcony, bathtub, dishwasher, dryer, kitchen_fan, washing_machine, garage, parking, water, accessibility_adapted, cable_package_included, electricity_included, elevator, handicap_adapted, heating_included, internet_included, laundry_room, pantry, patio, security_door, shower, can_create_ad_listing, created_at, updated_at FROM apartments;
DROP TABLE apartments;
ALTER TABLE apartments__rebuilt RENAME TO apartments;
CREATE UNIQUE INDEX apartments_identity ON apartments(national_id, city_key, street_key, number_key);
CREATE INDEX apartments_estate ON apartments(estate_id);
CREATE INDEX apartments_landlord_object_id ON apartments(landlord_object_id);
CREATE TRIGGER inventory_apartment_insert AFTER INSERT ON apartments BEGIN
	UPDATE inventory_estate_counts SET apartments = apartments + 1 WHERE estate_id = NEW.estate_id;
	UPDATE inventory_office_counts SET apartments = apartments + 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = NEW.estate_id);
END;
CREATE TRIGGER inventory_apartment_delete AFTER DELETE ON apartments BEGIN
	UPDATE inventory_office_counts SET apartments = apartments - 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = OLD.estate_id);
	UPDATE inventory_estate_counts SET apartments = apartments - 1 WHERE estate_id = OLD.estate_id;
END;
CREATE TRIGGER inventory_apartment_move AFTER UPDATE OF estate_id ON apartments
	WHEN NEW.estate_id <> OLD.estate_id BEGIN
	UPDATE inventory_office_counts SET apartments = apartments - 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = OLD.estate_id);
	UPDATE inventory_estate_counts SET apartments = apartments - 1 WHERE estate_id = OLD.estate_id;
	UPDATE inventory_estate_counts SET apartments = apartments + 1 WHERE estate_id = NEW.estate_id;
	UPDATE inventory_office_counts SET apartments = apartments + 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = NEW.estate_id);
END;
CREATE TRIGGER object_ads_follow_apartment AFTER UPDATE OF estate_id ON apartments
	WHEN NEW.estate_id <> OLD.estate_id BEGIN
	UPDATE object_ads SET estate_id = NEW.estate_id WHERE apartment_id = NEW.id;
END;
CREATE TRIGGER listing_views_apartment_update AFTER UPDATE ON apartments BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT DISTINCT company_id, 1 FROM estates WHERE id IN (NEW.estate_id, OLD.estate_id)
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;

-- companies
CREATE TABLE companies__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	uuid TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	org_number TEXT NOT NULL DEFAULT '',
	bankgiro TEXT NOT NULL DEFAULT '',
	postgiro TEXT NOT NULL DEFAULT '',
	external_reservation_link TEXT NOT NULL DEFAULT '',
	minimum_up_time INTEGER NOT NULL DEFAULT 24 CHECK (minimum_up_time >= 24),
	logo_image_id TEXT,
	cover_image_id TEXT,
	fast_api_key TEXT NOT NULL DEFAULT '',
	enabled_features TEXT NOT NULL DEFAULT '',  -- comma-separated EnabledFeature names
	beta_program INTEGER NOT NULL DEFAULT 0,
	tier TEXT NOT NULL DEFAULT 'standard',
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
, account_uuid TEXT, owner_user_id INTEGER REFERENCES users(id), account_email TEXT NOT NULL DEFAULT '', locale TEXT NOT NULL DEFAULT 'sv', website TEXT, notes TEXT, city_id TEXT NOT NULL DEFAULT 'stockholm', account_type TEXT NOT NULL DEFAULT 'property_manager', plan TEXT NOT NULL DEFAULT 'standard', commission_type TEXT NOT NULL DEFAULT 'percentage', commission_value INTEGER NOT NULL DEFAULT 0, admin_fee_type TEXT NOT NULL DEFAULT 'empty', admin_fee_value INTEGER NOT NULL DEFAULT 0, contract_type TEXT NOT NULL DEFAULT 'monthly', down_payment_type TEXT NOT NULL DEFAULT 'monthly', down_payment_value INTEGER, cancellation_policy TEXT NOT NULL DEFAULT 'standard', booking_min_days INTEGER, booking_max_days INTEGER, booking_max_gap_days INTEGER, account_classification TEXT NOT NULL DEFAULT 'opportunistic', account_manager_id INTEGER REFERENCES users(id), lead_source TEXT, activation_stage TEXT NOT NULL DEFAULT 'not_applicable', technology TEXT NOT NULL DEFAULT 'no_technology', transfer_timing TEXT NOT NULL DEFAULT 'post_check_in', other_platforms_usage TEXT NOT NULL DEFAULT 'not_applicable', consent_for_classifieds INTEGER NOT NULL DEFAULT 0, contract_provision TEXT NOT NULL DEFAULT 'unknown', communication_channel TEXT NOT NULL DEFAULT 'no_preference', weekdays_start TEXT, weekdays_end TEXT, weekend_start TEXT, weekend_end TEXT, number_published_listings INTEGER NOT NULL DEFAULT 0, total_rentable_units INTEGER NOT NULL DEFAULT 0, total_properties INTEGER NOT NULL DEFAULT 0, is_active INTEGER NOT NULL DEFAULT 1, is_owned_by_spotahome INTEGER NOT NULL DEFAULT 0, is_externally_integrated INTEGER NOT NULL DEFAULT 0, additional_data TEXT, creation_user TEXT NOT NULL DEFAULT '', first_listing_published_at TEXT, availabilities_notified_at TEXT, first_booking_email_at TEXT, first_booking_sms_at TEXT, first_booking_accepted_at TEXT, first_booking_request_id TEXT, booking_contact_id INTEGER REFERENCES contacts(id), tenant_contact_id INTEGER REFERENCES contacts(id), finance_contact_id INTEGER REFERENCES contacts(id));
INSERT INTO companies__rebuilt (id, uuid, name, org_number, bankgiro, postgiro, external_reservation_link, minimum_up_time, logo_image_id, cover_image_id, fast_api_key, enabled_features, beta_program, tier, created_at, updated_at, account_uuid, owner_user_id, account_email, locale, website, notes, city_id, account_type, plan, commission_type, commission_value, admin_fee_type, admin_fee_value, contract_type, down_payment_type, down_payment_value, cancellation_policy, booking_min_days, booking_max_days, booking_max_gap_days, account_classification, account_manager_id, lead_source, activation_stage, technology, transfer_timing, other_platforms_usage, consent_for_classifieds, contract_provision, communication_channel, weekdays_start, weekdays_end, weekend_start, weekend_end, number_published_listings, total_rentable_units, total_properties, is_active, is_owned_by_spotahome, is_externally_integrated, additional_data, creation_user, first_listing_published_at, availabilities_notified_at, first_booking_email_at, first_booking_sms_at, first_booking_accepted_at, first_booking_request_id, booking_contact_id, tenant_contact_id, finance_contact_id) SELECT id, uuid, name, org_number, bankgiro, postgiro, external_reservation_link, minimum_up_time, logo_image_id, cover_image_id, fast_api_key, enabled_features, beta_program, tier, created_at, updated_at, account_uuid, owner_user_id, account_email, locale, website, notes, city_id, account_type, plan, commission_type, commission_value, admin_fee_type, admin_fee_value, contract_type, down_payment_type, down_payment_value, cancellation_policy, booking_min_days, booking_max_days, booking_max_gap_days, account_classification, account_manager_id, lead_source, activation_stage, technology, transfer_timing, other_platforms_usage, consent_for_classifieds, contract_provision, communication_channel, weekdays_start, weekdays_end, weekend_start, weekend_end, number_published_listings, total_rentable_units, total_properties, is_active, is_owned_by_spotahome, is_externally_integrated, additional_data, creation_user, first_listing_published_at, availabilities_notified_at, first_booking_email_at, first_booking_sms_at, first_booking_accepted_at, first_booking_request_id, booking_contact_id, tenant_contact_id, finance_contact_id FROM companies;
DROP TABLE companies;
ALTER TABLE companies__rebuilt RENAME TO companies;
CREATE INDEX companies_account_email ON companies(account_email COLLATE NOCASE);
CREATE INDEX companies_account_list ON companies(id);
CREATE INDEX companies_account_search ON companies(name, account_email, uuid);
CREATE TRIGGER companies_account_uuid AFTER INSERT ON companies WHEN NEW.account_uuid IS NULL
BEGIN
	UPDATE companies SET account_uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
		substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
		substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))
	WHERE id = NEW.id;
END;
CREATE TRIGGER account_count_insert AFTER INSERT ON companies BEGIN
	UPDATE account_count SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER account_count_delete AFTER DELETE ON companies BEGIN
	UPDATE account_count SET n = n - 1 WHERE id = 1;
END;
CREATE TRIGGER listing_views_company_update AFTER UPDATE ON companies BEGIN
	INSERT INTO listing_view_generations(company_id, value) VALUES (NEW.id, 1)
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;

-- contacts
CREATE TABLE contacts__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	email TEXT NOT NULL,
	phone TEXT NOT NULL,
	phone_digits TEXT NOT NULL DEFAULT '', -- only the digits of phone: the contactPhone filter (S-43)
	address TEXT,
	zip_code TEXT,
	position TEXT,
	notes TEXT,
	created_by TEXT NOT NULL DEFAULT '',
	updated_by TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	deleted_at TEXT -- soft delete (S-46): events keep naming the contact
);
INSERT INTO contacts__rebuilt (id, company_id, first_name, last_name, email, phone, phone_digits, address, zip_code, position, notes, created_by, updated_by, created_at, updated_at, deleted_at) SELECT id, company_id, first_name, last_name, email, phone, phone_digits, address, zip_code, position, notes, created_by, updated_by, created_at, updated_at, deleted_at FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts__rebuilt RENAME TO contacts;
CREATE INDEX contacts_company ON contacts(company_id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_phone ON contacts(phone_digits) WHERE deleted_at IS NULL;

-- device_tokens
CREATE TABLE device_tokens__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL, -- hex SHA-256 of the device token
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	UNIQUE (user_id, token_hash)
);
INSERT INTO device_tokens__rebuilt (id, user_id, token_hash, created_at) SELECT id, user_id, token_hash, created_at FROM device_tokens;
DROP TABLE device_tokens;
ALTER TABLE device_tokens__rebuilt RENAME TO device_tokens;

-- estates
CREATE TABLE estates__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	office_id INTEGER NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
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
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
, project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL);
INSERT INTO estates__rebuilt (id, company_id, office_id, name, city, landlord_object_id, estate_owner, org_number, bankgiro, postgiro, area_caption, area_description, area_image_caption, cover_caption, cover_description, created_at, updated_at, project_id) SELECT id, company_id, office_id, name, city, landlord_object_id, estate_owner, org_number, bankgiro, postgiro, area_caption, area_description, area_image_caption, cover_caption, cover_description, created_at, updated_at, project_id FROM estates;
DROP TABLE estates;
ALTER TABLE estates__rebuilt RENAME TO estates;
CREATE INDEX estates_company ON estates(company_id, office_id);
CREATE INDEX estates_office ON estates(office_id);
CREATE INDEX estates_landlord_object_id ON estates(company_id, landlord_object_id);
CREATE INDEX estates_project ON estates(project_id);
CREATE TRIGGER inventory_estate_insert AFTER INSERT ON estates BEGIN
	INSERT INTO inventory_estate_counts(estate_id, company_id, office_id) VALUES (NEW.id, NEW.company_id, NEW.office_id);
	INSERT INTO inventory_office_counts(office_id, company_id, estates) VALUES (NEW.office_id, NEW.company_id, 1)
		ON CONFLICT(office_id) DO UPDATE SET estates = estates + 1;
END;
CREATE TRIGGER inventory_estate_delete AFTER DELETE ON estates BEGIN
	UPDATE inventory_office_counts SET estates = estates - 1,
		apartments = apartments - (SELECT apartments FROM inventory_estate_counts WHERE estate_id = OLD.id),
		listings = listings - (SELECT listings FROM inventory_estate_counts WHERE estate_id = OLD.id),
		project_listings = project_listings -
			(SELECT project_listings FROM inventory_estate_counts WHERE estate_id = OLD.id)
		WHERE office_id = OLD.office_id;
	DELETE FROM inventory_estate_counts WHERE estate_id = OLD.id;
END;
CREATE TRIGGER inventory_estate_move AFTER UPDATE OF office_id, company_id ON estates
	WHEN NEW.office_id <> OLD.office_id OR NEW.company_id <> OLD.company_id BEGIN
	UPDATE inventory_office_counts SET estates = estates - 1,
		apartments = apartments - (SELECT apartments FROM inventory_estate_counts WHERE estate_id = OLD.id),
		listings = listings - (SELECT listings FROM inventory_estate_counts WHERE estate_id = OLD.id),
		project_listings = project_listings -
			(SELECT project_listings FROM inventory_estate_counts WHERE estate_id = OLD.id)
		WHERE office_id = OLD.office_id;
	INSERT INTO inventory_office_counts(office_id, company_id, estates, apartments, listings, project_listings)
		SELECT NEW.office_id, NEW.company_id, 1, apartments, listings, project_listings
		FROM inventory_estate_counts WHERE estate_id = OLD.id
		ON CONFLICT(office_id) DO UPDATE SET estates = estates + 1,
			apartments = apartments + excluded.apartments, listings = listings + excluded.listings,
			project_listings = project_listings + excluded.project_listings;
	UPDATE inventory_estate_counts SET company_id = NEW.company_id, office_id = NEW.office_id
		WHERE estate_id = OLD.id;
END;
CREATE TRIGGER listing_views_estate_update AFTER UPDATE ON estates BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT DISTINCT company_id, 1 FROM (SELECT NEW.company_id AS company_id UNION SELECT OLD.company_id) WHERE true
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;

-- invitations
CREATE TABLE invitations__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	email TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,          -- hex SHA-256 of the token in the link
	created_at INTEGER NOT NULL,              -- unix seconds
	expires_at INTEGER NOT NULL,
	used_at INTEGER                           -- NULL until the password is set
);
INSERT INTO invitations__rebuilt (id, user_id, email, token_hash, created_at, expires_at, used_at) SELECT id, user_id, email, token_hash, created_at, expires_at, used_at FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations__rebuilt RENAME TO invitations;
CREATE INDEX invitations_pending ON invitations(expires_at) WHERE used_at IS NULL;

-- jobs
CREATE TABLE jobs__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO jobs__rebuilt (id, kind, payload, state, attempts, next_run_at, locked_until, last_error, created_at, updated_at) SELECT id, kind, payload, state, attempts, next_run_at, locked_until, last_error, created_at, updated_at FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs__rebuilt RENAME TO jobs;
CREATE INDEX jobs_runnable ON jobs(state, next_run_at);

-- media_links
CREATE TABLE media_links__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL CHECK (kind IN ('apartment_picture', 'apartment_video', 'estate_picture',
		'estate_area_picture')),
	apartment_id INTEGER REFERENCES apartments(id) ON DELETE CASCADE,
	estate_id INTEGER REFERENCES estates(id) ON DELETE CASCADE,
	owner_id INTEGER GENERATED ALWAYS AS (COALESCE(apartment_id, estate_id)) VIRTUAL,
	position INTEGER NOT NULL,
	caption TEXT NOT NULL DEFAULT '',
	private INTEGER NOT NULL DEFAULT 0,          -- videos only
	reference TEXT NOT NULL REFERENCES file_references(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	CHECK ((apartment_id IS NULL) <> (estate_id IS NULL)),
	CHECK ((kind IN ('apartment_picture', 'apartment_video')) = (apartment_id IS NOT NULL))
);
INSERT INTO media_links__rebuilt (id, kind, apartment_id, estate_id, position, caption, private, reference, created_at) SELECT id, kind, apartment_id, estate_id, position, caption, private, reference, created_at FROM media_links;
DROP TABLE media_links;
ALTER TABLE media_links__rebuilt RENAME TO media_links;
CREATE INDEX media_links_owner ON media_links(kind, owner_id, position, id);
CREATE INDEX media_links_apartment ON media_links(apartment_id);
CREATE INDEX media_links_estate ON media_links(estate_id);
CREATE INDEX media_links_reference ON media_links(reference);
CREATE TRIGGER listing_views_media_insert AFTER INSERT ON media_links BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT company_id, 1 FROM estates
		WHERE id = COALESCE(NEW.estate_id, (SELECT estate_id FROM apartments WHERE id = NEW.apartment_id))
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER listing_views_media_update AFTER UPDATE ON media_links BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT company_id, 1 FROM estates
		WHERE id = COALESCE(NEW.estate_id, (SELECT estate_id FROM apartments WHERE id = NEW.apartment_id))
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER listing_views_media_delete AFTER DELETE ON media_links BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT company_id, 1 FROM estates
		WHERE id = COALESCE(OLD.estate_id, (SELECT estate_id FROM apartments WHERE id = OLD.apartment_id))
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;

-- notifications
CREATE TABLE notifications__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL CHECK (kind IN ('invitation', 'availability_reminder')),
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
DROP TABLE notifications;
ALTER TABLE notifications__rebuilt RENAME TO notifications;
CREATE INDEX notifications_invitation ON notifications(invitation_id);

-- object_ad_assignments
CREATE TABLE object_ad_assignments__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	object_ad_id INTEGER NOT NULL REFERENCES object_ads(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	UNIQUE (object_ad_id, user_id)
);
INSERT INTO object_ad_assignments__rebuilt (id, object_ad_id, user_id) SELECT id, object_ad_id, user_id FROM object_ad_assignments;
DROP TABLE object_ad_assignments;
ALTER TABLE object_ad_assignments__rebuilt RENAME TO object_ad_assignments;
CREATE INDEX object_ad_assignments_user ON object_ad_assignments(user_id, object_ad_id);

-- object_ads
CREATE TABLE object_ads__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	uuid TEXT NOT NULL UNIQUE,               -- the market dialect's object guid (decisions.md M-14)
	company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	apartment_id INTEGER NOT NULL REFERENCES apartments(id) ON DELETE CASCADE,
	estate_id INTEGER NOT NULL,              -- the apartment's, denormalized (see above)
	project_id INTEGER REFERENCES projects(id), -- NULL: a succession ad; else a project rental
	requirement_id INTEGER REFERENCES requirement_profiles(id),       -- NULL: only while a draft
	soft_requirements_id INTEGER REFERENCES requirement_profiles(id), -- used with "almost approved"
	status TEXT NOT NULL CHECK (status IN ('closing', 'approved', 'active', 'rented', 'draft', 'deleted',
		'reserved', 'paused', 'rejected', 'publishing')),
	description TEXT NOT NULL DEFAULT '',    -- Markdown
	access_date TEXT,                        -- YYYY-MM-DD; NULL: access on agreement
	prior_access INTEGER NOT NULL DEFAULT 0,
	date_publish INTEGER,                    -- when it was or will be published; NULL: draft never published
	start_processing_at INTEGER,             -- date_publish + the company's minimum_up_time hours
	candidate_sorting_mode TEXT NOT NULL CHECK (candidate_sorting_mode IN ('queue_points', 'random',
		'first_come_first')),
	contract_system TEXT NOT NULL CHECK (contract_system IN ('external', 'manual_selection', 'automatic',
		'manual_selection_lock', 'automatic_strict')),
	-- the office's offer settings at creation (homeq.md §9 office fields)
	batch_size INTEGER NOT NULL,
	offer_per_ad INTEGER NOT NULL,
	offers_per_person INTEGER NOT NULL,
	offer_min_response_time INTEGER NOT NULL,
	time_to_next_engagement INTEGER NOT NULL,
	is_quick_apply INTEGER NOT NULL DEFAULT 0,
	is_short_lease INTEGER NOT NULL DEFAULT 0,
	short_lease_min_date TEXT,               -- YYYY-MM-DD or NULL
	short_lease_max_date TEXT,
	prioritize_existing_tenants INTEGER NOT NULL DEFAULT 0,
	offer_notes TEXT,                        -- NULL: none
	approval_rejection_text TEXT,            -- NULL: not rejected
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	deleted_at TEXT,                         -- set with status 'deleted'; the purge job removes the row
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO object_ads__rebuilt (id, uuid, company_id, apartment_id, estate_id, project_id, requirement_id, soft_requirements_id, status, description, access_date, prior_access, date_publish, start_processing_at, candidate_sorting_mode, contract_system, batch_size, offer_per_ad, offers_per_person, offer_min_response_time, time_to_next_engagement, is_quick_apply, is_short_lease, short_lease_min_date, short_lease_max_date, prioritize_existing_tenants, offer_notes, approval_rejection_text, created_by, deleted_at, created_at, updated_at) SELECT id, uuid, company_id, apartment_id, estate_id, project_id, requirement_id, soft_requirements_id, status, description, access_date, prior_access, date_publish, start_processing_at, candidate_sorting_mode, contract_system, batch_size, offer_per_ad, offers_per_person, offer_min_response_time, time_to_next_engagement, is_quick_apply, is_short_lease, short_lease_min_date, short_lease_max_date, prioritize_existing_tenants, offer_notes, approval_rejection_text, created_by, deleted_at, created_at, updated_at FROM object_ads;
DROP TABLE object_ads;
ALTER TABLE object_ads__rebuilt RENAME TO object_ads;
CREATE UNIQUE INDEX object_ads_apartment_live ON object_ads(apartment_id)
	WHERE status NOT IN ('deleted', 'rented');
CREATE INDEX object_ads_apartment ON object_ads(apartment_id);
CREATE INDEX object_ads_company ON object_ads(company_id, status);
CREATE INDEX object_ads_estate ON object_ads(estate_id, id);
CREATE INDEX object_ads_project ON object_ads(project_id) WHERE project_id IS NOT NULL;
CREATE INDEX object_ads_requirement ON object_ads(requirement_id) WHERE requirement_id IS NOT NULL;
CREATE INDEX object_ads_soft_requirement ON object_ads(soft_requirements_id) WHERE soft_requirements_id IS NOT NULL;
CREATE TRIGGER inventory_listing_insert AFTER INSERT ON object_ads BEGIN
	UPDATE inventory_office_counts SET listings = listings + 1,
		project_listings = project_listings + (NEW.project_id IS NOT NULL)
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = NEW.estate_id);
	UPDATE inventory_estate_counts SET listings = listings + 1,
		project_listings = project_listings + (NEW.project_id IS NOT NULL) WHERE estate_id = NEW.estate_id;
END;
CREATE TRIGGER inventory_listing_delete AFTER DELETE ON object_ads BEGIN
	UPDATE inventory_office_counts SET listings = listings - 1,
		project_listings = project_listings - (OLD.project_id IS NOT NULL)
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = OLD.estate_id);
	UPDATE inventory_estate_counts SET listings = listings - 1,
		project_listings = project_listings - (OLD.project_id IS NOT NULL) WHERE estate_id = OLD.estate_id;
END;
CREATE TRIGGER inventory_listing_move AFTER UPDATE OF estate_id, project_id ON object_ads
	WHEN NEW.estate_id <> OLD.estate_id OR (NEW.project_id IS NULL) <> (OLD.project_id IS NULL) BEGIN
	UPDATE inventory_office_counts SET listings = listings - 1,
		project_listings = project_listings - (OLD.project_id IS NOT NULL)
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = OLD.estate_id);
	UPDATE inventory_estate_counts SET listings = listings - 1,
		project_listings = project_listings - (OLD.project_id IS NOT NULL) WHERE estate_id = OLD.estate_id;
	UPDATE inventory_office_counts SET listings = listings + 1,
		project_listings = project_listings + (NEW.project_id IS NOT NULL)
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = NEW.estate_id);
	UPDATE inventory_estate_counts SET listings = listings + 1,
		project_listings = project_listings + (NEW.project_id IS NOT NULL) WHERE estate_id = NEW.estate_id;
END;
CREATE TRIGGER cards_listing_gone AFTER DELETE ON object_ads BEGIN
	DELETE FROM cards WHERE id = 2 * OLD.id;
END;
CREATE TRIGGER listing_views_listing_insert AFTER INSERT ON object_ads BEGIN
	INSERT INTO listing_view_generations(company_id, value) VALUES (NEW.company_id, 1)
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER listing_views_listing_update AFTER UPDATE ON object_ads BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT DISTINCT company_id, 1 FROM (SELECT NEW.company_id AS company_id UNION SELECT OLD.company_id) WHERE true
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER listing_views_listing_delete AFTER DELETE ON object_ads BEGIN
	INSERT INTO listing_view_generations(company_id, value) VALUES (OLD.company_id, 1)
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;

-- offices
CREATE TABLE offices__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	parent_id INTEGER REFERENCES offices(id),
	path TEXT NOT NULL,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	logo BLOB,
	logo_type TEXT,
	batch_size INTEGER NOT NULL DEFAULT 5,
	candidate_sorting_mode TEXT NOT NULL DEFAULT 'queue_points',
	contract_system TEXT NOT NULL DEFAULT 'manual_selection_lock',
	default_email_for_contracts INTEGER NOT NULL DEFAULT 0,
	default_email_for_offers INTEGER NOT NULL DEFAULT 0,
	default_email_for_viewings INTEGER NOT NULL DEFAULT 0,
	offer_min_response_time INTEGER NOT NULL DEFAULT 48,
	offer_per_ad INTEGER NOT NULL DEFAULT 5,
	offers_per_person INTEGER NOT NULL DEFAULT 3,
	time_to_next_engagement INTEGER NOT NULL DEFAULT 5,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO offices__rebuilt (id, company_id, parent_id, path, name, description, email, logo, logo_type, batch_size, candidate_sorting_mode, contract_system, default_email_for_contracts, default_email_for_offers, default_email_for_viewings, offer_min_response_time, offer_per_ad, offers_per_person, time_to_next_engagement, created_at) SELECT id, company_id, parent_id, path, name, description, email, logo, logo_type, batch_size, candidate_sorting_mode, contract_system, default_email_for_contracts, default_email_for_offers, default_email_for_viewings, offer_min_response_time, offer_per_ad, offers_per_person, time_to_next_engagement, created_at FROM offices;
DROP TABLE offices;
ALTER TABLE offices__rebuilt RENAME TO offices;
CREATE INDEX offices_company ON offices(company_id, path);
CREATE TRIGGER inventory_office_delete AFTER DELETE ON offices BEGIN
	DELETE FROM inventory_office_counts WHERE office_id = OLD.id;
END;

-- project_3d_views
CREATE TABLE project_3d_views__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO project_3d_views__rebuilt (id, project_id, position, title, url, created_at) SELECT id, project_id, position, title, url, created_at FROM project_3d_views;
DROP TABLE project_3d_views;
ALTER TABLE project_3d_views__rebuilt RENAME TO project_3d_views;
CREATE INDEX project_3d_views_project ON project_3d_views(project_id, position, id);

-- project_freetext
CREATE TABLE project_freetext__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO project_freetext__rebuilt (id, project_id, position, title, description, created_at) SELECT id, project_id, position, title, description, created_at FROM project_freetext;
DROP TABLE project_freetext;
ALTER TABLE project_freetext__rebuilt RENAME TO project_freetext;
CREATE INDEX project_freetext_project ON project_freetext(project_id, position, id);

-- project_interest
CREATE TABLE project_interest__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	email TEXT NOT NULL,      -- as entered, trimmed
	email_key TEXT NOT NULL,  -- lower-cased: the de-duplication key
	consent_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	UNIQUE (project_id, email_key)
);
INSERT INTO project_interest__rebuilt (id, project_id, email, email_key, consent_at, created_at) SELECT id, project_id, email, email_key, consent_at, created_at FROM project_interest;
DROP TABLE project_interest;
ALTER TABLE project_interest__rebuilt RENAME TO project_interest;
CREATE INDEX project_interest_list ON project_interest(project_id, id);

-- project_media
CREATE TABLE project_media__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('project_image', 'project_area_image', 'project_video',
		'project_area_video')),
	position INTEGER NOT NULL,
	caption TEXT NOT NULL DEFAULT '',
	reference TEXT NOT NULL REFERENCES file_references(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO project_media__rebuilt (id, project_id, kind, position, caption, reference, created_at) SELECT id, project_id, kind, position, caption, reference, created_at FROM project_media;
DROP TABLE project_media;
ALTER TABLE project_media__rebuilt RENAME TO project_media;
CREATE INDEX project_media_project ON project_media(project_id, kind, position, id);
CREATE INDEX project_media_reference ON project_media(reference);

-- project_timeline
CREATE TABLE project_timeline__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	date TEXT NOT NULL,                 -- YYYY-MM-DD
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO project_timeline__rebuilt (id, project_id, date, title, description, created_at) SELECT id, project_id, date, title, description, created_at FROM project_timeline;
DROP TABLE project_timeline;
ALTER TABLE project_timeline__rebuilt RENAME TO project_timeline;
CREATE INDEX project_timeline_project ON project_timeline(project_id, date, id);

-- projects
CREATE TABLE projects__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	office_id INTEGER NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	external_id TEXT,
	published INTEGER NOT NULL DEFAULT 0,
	closed INTEGER NOT NULL DEFAULT 0,
	publish_date TEXT,
	close_date TEXT,
	candidate_sorting_mode TEXT NOT NULL DEFAULT 'queue_points'
		CHECK (candidate_sorting_mode IN ('queue_points', 'random', 'first_come_first')),
	contract_system TEXT NOT NULL DEFAULT 'manual_selection_lock'
		CHECK (contract_system IN ('external', 'manual_selection', 'automatic', 'manual_selection_lock',
			'automatic_strict')),
	is_short_lease INTEGER NOT NULL DEFAULT 0,
	prioritize_existing_tenants INTEGER NOT NULL DEFAULT 0,
	apartment_count INTEGER NOT NULL DEFAULT 0,
	area_info_description TEXT,
	area_info_header TEXT,
	info_description TEXT NOT NULL DEFAULT '',
	info_header TEXT NOT NULL DEFAULT '',
	preliminary_move_in_date TEXT,
	show_area_info_module INTEGER NOT NULL DEFAULT 0,
	show_area_media_module INTEGER NOT NULL DEFAULT 0,
	show_email_collection_module INTEGER NOT NULL DEFAULT 0,
	show_freetext_module INTEGER NOT NULL DEFAULT 0,
	show_timeline_module INTEGER NOT NULL DEFAULT 0,
	viewing_notes TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO projects__rebuilt (id, company_id, office_id, name, external_id, published, closed, publish_date, close_date, candidate_sorting_mode, contract_system, is_short_lease, prioritize_existing_tenants, apartment_count, area_info_description, area_info_header, info_description, info_header, preliminary_move_in_date, show_area_info_module, show_area_media_module, show_email_collection_module, show_freetext_module, show_timeline_module, viewing_notes, created_at, updated_at) SELECT id, company_id, office_id, name, external_id, published, closed, publish_date, close_date, candidate_sorting_mode, contract_system, is_short_lease, prioritize_existing_tenants, apartment_count, area_info_description, area_info_header, info_description, info_header, preliminary_move_in_date, show_area_info_module, show_area_media_module, show_email_collection_module, show_freetext_module, show_timeline_module, viewing_notes, created_at, updated_at FROM projects;
DROP TABLE projects;
ALTER TABLE projects__rebuilt RENAME TO projects;
CREATE INDEX projects_company ON projects(company_id, office_id);
CREATE INDEX projects_office ON projects(office_id);
CREATE INDEX projects_external_id ON projects(company_id, external_id);
CREATE TRIGGER cards_project_gone AFTER DELETE ON projects BEGIN
	DELETE FROM cards WHERE id = 2 * OLD.id + 1;
	DELETE FROM card_dirty_projects WHERE project_id = OLD.id;
END;
CREATE TRIGGER listing_views_project_update AFTER UPDATE ON projects BEGIN
	INSERT INTO listing_view_generations(company_id, value) VALUES (NEW.company_id, 1)
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;

-- requirement_profiles
CREATE TABLE requirement_profiles__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	parent_id INTEGER REFERENCES requirement_profiles(id),
	name TEXT NOT NULL,
	activity_compensation INTEGER NOT NULL DEFAULT 0,
	activity_grant INTEGER NOT NULL DEFAULT 0,
	bankruptcy INTEGER NOT NULL DEFAULT 0,
	benefit_apartment INTEGER NOT NULL DEFAULT 0,
	care_allowance INTEGER NOT NULL DEFAULT 0,
	child_allowance INTEGER NOT NULL DEFAULT 0,
	debt_sanitization INTEGER NOT NULL DEFAULT 0,
	employment_permanent INTEGER NOT NULL DEFAULT 0,
	employment_temporary INTEGER NOT NULL DEFAULT 0,
	income_child_pension INTEGER NOT NULL DEFAULT 1,
	income_development_allowance INTEGER NOT NULL DEFAULT 1,
	income_establishment_supplement INTEGER NOT NULL DEFAULT 1,
	income_extra_cost_allowance INTEGER NOT NULL DEFAULT 1,
	income_housing_supplement INTEGER NOT NULL DEFAULT 0,
	income_housing_support INTEGER NOT NULL DEFAULT 0,
	income_living_expense_supplement INTEGER NOT NULL DEFAULT 0,
	income_parental_leave INTEGER NOT NULL DEFAULT 1,
	income_sick_leave INTEGER NOT NULL DEFAULT 1,
	income_student INTEGER NOT NULL DEFAULT 0,
	maintenance_allowance INTEGER NOT NULL DEFAULT 0,
	maintenance_support INTEGER NOT NULL DEFAULT 0,
	outstanding_debt INTEGER NOT NULL DEFAULT 0,
	pets INTEGER NOT NULL DEFAULT 0,
	senior INTEGER NOT NULL DEFAULT 0,
	smoking INTEGER NOT NULL DEFAULT 0,
	student INTEGER NOT NULL DEFAULT 0,
	unemployment_benefit INTEGER NOT NULL DEFAULT 0,
	warrantor INTEGER NOT NULL DEFAULT 0,
	youth INTEGER NOT NULL DEFAULT 0,
	extra_residents INTEGER NOT NULL DEFAULT 0 CHECK (extra_residents >= 0),
	move_frequency INTEGER NOT NULL DEFAULT 0 CHECK (move_frequency >= 0),
	payment_remarks INTEGER NOT NULL DEFAULT 0 CHECK (payment_remarks >= 0),
	senior_age INTEGER NOT NULL DEFAULT 65,
	youth_age INTEGER NOT NULL DEFAULT 25,
	living_standard_factor REAL NOT NULL DEFAULT 1,
	rent_factor REAL NOT NULL DEFAULT 0 CHECK (rent_factor >= 0),
	warrantor_rent_factor REAL NOT NULL DEFAULT 0 CHECK (warrantor_rent_factor >= 0),
	rent_calculation_type TEXT NOT NULL DEFAULT 'RENT_FACTOR'
		CHECK (rent_calculation_type IN ('RENT_FACTOR', 'MONEY_AFTER_RENT')),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO requirement_profiles__rebuilt (id, company_id, parent_id, name, activity_compensation, activity_grant, bankruptcy, benefit_apartment, care_allowance, child_allowance, debt_sanitization, employment_permanent, employment_temporary, income_child_pension, income_development_allowance, income_establishment_supplement, income_extra_cost_allowance, income_housing_supplement, income_housing_support, income_living_expense_supplement, income_parental_leave, income_sick_leave, income_student, maintenance_allowance, maintenance_support, outstanding_debt, pets, senior, smoking, student, unemployment_benefit, warrantor, youth, extra_residents, move_frequency, payment_remarks, senior_age, youth_age, living_standard_factor, rent_factor, warrantor_rent_factor, rent_calculation_type, created_at, updated_at) SELECT id, company_id, parent_id, name, activity_compensation, activity_grant, bankruptcy, benefit_apartment, care_allowance, child_allowance, debt_sanitization, employment_permanent, employment_temporary, income_child_pension, income_development_allowance, income_establishment_supplement, income_extra_cost_allowance, income_housing_supplement, income_housing_support, income_living_expense_supplement, income_parental_leave, income_sick_leave, income_student, maintenance_allowance, maintenance_support, outstanding_debt, pets, senior, smoking, student, unemployment_benefit, warrantor, youth, extra_residents, move_frequency, payment_remarks, senior_age, youth_age, living_standard_factor, rent_factor, warrantor_rent_factor, rent_calculation_type, created_at, updated_at FROM requirement_profiles;
DROP TABLE requirement_profiles;
ALTER TABLE requirement_profiles__rebuilt RENAME TO requirement_profiles;
CREATE INDEX requirement_profiles_company ON requirement_profiles(company_id, id);
CREATE INDEX requirement_profiles_parent ON requirement_profiles(parent_id);
CREATE TRIGGER listing_views_requirement_update AFTER UPDATE ON requirement_profiles BEGIN
	INSERT INTO listing_view_generations(company_id, value) VALUES (NEW.company_id, 1)
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;

-- right_profiles
CREATE TABLE right_profiles__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE, -- NULL: common profile
	name TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO right_profiles__rebuilt (id, company_id, name, created_at) SELECT id, company_id, name, created_at FROM right_profiles;
DROP TABLE right_profiles;
ALTER TABLE right_profiles__rebuilt RENAME TO right_profiles;
CREATE INDEX right_profiles_company ON right_profiles(company_id);

-- stored_files
CREATE TABLE stored_files__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	key TEXT NOT NULL UNIQUE,
	category TEXT NOT NULL,
	sha256 TEXT NOT NULL,             -- lower-case hex
	md5 TEXT NOT NULL,                -- base64, as the client sends content_md5
	size INTEGER NOT NULL CHECK (size > 0),
	mime_type TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
, thumbnails_ready INTEGER NOT NULL DEFAULT 0, compressed_file_id INTEGER REFERENCES stored_files(id));
INSERT INTO stored_files__rebuilt (id, key, category, sha256, md5, size, mime_type, created_at, thumbnails_ready, compressed_file_id) SELECT id, key, category, sha256, md5, size, mime_type, created_at, thumbnails_ready, compressed_file_id FROM stored_files;
DROP TABLE stored_files;
ALTER TABLE stored_files__rebuilt RENAME TO stored_files;
CREATE INDEX stored_files_dedup ON stored_files(md5, size, category);
CREATE TRIGGER listing_views_file_update AFTER UPDATE ON stored_files BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT DISTINCT company_id, 1 FROM file_references WHERE stored_file_id = NEW.id AND company_id IS NOT NULL
		ON CONFLICT(company_id) DO UPDATE SET value = value + 1;
END;

-- user_notes
CREATE TABLE user_notes__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,  -- the consumer
	author_id INTEGER REFERENCES users(id),                           -- the employee
	text TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
INSERT INTO user_notes__rebuilt (id, company_id, user_id, author_id, text, created_at, updated_at) SELECT id, company_id, user_id, author_id, text, created_at, updated_at FROM user_notes;
DROP TABLE user_notes;
ALTER TABLE user_notes__rebuilt RENAME TO user_notes;
CREATE INDEX user_notes_user ON user_notes(company_id, user_id);

-- users
CREATE TABLE users__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	uuid TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('employee', 'operator', 'consumer')),
	username TEXT NOT NULL COLLATE NOCASE,
	email TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL DEFAULT '',
	first_name TEXT NOT NULL DEFAULT '',
	last_name TEXT NOT NULL DEFAULT '',
	personal_number TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,
	right_profile_id INTEGER REFERENCES right_profiles(id),
	root_office_id INTEGER REFERENCES offices(id),
	selected_office_id INTEGER REFERENCES offices(id),
	api_user INTEGER NOT NULL DEFAULT 0,
	joined INTEGER NOT NULL DEFAULT 1,
	totp_secret TEXT NOT NULL DEFAULT '',      -- base32; '' when two-factor is off
	totp_last_step INTEGER NOT NULL DEFAULT 0, -- a TOTP code is accepted once
	device_verification INTEGER NOT NULL DEFAULT 0,
	deleted_at TEXT,
	date_joined TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	CHECK (kind <> 'employee' OR (company_id IS NOT NULL AND root_office_id IS NOT NULL))
);
INSERT INTO users__rebuilt (id, uuid, kind, username, email, password_hash, first_name, last_name, personal_number, phone, company_id, right_profile_id, root_office_id, selected_office_id, api_user, joined, totp_secret, totp_last_step, device_verification, deleted_at, date_joined) SELECT id, uuid, kind, username, email, password_hash, first_name, last_name, personal_number, phone, company_id, right_profile_id, root_office_id, selected_office_id, api_user, joined, totp_secret, totp_last_step, device_verification, deleted_at, date_joined FROM users;
DROP TABLE users;
ALTER TABLE users__rebuilt RENAME TO users;
CREATE UNIQUE INDEX users_username ON users(username) WHERE deleted_at IS NULL;
CREATE INDEX users_company ON users(company_id, root_office_id);
CREATE INDEX users_right_profile ON users(right_profile_id) WHERE deleted_at IS NULL;
CREATE INDEX users_agents ON users(id) WHERE kind = 'operator' AND deleted_at IS NULL;

PRAGMA legacy_alter_table = OFF;
