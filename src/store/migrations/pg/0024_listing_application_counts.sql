-- 0024 on PostgreSQL: the triggers PL/pgSQL functions; INTEGER → BIGINT.

-- The open applications of each listing (issue 14): the market detail's nrApplications.
--
-- The market's object detail is kept rendered (base/memo.h) under a version read by one
-- statement per request (store_listing_view_version); its nrApplications must be true at
-- every read. Counting the listing's open applications in that statement costs a step per
-- application (a popular listing has a thousand: four times slower, measured), and moving
-- the company's listing_view_generations counter on every apply would drop every kept view
-- of the company. So the count is kept here by triggers, whoever writes an application, and
-- the version statement reads one row.
--
-- A listing that is deleted takes its count with it; a listing never applied for has no row
-- (count 0).
CREATE TABLE listing_application_counts (
	listing_id BIGINT PRIMARY KEY REFERENCES object_ads(id) ON DELETE CASCADE,
	open BIGINT NOT NULL
);

INSERT INTO listing_application_counts(listing_id, open)
	SELECT listing_id, COUNT(*) FROM applications WHERE closed_at IS NULL GROUP BY listing_id;

CREATE OR REPLACE FUNCTION listing_application_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_application_counts(listing_id, open) VALUES (NEW.listing_id, 1)
		ON CONFLICT(listing_id) DO UPDATE SET open = listing_application_counts.open + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_application_counts_insert AFTER INSERT ON applications FOR EACH ROW WHEN (NEW.closed_at IS NULL)
	EXECUTE FUNCTION listing_application_counts_insert();

-- fires whenever closed_at is written, changed or not: out of the old listing's count if it
-- was open, into the new one's if it is
CREATE OR REPLACE FUNCTION listing_application_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE listing_application_counts SET open = open - 1
		WHERE listing_id = OLD.listing_id AND OLD.closed_at IS NULL;
	INSERT INTO listing_application_counts(listing_id, open) SELECT NEW.listing_id, 1 WHERE NEW.closed_at IS NULL
		ON CONFLICT(listing_id) DO UPDATE SET open = listing_application_counts.open + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_application_counts_update AFTER UPDATE OF closed_at, listing_id ON applications FOR EACH ROW
	EXECUTE FUNCTION listing_application_counts_update();

CREATE OR REPLACE FUNCTION listing_application_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE listing_application_counts SET open = open - 1 WHERE listing_id = OLD.listing_id;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_application_counts_delete AFTER DELETE ON applications FOR EACH ROW WHEN (OLD.closed_at IS NULL)
	EXECUTE FUNCTION listing_application_counts_delete();
