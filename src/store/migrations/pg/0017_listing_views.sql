-- 0017 on PostgreSQL: the triggers PL/pgSQL functions (a derived table needs an alias); INTEGER → BIGINT.

-- The version of every public listing view (GET /api/v1/object/{id}, store/store_listing.c).
--
-- The public view of one listing is read from eight tables (the listing, its apartment,
-- estate, company, requirement profile and project, the pictures and videos and their
-- files). The server keeps the views it rendered in memory (base/memo.h) and needs one
-- cheap read to know whether a kept view is still true: a counter per company that every
-- change to any row a view of that company's listings shows moves on. The triggers below
-- are that rule, so no write path has to remember it; a view is checked by one statement
-- that reads the listing's status and its company's counter together.
--
-- No foreign key: a company's counter outlives the company, so a reused company id never
-- meets a version that an earlier company's view was kept under.

CREATE TABLE listing_view_generations (
	company_id BIGINT PRIMARY KEY,
	value BIGINT NOT NULL
);

-- "which references use this stored file": a file's thumbnails or compressed video change its views
CREATE INDEX file_references_stored_file ON file_references(stored_file_id);

CREATE OR REPLACE FUNCTION listing_views_listing_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value) VALUES (NEW.company_id, 1)
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_listing_insert AFTER INSERT ON object_ads FOR EACH ROW
	EXECUTE FUNCTION listing_views_listing_insert();

CREATE OR REPLACE FUNCTION listing_views_listing_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT DISTINCT company_id, 1 FROM (SELECT NEW.company_id AS company_id UNION SELECT OLD.company_id) AS changed
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_listing_update AFTER UPDATE ON object_ads FOR EACH ROW
	EXECUTE FUNCTION listing_views_listing_update();

CREATE OR REPLACE FUNCTION listing_views_listing_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value) VALUES (OLD.company_id, 1)
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_listing_delete AFTER DELETE ON object_ads FOR EACH ROW
	EXECUTE FUNCTION listing_views_listing_delete();

-- An apartment or estate that is deleted takes its listings with it (ON DELETE CASCADE),
-- which the listing trigger above counts; only their updates need their own.
CREATE OR REPLACE FUNCTION listing_views_apartment_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT DISTINCT company_id, 1 FROM estates WHERE id IN (NEW.estate_id, OLD.estate_id)
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_apartment_update AFTER UPDATE ON apartments FOR EACH ROW
	EXECUTE FUNCTION listing_views_apartment_update();

CREATE OR REPLACE FUNCTION listing_views_estate_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT DISTINCT company_id, 1 FROM (SELECT NEW.company_id AS company_id UNION SELECT OLD.company_id) AS changed
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_estate_update AFTER UPDATE ON estates FOR EACH ROW
	EXECUTE FUNCTION listing_views_estate_update();

CREATE OR REPLACE FUNCTION listing_views_company_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value) VALUES (NEW.id, 1)
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_company_update AFTER UPDATE ON companies FOR EACH ROW
	EXECUTE FUNCTION listing_views_company_update();

CREATE OR REPLACE FUNCTION listing_views_requirement_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value) VALUES (NEW.company_id, 1)
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_requirement_update AFTER UPDATE ON requirement_profiles FOR EACH ROW
	EXECUTE FUNCTION listing_views_requirement_update();

CREATE OR REPLACE FUNCTION listing_views_project_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value) VALUES (NEW.company_id, 1)
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_project_update AFTER UPDATE ON projects FOR EACH ROW
	EXECUTE FUNCTION listing_views_project_update();

-- A picture or video of an apartment or an estate: the company of the estate.
CREATE OR REPLACE FUNCTION listing_views_media_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT company_id, 1 FROM estates
		WHERE id = COALESCE(NEW.estate_id, (SELECT estate_id FROM apartments WHERE id = NEW.apartment_id))
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_media_insert AFTER INSERT ON media_links FOR EACH ROW
	EXECUTE FUNCTION listing_views_media_insert();

CREATE OR REPLACE FUNCTION listing_views_media_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT company_id, 1 FROM estates
		WHERE id = COALESCE(NEW.estate_id, (SELECT estate_id FROM apartments WHERE id = NEW.apartment_id))
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_media_update AFTER UPDATE ON media_links FOR EACH ROW
	EXECUTE FUNCTION listing_views_media_update();

CREATE OR REPLACE FUNCTION listing_views_media_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT company_id, 1 FROM estates
		WHERE id = COALESCE(OLD.estate_id, (SELECT estate_id FROM apartments WHERE id = OLD.apartment_id))
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_media_delete AFTER DELETE ON media_links FOR EACH ROW
	EXECUTE FUNCTION listing_views_media_delete();

-- A file's thumbnails being made, or its compressed video, change the URLs a view shows.
CREATE OR REPLACE FUNCTION listing_views_file_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT DISTINCT company_id, 1 FROM file_references WHERE stored_file_id = NEW.id AND company_id IS NOT NULL
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_file_update AFTER UPDATE ON stored_files FOR EACH ROW
	EXECUTE FUNCTION listing_views_file_update();

CREATE OR REPLACE FUNCTION listing_views_reference_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value) VALUES (NEW.company_id, 1)
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_reference_update AFTER UPDATE OF stored_file_id ON file_references FOR EACH ROW WHEN (NEW.company_id IS NOT NULL)
	EXECUTE FUNCTION listing_views_reference_update();
