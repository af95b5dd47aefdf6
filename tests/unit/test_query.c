/*
 * test_query.c — query-string parsing and percent-decoding.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "http/query.h"

static struct arena *arena;
static struct error err;
static struct query q;

static void setup(void)
{
	arena = arena_create(4096);
	error_init(&err, arena);
	memset(&q, 0, sizeof(q));
}

static void teardown(void)
{
	arena_destroy(arena);
}

TestSuite(query, .init = setup, .fini = teardown);
TestSuite(url_decode, .init = setup, .fini = teardown);

static void parse_ok(const char *raw)
{
	int rc = query_parse(arena, str_from_cstr(raw), &q, &err);
	cr_assert_eq(rc, 0, "query '%s' failed: %s", raw, err.message ? err.message : "?");
	cr_assert_eq(err.kind, ERROR_NONE);
}

static void parse_bad(const char *raw)
{
	int rc = query_parse(arena, str_from_cstr(raw), &q, &err);
	cr_assert_lt(rc, 0, "query '%s' should fail", raw);
	cr_assert_eq(err.kind, ERROR_MALFORMED, "query '%s': kind %s", raw, error_kind_name(err.kind));
	cr_assert_not_null(err.message);
}

static void assert_pair(size_t i, const char *key, const char *value)
{
	cr_assert_lt(i, q.n);
	cr_assert(str_eq_cstr(q.items[i].key, key), "item %zu key is '%.*s', want '%s'", i,
		  STR_FMT(q.items[i].key), key);
	cr_assert(str_eq_cstr(q.items[i].value, value), "item %zu value is '%.*s', want '%s'", i,
		  STR_FMT(q.items[i].value), value);
}

Test(query, empty)
{
	parse_ok("");
	cr_assert_eq(q.n, 0);
	cr_assert_null(query_get(&q, "a").ptr);
}

Test(query, splits_pairs_in_order)
{
	parse_ok("a=1&b=two&c=3");
	cr_assert_eq(q.n, 3);
	assert_pair(0, "a", "1");
	assert_pair(1, "b", "two");
	assert_pair(2, "c", "3");
}

Test(query, repeated_keys_kept)
{
	parse_ok("id=1&id=2&x=y&id=3");
	cr_assert_eq(q.n, 4);
	assert_pair(0, "id", "1");
	assert_pair(1, "id", "2");
	assert_pair(2, "x", "y");
	assert_pair(3, "id", "3");
	cr_assert(str_eq_cstr(query_get(&q, "id"), "1"), "query_get returns the first value");
}

Test(query, bracket_keys_kept_as_written)
{
	parse_ok("ids[]=1&ids%5B%5D=2");
	cr_assert_eq(q.n, 2);
	assert_pair(0, "ids[]", "1");
	assert_pair(1, "ids[]", "2");
}

Test(query, empty_values)
{
	parse_ok("a=&b=");
	cr_assert_eq(q.n, 2);
	assert_pair(0, "a", "");
	assert_pair(1, "b", "");
	struct str v = query_get(&q, "a");
	cr_assert_not_null(v.ptr, "present-but-empty is not absent");
	cr_assert_eq(v.len, 0);
}

Test(query, keys_without_equals)
{
	parse_ok("flag&a=1&other");
	cr_assert_eq(q.n, 3);
	assert_pair(0, "flag", "");
	assert_pair(1, "a", "1");
	assert_pair(2, "other", "");
	cr_assert_not_null(query_get(&q, "flag").ptr);
	cr_assert_eq(query_get(&q, "flag").len, 0);
}

Test(query, only_first_equals_splits)
{
	parse_ok("expr=a=b&x==");
	cr_assert_eq(q.n, 2);
	assert_pair(0, "expr", "a=b");
	assert_pair(1, "x", "=");
}

Test(query, empty_key)
{
	parse_ok("=v");
	cr_assert_eq(q.n, 1);
	assert_pair(0, "", "v");
}

Test(query, empty_segments_skipped)
{
	parse_ok("&&a=1&&b=2&");
	cr_assert_eq(q.n, 2);
	assert_pair(0, "a", "1");
	assert_pair(1, "b", "2");
}

Test(query, plus_is_space_in_keys_and_values)
{
	parse_ok("first+name=Anna+Maria&q=a%2Bb");
	cr_assert_eq(q.n, 2);
	assert_pair(0, "first name", "Anna Maria");
	assert_pair(1, "q", "a+b");
}

Test(query, percent_decoding)
{
	parse_ok("city=G%C3%B6teborg&s=%20x%20&amp=%26&eq=%3D&hex=%2f%2F&pct=%25");
	cr_assert_eq(q.n, 6);
	assert_pair(0, "city", "G\xC3\xB6teborg");
	assert_pair(1, "s", " x ");
	assert_pair(2, "amp", "&");
	assert_pair(3, "eq", "=");
	assert_pair(4, "hex", "//");
	assert_pair(5, "pct", "%");
}

Test(query, encoded_separators_do_not_split)
{
	parse_ok("a=1%262%3D3");
	cr_assert_eq(q.n, 1);
	assert_pair(0, "a", "1&2=3");
}

Test(query, malformed_escapes)
{
	static const char *const bad[] = {
		"a=%zz", "a=%4", "a=%", "a=%4g", "a=%g4", "a=1%", "%zz=1", "%=1", "a=ok&b=%x1", "a=%%41",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error_init(&err, arena);
		parse_bad(bad[i]);
	}
}

Test(query, malformed_escape_message_names_position)
{
	parse_bad("good=1&bad=%zz");
	cr_assert_not_null(strstr(err.message, "percent"), "%s", err.message);
	cr_assert_not_null(strstr(err.message, "7"), "%s", err.message);
}

Test(query, encoded_nul_rejected)
{
	parse_bad("a=x%00y");
	error_init(&err, arena);
	parse_bad("%00=1");
}

Test(query, max_params_accepted)
{
	struct buf b;
	buf_init(&b, arena, 64);
	for (int i = 0; i < QUERY_MAX_PARAMS; i++)
		buf_printf(&b, "%sk%d=%d", i ? "&" : "", i, i);
	parse_ok(arena_strdup_str(arena, buf_str(&b)));
	cr_assert_eq(q.n, QUERY_MAX_PARAMS);
	assert_pair(0, "k0", "0");
	char key[16], val[16];
	snprintf(key, sizeof(key), "k%d", QUERY_MAX_PARAMS - 1);
	snprintf(val, sizeof(val), "%d", QUERY_MAX_PARAMS - 1);
	assert_pair(QUERY_MAX_PARAMS - 1, key, val);
	cr_assert(str_eq_cstr(query_get(&q, key), val));
}

Test(query, too_many_params_rejected)
{
	struct buf b;
	buf_init(&b, arena, 64);
	for (int i = 0; i < QUERY_MAX_PARAMS + 1; i++)
		buf_printf(&b, "%sk%d=%d", i ? "&" : "", i, i);
	parse_bad(arena_strdup_str(arena, buf_str(&b)));
	cr_assert_not_null(strstr(err.message, "parameters"), "%s", err.message);
}

Test(query, many_repeated_params_rejected)
{
	struct buf b;
	buf_init(&b, arena, 64);
	for (int i = 0; i < 1000; i++)
		buf_append_cstr(&b, "x=1&");
	parse_bad(arena_strdup_str(arena, buf_str(&b)));
}

Test(query, get_absent_and_present)
{
	parse_ok("a=1&b=2");
	cr_assert(str_eq_cstr(query_get(&q, "b"), "2"));
	struct str none = query_get(&q, "c");
	cr_assert_null(none.ptr);
	cr_assert_eq(none.len, 0);
	/* keys are compared exactly: no prefix match, case-sensitive */
	cr_assert_null(query_get(&q, "").ptr);
	cr_assert_null(query_get(&q, "A").ptr);
	cr_assert_null(query_get(&q, "a=1").ptr);
}

