-- 0002 on PostgreSQL: BIGINT/DOUBLE PRECISION/BYTEA for INTEGER/REAL/BLOB, identity keys from the start
-- (never reused: 0018 has nothing to rebuild), usernames in the case-insensitive ICU collation nocase.

-- Companies, their office trees, users (employees, operator staff, consumers), right
-- profiles, device tokens, login throttling, user notes and existing tenants.

-- SQLite's COLLATE nocase: usernames compare, sort and are unique without regard to case.
-- (ICU folds every script's case, SQLite's NOCASE ASCII only.)
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

CREATE TABLE companies (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	uuid TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	org_number TEXT NOT NULL DEFAULT '',
	bankgiro TEXT NOT NULL DEFAULT '',
	postgiro TEXT NOT NULL DEFAULT '',
	external_reservation_link TEXT NOT NULL DEFAULT '',
	minimum_up_time BIGINT NOT NULL DEFAULT 24 CHECK (minimum_up_time >= 24),
	logo_image_id TEXT,
	cover_image_id TEXT,
	fast_api_key TEXT NOT NULL DEFAULT '',
	enabled_features TEXT NOT NULL DEFAULT '',  -- comma-separated EnabledFeature names
	beta_program BIGINT NOT NULL DEFAULT 0,
	tier TEXT NOT NULL DEFAULT 'standard',
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);

-- The office tree: path is the ids from the root down, "/1/4/9/", so "at or below
-- office X" is one indexed prefix test.
CREATE TABLE offices (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	parent_id BIGINT REFERENCES offices(id),
	path TEXT NOT NULL,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	logo BYTEA,
	logo_type TEXT,
	batch_size BIGINT NOT NULL DEFAULT 5,
	candidate_sorting_mode TEXT NOT NULL DEFAULT 'queue_points',
	contract_system TEXT NOT NULL DEFAULT 'manual_selection_lock',
	default_email_for_contracts BIGINT NOT NULL DEFAULT 0,
	default_email_for_offers BIGINT NOT NULL DEFAULT 0,
	default_email_for_viewings BIGINT NOT NULL DEFAULT 0,
	offer_min_response_time BIGINT NOT NULL DEFAULT 48,
	offer_per_ad BIGINT NOT NULL DEFAULT 5,
	offers_per_person BIGINT NOT NULL DEFAULT 3,
	time_to_next_engagement BIGINT NOT NULL DEFAULT 5,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX offices_company ON offices(company_id, path);

CREATE TABLE right_profiles (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	company_id BIGINT REFERENCES companies(id) ON DELETE CASCADE, -- NULL: common profile
	name TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX right_profiles_company ON right_profiles(company_id);

CREATE TABLE right_profile_rights (
	right_profile_id BIGINT NOT NULL REFERENCES right_profiles(id) ON DELETE CASCADE,
	right_name TEXT NOT NULL,
	PRIMARY KEY (right_profile_id, right_name)
);

-- One table for every person who logs in (decisions.md, cross-dialect mapping):
-- kind 'employee' (a company's staff), 'operator' (marketplace staff, the accounts
-- dialect's agents), 'consumer' (applicants).
CREATE TABLE users (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	uuid TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('employee', 'operator', 'consumer')),
	username TEXT NOT NULL COLLATE NOCASE,
	email TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL DEFAULT '',
	first_name TEXT NOT NULL DEFAULT '',
	last_name TEXT NOT NULL DEFAULT '',
	personal_number TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	company_id BIGINT REFERENCES companies(id) ON DELETE CASCADE,
	right_profile_id BIGINT REFERENCES right_profiles(id),
	root_office_id BIGINT REFERENCES offices(id),
	selected_office_id BIGINT REFERENCES offices(id),
	api_user BIGINT NOT NULL DEFAULT 0,
	joined BIGINT NOT NULL DEFAULT 1,
	totp_secret TEXT NOT NULL DEFAULT '',      -- base32; '' when two-factor is off
	totp_last_step BIGINT NOT NULL DEFAULT 0, -- a TOTP code is accepted once
	device_verification BIGINT NOT NULL DEFAULT 0,
	deleted_at TEXT,
	date_joined TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	CHECK (kind <> 'employee' OR (company_id IS NOT NULL AND root_office_id IS NOT NULL))
);
-- usernames are unique among live users; a deleted user's name can be reused
CREATE UNIQUE INDEX users_username ON users(username) WHERE deleted_at IS NULL;
CREATE INDEX users_company ON users(company_id, root_office_id);

CREATE TABLE device_tokens (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL, -- hex SHA-256 of the device token
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	UNIQUE (user_id, token_hash)
);

-- Failed logins per key ("user:<name>", "addr:<ip>") in the current window.
CREATE TABLE login_failures (
	key TEXT PRIMARY KEY,
	window_start BIGINT NOT NULL, -- unix seconds
	failures BIGINT NOT NULL
);

CREATE TABLE user_notes (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,  -- the consumer
	author_id BIGINT REFERENCES users(id),                           -- the employee
	text TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX user_notes_user ON user_notes(company_id, user_id);

CREATE TABLE existing_tenants (
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	ssn TEXT NOT NULL, -- 12 digits, YYYYMMDDNNNN
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	PRIMARY KEY (company_id, ssn)
);
