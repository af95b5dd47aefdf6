/*
 * test_store.c — opening, migrating, transactions and the statement interface (SQLite).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/log.h"
#include "store/db.h"
#include "store/migrations.h"
#include "store/store.h"
#include "store/listings/store_cards.h"

static struct arena *arena;
static struct error err;
static char dir[64];
static char dbpath[128];
static struct store *st;

static void setup(void)
{
	log_set_level(LOG_OFF);
	arena = arena_create(4096);
	error_init(&err, arena);
	snprintf(dir, sizeof(dir), "/tmp/rentd-store-test-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(dbpath, sizeof(dbpath), "%s/test.db", dir);
	st = NULL;
}

static void remove_db_files(void)
{
	char p[160];
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", dbpath, suffixes[i]);
		unlink(p);
	}
}

static void teardown(void)
{
	store_close(st);
	remove_db_files();
	rmdir(dir);
	arena_destroy(arena);
}

TestSuite(store, .init = setup, .fini = teardown);

static const char *errmsg(void)
{
	return err.message ? err.message : "(no message)";
}

static void open_store(void)
{
	cr_assert_eq(store_open(dbpath, &st, &err), 0, "store_open: %s", errmsg());
	cr_assert_not_null(st);
	cr_assert_eq(err.kind, ERROR_NONE);
}

static struct db *migrated_db(void)
{
	int applied = -1;
	open_store();
	cr_assert_eq(store_migrate(st, &applied, &err), 0, "migrate: %s", errmsg());
	struct db *db = store_db(st, &err);
	cr_assert_not_null(db);
	return db;
}

/* COUNT(*) of a table through a cached statement (sql must be a literal). */
static int64_t count_rows(struct db *db, const char *sql)
{
	struct db_stmt *s = db_prepare(db, sql, &err);
	cr_assert_not_null(s, "prepare %s: %s", sql, errmsg());
	cr_assert_eq(db_step(s, &err), DB_ROW, "step %s: %s", sql, errmsg());
	int64_t n = db_col_int(s, 0);
	db_reset(s);
	return n;
}

static const char sql_count_t[] = "SELECT COUNT(*) FROM t";

static void make_table(struct db *db)
{
	cr_assert_eq(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, score REAL)", &err),
		     0, "%s", errmsg());
}

static int insert_t(struct db *db, int64_t id, const char *name)
{
	static const char sql[] = "INSERT INTO t(id, name) VALUES (?1, ?2)";
	struct db_stmt *s = db_prepare(db, sql, &err);
	cr_assert_not_null(s, "%s", errmsg());
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, str_from_cstr(name));
	int rc = db_step(s, &err);
	if (rc >= 0)
		db_reset(s);
	return rc;
}

/* ---- opening and migrations ---- */

