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
	listing_id INTEGER PRIMARY KEY REFERENCES object_ads(id) ON DELETE CASCADE,
	open INTEGER NOT NULL
);

INSERT INTO listing_application_counts(listing_id, open)
	SELECT listing_id, COUNT(*) FROM applications WHERE closed_at IS NULL GROUP BY listing_id;

CREATE TRIGGER listing_application_counts_insert AFTER INSERT ON applications WHEN NEW.closed_at IS NULL
BEGIN
	INSERT INTO listing_application_counts(listing_id, open) VALUES (NEW.listing_id, 1)
		ON CONFLICT(listing_id) DO UPDATE SET open = open + 1;
END;

-- fires whenever closed_at is written, changed or not: out of the old listing's count if it
-- was open, into the new one's if it is
CREATE TRIGGER listing_application_counts_update AFTER UPDATE OF closed_at, listing_id ON applications
BEGIN
	UPDATE listing_application_counts SET open = open - 1
		WHERE listing_id = OLD.listing_id AND OLD.closed_at IS NULL;
	INSERT INTO listing_application_counts(listing_id, open) SELECT NEW.listing_id, 1 WHERE NEW.closed_at IS NULL
		ON CONFLICT(listing_id) DO UPDATE SET open = open + 1;
END;

CREATE TRIGGER listing_application_counts_delete AFTER DELETE ON applications WHEN OLD.closed_at IS NULL
BEGIN
	UPDATE listing_application_counts SET open = open - 1 WHERE listing_id = OLD.listing_id;
END;
