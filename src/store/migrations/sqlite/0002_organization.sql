-- Companies, their office trees, users (employees, operator staff, consumers), right
-- profiles, device tokens, login throttling, user notes and existing tenants.

CREATE TABLE companies (
	id INTEGER PRIMARY KEY,
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
);

-- The office tree: path is the ids from the root down, "/1/4/9/", so "at or below
-- office X" is one indexed prefix test.
CREATE TABLE offices (
	id INTEGER PRIMARY KEY,
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
CREATE INDEX offices_company ON offices(company_id, path);

CREATE TABLE right_profiles (
	id INTEGER PRIMARY KEY,
	company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE, -- NULL: common profile
	name TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX right_profiles_company ON right_profiles(company_id);

CREATE TABLE right_profile_rights (
	right_profile_id INTEGER NOT NULL REFERENCES right_profiles(id) ON DELETE CASCADE,
	right_name TEXT NOT NULL,
	PRIMARY KEY (right_profile_id, right_name)
) WITHOUT ROWID;

-- One table for every person who logs in (decisions.md, cross-dialect mapping):
-- kind 'employee' (a company's staff), 'operator' (marketplace staff, the accounts
-- dialect's agents), 'consumer' (applicants).
CREATE TABLE users (
	id INTEGER PRIMARY KEY,
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
-- usernames are unique among live users; a deleted user's name can be reused
CREATE UNIQUE INDEX users_username ON users(username) WHERE deleted_at IS NULL;
CREATE INDEX users_company ON users(company_id, root_office_id);

CREATE TABLE device_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL, -- hex SHA-256 of the device token
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	UNIQUE (user_id, token_hash)
);

-- Failed logins per key ("user:<name>", "addr:<ip>") in the current window.
CREATE TABLE login_failures (
	key TEXT PRIMARY KEY,
	window_start INTEGER NOT NULL, -- unix seconds
	failures INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE user_notes (
	id INTEGER PRIMARY KEY,
	company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,  -- the consumer
	author_id INTEGER REFERENCES users(id),                           -- the employee
	text TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX user_notes_user ON user_notes(company_id, user_id);

CREATE TABLE existing_tenants (
	company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	ssn TEXT NOT NULL, -- 12 digits, YYYYMMDDNNNN
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	PRIMARY KEY (company_id, ssn)
) WITHOUT ROWID;
