-- The walking indexes of 0014 with the card id right after publish_date: the default
-- order (publish_date DESC, id DESC) is then the index's own, to its last column.
-- SQLite kept the id (its rowid) at the end of every entry, so ties of publish_date were
-- sorted apart ("USE TEMP B-TREE FOR RIGHT PART OF ORDER BY"); PostgreSQL's entries held
-- no id at all, so its page of ids read the table for each row and sorted each tie group.
-- Same columns otherwise, same names.
DROP INDEX cards_publish;
DROP INDEX cards_county_publish;
DROP INDEX cards_municipality_publish;
DROP INDEX cards_company_publish;
CREATE INDEX cards_publish ON cards(publish_date, id, kind, state, modes, company_id, rent, rent_max, rooms,
	rooms_max, area, area_max, floor, floor_max, amenities, audience, lat, lon, active_ads, ref_id);
CREATE INDEX cards_county_publish ON cards(county, publish_date, id, kind, state, modes, company_id, rent,
	rent_max, rooms, rooms_max, area, area_max, floor, floor_max, amenities, audience, lat, lon, active_ads, ref_id);
CREATE INDEX cards_municipality_publish ON cards(municipality, publish_date, id, kind, state, modes, company_id,
	rent, rent_max, rooms, rooms_max, area, area_max, floor, floor_max, amenities, audience, lat, lon, active_ads,
	ref_id);
CREATE INDEX cards_company_publish ON cards(company_id, publish_date, id, kind, state, modes, rent, rent_max,
	rooms, rooms_max, area, area_max, floor, floor_max, amenities, audience, lat, lon, active_ads, ref_id);