/* What rentd prints or logs of --database: never a PostgreSQL URL's password. */
Test(store, database_shown_hides_a_urls_password)
{
	char out[256];
	const struct {
		const char *in, *want;
	} cases[] = {
		{ "var/rentd.db", "var/rentd.db" },
		{ "/srv/a:b@c.db", "/srv/a:b@c.db" }, /* a file name is a file name */
		{ "postgresql://rentd@db1/rentd", "postgresql://rentd@db1/rentd" },
		{ "postgresql://rentd:s3cr%40t@db1:5432/rentd", "postgresql://rentd:***@db1:5432/rentd" },
		{ "postgres://u:p@pg1,pg2/r?target_session_attrs=read-write",
		  "postgres://u:***@pg1,pg2/r?target_session_attrs=read-write" },
		{ "postgresql:///rentd?host=/tmp&password=hunter2&port=5432",
		  "postgresql:///rentd?host=/tmp&password=***&port=5432" },
		{ "postgresql://u@h/d?password=x", "postgresql://u@h/d?password=***" },
		{ "postgresql://h/d?sslpassword=x&sslmode=require", "postgresql://h/d?sslpassword=***&sslmode=require" },
		{ "postgresql://h/d?application_name=password", "postgresql://h/d?application_name=password" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(store_database_shown(cases[i].in, out, sizeof(out)), cases[i].want, "%s", cases[i].in);
	/* too small a buffer cuts the text, never shows more of the password */
	store_database_shown("postgresql://u:secretsecret@h/d", out, 20);
	cr_expect_null(strstr(out, "secret"), "%s", out);
}

Test(store, open_creates_file_and_reports_backend)
{
	open_store();
	cr_assert_str_eq(store_backend(st), "sqlite");
	struct stat sb;
	cr_assert_eq(stat(dbpath, &sb), 0, "database file was not created");
}

Test(store, empty_database_is_version_zero)
{
	int64_t v = -1;
	open_store();
	/* before the first migration there is not even a schema_migrations table */
	cr_assert_eq(store_schema_version(st, &v, &err), 0, "%s", errmsg());
	cr_assert_eq(v, 0);
	cr_assert_eq(err.kind, ERROR_NONE);
}

Test(store, migrate_applies_all_then_nothing)
{
	int applied = -1;
	int64_t v = -1;
	open_store();
	cr_assert_eq(store_migrate(st, &applied, &err), 0, "migrate: %s", errmsg());
	cr_assert_eq(applied, (int)store_migrations_sqlite_count);
	cr_assert_gt(applied, 0);
	cr_assert_eq(store_schema_version(st, &v, &err), 0, "%s", errmsg());
	cr_assert_eq(v, store_schema_latest());

	applied = -1;
	cr_assert_eq(store_migrate(st, &applied, &err), 0, "second migrate: %s", errmsg());
	cr_assert_eq(applied, 0, "second run applied %d", applied);
	cr_assert_eq(store_schema_version(st, &v, &err), 0);
	cr_assert_eq(v, store_schema_latest());
	cr_assert_eq(err.kind, ERROR_NONE);
}

/* What the migrations wrote is in the database file, not waiting in the write-ahead log (store_migrate's checkpoint). */
Test(store, migrate_leaves_the_log_empty)
{
	int applied = -1;
	char wal[160];
	struct stat sb;

	open_store();
	cr_assert_eq(store_migrate(st, &applied, &err), 0, "%s", errmsg());
	cr_assert_gt(applied, 0);
	snprintf(wal, sizeof(wal), "%s-wal", dbpath);
	/* the connection is still open, so the log file exists; truncated to nothing */
	cr_assert_eq(stat(wal, &sb), 0, "no %s", wal);
	cr_assert_eq(sb.st_size, 0, "%lld bytes still in the log", (long long)sb.st_size);
}

Test(store, migrate_is_idempotent_across_reopen)
{
	int applied = -1;
	open_store();
	cr_assert_eq(store_migrate(st, &applied, &err), 0, "%s", errmsg());
	store_close(st);
	st = NULL;
	open_store();
	cr_assert_eq(store_migrate(st, &applied, &err), 0, "%s", errmsg());
	cr_assert_eq(applied, 0);
	int64_t v = 0;
	cr_assert_eq(store_schema_version(st, &v, &err), 0);
	cr_assert_eq(v, store_schema_latest());
}

Test(store, migrations_are_numbered_and_recorded)
{
	struct db *db = migrated_db();
	cr_assert_eq(store_schema_latest(), store_migrations_sqlite[store_migrations_sqlite_count - 1].version);
	for (size_t i = 1; i < store_migrations_sqlite_count; i++)
		cr_assert_gt(store_migrations_sqlite[i].version, store_migrations_sqlite[i - 1].version);
	cr_assert_eq(count_rows(db, "SELECT COUNT(*) FROM schema_migrations"), (int64_t)store_migrations_sqlite_count);

	static const char sql[] = "SELECT name FROM schema_migrations WHERE version = 1";
	struct db_stmt *s = db_prepare(db, sql, &err);
	cr_assert_not_null(s);
	cr_assert_eq(db_step(s, &err), DB_ROW);
	cr_assert(str_eq_cstr(db_col_text(s, 0), store_migrations_sqlite[0].name));
	db_reset(s);
}

Test(store, system_settings_has_instance_id)
{
	struct db *db = migrated_db();
	static const char sql[] = "SELECT value FROM system_settings WHERE key = ?1";
	struct db_stmt *s = db_prepare(db, sql, &err);
	cr_assert_not_null(s, "%s", errmsg());
	db_bind_text(s, 1, STR_LIT("instance_id"));
	cr_assert_eq(db_step(s, &err), DB_ROW, "no instance_id row: %s", errmsg());
	struct str v = db_col_text(s, 0);
	cr_assert_eq(v.len, 32, "instance_id should be 16 random bytes in hex, got %zu chars", v.len);
	for (size_t i = 0; i < v.len; i++)
		cr_assert(strchr("0123456789abcdef", v.ptr[i]) != NULL);
	cr_assert_not(db_col_is_null(s, 0));
	cr_assert_eq(db_step(s, &err), DB_DONE, "exactly one row");
	db_reset(s);
}

/* ---- statements ---- */

Test(store, bind_and_read_every_type)
{
	struct db *db = migrated_db();
	static const char sql[] = "SELECT ?1, ?2, ?3, ?4, ?5";
	struct db_stmt *s = db_prepare(db, sql, &err);
	cr_assert_not_null(s);
	db_bind_int(s, 1, INT64_MIN);
	db_bind_double(s, 2, 2.5);
	db_bind_text(s, 3, (struct str){ "abcdef", 3 }); /* only the slice is bound */
	db_bind_text(s, 4, STR_NULL);
	db_bind_null(s, 5);
	cr_assert_eq(db_step(s, &err), DB_ROW);
	cr_assert_eq(db_col_int(s, 0), INT64_MIN);
	cr_assert_eq(db_col_double(s, 1), 2.5);
	cr_assert(str_eq_cstr(db_col_text(s, 2), "abc"));
	cr_assert(db_col_is_null(s, 3));
	cr_assert_null(db_col_text(s, 3).ptr);
	cr_assert(db_col_is_null(s, 4));
	cr_assert_not(db_col_is_null(s, 0));
	cr_assert_eq(db_step(s, &err), DB_DONE);
	db_reset(s);

	/* reset clears bindings: the same statement now yields NULLs */
	cr_assert_eq(db_step(s, &err), DB_ROW);
	cr_assert(db_col_is_null(s, 0));
	cr_assert(db_col_is_null(s, 2));
	db_reset(s);
}

/* Counts the rows of "VALUES (1),(2),(3),(5)" / ('a'),('b "q"') the array picks. */
static int64_t count_in_array(struct db *db, const char *sql, const int64_t *ints, const struct str *texts,
			      size_t n)
{
	struct db_stmt *s = db_prepare(db, sql, &err);
	int64_t c;
	cr_assert_not_null(s, "%s", errmsg());
	if (texts)
		db_bind_text_array(s, 1, texts, n);
	else
		db_bind_int_array(s, 1, ints, n);
	cr_assert_eq(db_step(s, &err), DB_ROW, "%s", errmsg());
	c = db_col_int(s, 0);
	db_reset(s);
	return c;
}

Test(store, array_parameters_in_the_portable_form)
{
	struct db *db = migrated_db();
	static const char ints_sqlite[] =
		"WITH v(x) AS (VALUES (1),(2),(3),(5)) SELECT count(*) FROM v WHERE x = ANY(?1)";
	static const char optional[] =
		"WITH v(x) AS (VALUES (1),(2),(3),(5)) SELECT count(*) FROM v WHERE ?1 IS NULL OR x = ANY(?1)";
	static const char texts_sql[] =
		"WITH v(x) AS (VALUES ('a'),('b \"q\"'),('c')) SELECT count(*) FROM v WHERE x = ANY(?1)";
	const int64_t ids[] = { 5, 1, 4, INT64_MAX };
	const struct str names[] = { STR_LIT("b \"q\""), STR_LIT("c"), STR_LIT("ä") };

	cr_assert_eq(count_in_array(db, ints_sqlite, ids, NULL, 4), 2);
	cr_assert_eq(count_in_array(db, ints_sqlite, ids, NULL, 0), 0, "an empty array matches nothing");
	cr_assert_eq(count_in_array(db, optional, NULL, NULL, 0), 4, "NULL: the filter is off");
	cr_assert_eq(count_in_array(db, optional, ids, NULL, 1), 1);
	cr_assert_eq(count_in_array(db, texts_sql, NULL, names, 3), 2, "quotes escaped, UTF-8 kept");
}

/* db_open() hands PostgreSQL URIs to the libpq backend (tests/pg/ tests it against a real server) */
Test(store, a_postgresql_uri_goes_to_postgresql_not_to_a_file)
{
	struct db *db = NULL;
	cr_assert_eq(db_open("postgres://rentd@127.0.0.1:1/rentd", &db, &err), -1);
	cr_assert_null(db);
	cr_assert_eq(err.kind, ERROR_UNAVAILABLE);
	cr_assert_not_null(strstr(errmsg(), "cannot connect to PostgreSQL"), "%s", errmsg());
	cr_assert_eq(access("postgres:", F_OK), -1, "no file named after the URI");
}

Test(store, statement_cache_returns_same_statement)
{
	struct db *db = migrated_db();
	static const char sql_a[] = "SELECT 1";
	static const char sql_b[] = "SELECT 1"; /* same text, different literal */
	struct db_stmt *a1 = db_prepare(db, sql_a, &err);
	cr_assert_not_null(a1);
	db_reset(a1);
	struct db_stmt *a2 = db_prepare(db, sql_a, &err);
	cr_assert_eq(a1, a2, "the same SQL literal must give the cached statement");
	cr_assert_eq(db_step(a2, &err), DB_ROW);
	cr_assert_eq(db_col_int(a2, 0), 1);
	db_reset(a2);
	struct db_stmt *b = db_prepare(db, sql_b, &err);
	cr_assert_not_null(b);
	cr_assert_neq(a1, b, "a different literal is a different cache entry");
	db_reset(b);
}

static char many_sql[300][32]; /* static storage: the cache keys on the address */

Test(store, statement_cache_overflow_still_works)
{
	struct db *db = migrated_db();
	/* more distinct literals than the cache holds: each must still prepare and run */
	char (*sqls)[32] = many_sql;
	for (int i = 0; i < 300; i++)
		snprintf(sqls[i], sizeof(sqls[i]), "SELECT %d", i);
	for (int i = 0; i < 300; i++) {
		struct db_stmt *s = db_prepare(db, sqls[i], &err);
		cr_assert_not_null(s, "prepare %d: %s", i, errmsg());
		cr_assert_eq(db_step(s, &err), DB_ROW);
		cr_assert_eq(db_col_int(s, 0), i);
		db_reset(s);
	}
	/* and the early ones are still cached and correct */
	struct db_stmt *s = db_prepare(db, sqls[3], &err);
	cr_assert_eq(db_step(s, &err), DB_ROW);
	cr_assert_eq(db_col_int(s, 0), 3);
	db_reset(s);
}

Test(store, bad_sql_is_internal_error)
{
	struct db *db = migrated_db();
	static const char sql[] = "SELEC nonsense";
	cr_assert_null(db_prepare(db, sql, &err));
	cr_assert_eq(err.kind, ERROR_INTERNAL);
	cr_assert_not_null(err.message);
	/* a failed prepare is not cached: the next try fails again rather than returning junk */
	error_init(&err, arena);
	cr_assert_null(db_prepare(db, sql, &err));
	cr_assert_eq(err.kind, ERROR_INTERNAL);
	error_init(&err, arena);
	cr_assert_lt(db_exec(db, "CREATE TABLE", &err), 0);
	cr_assert_eq(err.kind, ERROR_INTERNAL);
}

Test(store, changes_counts_rows)
{
	struct db *db = migrated_db();
	make_table(db);
	cr_assert_eq(insert_t(db, 1, "a"), DB_DONE);
	cr_assert_eq(db_changes(db), 1);
	cr_assert_eq(insert_t(db, 2, "b"), DB_DONE);
	cr_assert_eq(db_exec(db, "UPDATE t SET score = 1", &err), 0);
	cr_assert_eq(db_changes(db), 2);
}

/* ---- errors ---- */

Test(store, unique_violation_is_conflict)
{
	struct db *db = migrated_db();
	make_table(db);
	cr_assert_eq(insert_t(db, 1, "anna"), DB_DONE, "%s", errmsg());
	cr_assert_eq(insert_t(db, 2, "anna"), -1);
	cr_assert_eq(err.kind, ERROR_CONFLICT, "kind %s: %s", error_kind_name(err.kind), errmsg());
	error_init(&err, arena);
	cr_assert_eq(insert_t(db, 1, "bert"), -1, "primary key violation");
	cr_assert_eq(err.kind, ERROR_CONFLICT);
	/* the statement was reset on failure and can be used again */
	error_init(&err, arena);
	cr_assert_eq(insert_t(db, 3, "carl"), DB_DONE, "%s", errmsg());
	cr_assert_eq(count_rows(db, sql_count_t), 2);
}

Test(store, unique_violation_in_exec_is_conflict)
{
	struct db *db = migrated_db();
	make_table(db);
	cr_assert_eq(db_exec(db, "INSERT INTO t(name) VALUES ('x')", &err), 0);
	cr_assert_lt(db_exec(db, "INSERT INTO t(name) VALUES ('x')", &err), 0);
	cr_assert_eq(err.kind, ERROR_CONFLICT);
}

Test(store, foreign_key_violation_is_conflict)
{
	struct db *db = migrated_db();
	cr_assert_eq(db_exec(db, "CREATE TABLE p (id INTEGER PRIMARY KEY);"
				 "CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER NOT NULL REFERENCES p(id));",
			     &err), 0, "%s", errmsg());
	cr_assert_lt(db_exec(db, "INSERT INTO c(p) VALUES (42)", &err), 0, "foreign keys must be enforced");
	cr_assert_eq(err.kind, ERROR_CONFLICT);
}

Test(store, not_null_violation_is_conflict)
{
	struct db *db = migrated_db();
	make_table(db);
	cr_assert_lt(db_exec(db, "INSERT INTO t(id) VALUES (1)", &err), 0);
	cr_assert_eq(err.kind, ERROR_CONFLICT);
}

/* ---- transactions ---- */

Test(store, commit_keeps_rows)
{
	struct db *db = migrated_db();
	make_table(db);
	cr_assert_eq(db_begin(db, &err), 0, "%s", errmsg());
	cr_assert_eq(insert_t(db, 1, "a"), DB_DONE);
	cr_assert_eq(db_commit(db, &err), 0, "%s", errmsg());
	cr_assert_eq(count_rows(db, sql_count_t), 1);
}

Test(store, rollback_leaves_no_trace)
{
	struct db *db = migrated_db();
	make_table(db);
	cr_assert_eq(insert_t(db, 1, "before"), DB_DONE);
	cr_assert_eq(db_begin(db, &err), 0, "%s", errmsg());
	cr_assert_eq(insert_t(db, 2, "a"), DB_DONE);
	cr_assert_eq(insert_t(db, 3, "b"), DB_DONE);
	cr_assert_eq(db_exec(db, "UPDATE t SET name = 'changed' WHERE id = 1", &err), 0);
	cr_assert_eq(count_rows(db, sql_count_t), 3);
	db_rollback(db);
	cr_assert_eq(count_rows(db, sql_count_t), 1);
	cr_assert_eq(count_rows(db, "SELECT COUNT(*) FROM t WHERE name = 'before'"), 1);
	/* a rollback outside a transaction is harmless */
	db_rollback(db);
	cr_assert_eq(count_rows(db, sql_count_t), 1);
}

Test(store, failing_exec_inside_transaction_rolls_back)
{
	struct db *db = migrated_db();
	make_table(db);
	cr_assert_eq(db_begin(db, &err), 0, "%s", errmsg());
	cr_assert_eq(insert_t(db, 1, "a"), DB_DONE);
	cr_assert_lt(db_exec(db, "INSERT INTO t(name) VALUES ('ok'); INSERT INTO t(name) VALUES ('a')", &err), 0);
	cr_assert_eq(err.kind, ERROR_CONFLICT);
	db_rollback(db);
	cr_assert_eq(count_rows(db, sql_count_t), 0, "nothing of the failed transaction may remain");
	/* the connection is usable for a new transaction afterwards */
	error_init(&err, arena);
	cr_assert_eq(db_begin(db, &err), 0, "%s", errmsg());
	cr_assert_eq(insert_t(db, 5, "z"), DB_DONE);
	cr_assert_eq(db_commit(db, &err), 0);
	cr_assert_eq(count_rows(db, sql_count_t), 1);
}

Test(store, syntax_error_inside_transaction_rolls_back)
{
	struct db *db = migrated_db();
	make_table(db);
	cr_assert_eq(db_begin(db, &err), 0);
	cr_assert_eq(insert_t(db, 1, "a"), DB_DONE);
	cr_assert_lt(db_exec(db, "INSERT INTO nosuchtable VALUES (1)", &err), 0);
	cr_assert_eq(err.kind, ERROR_INTERNAL);
	db_rollback(db);
	cr_assert_eq(count_rows(db, sql_count_t), 0);
}

Test(store, nested_begin_fails)
{
	struct db *db = migrated_db();
	cr_assert_eq(db_begin(db, &err), 0);
	cr_assert_lt(db_begin(db, &err), 0, "nesting is not supported and must say so");
	db_rollback(db);
}

Test(store, store_level_transactions)
{
	struct db *db = migrated_db();
	make_table(db);
	cr_assert_eq(store_begin(st, &err), 0, "%s", errmsg());
	cr_assert_eq(insert_t(db, 1, "a"), DB_DONE);
	store_rollback(st);
	cr_assert_eq(count_rows(db, sql_count_t), 0);
	cr_assert_eq(store_begin(st, &err), 0, "%s", errmsg());
	cr_assert_eq(insert_t(db, 1, "a"), DB_DONE);
	cr_assert_eq(store_commit(st, &err), 0, "%s", errmsg());
	cr_assert_eq(count_rows(db, sql_count_t), 1);
}

Test(store, commit_without_begin_fails)
{
	struct db *db = migrated_db();
	cr_assert_lt(db_commit(db, &err), 0);
	cr_assert(error_failed(&err));
}

Test(store, data_survives_reopen)
{
	struct db *db = migrated_db();
	make_table(db);
	cr_assert_eq(insert_t(db, 7, "kept"), DB_DONE);
	store_close(st);
	st = NULL;
	open_store();
	db = store_db(st, &err);
	cr_assert_eq(count_rows(db, "SELECT COUNT(*) FROM t WHERE id = 7 AND name = 'kept'"), 1);
}

/* ---- bad databases ---- */

Test(store, directory_path_is_an_error)
{
	struct store *s = (struct store *)0x1;
	cr_assert_lt(store_open(dir, &s, &err), 0);
	cr_assert_null(s);
	cr_assert(err.kind == ERROR_UNAVAILABLE || err.kind == ERROR_INTERNAL, "kind %s",
		  error_kind_name(err.kind));
	cr_assert_not_null(err.message);
}

Test(store, missing_directory_is_an_error)
{
	struct store *s = (struct store *)0x1;
	char p[160];
	snprintf(p, sizeof(p), "%s/no/such/dir/x.db", dir);
	cr_assert_lt(store_open(p, &s, &err), 0);
	cr_assert_null(s);
	cr_assert_eq(err.kind, ERROR_UNAVAILABLE, "kind %s", error_kind_name(err.kind));
	cr_assert_not_null(strstr(err.message, "cannot open"), "%s", err.message);
}

Test(store, not_a_database_file_is_an_error)
{
	FILE *f = fopen(dbpath, "wb");
	cr_assert_not_null(f);
	for (int i = 0; i < 512; i++)
		fputs("this is not sqlite ", f);
	fclose(f);
	struct store *s = (struct store *)0x1;
	cr_assert_lt(store_open(dbpath, &s, &err), 0);
	cr_assert_null(s);
	cr_assert(error_failed(&err));
}

/* store_open() takes PostgreSQL URLs (tests/pg/ migrates a real server); an unreachable one fails at open */
Test(store, unreachable_postgresql_url_fails_at_open)
{
	struct store *s = (struct store *)0x1;
	cr_assert_lt(store_open("postgresql://user@127.0.0.1:1/rentd", &s, &err), 0);
	cr_assert_null(s);
	cr_assert_eq(err.kind, ERROR_UNAVAILABLE);
	cr_assert_not_null(strstr(err.message, "cannot connect to PostgreSQL"), "%s", err.message);
	error_init(&err, arena);
	cr_assert_lt(store_open("postgres://127.0.0.1:1", &s, &err), 0);
	cr_assert_null(s);
	/* nothing was created under a file name that looks like a URL */
	cr_assert_neq(access("postgresql:", F_OK), 0);
}

Test(store, close_null_is_noop)
{
	store_close(NULL);
	cr_assert(1);
}

/* ---- threads ---- */

struct thread_result {
	struct store *store;
	struct db *db;
	struct db *db_again;
	int64_t version;
	int rc;
};

static void *thread_main(void *arg)
{
	struct thread_result *tr = arg;
	struct arena *ta = arena_create(1024);
	struct error te;
	error_init(&te, ta);
	tr->db = store_db(tr->store, &te);
	tr->db_again = store_db(tr->store, &te);
	tr->rc = store_schema_version(tr->store, &tr->version, &te);
	arena_destroy(ta);
	return NULL;
}

Test(store, each_thread_gets_its_own_connection)
{
	struct db *main_db = migrated_db();
	struct thread_result a = { .store = st }, b = { .store = st };
	pthread_t ta, tb;

	cr_assert_eq(pthread_create(&ta, NULL, thread_main, &a), 0);
	cr_assert_eq(pthread_join(ta, NULL), 0);
	cr_assert_eq(pthread_create(&tb, NULL, thread_main, &b), 0);
	cr_assert_eq(pthread_join(tb, NULL), 0);

	cr_assert_not_null(a.db);
	cr_assert_not_null(b.db);
	cr_assert_eq(a.db, a.db_again, "a thread keeps its connection");
	cr_assert_eq(b.db, b.db_again);
	cr_assert_neq(a.db, b.db, "two threads must not share a connection");
	cr_assert_neq(a.db, main_db);
	cr_assert_neq(b.db, main_db);
	cr_assert_eq(store_db(st, &err), main_db, "the main thread still has its own");
	cr_assert_eq(a.rc, 0);
	cr_assert_eq(b.rc, 0);
	cr_assert_eq(a.version, store_schema_latest());
	cr_assert_eq(b.version, store_schema_latest());
}

Test(store, concurrent_threads_get_distinct_connections)
{
	migrated_db();
	struct thread_result r[4];
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].store = st;
		cr_assert_eq(pthread_create(&t[i], NULL, thread_main, &r[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < 4; i++) {
		cr_assert_not_null(r[i].db);
		cr_assert_eq(r[i].rc, 0);
		for (int j = 0; j < i; j++)
			cr_assert_neq(r[i].db, r[j].db);
	}
}

Test(store, two_stores_in_one_thread_are_separate)
{
	struct db *db1 = migrated_db();
	char p2[160];
	snprintf(p2, sizeof(p2), "%s/second.db", dir);
	struct store *s2 = NULL;
	cr_assert_eq(store_open(p2, &s2, &err), 0, "%s", errmsg());
	struct db *db2 = store_db(s2, &err);
	cr_assert_neq(db1, db2);
	cr_assert_eq(store_db(st, &err), db1);
	int64_t v = -1;
	cr_assert_eq(store_schema_version(s2, &v, &err), 0, "%s", errmsg());
	cr_assert_eq(v, 0, "the second store is not migrated");
	store_close(s2);
	/* the first store is unaffected by closing the second */
	cr_assert_eq(store_db(st, &err), db1);
	error_init(&err, arena);
	cr_assert_eq(store_schema_version(st, &v, &err), 0, "%s", errmsg());
	cr_assert_eq(v, store_schema_latest());
	char q[200];
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(q, sizeof(q), "%s%s", p2, suffixes[i]);
		unlink(q);
	}
}

struct rollback_arg {
	struct store *store;
};

static void *rollback_thread(void *arg)
{
	struct rollback_arg *ra = arg;
	store_rollback(ra->store); /* this thread has no connection and no transaction */
	return NULL;
}

Test(store, rollback_on_thread_without_connection_when_db_is_gone)
{
	open_store();
	/* the database can no longer be opened by a new connection */
	remove_db_files();
	cr_assert_eq(rmdir(dir), 0);
	struct rollback_arg ra = { st };
	pthread_t t;
	cr_assert_eq(pthread_create(&t, NULL, rollback_thread, &ra), 0);
	cr_assert_eq(pthread_join(t, NULL), 0);
	cr_assert(1, "store_rollback must not crash when it cannot open a connection");
}

/* ---- ids are never reused (issue 12, migration 0018) ---- */

/*
 * Tables whose INTEGER PRIMARY KEY is not AUTOINCREMENT, each with its reason. Anything
 * else with such a key must be AUTOINCREMENT: an id given again after a delete lets a
 * stale link or id show another company's row.
 */
static const char *const plain_key_tables[][2] = {
	{ "account_count", "one row (id = 1)" },
	{ "applicant_profiles", "keyed by users.id" },
	{ "card_generation", "one row (id = 1)" },
	{ "cards", "search index rebuilt from listings; the API shows the listing's or project's id" },
	{ "card_docs", "keyed by cards.id" },
	{ "card_dirty_projects", "keyed by projects.id" },
	{ "card_geo_node", "the R*Tree's own table" },
	{ "card_geo_parent", "the R*Tree's own table" },
	{ "card_geo_rowid", "the R*Tree's own table" },
	{ "event_counts", "keyed by companies.id" },
	{ "inventory_estate_counts", "keyed by estates.id" },
	{ "inventory_office_counts", "keyed by offices.id" },
	{ "listing_application_counts", "keyed by object_ads.id" },
	{ "listing_processes", "keyed by object_ads.id" },
	{ "listing_view_generations", "keyed by companies.id" },
	{ "lottery_draws", "keyed by object_ads.id" },
	{ "project_locations", "keyed by projects.id" },
	{ "rejection_reasons", "a fixed reference list: its ids are the API's reason numbers, never deleted" },
	{ "schema_migrations", "keyed by the migration's number" },
};

static bool plain_key_allowed(struct str name)
{
	for (size_t i = 0; i < sizeof(plain_key_tables) / sizeof(plain_key_tables[0]); i++)
		if (str_eq_cstr(name, plain_key_tables[i][0]))
			return true;
	return false;
}

Test(store, every_generated_id_is_autoincrement)
{
	static const char sql[] =
		"SELECT m.name, m.sql LIKE '%AUTOINCREMENT%' FROM sqlite_master m, pragma_table_info(m.name) p"
		" WHERE m.type = 'table' AND p.pk = 1 AND upper(p.type) = 'INTEGER'"
		" AND (SELECT COUNT(*) FROM pragma_table_info(m.name) WHERE pk > 0) = 1 ORDER BY m.name";
	static const char sql_exists[] = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1";
	struct db *db = migrated_db();
	struct db_stmt *s = db_prepare(db, sql, &err);
	int rc, autoincrement = 0;

	cr_assert_not_null(s, "%s", errmsg());
	while ((rc = db_step(s, &err)) == DB_ROW) {
		struct str name = db_col_text(s, 0);
		if (db_col_int(s, 1)) {
			autoincrement++;
			continue;
		}
		cr_expect(plain_key_allowed(name),
			  "table %.*s has an INTEGER PRIMARY KEY without AUTOINCREMENT: deleted ids would be given "
			  "again (make it AUTOINCREMENT, or add it to plain_key_tables with the reason)",
			  STR_FMT(name));
	}
	cr_assert_eq(rc, DB_DONE, "%s", errmsg());
	db_reset(s);
	cr_assert_geq(autoincrement, 25, "estates, apartments, companies, users ... are AUTOINCREMENT");
	/* the allow-list names tables that exist: a renamed table must not hide behind a stale entry */
	for (size_t i = 0; i < sizeof(plain_key_tables) / sizeof(plain_key_tables[0]); i++) {
		s = db_prepare(db, sql_exists, &err);
		db_bind_text(s, 1, str_from_cstr(plain_key_tables[i][0]));
		cr_assert_eq(db_step(s, &err), DB_ROW);
		cr_expect_eq(db_col_int(s, 0), 1, "%s is allowed a plain key but does not exist", plain_key_tables[i][0]);
		db_reset(s);
	}
}

static int64_t company_insert(struct db *db, int64_t id, const char *uuid)
{
	static const char sql_with_id[] = "INSERT INTO companies(id, uuid, name) VALUES (?1, ?2, 'c') RETURNING id";
	static const char sql_new[] = "INSERT INTO companies(uuid, name) VALUES (?2, 'c') RETURNING id";
	struct db_stmt *s = db_prepare(db, id ? sql_with_id : sql_new, &err);
	int64_t got;

	cr_assert_not_null(s, "%s", errmsg());
	if (id)
		db_bind_int(s, 1, id);
	db_bind_text(s, 2, str_from_cstr(uuid));
	cr_assert_eq(db_step(s, &err), DB_ROW, "%s", errmsg());
	got = db_col_int(s, 0);
	db_reset(s);
	return got;
}

/* How often needle occurs in text. */
static int64_t occurrences(const char *text, const char *needle)
{
	int64_t n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The indexes and triggers the migrations after version `after` add (CREATE less DROP). */
static int64_t objects_added_after(int64_t after)
{
	int64_t n = 0;
	for (size_t i = 0; i < store_migrations_sqlite_count; i++) {
		const char *sql = store_migrations_sqlite[i].sql;
		if (store_migrations_sqlite[i].version <= after)
			continue;
		n += occurrences(sql, "CREATE INDEX") + occurrences(sql, "CREATE UNIQUE INDEX") +
		     occurrences(sql, "CREATE TRIGGER") - occurrences(sql, "DROP INDEX") - occurrences(sql, "DROP TRIGGER");
	}
	return n;
}

/* The triggers alone. */
static int64_t triggers_added_after(int64_t after)
{
	int64_t n = 0;
	for (size_t i = 0; i < store_migrations_sqlite_count; i++)
		if (store_migrations_sqlite[i].version > after)
			n += occurrences(store_migrations_sqlite[i].sql, "CREATE TRIGGER") -
			     occurrences(store_migrations_sqlite[i].sql, "DROP TRIGGER");
	return n;
}

/*
 * A database with rows from before migration 0018: the rebuild keeps every row, index and
 * trigger (the later migrations add theirs), the foreign keys hold, and the sequence starts
 * after the largest id.
 */
Test(store, autoincrement_migration_keeps_rows_indexes_and_triggers)
{
	static const char sql_record[] = "INSERT INTO schema_migrations(version, name) VALUES (?1, ?2)";
	static const char sql_objects[] =
		"SELECT COUNT(*) FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL";
	static const char sql_triggers[] = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'";
	int64_t objects_before, triggers_before;
	int applied = -1;
	struct db *db;

	open_store();
	db = store_db(st, &err);
	cr_assert_not_null(db);
	cr_assert_eq(db_exec(db,
			     "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
			     " applied_at TEXT NOT NULL DEFAULT '')",
			     &err),
		     0, "%s", errmsg());
	for (size_t i = 0; i < store_migrations_sqlite_count && store_migrations_sqlite[i].version < 18; i++) {
		struct db_stmt *s;
		cr_assert_eq(db_exec(db, store_migrations_sqlite[i].sql, &err), 0, "%s: %s", store_migrations_sqlite[i].name,
			     errmsg());
		s = db_prepare(db, sql_record, &err);
		db_bind_int(s, 1, store_migrations_sqlite[i].version);
		db_bind_text(s, 2, str_from_cstr(store_migrations_sqlite[i].name));
		cr_assert_eq(db_step(s, &err), DB_DONE, "%s", errmsg());
		db_reset(s);
	}
	cr_assert_eq(company_insert(db, 5, "u5"), 5);
	cr_assert_eq(company_insert(db, 9, "u9"), 9);
	cr_assert_eq(db_exec(db,
			     "INSERT INTO offices(company_id, path, name) VALUES (9, '/', 'root')",
			     &err),
		     0, "%s", errmsg());
	objects_before = count_rows(db, sql_objects);
	triggers_before = count_rows(db, sql_triggers);

	cr_assert_eq(store_migrate(st, &applied, &err), 0, "migrate: %s", errmsg());
	cr_assert_gt(applied, 0);
	cr_assert_eq(count_rows(db, "SELECT COUNT(*) FROM companies"), 2);
	cr_assert_eq(count_rows(db, "SELECT COUNT(*) FROM offices WHERE company_id = 9"), 1);
	cr_assert_eq(count_rows(db, sql_objects), objects_before + objects_added_after(18),
		     "an index or trigger was lost in the rebuild");
	cr_assert_eq(count_rows(db, sql_triggers), triggers_before + triggers_added_after(18));
	cr_assert_eq(count_rows(db, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
	cr_assert_eq(count_rows(db, "SELECT COUNT(*) FROM pragma_foreign_keys WHERE foreign_keys = 1"), 1,
		     "foreign keys are enforced again after the migrations");

	/* the next id follows the largest one, and a deleted id is not given again */
	cr_assert_eq(company_insert(db, 0, "n1"), 10);
	cr_assert_eq(db_exec(db, "DELETE FROM companies WHERE id = 10", &err), 0, "%s", errmsg());
	cr_assert_eq(company_insert(db, 0, "n2"), 11);
}

/* ---- the kept epoch on SQLite (store/store_epoch.c): data_version and this process's writes ---- */

static void bump_generation(struct store *s)
{
	struct db *db = store_db(s, &err);
	struct db_stmt *up;
	cr_assert_not_null(db, "%s", errmsg());
	up = db_prepare(db, "UPDATE card_generation SET value = value + 1 WHERE id = 1", &err);
	cr_assert_not_null(up, "%s", errmsg());
	cr_assert_eq(db_step(up, &err), DB_DONE, "%s", errmsg());
	db_reset(up);
}

Test(store, the_kept_epoch_moves_with_every_write_of_any_connection)
{
	struct store *other = NULL;
	uint64_t e0, e1;
	int64_t g, g2;
	int applied;

	cr_assert_eq(store_open(dbpath, &st, &err), 0, "%s", errmsg());
	cr_assert_eq(store_migrate(st, &applied, &err), 0, "%s", errmsg());
	cr_assert_eq(store_open(dbpath, &other, &err), 0, "%s", errmsg()); /* as another process would */

	e0 = store_kept_epoch(st);
	cr_assert_neq(e0, 0, "SQLite always keeps");
	cr_assert_eq(store_kept_epoch(st), e0, "nothing changed, nothing moves");
	cr_assert_eq(store_cards_generation(st, &g, &err), 0, "%s", errmsg());
	cr_assert_eq(store_cards_generation(st, &g2, &err), 0, "%s", errmsg());
	cr_assert_eq(g2, g);

	bump_generation(other); /* another connection: data_version moves */
	e1 = store_kept_epoch(st);
	cr_assert_neq(e1, e0, "another connection's commit moves the epoch at the next ask");
	cr_assert_eq(store_cards_generation(st, &g2, &err), 0, "%s", errmsg());
	cr_assert_eq(g2, g + 1, "and the kept generation is read anew");

	bump_generation(st); /* this store's own write: its hook */
	cr_assert_neq(store_kept_epoch(st), e1, "this process's write moves it at once");
	cr_assert_eq(store_cards_generation(st, &g2, &err), 0, "%s", errmsg());
	cr_assert_eq(g2, g + 2);

	/* a write transaction moves it once it commits, not before; a rollback never */
	e1 = store_kept_epoch(st);
	cr_assert_eq(store_begin(st, &err), 0, "%s", errmsg());
	bump_generation(st);
	cr_assert_eq(store_kept_epoch(st), e1, "not before the commit");
	cr_assert_eq(store_commit(st, &err), 0, "%s", errmsg());
	cr_assert_neq(store_kept_epoch(st), e1, "at the commit");
	e1 = store_kept_epoch(st);
	cr_assert_eq(store_begin(st, &err), 0, "%s", errmsg());
	bump_generation(st);
	store_rollback(st);
	cr_assert_eq(store_kept_epoch(st), e1, "a rollback");
	cr_assert_eq(store_cards_generation(st, &g2, &err), 0, "%s", errmsg());
	cr_assert_eq(g2, g + 3);

	/* a write read for its RETURNING row and reset (never stepped to its end) moves it too */
	{
		struct db *db = store_db(st, &err);
		struct db_stmt *ret = db_prepare(db, "UPDATE card_generation SET value = value + 1 WHERE id = 1 RETURNING value",
						 &err);
		cr_assert_not_null(ret, "%s", errmsg());
		e1 = store_kept_epoch(st);
		cr_assert_eq(db_step(ret, &err), DB_ROW, "%s", errmsg());
		db_reset(ret);
		cr_assert_neq(store_kept_epoch(st), e1, "a RETURNING write, at its reset");
		cr_assert_eq(store_cards_generation(st, &g2, &err), 0, "%s", errmsg());
		cr_assert_eq(g2, g + 4);
	}
	store_close(other);
}
