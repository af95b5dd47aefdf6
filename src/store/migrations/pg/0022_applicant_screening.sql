-- 0022 on PostgreSQL: INTEGER → BIGINT; otherwise the same.

-- What the requirement profiles' screening reads about an applicant (issue 14, "would I
-- qualify?"; core/market/screening.h), as the applicant declares it: rentd has no credit
-- bureau, so the credit facts are self-declared (docs/DECISIONS.md) and a landlord checks
-- them against a real credit report before signing.
--
-- One set of credit facts per person: the applicant, the co-applicant and the warrantor.
-- moves: the most address changes of an applicant in the last five years (the period of a
-- Swedish credit report's address history).
-- children_birth_years: one four-digit birth year per child, comma-separated ("2015,2019";
-- '' none stated), parsed in C (core/market/applicants.c). Years and not ages, because an
-- age stated today is wrong next year while a birth year stays true; Kronofogden's normal
-- amount bands children by age (0–6, 7–10, 11–14, 15+), taken as the age the child reaches
-- in the current year. Text, because a list column is not portable (no arrays in SQLite).
ALTER TABLE applicant_profiles ADD COLUMN payment_remarks BIGINT NOT NULL DEFAULT 0 CHECK (payment_remarks >= 0);
ALTER TABLE applicant_profiles ADD COLUMN bankruptcy BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applicant_profiles ADD COLUMN outstanding_debt BIGINT NOT NULL DEFAULT 0;  -- debts with Kronofogden
ALTER TABLE applicant_profiles ADD COLUMN debt_sanitization BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applicant_profiles ADD COLUMN moves BIGINT NOT NULL DEFAULT 0 CHECK (moves >= 0);
ALTER TABLE applicant_profiles ADD COLUMN children_birth_years TEXT NOT NULL DEFAULT '';
ALTER TABLE applicant_profiles ADD COLUMN co_applicant_income_source TEXT NOT NULL DEFAULT ''
	CHECK (co_applicant_income_source IN ('', 'employment_permanent', 'employment_temporary', 'self_employed',
		'student', 'pension', 'unemployment_benefit', 'activity_compensation', 'sick_leave', 'parental_leave',
		'other'));
ALTER TABLE applicant_profiles ADD COLUMN co_applicant_occupation TEXT NOT NULL DEFAULT ''
	CHECK (co_applicant_occupation IN ('', 'employed', 'self_employed', 'student', 'retired', 'unemployed',
		'parental_leave', 'sick_leave', 'other'));
ALTER TABLE applicant_profiles ADD COLUMN co_applicant_payment_remarks BIGINT NOT NULL DEFAULT 0
	CHECK (co_applicant_payment_remarks >= 0);
ALTER TABLE applicant_profiles ADD COLUMN co_applicant_bankruptcy BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applicant_profiles ADD COLUMN co_applicant_outstanding_debt BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applicant_profiles ADD COLUMN co_applicant_debt_sanitization BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applicant_profiles ADD COLUMN has_warrantor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applicant_profiles ADD COLUMN warrantor_income BIGINT NOT NULL DEFAULT 0 CHECK (warrantor_income >= 0);
ALTER TABLE applicant_profiles ADD COLUMN warrantor_payment_remarks BIGINT NOT NULL DEFAULT 0
	CHECK (warrantor_payment_remarks >= 0);
ALTER TABLE applicant_profiles ADD COLUMN warrantor_bankruptcy BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applicant_profiles ADD COLUMN warrantor_outstanding_debt BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applicant_profiles ADD COLUMN warrantor_debt_sanitization BIGINT NOT NULL DEFAULT 0;