Test(query, get_decoded_key)
{
	parse_ok("sort%5Bby%5D=name");
	cr_assert(str_eq_cstr(query_get(&q, "sort[by]"), "name"));
}

Test(query, raw_is_not_nul_terminated)
{
	const char raw[] = "a=1&b=2XXXX";
	cr_assert_eq(query_parse(arena, (struct str){ raw, 7 }, &q, &err), 0);
	cr_assert_eq(q.n, 2);
	assert_pair(1, "b", "2");
}

/* ---- url_decode ---- */

static struct str decode(const char *in, int plus)
{
	struct str out = STR_LIT("unset");
	int rc = url_decode(arena, str_from_cstr(in), plus, &out);
	cr_assert_eq(rc, 0, "url_decode('%s') failed", in);
	return out;
}

Test(url_decode, plain_text_unchanged)
{
	const char *in = "hello-world_1.~";
	struct str out = decode(in, 1);
	cr_assert(str_eq_cstr(out, in));
}

Test(url_decode, empty)
{
	struct str out = decode("", 1);
	cr_assert_eq(out.len, 0);
}

Test(url_decode, plus_handling)
{
	cr_assert(str_eq_cstr(decode("a+b", 1), "a b"));
	cr_assert(str_eq_cstr(decode("a+b", 0), "a+b"));
	cr_assert(str_eq_cstr(decode("a%2Bb", 1), "a+b"));
	cr_assert(str_eq_cstr(decode("a%20b+c", 0), "a b+c"));
}

Test(url_decode, escapes_both_cases)
{
	cr_assert(str_eq_cstr(decode("%41%62%7e%7E", 0), "Ab~~"));
	cr_assert(str_eq_cstr(decode("%C3%A5", 0), "\xC3\xA5"));
	cr_assert(str_eq_cstr(decode("%ff", 0), "\xff"));
	cr_assert(str_eq_cstr(decode("%2F", 0), "/"));
}

Test(url_decode, escape_at_exact_end)
{
	cr_assert(str_eq_cstr(decode("ab%41", 0), "abA"));
}

Test(url_decode, bad_escapes)
{
	static const char *const bad[] = { "%", "%4", "%zz", "x%", "x%a", "%0g", "%00", "a%00b", "%G0" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct str out;
		cr_assert_lt(url_decode(arena, str_from_cstr(bad[i]), 0, &out), 0, "'%s' should fail", bad[i]);
	}
}

Test(url_decode, decoded_is_terminated_copy)
{
	struct str out = decode("a%20b", 0);
	cr_assert_eq(out.len, 3);
	cr_assert_eq(out.ptr[3], '\0');
}
