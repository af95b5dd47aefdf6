/*
 * test_pg_migrations.c — src/store/migrations/pg/ on a real PostgreSQL 15 (issue 17).
 *
 * Run by tests/pg/pg_cluster.py (RENTD_TEST_PG_URL); without it every test fails. Each test
 * migrates a database of its own, made with CREATE DATABASE on the cluster (Criterion runs
 * tests in parallel processes). The final schema is compared with a SQLite database migrated
 * by the same runner: the same tables, the same columns in the same order, the same indexes
 * and triggers by name, apart from the differences listed below with their reasons. Then
 * the triggers are exercised with real rows.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/log.h"
#include "store/db.h"
#include "store/store.h"

static struct arena *arena;
static struct error err;
static struct db *admin; /* the cluster's own database: CREATE / DROP DATABASE */
static struct db *db;    /* the test's migrated database */
static char dbname[32];
static char dburl[1024];

static const char *errmsg(void)
{
	return err.message ? err.message : "(no message)";
}

static void exec_ok(struct db *d, const char *sql)
{
	error_init(&err, arena);
	cr_assert_eq(db_exec(d, sql, &err), 0, "%s: %s", sql, errmsg());
}

/* The cluster's URL with dbname set (a query parameter overrides the path's database). */
static void make_database(void)
{
	const char *u = getenv("RENTD_TEST_PG_URL");
	char sql[96];

	cr_assert(u && *u, "RENTD_TEST_PG_URL is not set: run this through tests/pg/pg_cluster.py");
	error_init(&err, arena);
	cr_assert_eq(db_open(u, &admin, &err), 0, "db_open: %s", errmsg());
	snprintf(dbname, sizeof(dbname), "migrations_%ld", (long)getpid());
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", dbname);
	exec_ok(admin, sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", dbname);
	exec_ok(admin, sql);
	snprintf(dburl, sizeof(dburl), "%s%sdbname=%s", u, strchr(u, '?') ? "&" : "?", dbname);
}

static void migrate(const char *database, int expect_applied)
{
	struct store *s;
	int applied = -1;
	int64_t version = -1;

	error_init(&err, arena);
	cr_assert_eq(store_open(database, &s, &err), 0, "store_open %s: %s", database, errmsg());
	cr_assert_eq(store_migrate(s, &applied, &err), 0, "store_migrate: %s", errmsg());
	if (expect_applied >= 0)
		cr_assert_eq(applied, expect_applied);
	cr_assert_eq(store_schema_version(s, &version, &err), 0, "%s", errmsg());
	cr_assert_eq(version, store_schema_latest());
	store_close(s);
}

static void setup(void)
{
	log_set_level(LOG_OFF);
	arena = arena_create(1 << 16);
	make_database();
	migrate(dburl, -1);
	error_init(&err, arena);
	cr_assert_eq(db_open(dburl, &db, &err), 0, "db_open %s: %s", dburl, errmsg());
}

static void teardown(void)
{
	char sql[96];

	db_close(db);
	db = NULL;
	if (admin) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", dbname);
		error_init(&err, arena);
		(void)db_exec(admin, sql, &err);
		db_close(admin);
		admin = NULL;
	}
	arena_destroy(arena);
}

TestSuite(pg_migrations, .init = setup, .fini = teardown);

