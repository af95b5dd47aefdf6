/*
 * test_store_copy.c — `rentd copy`'s parts that need no PostgreSQL (store/store_copy.h): the
 * checksum, the copying order, and the refusals about the source. The copy itself, into a real
 * PostgreSQL, is tests/pg/test_pg_copy.py.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/log.h"
#include "store/db.h"
#include "store/store.h"
#include "store/store_copy.h"

static struct arena *arena;
static struct error err;
static char dir[64];
static char dbpath[128];

static void setup(void)
{
	log_set_level(LOG_OFF);
	cr_assert(sodium_init() >= 0);
	arena = arena_create(4096);
	error_init(&err, arena);
	snprintf(dir, sizeof(dir), "/tmp/rentd-copy-test-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(dbpath, sizeof(dbpath), "%s/source.db", dir);
}

static void teardown(void)
{
	char p[160];
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", dbpath, suffixes[i]);
		unlink(p);
	}
	rmdir(dir);
	arena_destroy(arena);
}

TestSuite(store_copy, .init = setup, .fini = teardown);

/* A table's sum of rows, each a list of values (NULL pointer: SQL NULL). */
static void add_row(struct store_copy_sum *s, const char *const *values, size_t n)
{
	struct store_copy_row r;
	store_copy_row_begin(&r);
	for (size_t i = 0; i < n; i++)
		store_copy_row_value(&r, values[i], values[i] ? strlen(values[i]) : 0);
	store_copy_row_end(&r, s);
}

Test(store_copy, checksum_does_not_depend_on_row_order)
{
	const char *a[] = { "1", "apple" }, *b[] = { "2", "Banana" }, *c[] = { "3", "cherry" };
	struct store_copy_sum x = { 0 }, y = { 0 };
	char hx[17], hy[17];

	add_row(&x, a, 2);
	add_row(&x, b, 2);
	add_row(&x, c, 2);
	add_row(&y, c, 2);
	add_row(&y, a, 2);
	add_row(&y, b, 2);
	cr_assert(store_copy_sum_eq(&x, &y));
	cr_assert_eq(x.rows, 3);
	store_copy_sum_hex(&x, hx);
	store_copy_sum_hex(&y, hy);
	cr_assert_str_eq(hx, hy);
	cr_assert_eq(strlen(hx), 16);
}

Test(store_copy, checksum_sees_every_difference)
{
	const char *base[] = { "1", "ab", "c" };
	const char *moved[] = { "1", "a", "bc" };  /* the same bytes, another split */
	const char *null[] = { "1", "ab", NULL };  /* NULL is not '' */
	const char *empty[] = { "1", "ab", "" };
	const char *other[] = { "1", "ab", "d" };
	const char *const *rows[] = { base, moved, null, empty, other };
	struct store_copy_sum sums[5];

	memset(sums, 0, sizeof(sums));
	for (size_t i = 0; i < 5; i++)
		add_row(&sums[i], rows[i], 3);
	for (size_t i = 0; i < 5; i++)
		for (size_t j = i + 1; j < 5; j++)
			cr_assert(!store_copy_sum_eq(&sums[i], &sums[j]), "rows %zu and %zu hash alike", i, j);
}

Test(store_copy, checksum_counts_a_duplicate_and_a_missing_row)
{
	const char *a[] = { "k", "1" }, *b[] = { "k", "2" };
	struct store_copy_sum two = { 0 }, three = { 0 }, one = { 0 };

	/* a table without a primary key (rate_hits) may hold a row twice: the sum counts it twice */
	add_row(&two, a, 2);
	add_row(&two, b, 2);
	add_row(&three, a, 2);
	add_row(&three, a, 2);
	add_row(&three, b, 2);
	add_row(&one, b, 2);
	cr_assert(!store_copy_sum_eq(&two, &three));
	cr_assert(!store_copy_sum_eq(&two, &one));
	one.rows = 2; /* the same count, a row short: the sum still differs */
	cr_assert(!store_copy_sum_eq(&two, &one));
}

Test(store_copy, the_sum_carries_across_bytes)
{
	struct store_copy_sum s = { 0 };
	const char *v[] = { "x" };
	struct store_copy_row r;
	unsigned char d[32];

	memset(s.sum, 0xff, sizeof(s.sum));
	add_row(&s, v, 1);
	/* 2^256 - 1 + d = d - 1 (mod 2^256) */
	store_copy_row_begin(&r);
	store_copy_row_value(&r, "x", 1);
	crypto_hash_sha256_final(&r.st, d);
	for (int i = 0; i < 32; i++) {
		if (d[i]--)
			break;
	}
	cr_assert_eq(memcmp(s.sum, d, 32), 0);
}

