-- Every statement that moves a version of the kept views notifies channel rentd_views, so
-- another rentd process on this database drops the versions it keeps (store_epoch.c). The
-- three tables are the ones the versions are read from: card_generation (0014),
-- listing_view_generations (0017) and listing_application_counts (0024); every change a view
-- shows moves one of them through the triggers of those migrations. One notification per
-- statement: PostgreSQL folds the same notification of one transaction into one, sent when
-- it commits (and never when it rolls back).
CREATE OR REPLACE FUNCTION views_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('rentd_views', '');
	RETURN NULL;
END $$;

CREATE TRIGGER card_generation_notify AFTER INSERT OR UPDATE OR DELETE ON card_generation
	FOR EACH STATEMENT EXECUTE FUNCTION views_changed();
CREATE TRIGGER listing_view_generations_notify AFTER INSERT OR UPDATE OR DELETE ON listing_view_generations
	FOR EACH STATEMENT EXECUTE FUNCTION views_changed();
CREATE TRIGGER listing_application_counts_notify AFTER INSERT OR UPDATE OR DELETE ON listing_application_counts
	FOR EACH STATEMENT EXECUTE FUNCTION views_changed();
