-- 0008 on PostgreSQL: each trigger a PL/pgSQL function and a FOR EACH ROW trigger of the same name,
-- event, columns and WHEN; INTEGER → BIGINT; the office counts' seed takes MIN(company_id) (one per office).

-- The inventory search (GET /api/v1/inventory/, store/store_inventory_search.c).
--
-- Its order is estate by estate (estate id), each estate followed by its apartments
-- (apartment id), and its paging is by offset. Two small tables, kept exact by
-- triggers in the writing transaction, make that cheap at 100,000 apartments:
--
--   inventory_office_counts  estates and apartments per office: the `total` of an
--                            unfiltered page is a sum over the offices in scope;
--   inventory_estate_counts  apartments per estate, in estate-id order per company:
--                            a deep offset skips whole estates by their counts
--                            (one narrow index entry per estate) instead of stepping
--                            through every apartment before it.
--
-- Nothing else reads or writes them; the store files of estates and apartments do
-- not need to know about them.

CREATE TABLE inventory_estate_counts (
	estate_id BIGINT PRIMARY KEY,
	company_id BIGINT NOT NULL,
	office_id BIGINT NOT NULL,
	apartments BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX inventory_estate_counts_walk ON inventory_estate_counts(company_id, estate_id, office_id, apartments);

CREATE TABLE inventory_office_counts (
	office_id BIGINT PRIMARY KEY,
	company_id BIGINT NOT NULL,
	estates BIGINT NOT NULL DEFAULT 0,
	apartments BIGINT NOT NULL DEFAULT 0
);

INSERT INTO inventory_estate_counts(estate_id, company_id, office_id, apartments)
	SELECT e.id, e.company_id, e.office_id, (SELECT COUNT(*) FROM apartments a WHERE a.estate_id = e.id)
	FROM estates e;
INSERT INTO inventory_office_counts(office_id, company_id, estates, apartments)
	SELECT office_id, MIN(company_id), COUNT(*), SUM(apartments) FROM inventory_estate_counts GROUP BY office_id;

CREATE OR REPLACE FUNCTION inventory_estate_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO inventory_estate_counts(estate_id, company_id, office_id) VALUES (NEW.id, NEW.company_id, NEW.office_id);
	INSERT INTO inventory_office_counts(office_id, company_id, estates) VALUES (NEW.office_id, NEW.company_id, 1)
		ON CONFLICT(office_id) DO UPDATE SET estates = inventory_office_counts.estates + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_estate_insert AFTER INSERT ON estates FOR EACH ROW
	EXECUTE FUNCTION inventory_estate_insert();

CREATE OR REPLACE FUNCTION inventory_estate_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE inventory_office_counts SET estates = estates - 1,
		apartments = apartments - (SELECT apartments FROM inventory_estate_counts WHERE estate_id = OLD.id)
		WHERE office_id = OLD.office_id;
	DELETE FROM inventory_estate_counts WHERE estate_id = OLD.id;
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_estate_delete AFTER DELETE ON estates FOR EACH ROW
	EXECUTE FUNCTION inventory_estate_delete();

CREATE OR REPLACE FUNCTION inventory_estate_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE inventory_office_counts SET estates = estates - 1,
		apartments = apartments - (SELECT apartments FROM inventory_estate_counts WHERE estate_id = OLD.id)
		WHERE office_id = OLD.office_id;
	INSERT INTO inventory_office_counts(office_id, company_id, estates, apartments)
		VALUES (NEW.office_id, NEW.company_id, 1, (SELECT apartments FROM inventory_estate_counts WHERE estate_id = OLD.id))
		ON CONFLICT(office_id) DO UPDATE SET estates = inventory_office_counts.estates + 1, apartments = inventory_office_counts.apartments + excluded.apartments;
	UPDATE inventory_estate_counts SET company_id = NEW.company_id, office_id = NEW.office_id WHERE estate_id = OLD.id;
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_estate_move AFTER UPDATE OF office_id, company_id ON estates FOR EACH ROW WHEN (NEW.office_id <> OLD.office_id OR NEW.company_id <> OLD.company_id)
	EXECUTE FUNCTION inventory_estate_move();

-- An apartment deleted by its estate's cascade finds its estate's counts row already
-- gone (the estate trigger settled the office count): the UPDATEs then touch nothing.
CREATE OR REPLACE FUNCTION inventory_apartment_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE inventory_estate_counts SET apartments = apartments + 1 WHERE estate_id = NEW.estate_id;
	UPDATE inventory_office_counts SET apartments = apartments + 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = NEW.estate_id);
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_apartment_insert AFTER INSERT ON apartments FOR EACH ROW
	EXECUTE FUNCTION inventory_apartment_insert();

CREATE OR REPLACE FUNCTION inventory_apartment_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE inventory_office_counts SET apartments = apartments - 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = OLD.estate_id);
	UPDATE inventory_estate_counts SET apartments = apartments - 1 WHERE estate_id = OLD.estate_id;
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_apartment_delete AFTER DELETE ON apartments FOR EACH ROW
	EXECUTE FUNCTION inventory_apartment_delete();

CREATE OR REPLACE FUNCTION inventory_apartment_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE inventory_office_counts SET apartments = apartments - 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = OLD.estate_id);
	UPDATE inventory_estate_counts SET apartments = apartments - 1 WHERE estate_id = OLD.estate_id;
	UPDATE inventory_estate_counts SET apartments = apartments + 1 WHERE estate_id = NEW.estate_id;
	UPDATE inventory_office_counts SET apartments = apartments + 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = NEW.estate_id);
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_apartment_move AFTER UPDATE OF estate_id ON apartments FOR EACH ROW WHEN (NEW.estate_id <> OLD.estate_id)
	EXECUTE FUNCTION inventory_apartment_move();


CREATE OR REPLACE FUNCTION inventory_office_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM inventory_office_counts WHERE office_id = OLD.id;
	RETURN NULL;
END $$;
CREATE TRIGGER inventory_office_delete AFTER DELETE ON offices FOR EACH ROW
	EXECUTE FUNCTION inventory_office_delete();
