-- 0015 on PostgreSQL: an identity key (0018 on SQLite), timestamp defaults by to_char(now()).

-- Project interest sign-ups from the widget iframe (issue 6, homeq.md §11g): people who left
-- their e-mail address on a project's interest page (/widgets/project?project=ID) to hear
-- when its apartments are released. The landlord reads them through
-- GET /api/v1/projects/{id}/interest.

-- One row per project and address: email_key is the address lower-cased (ASCII, as the
-- store writes it), so "Anna@Example.se" and "anna@example.se" are one sign-up. A repeated
-- sign-up keeps the row and its created_at and renews consent_at (the latest consent given);
-- the rows go with their project.
CREATE TABLE project_interest (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	email TEXT NOT NULL,      -- as entered, trimmed
	email_key TEXT NOT NULL,  -- lower-cased: the de-duplication key
	consent_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	UNIQUE (project_id, email_key)
);
-- The landlord's list, in sign-up order.
CREATE INDEX project_interest_list ON project_interest(project_id, id);
