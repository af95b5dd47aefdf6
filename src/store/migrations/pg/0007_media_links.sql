-- 0007 on PostgreSQL: owner_id a STORED generated column (SQLite: VIRTUAL, which PostgreSQL 15 lacks),
-- the column types mapped, an identity key (0018 on SQLite).

-- Pictures and videos attached to apartments and estates (homeq.md §4, §10, §12.3;
-- decisions.md H-07, H-09, H-33), and what the background jobs learn about stored
-- files: whether their thumbnails exist, and the compressed version of a video.

-- One table for the four lists. kind says which list; the owner is the apartment or
-- the estate (exactly one, matching the kind); owner_id is whichever is set, so one
-- index and one set of statements serve all four. Positions are dense (0, 1, 2 …)
-- per (kind, owner): the store renumbers on every move and delete, and
-- (position, id) is the order.
CREATE TABLE media_links (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('apartment_picture', 'apartment_video', 'estate_picture',
		'estate_area_picture')),
	apartment_id BIGINT REFERENCES apartments(id) ON DELETE CASCADE,
	estate_id BIGINT REFERENCES estates(id) ON DELETE CASCADE,
	owner_id BIGINT GENERATED ALWAYS AS (COALESCE(apartment_id, estate_id)) STORED,
	position BIGINT NOT NULL,
	caption TEXT NOT NULL DEFAULT '',
	private BIGINT NOT NULL DEFAULT 0,          -- videos only
	reference TEXT NOT NULL REFERENCES file_references(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	CHECK ((apartment_id IS NULL) <> (estate_id IS NULL)),
	CHECK ((kind IN ('apartment_picture', 'apartment_video')) = (apartment_id IS NOT NULL))
);
CREATE INDEX media_links_owner ON media_links(kind, owner_id, position, id);
CREATE INDEX media_links_apartment ON media_links(apartment_id);
CREATE INDEX media_links_estate ON media_links(estate_id);
CREATE INDEX media_links_reference ON media_links(reference);

-- Set by the thumbnail job when every width of §15 rule 27 is stored: until then
-- (and for ever, when the image cannot be decoded) a picture's thumbnail_url is null.
ALTER TABLE stored_files ADD COLUMN thumbnails_ready BIGINT NOT NULL DEFAULT 0;
UPDATE stored_files SET thumbnails_ready = 1 WHERE id IN
	(SELECT CAST(payload AS BIGINT) FROM jobs WHERE kind = 'thumbnails' AND state = 'done');

-- The H.264/AAC MP4 the compress_video job made of a video (itself a stored file of the
-- same category); NULL until then, and the original is served.
ALTER TABLE stored_files ADD COLUMN compressed_file_id BIGINT REFERENCES stored_files(id);
