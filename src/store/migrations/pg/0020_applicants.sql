-- 0020 on PostgreSQL: AUTOINCREMENT → identity, INTEGER → BIGINT.

-- Applicants of the market dialect (issue 14): a consumer user (users.kind = 'consumer')
-- with an applicant profile, memberships of the housing queues, and blocks.
--
-- The profile holds what the checklist and the requirement profiles' screening read
-- (age, income, household, accommodation, pets, smoking); name, e-mail, phone and personal
-- number stay on the user row. Times are unix seconds bound from C (portable SQL).
--
-- Queue memberships are kept after leaving (left_at set): points are days of the current,
-- unbroken membership, and the next issue's ranking copies them into the application at
-- apply time, so history is never needed to rank, only to explain.
CREATE TABLE applicant_profiles (
	user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	birth_date TEXT NOT NULL DEFAULT '',                -- YYYY-MM-DD ('' unknown)
	gross_income BIGINT NOT NULL DEFAULT 0 CHECK (gross_income >= 0),  -- SEK a month, before tax
	income_source TEXT NOT NULL DEFAULT '' CHECK (income_source IN ('', 'employment_permanent',
		'employment_temporary', 'self_employed', 'student', 'pension', 'unemployment_benefit',
		'activity_compensation', 'sick_leave', 'parental_leave', 'other')),
	occupation TEXT NOT NULL DEFAULT '' CHECK (occupation IN ('', 'employed', 'self_employed', 'student',
		'retired', 'unemployed', 'parental_leave', 'sick_leave', 'other')),
	co_applicant_name TEXT NOT NULL DEFAULT '',         -- '' no co-applicant
	co_applicant_birth_date TEXT NOT NULL DEFAULT '',
	co_applicant_income BIGINT NOT NULL DEFAULT 0 CHECK (co_applicant_income >= 0),
	adults BIGINT NOT NULL DEFAULT 1 CHECK (adults >= 1),   -- residents including the applicant
	children BIGINT NOT NULL DEFAULT 0 CHECK (children >= 0),
	accommodation TEXT NOT NULL DEFAULT '' CHECK (accommodation IN ('', 'rental', 'sublet', 'owned_apartment',
		'owned_house', 'lodger', 'with_parents', 'student_housing', 'other')),
	pets BIGINT NOT NULL DEFAULT 0,
	smoking BIGINT NOT NULL DEFAULT 0,
	last_active_at BIGINT NOT NULL,                    -- role.lastActive
	token_generation BIGINT NOT NULL DEFAULT 0,        -- a sign-out adds one: older tokens are refused
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE queue_memberships (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	queue_type TEXT NOT NULL,                           -- residential, student, senior, youth, parking
	joined_at BIGINT NOT NULL,
	left_at BIGINT                                     -- NULL: a member now
);
-- one live membership per applicant and queue
CREATE UNIQUE INDEX queue_memberships_live ON queue_memberships(user_id, queue_type) WHERE left_at IS NULL;
-- ranking: a queue's live members by join time
CREATE INDEX queue_memberships_queue ON queue_memberships(queue_type, joined_at) WHERE left_at IS NULL;

CREATE TABLE applicant_blocks (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	queue_type TEXT,                                    -- NULL: every queue
	display_name TEXT NOT NULL,                         -- "Ej godkänd"
	description TEXT NOT NULL DEFAULT '',
	blocked_until BIGINT NOT NULL,                     -- instant; shown as F3 Stockholm local
	created_at BIGINT NOT NULL
);
CREATE INDEX applicant_blocks_user ON applicant_blocks(user_id, blocked_until);
