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
	estate_id INTEGER PRIMARY KEY,
	company_id INTEGER NOT NULL,
	office_id INTEGER NOT NULL,
	apartments INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inventory_estate_counts_walk ON inventory_estate_counts(company_id, estate_id, office_id, apartments);

CREATE TABLE inventory_office_counts (
	office_id INTEGER PRIMARY KEY,
	company_id INTEGER NOT NULL,
	estates INTEGER NOT NULL DEFAULT 0,
	apartments INTEGER NOT NULL DEFAULT 0
);

INSERT INTO inventory_estate_counts(estate_id, company_id, office_id, apartments)
	SELECT e.id, e.company_id, e.office_id, (SELECT COUNT(*) FROM apartments a WHERE a.estate_id = e.id)
	FROM estates e;
INSERT INTO inventory_office_counts(office_id, company_id, estates, apartments)
	SELECT office_id, company_id, COUNT(*), SUM(apartments) FROM inventory_estate_counts GROUP BY office_id;

CREATE TRIGGER inventory_estate_insert AFTER INSERT ON estates BEGIN
	INSERT INTO inventory_estate_counts(estate_id, company_id, office_id) VALUES (NEW.id, NEW.company_id, NEW.office_id);
	INSERT INTO inventory_office_counts(office_id, company_id, estates) VALUES (NEW.office_id, NEW.company_id, 1)
		ON CONFLICT(office_id) DO UPDATE SET estates = estates + 1;
END;

CREATE TRIGGER inventory_estate_delete AFTER DELETE ON estates BEGIN
	UPDATE inventory_office_counts SET estates = estates - 1,
		apartments = apartments - (SELECT apartments FROM inventory_estate_counts WHERE estate_id = OLD.id)
		WHERE office_id = OLD.office_id;
	DELETE FROM inventory_estate_counts WHERE estate_id = OLD.id;
END;

CREATE TRIGGER inventory_estate_move AFTER UPDATE OF office_id, company_id ON estates
	WHEN NEW.office_id <> OLD.office_id OR NEW.company_id <> OLD.company_id BEGIN
	UPDATE inventory_office_counts SET estates = estates - 1,
		apartments = apartments - (SELECT apartments FROM inventory_estate_counts WHERE estate_id = OLD.id)
		WHERE office_id = OLD.office_id;
	INSERT INTO inventory_office_counts(office_id, company_id, estates, apartments)
		VALUES (NEW.office_id, NEW.company_id, 1, (SELECT apartments FROM inventory_estate_counts WHERE estate_id = OLD.id))
		ON CONFLICT(office_id) DO UPDATE SET estates = estates + 1, apartments = apartments + excluded.apartments;
	UPDATE inventory_estate_counts SET company_id = NEW.company_id, office_id = NEW.office_id WHERE estate_id = OLD.id;
END;

-- An apartment deleted by its estate's cascade finds its estate's counts row already
-- gone (the estate trigger settled the office count): the UPDATEs then touch nothing.
CREATE TRIGGER inventory_apartment_insert AFTER INSERT ON apartments BEGIN
	UPDATE inventory_estate_counts SET apartments = apartments + 1 WHERE estate_id = NEW.estate_id;
	UPDATE inventory_office_counts SET apartments = apartments + 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = NEW.estate_id);
END;

CREATE TRIGGER inventory_apartment_delete AFTER DELETE ON apartments BEGIN
	UPDATE inventory_office_counts SET apartments = apartments - 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = OLD.estate_id);
	UPDATE inventory_estate_counts SET apartments = apartments - 1 WHERE estate_id = OLD.estate_id;
END;

CREATE TRIGGER inventory_apartment_move AFTER UPDATE OF estate_id ON apartments
	WHEN NEW.estate_id <> OLD.estate_id BEGIN
	UPDATE inventory_office_counts SET apartments = apartments - 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = OLD.estate_id);
	UPDATE inventory_estate_counts SET apartments = apartments - 1 WHERE estate_id = OLD.estate_id;
	UPDATE inventory_estate_counts SET apartments = apartments + 1 WHERE estate_id = NEW.estate_id;
	UPDATE inventory_office_counts SET apartments = apartments + 1
		WHERE office_id = (SELECT office_id FROM inventory_estate_counts WHERE estate_id = NEW.estate_id);
END;


CREATE TRIGGER inventory_office_delete AFTER DELETE ON offices BEGIN
	DELETE FROM inventory_office_counts WHERE office_id = OLD.id;
END;
