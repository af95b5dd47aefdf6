-- 0012 on PostgreSQL: the column types mapped, identity keys (0018 on SQLite), timestamp defaults by to_char(now()).

-- Requirement profiles and projects with their sub-resources (issue 6; homeq.md §11e,
-- §11f, §12.4 RequirementProfile, §12.6, §15 rules 31-35 and 47-53).

-- A company's eligibility rules for listings (core/requirements.c evaluates an applicant
-- against one row). Booleans are 0/1; the defaults are the seed's (§12.4). parent_id:
-- the profile a soft-requirement profile overrides (fixed at creation, H-29).
CREATE TABLE requirement_profiles (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	parent_id BIGINT REFERENCES requirement_profiles(id),
	name TEXT NOT NULL,
	activity_compensation BIGINT NOT NULL DEFAULT 0,
	activity_grant BIGINT NOT NULL DEFAULT 0,
	bankruptcy BIGINT NOT NULL DEFAULT 0,
	benefit_apartment BIGINT NOT NULL DEFAULT 0,
	care_allowance BIGINT NOT NULL DEFAULT 0,
	child_allowance BIGINT NOT NULL DEFAULT 0,
	debt_sanitization BIGINT NOT NULL DEFAULT 0,
	employment_permanent BIGINT NOT NULL DEFAULT 0,
	employment_temporary BIGINT NOT NULL DEFAULT 0,
	income_child_pension BIGINT NOT NULL DEFAULT 1,
	income_development_allowance BIGINT NOT NULL DEFAULT 1,
	income_establishment_supplement BIGINT NOT NULL DEFAULT 1,
	income_extra_cost_allowance BIGINT NOT NULL DEFAULT 1,
	income_housing_supplement BIGINT NOT NULL DEFAULT 0,
	income_housing_support BIGINT NOT NULL DEFAULT 0,
	income_living_expense_supplement BIGINT NOT NULL DEFAULT 0,
	income_parental_leave BIGINT NOT NULL DEFAULT 1,
	income_sick_leave BIGINT NOT NULL DEFAULT 1,
	income_student BIGINT NOT NULL DEFAULT 0,
	maintenance_allowance BIGINT NOT NULL DEFAULT 0,
	maintenance_support BIGINT NOT NULL DEFAULT 0,
	outstanding_debt BIGINT NOT NULL DEFAULT 0,
	pets BIGINT NOT NULL DEFAULT 0,
	senior BIGINT NOT NULL DEFAULT 0,
	smoking BIGINT NOT NULL DEFAULT 0,
	student BIGINT NOT NULL DEFAULT 0,
	unemployment_benefit BIGINT NOT NULL DEFAULT 0,
	warrantor BIGINT NOT NULL DEFAULT 0,
	youth BIGINT NOT NULL DEFAULT 0,
	extra_residents BIGINT NOT NULL DEFAULT 0 CHECK (extra_residents >= 0),
	move_frequency BIGINT NOT NULL DEFAULT 0 CHECK (move_frequency >= 0),
	payment_remarks BIGINT NOT NULL DEFAULT 0 CHECK (payment_remarks >= 0),
	senior_age BIGINT NOT NULL DEFAULT 65,
	youth_age BIGINT NOT NULL DEFAULT 25,
	living_standard_factor DOUBLE PRECISION NOT NULL DEFAULT 1,
	rent_factor DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (rent_factor >= 0),
	warrantor_rent_factor DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (warrantor_rent_factor >= 0),
	rent_calculation_type TEXT NOT NULL DEFAULT 'RENT_FACTOR'
		CHECK (rent_calculation_type IN ('RENT_FACTOR', 'MONEY_AFTER_RENT')),
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX requirement_profiles_company ON requirement_profiles(company_id, id);
CREATE INDEX requirement_profiles_parent ON requirement_profiles(parent_id);

-- A project (a new production) lives in one office of one company, like an estate.
-- contract_system holds the internal name (decisions.md H-16); the wire letter is
-- derived. publish_date / close_date are the calendar dates (UTC) it was last
-- published / closed; publish_date stays set once published, which is what forbids
-- deleting it (§15 rule 50).
CREATE TABLE projects (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	office_id BIGINT NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	external_id TEXT,
	published BIGINT NOT NULL DEFAULT 0,
	closed BIGINT NOT NULL DEFAULT 0,
	publish_date TEXT,
	close_date TEXT,
	candidate_sorting_mode TEXT NOT NULL DEFAULT 'queue_points'
		CHECK (candidate_sorting_mode IN ('queue_points', 'random', 'first_come_first')),
	contract_system TEXT NOT NULL DEFAULT 'manual_selection_lock'
		CHECK (contract_system IN ('external', 'manual_selection', 'automatic', 'manual_selection_lock',
			'automatic_strict')),
	is_short_lease BIGINT NOT NULL DEFAULT 0,
	prioritize_existing_tenants BIGINT NOT NULL DEFAULT 0,
	apartment_count BIGINT NOT NULL DEFAULT 0,
	area_info_description TEXT,
	area_info_header TEXT,
	info_description TEXT NOT NULL DEFAULT '',
	info_header TEXT NOT NULL DEFAULT '',
	preliminary_move_in_date TEXT,
	show_area_info_module BIGINT NOT NULL DEFAULT 0,
	show_area_media_module BIGINT NOT NULL DEFAULT 0,
	show_email_collection_module BIGINT NOT NULL DEFAULT 0,
	show_freetext_module BIGINT NOT NULL DEFAULT 0,
	show_timeline_module BIGINT NOT NULL DEFAULT 0,
	viewing_notes TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX projects_company ON projects(company_id, office_id);
CREATE INDEX projects_office ON projects(office_id);
CREATE INDEX projects_external_id ON projects(company_id, external_id);

-- An estate is in at most one project (AlreadyInProject, §15 rule 48).
ALTER TABLE estates ADD COLUMN project_id BIGINT REFERENCES projects(id) ON DELETE SET NULL;
CREATE INDEX estates_project ON estates(project_id);

-- Pictures and videos of a project: one table for the four lists (kind = the file
-- reference's entity type). Positions are dense (0, 1, 2 …) per (project, kind): the
-- store renumbers on every move and delete, and (position, id) is the order.
CREATE TABLE project_media (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('project_image', 'project_area_image', 'project_video',
		'project_area_video')),
	position BIGINT NOT NULL,
	caption TEXT NOT NULL DEFAULT '',
	reference TEXT NOT NULL REFERENCES file_references(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX project_media_project ON project_media(project_id, kind, position, id);
CREATE INDEX project_media_reference ON project_media(reference);

-- 3D views: dense positions like the apartments' (decisions.md H-13).
CREATE TABLE project_3d_views (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	position BIGINT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX project_3d_views_project ON project_3d_views(project_id, position, id);

-- Freetext entries: the position is the client's (required on create), (position, id) the order.
CREATE TABLE project_freetext (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	position BIGINT NOT NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX project_freetext_project ON project_freetext(project_id, position, id);

-- Timeline entries, in (date, id) order.
CREATE TABLE project_timeline (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	date TEXT NOT NULL,                 -- YYYY-MM-DD
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX project_timeline_project ON project_timeline(project_id, date, id);

-- At most one location per project.
CREATE TABLE project_locations (
	project_id BIGINT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
	city TEXT NOT NULL,
	latitude DOUBLE PRECISION NOT NULL,
	longitude DOUBLE PRECISION NOT NULL,
	street TEXT NOT NULL DEFAULT '',
	street_number TEXT NOT NULL DEFAULT '',
	zip_code TEXT NOT NULL DEFAULT ''
);
