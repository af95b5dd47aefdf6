-- Every statement that changes a table notifies channel rentd_changes, so every other rentd
-- process on this database moves its kept epoch and stops giving what it kept (store_epoch.c):
-- the versions of its kept views and the answers it keeps with no version of their own (the
-- inventory's pages). A statement trigger on each table, by whoever writes, rentd or not.
-- Not on the job queue (jobs) nor the login counters (rate_hits, login_failures): no kept
-- answer shows them, and they change with every job and every login attempt. One
-- notification per transaction: PostgreSQL folds the same notification of one transaction
-- into one, sent when it commits (never when it rolls back).
-- A table added by a later migration gets its trigger there (tests/pg/test_pg_migrations.c
-- checks that every table but these has one).
CREATE OR REPLACE FUNCTION rentd_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('rentd_changes', '');
	RETURN NULL;
END $$;

CREATE TRIGGER account_booking_conditions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON account_booking_conditions
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER account_count_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON account_count
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER account_policies_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON account_policies
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER agreements_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON agreements
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER apartment_3d_views_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON apartment_3d_views
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER apartment_notes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON apartment_notes
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER apartments_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON apartments
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER applicant_blocks_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON applicant_blocks
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER applicant_profiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON applicant_profiles
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER application_ranks_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON application_ranks
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER application_steps_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON application_steps
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER applications_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON applications
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER card_counts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON card_counts
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER card_dirty_projects_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON card_dirty_projects
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER card_docs_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON card_docs
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER card_generation_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON card_generation
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER card_geo_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON card_geo
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER cards_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cards
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER cities_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cities
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER companies_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON companies
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER contacts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contacts
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER contract_signatures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contract_signatures
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER contracts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contracts
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER countries_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON countries
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER device_tokens_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON device_tokens
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER estates_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON estates
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER event_consumers_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_consumers
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER event_counts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_counts
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER events_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER existing_tenants_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON existing_tenants
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER file_references_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON file_references
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER inventory_estate_counts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON inventory_estate_counts
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER inventory_office_counts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON inventory_office_counts
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER invitations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON invitations
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER listing_application_counts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON listing_application_counts
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER listing_processes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON listing_processes
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER listing_view_generations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON listing_view_generations
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER lottery_draws_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lottery_draws
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER media_links_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON media_links
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER notifications_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON notifications
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER object_ad_assignments_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON object_ad_assignments
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER object_ads_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON object_ads
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER offices_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON offices
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER project_3d_views_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_3d_views
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER project_freetext_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_freetext
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER project_interest_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_interest
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER project_locations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_locations
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER project_media_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_media
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER project_timeline_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_timeline
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER projects_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON projects
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER queue_memberships_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON queue_memberships
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER reference_values_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reference_values
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER rejection_reasons_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rejection_reasons
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER requirement_profiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON requirement_profiles
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER right_profile_rights_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON right_profile_rights
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER right_profiles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON right_profiles
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER stored_files_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stored_files
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER system_settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON system_settings
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER user_notes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_notes
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER webhook_deliveries_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON webhook_deliveries
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
CREATE TRIGGER webhook_subscriptions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON webhook_subscriptions
	FOR EACH STATEMENT EXECUTE FUNCTION rentd_changed();
