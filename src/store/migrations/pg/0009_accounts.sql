-- 0009 on PostgreSQL: account_uuid from gen_random_uuid() by a BEFORE INSERT trigger (SQLite: randomblob()
-- by an UPDATE after it), strpos for instr, the e-mail index on lower() for COLLATE NOCASE.

-- Accounts dialect: the account fields of a company, contacts, per-locale policies, booking conditions by country (issue 5).
--
-- An account IS a company (decisions.md, cross-dialect mapping): account id = companies.uuid,
-- accountName = companies.name. Every account-only field is a column of companies with a default,
-- so a company made by `rentd company create` is a valid account as it stands. Enum columns hold
-- the values of the reference lists (migration 0011); money and percentages are integers ×100
-- (S-37); nullable integer settings are NULL when unset (S-07).

CREATE TABLE contacts (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
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
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	deleted_at TEXT -- soft delete (S-46): events keep naming the contact
);
CREATE INDEX contacts_company ON contacts(company_id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_phone ON contacts(phone_digits) WHERE deleted_at IS NULL;

ALTER TABLE companies ADD COLUMN account_uuid TEXT; -- the Account's second id (S-06), set by the trigger below
ALTER TABLE companies ADD COLUMN owner_user_id BIGINT REFERENCES users(id);
ALTER TABLE companies ADD COLUMN account_email TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN locale TEXT NOT NULL DEFAULT 'sv';
ALTER TABLE companies ADD COLUMN website TEXT;
ALTER TABLE companies ADD COLUMN notes TEXT;
ALTER TABLE companies ADD COLUMN city_id TEXT NOT NULL DEFAULT 'stockholm';
ALTER TABLE companies ADD COLUMN account_type TEXT NOT NULL DEFAULT 'property_manager';
ALTER TABLE companies ADD COLUMN plan TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE companies ADD COLUMN commission_type TEXT NOT NULL DEFAULT 'percentage';
ALTER TABLE companies ADD COLUMN commission_value BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN admin_fee_type TEXT NOT NULL DEFAULT 'empty';
ALTER TABLE companies ADD COLUMN admin_fee_value BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN contract_type TEXT NOT NULL DEFAULT 'monthly';
ALTER TABLE companies ADD COLUMN down_payment_type TEXT NOT NULL DEFAULT 'monthly';
ALTER TABLE companies ADD COLUMN down_payment_value BIGINT;
ALTER TABLE companies ADD COLUMN cancellation_policy TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE companies ADD COLUMN booking_min_days BIGINT;
ALTER TABLE companies ADD COLUMN booking_max_days BIGINT;
ALTER TABLE companies ADD COLUMN booking_max_gap_days BIGINT;
ALTER TABLE companies ADD COLUMN account_classification TEXT NOT NULL DEFAULT 'opportunistic';
ALTER TABLE companies ADD COLUMN account_manager_id BIGINT REFERENCES users(id);
ALTER TABLE companies ADD COLUMN lead_source TEXT;
ALTER TABLE companies ADD COLUMN activation_stage TEXT NOT NULL DEFAULT 'not_applicable';
ALTER TABLE companies ADD COLUMN technology TEXT NOT NULL DEFAULT 'no_technology';
ALTER TABLE companies ADD COLUMN transfer_timing TEXT NOT NULL DEFAULT 'post_check_in';
ALTER TABLE companies ADD COLUMN other_platforms_usage TEXT NOT NULL DEFAULT 'not_applicable';
ALTER TABLE companies ADD COLUMN consent_for_classifieds BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN contract_provision TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE companies ADD COLUMN communication_channel TEXT NOT NULL DEFAULT 'no_preference';
ALTER TABLE companies ADD COLUMN weekdays_start TEXT; -- office hours, HH:MM (S-10)
ALTER TABLE companies ADD COLUMN weekdays_end TEXT;
ALTER TABLE companies ADD COLUMN weekend_start TEXT;
ALTER TABLE companies ADD COLUMN weekend_end TEXT;
ALTER TABLE companies ADD COLUMN number_published_listings BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN total_rentable_units BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN total_properties BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN is_active BIGINT NOT NULL DEFAULT 1;
ALTER TABLE companies ADD COLUMN is_owned_by_spotahome BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN is_externally_integrated BIGINT NOT NULL DEFAULT 0; -- iCalendar (S-45)
ALTER TABLE companies ADD COLUMN additional_data TEXT; -- one JSON object (S-17); NULL: never created
ALTER TABLE companies ADD COLUMN creation_user TEXT NOT NULL DEFAULT '';
-- accounting dates (ISO-8601 UTC); set by the parts of rentd that see these moments
ALTER TABLE companies ADD COLUMN first_listing_published_at TEXT;
ALTER TABLE companies ADD COLUMN availabilities_notified_at TEXT;
ALTER TABLE companies ADD COLUMN first_booking_email_at TEXT;
ALTER TABLE companies ADD COLUMN first_booking_sms_at TEXT;
ALTER TABLE companies ADD COLUMN first_booking_accepted_at TEXT;
ALTER TABLE companies ADD COLUMN first_booking_request_id TEXT;
-- the contact-role slots (S-47); NULL: nobody holds the role
ALTER TABLE companies ADD COLUMN booking_contact_id BIGINT REFERENCES contacts(id);
ALTER TABLE companies ADD COLUMN tenant_contact_id BIGINT REFERENCES contacts(id);
ALTER TABLE companies ADD COLUMN finance_contact_id BIGINT REFERENCES contacts(id);

-- A random version-4 UUID for every account, existing or new, without the inserting code knowing.
UPDATE companies SET account_uuid = gen_random_uuid()::text;
-- before the insert rather than SQLite's update after it: the same column value, one write
CREATE OR REPLACE FUNCTION companies_account_uuid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.account_uuid := gen_random_uuid()::text;
	RETURN NEW;
END $$;
CREATE TRIGGER companies_account_uuid BEFORE INSERT ON companies FOR EACH ROW WHEN (NEW.account_uuid IS NULL)
	EXECUTE FUNCTION companies_account_uuid();

-- Companies made before this migration: their first employee owns the account.
UPDATE companies SET owner_user_id = (SELECT u.id FROM users u WHERE u.company_id = companies.id
	AND u.kind = 'employee' AND u.deleted_at IS NULL ORDER BY u.id LIMIT 1);
UPDATE companies SET account_email = (SELECT u.email FROM users u WHERE u.id = companies.owner_user_id)
	WHERE strpos(COALESCE((SELECT u.email FROM users u WHERE u.id = companies.owner_user_id), ''), '@') > 0;

-- the email filter of the account list and the create conflict (S-43, S-44)
-- (no NOCASE collation for it: lower() as 0019 makes it on SQLite; 0019 renames it here)
CREATE INDEX companies_account_email ON companies(lower(account_email));

-- Policy texts per locale (S-09); the account's locale is the canonical one.
CREATE TABLE account_policies (
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	locale TEXT NOT NULL,
	policies TEXT NOT NULL,
	translation_type TEXT NOT NULL DEFAULT 'manual',
	PRIMARY KEY (company_id, locale)
);

-- Booking conditions per country (#10, S-25).
CREATE TABLE account_booking_conditions (
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	country_id TEXT NOT NULL,
	gap_min_days BIGINT,
	gap_max_days BIGINT,
	contract_type TEXT,
	PRIMARY KEY (company_id, country_id)
);