/* The first column of the one row of a statement without parameters (sql: a literal). */
static int64_t one(struct db *d, const char *sql)
{
	struct db_stmt *st;
	int64_t v;

	error_init(&err, arena);
	st = db_prepare(d, sql, &err);
	cr_assert_not_null(st, "prepare %s: %s", sql, errmsg());
	cr_assert_eq(db_step(st, &err), DB_ROW, "%s: %s", sql, errmsg());
	v = db_col_int(st, 0);
	db_reset(st);
	return v;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The first column of every row of sql (its ?1 bound to param when given), one per line;
 * sorted unless keep_order. Names listed in skip (NULL-terminated) are left out.
 */
static const char *names(struct db *d, const char *sql, const char *param, bool keep_order, const char *const *skip)
{
	const char *list[512];
	size_t n = 0, len = 0;
	struct db_stmt *st;
	char *out;
	int rc;

	error_init(&err, arena);
	st = db_prepare(d, sql, &err);
	cr_assert_not_null(st, "prepare %s: %s", sql, errmsg());
	if (param)
		db_bind_text(st, 1, str_from_cstr(param));
	while ((rc = db_step(st, &err)) == DB_ROW) {
		struct str v = db_col_text(st, 0);
		bool skipped = false;
		for (const char *const *k = skip; k && *k; k++)
			skipped = skipped || str_eq_cstr(v, *k);
		if (skipped)
			continue;
		cr_assert_lt(n, sizeof(list) / sizeof(list[0]));
		list[n++] = arena_strndup(arena, v.ptr, v.len);
		len += v.len + 1;
	}
	cr_assert_eq(rc, DB_DONE, "%s: %s", sql, errmsg());
	db_reset(st);
	if (!keep_order)
		qsort(list, n, sizeof(list[0]), cmp_names);
	out = arena_alloc(arena, len + 1);
	out[0] = '\0';
	for (size_t i = 0, o = 0; i < n; i++) {
		size_t l = strlen(list[i]);
		memcpy(out + o, list[i], l);
		out[o + l] = '\n';
		o += l + 1;
		out[o] = '\0';
	}
	return out;
}

Test(pg_migrations, migrate_applies_every_version_once)
{
	/* setup migrated it: the version is the binary's newest, and a second run applies nothing */
	cr_assert_eq(one(db, "SELECT MAX(version) FROM schema_migrations"), store_schema_latest());
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM schema_migrations"), store_schema_latest());
	migrate(dburl, 0);
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM schema_migrations"), store_schema_latest());
}

Test(pg_migrations, schema_equals_sqlite)
{
	/*
	 * Left out on purpose. SQLite: sqlite_sequence (AUTOINCREMENT's counters; identity columns
	 * keep theirs in sequences) and the R*Tree's shadow tables card_geo_node/_parent/_rowid.
	 * PostgreSQL: card_geo_box, the GiST index that stands for the R*Tree (SQLite's card_geo
	 * is a virtual table with no index of its own).
	 */
	static const char *const sqlite_only[] = { "sqlite_sequence", "card_geo_node", "card_geo_parent",
						   "card_geo_rowid", NULL };
	static const char *const pg_only[] = { "card_geo_box", NULL };
	static const char sqlite_tables[] = "SELECT name FROM sqlite_master WHERE type = 'table'";
	static const char pg_tables[] = "SELECT table_name FROM information_schema.tables"
					" WHERE table_schema = 'public' AND table_type = 'BASE TABLE'";
	static const char sqlite_columns[] = "SELECT name FROM pragma_table_xinfo(?1) ORDER BY cid";
	static const char pg_columns[] = "SELECT column_name FROM information_schema.columns"
					 " WHERE table_schema = 'public' AND table_name = ?1 ORDER BY ordinal_position";
	/* explicit indexes: not those SQLite makes for a PRIMARY KEY or UNIQUE, nor PostgreSQL's for a constraint */
	static const char sqlite_indexes[] = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";
	static const char pg_indexes[] =
		"SELECT indexname FROM pg_indexes i WHERE schemaname = 'public'"
		" AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)";
	static const char sqlite_triggers[] = "SELECT name FROM sqlite_master WHERE type = 'trigger'";
	static const char pg_triggers[] = "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
					  " JOIN pg_namespace n ON n.oid = c.relnamespace"
					  " WHERE NOT t.tgisinternal AND n.nspname = 'public'"
					  " AND t.tgfoid <> 'rentd_changed'::regproc"; /* 0031's notifications: PostgreSQL's only */
	char path[] = "/tmp/rentd-pg-migrations-XXXXXX";
	struct db *lite;
	const char *tables, *p;
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	close(fd);
	migrate(path, (int)store_schema_latest());
	error_init(&err, arena);
	cr_assert_eq(db_open(path, &lite, &err), 0, "%s", errmsg());

	tables = names(lite, sqlite_tables, NULL, false, sqlite_only);
	cr_expect_str_eq(names(db, pg_tables, NULL, false, NULL), tables);
	for (p = tables; *p;) {
		const char *nl = strchr(p, '\n');
		char *table = arena_strndup(arena, p, (size_t)(nl - p));
		const char *want = names(lite, sqlite_columns, table, true, NULL);
		const char *got = names(db, pg_columns, table, true, NULL);
		cr_expect_str_eq(got, want, "the columns of %s", table);
		p = nl + 1;
	}
	cr_expect_str_eq(names(db, pg_indexes, NULL, false, pg_only), names(lite, sqlite_indexes, NULL, false, NULL));
	cr_expect_str_eq(names(db, pg_triggers, NULL, false, NULL), names(lite, sqlite_triggers, NULL, false, NULL));
	/* the same reference rows (0011, 0027) */
	cr_expect_eq(one(db, "SELECT COUNT(*) FROM cities"), one(lite, "SELECT COUNT(*) FROM cities"));
	cr_expect_eq(one(db, "SELECT COUNT(*) FROM countries"), one(lite, "SELECT COUNT(*) FROM countries"));
	cr_expect_eq(one(db, "SELECT COUNT(*) FROM reference_values"), one(lite, "SELECT COUNT(*) FROM reference_values"));
	cr_expect_eq(one(db, "SELECT COUNT(*) FROM rejection_reasons"), one(lite, "SELECT COUNT(*) FROM rejection_reasons"));
	cr_expect_eq(one(db, "SELECT SUM(length(id) + length(long_name) + COALESCE(length(municipality_code), 0)) FROM cities"),
		     one(lite, "SELECT SUM(length(id) + length(long_name) + COALESCE(length(municipality_code), 0)) FROM cities"));
	db_close(lite);
	unlink(path);
}

Test(pg_migrations, generated_ids_are_identity_columns)
{
	/* every table SQLite makes AUTOINCREMENT has an identity id here, and no other */
	static const char sql[] = "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'public'"
				  " AND is_identity = 'YES'";
	char path[] = "/tmp/rentd-pg-migrations-XXXXXX";
	struct db *lite;
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	close(fd);
	migrate(path, (int)store_schema_latest());
	error_init(&err, arena);
	cr_assert_eq(db_open(path, &lite, &err), 0, "%s", errmsg());
	cr_assert_eq(one(db, sql), one(lite, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
					     " AND sql LIKE '%AUTOINCREMENT%'"));
	db_close(lite);
	unlink(path);
	/* an explicit id is refused: the database alone hands them out (GENERATED ALWAYS) */
	error_init(&err, arena);
	cr_assert_lt(db_exec(db, "INSERT INTO companies(id, uuid, name) VALUES (7, 'c7', 'x')", &err), 0);
}

/* A company, an office, an estate, an apartment and a listing of it, through SQL. */
static void inventory(void)
{
	exec_ok(db, "INSERT INTO companies(uuid, name) VALUES ('c1', 'Bolaget')");
	exec_ok(db, "INSERT INTO offices(company_id, path, name) SELECT id, '/1/', 'HQ' FROM companies");
	exec_ok(db, "INSERT INTO estates(company_id, office_id, name, city)"
		    " SELECT company_id, id, 'Huset', 'Stockholm' FROM offices");
	exec_ok(db, "INSERT INTO apartments(estate_id, national_id, city_key, street_key, number_key, street_name,"
		    " street_number, zip_code, latitude, longitude, area, floor, rent, rooms)"
		    " SELECT id, '1001', 'stockholm', 'gatan', '1', 'Gatan', '1', '11122', 59.3, 18.0, 50, 2, 9000, 2"
		    " FROM estates");
	exec_ok(db, "INSERT INTO object_ads(uuid, company_id, apartment_id, estate_id, status, candidate_sorting_mode,"
		    " contract_system, batch_size, offer_per_ad, offers_per_person, offer_min_response_time,"
		    " time_to_next_engagement)"
		    " SELECT 'ad1', e.company_id, a.id, e.id, 'active', 'queue_points', 'manual_selection_lock', 5, 5, 3,"
		    " 48, 5 FROM apartments a JOIN estates e ON e.id = a.estate_id");
}

Test(pg_migrations, inventory_and_account_triggers)
{
	inventory();
	/* 0016 account_count, 0009 account_uuid, 0021 access_key: filled by the database */
	cr_assert_eq(one(db, "SELECT n FROM account_count WHERE id = 1"), 1);
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM companies WHERE account_uuid ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'"), 1);
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM object_ads WHERE access_key ~ '^k[0-9a-f]{16}$'"), 1);
	/* 0008 and 0013: the inventory counts */
	cr_assert_eq(one(db, "SELECT estates * 100 + apartments * 10 + listings FROM inventory_office_counts"), 111);
	cr_assert_eq(one(db, "SELECT apartments * 10 + listings FROM inventory_estate_counts"), 11);
	/* 0017: the listing's company's view generation moved on the insert and moves on an update */
	cr_assert_eq(one(db, "SELECT value FROM listing_view_generations"), 1);
	exec_ok(db, "UPDATE object_ads SET description = 'ny'");
	cr_assert_eq(one(db, "SELECT value FROM listing_view_generations"), 2);
	exec_ok(db, "UPDATE apartments SET rent = 9500");
	cr_assert_eq(one(db, "SELECT value FROM listing_view_generations"), 3);
	/* a project listing (0013's move trigger counts a boolean) */
	exec_ok(db, "INSERT INTO projects(company_id, office_id, name) SELECT company_id, id, 'P' FROM offices");
	exec_ok(db, "UPDATE object_ads SET project_id = (SELECT id FROM projects)");
	cr_assert_eq(one(db, "SELECT listings * 10 + project_listings FROM inventory_office_counts"), 11);
	/* deleting the estate cascades to the apartment and the listing: every count goes back to 0 */
	exec_ok(db, "DELETE FROM estates");
	cr_assert_eq(one(db, "SELECT estates + apartments + listings + project_listings FROM inventory_office_counts"), 0);
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM inventory_estate_counts"), 0);
	exec_ok(db, "DELETE FROM companies");
	cr_assert_eq(one(db, "SELECT n FROM account_count WHERE id = 1"), 0);
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM inventory_office_counts"), 0);
}

Test(pg_migrations, event_counts_follow_the_changelog_events)
{
	exec_ok(db, "INSERT INTO companies(uuid, name) VALUES ('c1', 'Bolaget')");
	exec_ok(db, "INSERT INTO events(uuid, type, company_id, aggregate, aggregate_id, occurred_us, payload)"
		    " SELECT 'e1', 'AccountWasCreated', id, 'account', '1', 1, '{}' FROM companies");
	exec_ok(db, "INSERT INTO events(uuid, type, company_id, aggregate, aggregate_id, occurred_us, payload)"
		    " VALUES ('e2', 'ContactWasCreated', NULL, 'contact', '2', 2, '{}')");
	/* 0023: an application event is not in the changelog's counts */
	exec_ok(db, "INSERT INTO events(uuid, type, company_id, aggregate, aggregate_id, occurred_us, payload)"
		    " SELECT 'e3', 'ApplicationWasMade', id, 'application', '3', 3, '{}' FROM companies");
	cr_assert_eq(one(db, "SELECT n FROM event_counts WHERE company_id = 0"), 2);
	cr_assert_eq(one(db, "SELECT n FROM event_counts WHERE company_id = (SELECT id FROM companies)"), 1);
	exec_ok(db, "DELETE FROM events WHERE uuid IN ('e1', 'e3')");
	cr_assert_eq(one(db, "SELECT n FROM event_counts WHERE company_id = 0"), 1);
	cr_assert_eq(one(db, "SELECT n FROM event_counts WHERE company_id = (SELECT id FROM companies)"), 0);
	/* seq is handed out by the database, increasing */
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM events WHERE seq = 2"), 1);
}

Test(pg_migrations, application_counts_and_ranks)
{
	inventory();
	exec_ok(db, "INSERT INTO users(uuid, kind, username) VALUES ('u1', 'consumer', 'Anna'), ('u2', 'consumer', 'Bo')");
	exec_ok(db, "INSERT INTO applications(listing_id, company_id, user_id, queue_type, queue_points, applied_at, state,"
		    " screening_approved, updated_at)"
		    " SELECT o.id, o.company_id, u.id, 'residential', 10, 1, 'registered', 1, 1 FROM object_ads o, users u");
	/* 0024 */
	cr_assert_eq(one(db, "SELECT open FROM listing_application_counts"), 2);
	exec_ok(db, "UPDATE applications SET closed_at = 5 WHERE user_id = (SELECT id FROM users WHERE uuid = 'u1')");
	cr_assert_eq(one(db, "SELECT open FROM listing_application_counts"), 1);
	exec_ok(db, "UPDATE applications SET closed_at = 6"); /* the closed one stays out, the open one leaves */
	cr_assert_eq(one(db, "SELECT open FROM listing_application_counts"), 0);
	exec_ok(db, "UPDATE applications SET closed_at = NULL");
	cr_assert_eq(one(db, "SELECT open FROM listing_application_counts"), 2);
	/* 0027: a place goes with its application */
	exec_ok(db, "INSERT INTO application_ranks(listing_id, rank, application_id, existing_tenant)"
		    " SELECT listing_id, row_number() OVER (ORDER BY id), id, 0 FROM applications");
	exec_ok(db, "DELETE FROM applications WHERE user_id = (SELECT id FROM users WHERE uuid = 'u2')");
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM application_ranks"), 1);
	cr_assert_eq(one(db, "SELECT open FROM listing_application_counts"), 1);
	/* 0025: a lottery commitment moves the listing's view on */
	exec_ok(db, "INSERT INTO lottery_draws(listing_id, seed_hex, commitment_hex, committed_at)"
		    " SELECT id, 's', 'c', 1 FROM object_ads");
	cr_assert_eq(one(db, "SELECT value FROM listing_view_generations"), 2);
}

Test(pg_migrations, card_triggers)
{
	exec_ok(db, "INSERT INTO cards(id, kind, ref_id, state, modes, audience, amenities, company_id, office_id,"
		    " estate_id, apartment_id, project_id, county, municipality, lat, lon, x, y, z, publish_date, rent,"
		    " rent_max, area, area_max, rooms, rooms_max, floor, floor_max)"
		    " VALUES (4, 2, 2, 1, 1, 1, 0, 1, 1, 1, 1, 9, 1, 180, 59.3, 18.0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1)");
	exec_ok(db, "INSERT INTO card_geo(id, min_lat, max_lat, min_lon, max_lon) VALUES (4, 59.3, 59.3, 18.0, 18.0)");
	/* 0014: a count per place level, the generation moved on */
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM card_counts WHERE n = 1"), 3);
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM card_geo WHERE box(point(min_lon, min_lat), point(max_lon, max_lat))"
			     " && box(point(17.9, 59.2), point(18.1, 59.4))"), 1);
	exec_ok(db, "UPDATE cards SET state = 4");
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM card_counts WHERE state = 4 AND n = 1"), 3);
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM card_counts WHERE state = 1 AND n = 0"), 3);
	exec_ok(db, "DELETE FROM cards");
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM card_geo"), 0);
	cr_assert_eq(one(db, "SELECT project_id FROM card_dirty_projects"), 9);
	cr_assert_eq(one(db, "SELECT SUM(n) FROM card_counts"), 0);
}

