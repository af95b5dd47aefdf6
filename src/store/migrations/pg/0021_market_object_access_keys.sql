-- 0021 on PostgreSQL: the access key drawn by a BEFORE INSERT trigger from gen_random_uuid() (64 random bits)
-- instead of SQLite's randomblob() in an UPDATE after it.

-- Market objects' access keys (issue 14; momentum.md B.1 id dispatch, decisions.md M-14).
--
-- A market object is a published listing (object_ads): its local id is object_ads.id, its
-- guid object_ads.uuid, and its access key this column: "k" and 16 lower-case hex digits
-- (17 characters: shorter than a guid's 21 and never all digits, so B.1's dispatch rule
-- tells the three forms apart). Every listing gets one when it is inserted (the trigger
-- below: the SQLite way to draw random bytes; a PostgreSQL migration gives the column a
-- DEFAULT of its own), existing listings here.
ALTER TABLE object_ads ADD COLUMN access_key TEXT;
-- 16 hex digits, all random: 12 of one v4 UUID and 4 of another, past their fixed version and variant digits
UPDATE object_ads SET access_key = 'k' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 12) || substr(replace(gen_random_uuid()::text, '-', ''), 18, 4)
	WHERE access_key IS NULL;
CREATE UNIQUE INDEX object_ads_access_key ON object_ads(access_key) WHERE access_key IS NOT NULL;

CREATE OR REPLACE FUNCTION object_ads_access_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.access_key := 'k' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 12) || substr(replace(gen_random_uuid()::text, '-', ''), 18, 4);
	RETURN NEW;
END $$;
CREATE TRIGGER object_ads_access_key BEFORE INSERT ON object_ads FOR EACH ROW WHEN (NEW.access_key IS NULL)
	EXECUTE FUNCTION object_ads_access_key();
