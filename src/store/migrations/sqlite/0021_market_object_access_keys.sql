-- Market objects' access keys (issue 14; momentum.md B.1 id dispatch, decisions.md M-14).
--
-- A market object is a published listing (object_ads): its local id is object_ads.id, its
-- guid object_ads.uuid, and its access key this column: "k" and 16 lower-case hex digits
-- (17 characters: shorter than a guid's 21 and never all digits, so B.1's dispatch rule
-- tells the three forms apart). Every listing gets one when it is inserted (the trigger
-- below: the SQLite way to draw random bytes; a PostgreSQL migration gives the column a
-- DEFAULT of its own), existing listings here.
ALTER TABLE object_ads ADD COLUMN access_key TEXT;
UPDATE object_ads SET access_key = 'k' || lower(hex(randomblob(8))) WHERE access_key IS NULL;
CREATE UNIQUE INDEX object_ads_access_key ON object_ads(access_key) WHERE access_key IS NOT NULL;

CREATE TRIGGER object_ads_access_key AFTER INSERT ON object_ads WHEN NEW.access_key IS NULL BEGIN
	UPDATE object_ads SET access_key = 'k' || lower(hex(randomblob(8))) WHERE id = NEW.id;
END;