Test(pg_migrations, usernames_compare_without_case)
{
	exec_ok(db, "INSERT INTO users(uuid, kind, username) VALUES ('u1', 'operator', 'Anna')");
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM users WHERE username = 'aNNA'"), 1);
	/* unique among live users without regard to case, as SQLite's NOCASE index */
	error_init(&err, arena);
	cr_assert_lt(db_exec(db, "INSERT INTO users(uuid, kind, username) VALUES ('u2', 'operator', 'ANNA')", &err), 0);
	exec_ok(db, "UPDATE users SET deleted_at = 'x'");
	exec_ok(db, "INSERT INTO users(uuid, kind, username) VALUES ('u3', 'operator', 'ANNA')");
}

/* 0031: every table but the job queue and the login counters tells other processes it changed. */
Test(pg_migrations, every_table_notifies_its_changes)
{
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM information_schema.tables t WHERE t.table_schema = current_schema()"
			     " AND t.table_type = 'BASE TABLE'"
			     " AND t.table_name NOT IN ('jobs', 'rate_hits', 'login_failures', 'schema_migrations')"
			     " AND NOT EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid"
			     " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = t.table_schema"
			     " AND c.relname = t.table_name AND g.tgname = t.table_name || '_changed' AND g.tgenabled = 'O')"),
		     0, "a table without its rentd_changes trigger (a later migration must add it)");
	cr_assert_eq(one(db, "SELECT COUNT(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid"
			     " WHERE c.relname IN ('jobs', 'rate_hits', 'login_failures') AND g.tgname LIKE '%\\_changed'"),
		     0);
}
