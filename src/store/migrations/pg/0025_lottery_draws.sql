-- 0025 on PostgreSQL: the triggers PL/pgSQL functions; INTEGER → BIGINT.

-- The verifiable lottery of listings whose candidate_sorting_mode is 'random' (issue 15;
-- core/market/lottery.h, docs/LOTTERY.md).
--
-- One row per listing, written in the transaction that publishes the listing (or makes a
-- published one random): a 32-byte seed drawn by rentd, kept secret, and its SHA-256, the
-- commitment, published at once on the listing. At the deadline the draw fixes the
-- listing's open applications (their ids, ascending, in application_ids) and reveals the
-- seed (drawn_at set); the order is a function of the two, so anyone can recompute it and
-- check the seed against the commitment published before any application was ranked.
--
-- A row is never replaced: a commitment, once published, stays the listing's, and a draw
-- is done once (application_ids is what a second call returns again).
--
-- Times are microseconds since the epoch (UTC), bound from C (portable SQL).
CREATE TABLE lottery_draws (
	listing_id BIGINT PRIMARY KEY REFERENCES object_ads(id) ON DELETE CASCADE,
	seed_hex TEXT NOT NULL,                  -- 64 lower-case hex digits; secret while drawn_at IS NULL
	commitment_hex TEXT NOT NULL,            -- SHA-256 of the seed's 32 bytes, lower-case hex
	committed_at BIGINT NOT NULL,           -- µs
	drawn_at BIGINT,                        -- µs; NULL: not drawn yet
	application_ids TEXT                     -- the ids drawn, ascending, comma-separated; NULL before the draw
);

-- The lottery shows in the market object's detail, which is kept rendered under its
-- company's listing_view_generations counter (migration 0017): a commitment or a draw moves
-- it on, whoever writes it.
CREATE OR REPLACE FUNCTION listing_views_lottery_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT company_id, 1 FROM object_ads WHERE id = NEW.listing_id
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_lottery_insert AFTER INSERT ON lottery_draws FOR EACH ROW
	EXECUTE FUNCTION listing_views_lottery_insert();

CREATE OR REPLACE FUNCTION listing_views_lottery_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO listing_view_generations(company_id, value)
		SELECT company_id, 1 FROM object_ads WHERE id = NEW.listing_id
		ON CONFLICT(company_id) DO UPDATE SET value = listing_view_generations.value + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER listing_views_lottery_update AFTER UPDATE ON lottery_draws FOR EACH ROW
	EXECUTE FUNCTION listing_views_lottery_update();
