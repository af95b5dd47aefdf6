/* base/memo.h: hits only for the exact key and version, bounded values, replacement, threads. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/memo.h"

static struct arena *a;

static void setup(void)
{
	a = arena_create(4096);
}

static void teardown(void)
{
	arena_destroy(a);
}

TestSuite(memo, .init = setup, .fini = teardown);

static struct str S(const char *s)
{
	return str_from_cstr(s);
}

Test(memo, a_value_is_found_under_its_key_and_version_only)
{
	struct memo *m = memo_new(64, 1024);
	struct str out = { 0 };
	size_t hits, misses;

	cr_assert(m);
	cr_assert(!memo_get(m, S("listing:1"), S("v1"), a, &out));
	memo_put(m, S("listing:1"), S("v1"), S("{\"id\":1}"));
	cr_assert(memo_get(m, S("listing:1"), S("v1"), a, &out));
	cr_assert_eq(out.len, 8);
	cr_assert_str_eq(out.ptr, "{\"id\":1}"); /* NUL-terminated copy in the arena */
	cr_assert(!memo_get(m, S("listing:1"), S("v2"), a, &out), "another version is a miss");
	cr_assert(!memo_get(m, S("listing:1"), S("v"), a, &out), "a prefix of the version is a miss");
	cr_assert(!memo_get(m, S("listing:2"), S("v1"), a, &out), "another key is a miss");
	memo_stats(m, &hits, &misses);
	cr_assert_eq(hits, 1);
	cr_assert_eq(misses, 4);
	memo_free(m);
}

Test(memo, a_put_replaces_and_a_new_version_wins)
{
	struct memo *m = memo_new(1, 1024); /* one slot: every key shares it */
	struct str out;

	memo_put(m, S("a"), S("1"), S("first"));
	memo_put(m, S("a"), S("2"), S("second, longer than the first"));
	cr_assert(!memo_get(m, S("a"), S("1"), a, &out));
	cr_assert(memo_get(m, S("a"), S("2"), a, &out));
	cr_assert_str_eq(out.ptr, "second, longer than the first");
	memo_put(m, S("b"), S("1"), S("x"));
	cr_assert(!memo_get(m, S("a"), S("2"), a, &out), "the slot now holds b");
	cr_assert(memo_get(m, S("b"), S("1"), a, &out));
	cr_assert_str_eq(out.ptr, "x");
	memo_free(m);
}

Test(memo, a_value_over_the_bound_is_not_kept)
{
	struct memo *m = memo_new(8, 4);
	struct str out;

	memo_put(m, S("k"), S("1"), S("12345"));
	cr_assert(!memo_get(m, S("k"), S("1"), a, &out));
	memo_put(m, S("k"), S("1"), S("1234"));
	cr_assert(memo_get(m, S("k"), S("1"), a, &out));
	/* an empty value is a value */
	memo_put(m, S("e"), S("1"), (struct str){ "", 0 });
	cr_assert(memo_get(m, S("e"), S("1"), a, &out));
	cr_assert_eq(out.len, 0);
	memo_free(m);
}

Test(memo, binary_keys_and_a_null_memo)
{
	struct memo *m = memo_new(16, 64);
	int64_t k1 = 7, k2 = 7 | (int64_t)1 << 40, v[2] = { 3, 9 };
	struct str out;

	memo_put(m, (struct str){ (const char *)&k1, 8 }, (struct str){ (const char *)v, 16 }, S("seven"));
	cr_assert(!memo_get(m, (struct str){ (const char *)&k2, 8 }, (struct str){ (const char *)v, 16 }, a, &out));
	cr_assert(memo_get(m, (struct str){ (const char *)&k1, 8 }, (struct str){ (const char *)v, 16 }, a, &out));
	v[1] = 10;
	cr_assert(!memo_get(m, (struct str){ (const char *)&k1, 8 }, (struct str){ (const char *)v, 16 }, a, &out));
	memo_free(m);
	/* NULL keeps nothing and never fails */
	memo_put(NULL, S("k"), S("1"), S("v"));
	cr_assert(!memo_get(NULL, S("k"), S("1"), a, &out));
	memo_free(NULL);
}

/* Readers and writers of the same slots at once: a reader sees a whole value of the version it asked for, or nothing. */
struct worker {
	struct memo *m;
	int seed;
	int bad;
};

static void *churn(void *arg)
{
	struct worker *w = arg;
	struct arena *mine = arena_create(1 << 16);
	char key[16], ver[16], val[128];
	struct str out;

	for (int i = 0; i < 20000; i++) {
		int k = (i * 7 + w->seed) % 32, v = i % 5;
		snprintf(key, sizeof(key), "k%d", k);
		snprintf(ver, sizeof(ver), "v%d", v);
		snprintf(val, sizeof(val), "value of %s at %s, padded to make copies take a while ..........", key, ver);
		if (i % 3 == 0)
			memo_put(w->m, S(key), S(ver), S(val));
		else if (memo_get(w->m, S(key), S(ver), mine, &out) && strcmp(out.ptr, val) != 0)
			w->bad++;
		if (i % 1000 == 0)
			arena_reset(mine);
	}
	arena_destroy(mine);
	return NULL;
}

Test(memo, threads_never_see_a_torn_or_foreign_value)
{
	struct memo *m = memo_new(16, 1024);
	struct worker w[4];
	pthread_t t[4];

	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ m, i * 13, 0 };
		cr_assert_eq(pthread_create(&t[i], NULL, churn, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(w[i].bad, 0);
	}
	memo_free(m);
}