Test(store_copy, parents_come_first)
{
	/* 0 apartments → 2 estates → 1 companies; 3 offices → 1 companies */
	const size_t edges[][2] = { { 0, 2 }, { 2, 1 }, { 3, 1 }, { 2, 3 } };
	size_t order[4];
	bool backward[4];

	store_copy_order(4, edges, 4, order, backward);
	cr_assert_eq(order[0], 1);
	cr_assert_eq(order[1], 3);
	cr_assert_eq(order[2], 2);
	cr_assert_eq(order[3], 0);
	for (size_t e = 0; e < 4; e++)
		cr_assert(!backward[e], "edge %zu", e);
}

Test(store_copy, cycles_and_self_references_are_deferred)
{
	/* 0 companies ⇄ 1 users (owner_user_id, company_id); 2 offices → 2 (parent) and → 0 */
	const size_t edges[][2] = { { 0, 1 }, { 1, 0 }, { 2, 2 }, { 2, 0 } };
	size_t order[3];
	bool backward[4];

	store_copy_order(3, edges, 4, order, backward);
	cr_assert_eq(order[0], 0); /* the cycle broken at the lowest index */
	cr_assert_eq(order[1], 1);
	cr_assert_eq(order[2], 2);
	cr_assert(backward[0]);  /* companies → users: users come later */
	cr_assert(!backward[1]);
	cr_assert(backward[2]);  /* the self-reference */
	cr_assert(!backward[3]);
}

static int copy_to(const char *from, const char *to, struct store_copy_result *res)
{
	error_init(&err, arena);
	return store_copy(from, to, arena, NULL, NULL, res, &err);
}

Test(store_copy, refuses_a_missing_source_without_creating_it)
{
	struct store_copy_result res;

	cr_assert_eq(copy_to(dbpath, "postgresql://nobody@/x?host=/nonexistent", &res), -1);
	cr_assert(strstr(err.message, "is not a file"), "%s", err.message);
	cr_assert_eq(access(dbpath, F_OK), -1, "the copy created its source");
	cr_assert_eq(res.ntables, 0);
}

Test(store_copy, refuses_a_database_that_is_not_rentd)
{
	struct store_copy_result res;
	struct db *db;

	cr_assert_eq(db_open(dbpath, &db, &err), 0);
	cr_assert_eq(db_exec(db, "CREATE TABLE t (x INTEGER)", &err), 0);
	db_close(db);
	cr_assert_eq(copy_to(dbpath, "postgresql://nobody@/x?host=/nonexistent", &res), -1);
	cr_assert(strstr(err.message, "is not a rentd database"), "%s", err.message);
}

Test(store_copy, refuses_a_source_behind_the_latest_schema)
{
	struct store_copy_result res;
	struct store *s;
	struct db *db;
	int applied;
	char sql[128];

	cr_assert_eq(store_open(dbpath, &s, &err), 0);
	cr_assert_eq(store_migrate(s, &applied, &err), 0);
	store_close(s);
	cr_assert_eq(db_open(dbpath, &db, &err), 0);
	snprintf(sql, sizeof(sql), "DELETE FROM schema_migrations WHERE version = %lld", (long long)store_schema_latest());
	cr_assert_eq(db_exec(db, sql, &err), 0);
	db_close(db);
	cr_assert_eq(copy_to(dbpath, "postgresql://nobody@/x?host=/nonexistent", &res), -1);
	cr_assert(strstr(err.message, "run rentd migrate"), "%s", err.message);
}

Test(store_copy, refuses_a_destination_that_is_not_postgresql)
{
	struct store_copy_result res;
	char other[160];

	snprintf(other, sizeof(other), "%s/other.db", dir);
	cr_assert_eq(copy_to(dbpath, other, &res), -1);
	cr_assert(strstr(err.message, "postgresql://"), "%s", err.message);
	cr_assert_eq(access(other, F_OK), -1);
}

Test(store_copy, an_unreachable_destination_fails_and_leaves_the_source_alone)
{
	struct store_copy_result res;
	struct store *s;
	int applied;
	int64_t version;

	cr_assert_eq(store_open(dbpath, &s, &err), 0);
	cr_assert_eq(store_migrate(s, &applied, &err), 0);
	store_close(s);
	cr_assert_eq(copy_to(dbpath, "postgresql://nobody@/x?host=/nonexistent&connect_timeout=2", &res), -1);
	cr_assert_eq(err.kind, ERROR_UNAVAILABLE, "%s", err.message);
	cr_assert_eq(store_open(dbpath, &s, &err), 0);
	cr_assert_eq(store_schema_version(s, &version, &err), 0);
	cr_assert_eq(version, store_schema_latest());
	store_close(s);
}
