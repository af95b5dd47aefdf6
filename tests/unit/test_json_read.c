/*
 * test_json_read.c — parsing request bodies and the typed, error-collecting getters.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "json/json_read.h"

static struct arena *arena;
static struct error err;
static json_t *doc;

static void setup(void)
{
	arena = arena_create(4096);
	error_init(&err, arena);
	doc = NULL;
}

static void teardown(void)
{
	json_decref(doc);
	arena_destroy(arena);
}

TestSuite(json_read, .init = setup, .fini = teardown);
TestSuite(jr, .init = setup, .fini = teardown);

/* Parses a body that must be valid and returns a reader over it. */
static struct jr root(const char *body)
{
	doc = json_read_parse(str_from_cstr(body), &err);
	cr_assert_not_null(doc, "setup body did not parse: %s", err.message ? err.message : "?");
	cr_assert_eq(err.kind, ERROR_NONE);
	return jr_root(&err, doc);
}

static void assert_no_error(void)
{
	cr_assert_eq(err.kind, ERROR_NONE, "unexpected error: kind %s, %zu fields, first: %s %s",
		     error_kind_name(err.kind), err.nfields, err.nfields ? err.fields[0].path : "",
		     err.nfields ? err.fields[0].message : "");
	cr_assert_eq(err.nfields, 0);
}

/* Exactly one field error, at path, with rule. */
static void assert_one_field(const char *path, const char *rule)
{
	cr_assert_eq(err.kind, ERROR_VALIDATION, "kind is %s", error_kind_name(err.kind));
	cr_assert_eq(err.nfields, 1, "expected 1 field error, got %zu", err.nfields);
	cr_assert_str_eq(err.fields[0].path, path);
	cr_assert_str_eq(err.fields[0].rule, rule);
	cr_assert_not_null(err.fields[0].message);
	cr_assert_gt(strlen(err.fields[0].message), 0);
}

static void assert_malformed(const char *body, const char *needle)
{
	json_t *v = json_read_parse(str_from_cstr(body), &err);
	cr_assert_null(v, "body %s should not parse", body);
	cr_assert_eq(err.kind, ERROR_MALFORMED);
	cr_assert_not_null(err.message);
	cr_assert_not_null(strstr(err.message, needle), "message '%s' lacks '%s'", err.message, needle);
}

/* ---- json_read_parse ---- */

Test(json_read, parses_an_object)
{
	json_t *v = json_read_parse(STR_LIT("{\"a\":1,\"b\":[true]}"), &err);
	cr_assert_not_null(v);
	cr_assert_eq(err.kind, ERROR_NONE);
	cr_assert_eq(json_integer_value(json_object_get(v, "a")), 1);
	json_decref(v);
}

Test(json_read, body_is_not_required_to_be_nul_terminated)
{
	/* the slice ends before the garbage */
	const char body[] = "{\"a\":2}GARBAGE";
	json_t *v = json_read_parse((struct str){ body, 7 }, &err);
	cr_assert_not_null(v);
	cr_assert_eq(json_integer_value(json_object_get(v, "a")), 2);
	json_decref(v);
}

Test(json_read, empty_body_is_malformed)
{
	cr_assert_null(json_read_parse(STR_LIT(""), &err));
	cr_assert_eq(err.kind, ERROR_MALFORMED);
	cr_assert_not_null(strstr(err.message, "empty"), "message: %s", err.message);
	cr_assert_str_eq(err.code, "ParseError");
}

Test(json_read, whitespace_only_body_is_malformed)
{
	assert_malformed("   \n ", "line");
}

Test(json_read, trailing_comma_reports_line_and_column)
{
	assert_malformed("{\"a\":1,}", "line 1, column 8");
}

Test(json_read, error_on_later_line)
{
	assert_malformed("{\n  \"a\": 1,\n  \"b\": x\n}", "line 3, column 8");
	cr_assert_not_null(strstr(err.message, "byte 20"), "message: %s", err.message);
}

Test(json_read, unterminated)
{
	assert_malformed("[1,2", "line 1, column 4");
}

Test(json_read, trailing_garbage)
{
	assert_malformed("{\"a\":1} x", "line 1, column 9");
}

Test(json_read, bad_token)
{
	assert_malformed("nul", "line 1");
}

Test(json_read, invalid_utf8)
{
	assert_malformed("{\"a\":\"\xff\"}", "line 1");
}

Test(json_read, duplicate_keys_rejected)
{
	assert_malformed("{\"a\":1,\"a\":2}", "duplicate");
	cr_assert_not_null(strstr(err.message, "line 1, column 10"), "message: %s", err.message);
}

Test(json_read, duplicate_keys_rejected_when_nested)
{
	assert_malformed("{\"o\":{\"k\":1,\"k\":1}}", "duplicate");
}

Test(json_read, escaped_nul_is_malformed)
{
	assert_malformed("{\"a\":\"x\\u0000y\"}", "line 1");
}

Test(json_read, integer_overflow_is_malformed)
{
	assert_malformed("{\"n\":99999999999999999999}", "too big");
}

Test(json_read, scalar_parses_but_root_reader_rejects_it)
{
	doc = json_read_parse(STR_LIT("42"), &err);
	cr_assert_not_null(doc);
	struct jr r = jr_root(&err, doc);
	cr_assert_null(r.obj);
	assert_one_field("", RULE_TYPE);
}

Test(json_read, array_root_rejected)
{
	doc = json_read_parse(STR_LIT("[{\"a\":1}]"), &err);
	struct jr r = jr_root(&err, doc);
	cr_assert_null(r.obj);
	assert_one_field("", RULE_TYPE);
	/* getters on a reader without an object report nothing more */
	int64_t x = -7;
	cr_assert_eq(jr_int(&r, "a", JR_REQUIRED, 0, 10, &x), JR_ABSENT);
	cr_assert_eq(x, -7);
	cr_assert_eq(err.nfields, 1);
}

Test(json_read, null_root_rejected)
{
	struct jr r = jr_root(&err, NULL);
	cr_assert_null(r.obj);
	assert_one_field("", RULE_TYPE);
}

/* ---- presence ---- */

Test(jr, required_missing)
{
	struct jr r = root("{}");
	struct str s = STR_LIT("untouched");
	cr_assert_eq(jr_string(&r, "name", JR_REQUIRED, 0, 10, &s), JR_INVALID);
	assert_one_field("name", RULE_REQUIRED);
	cr_assert(str_eq_cstr(s, "untouched"));
}

Test(jr, optional_missing_is_absent)
{
	struct jr r = root("{\"other\":1}");
	int64_t x = 5;
	cr_assert_eq(jr_int(&r, "n", 0, 0, 10, &x), JR_ABSENT);
	cr_assert_eq(x, 5);
	assert_no_error();
}

Test(jr, null_without_nullable_is_type_error)
{
	struct jr r = root("{\"n\":null}");
	int64_t x = 5;
	cr_assert_eq(jr_int(&r, "n", 0, 0, 10, &x), JR_INVALID);
	assert_one_field("n", RULE_TYPE);
	cr_assert_not_null(strstr(err.fields[0].message, "null"));
	cr_assert_eq(x, 5);
}

Test(jr, null_required_without_nullable_is_required_error)
{
	struct jr r = root("{\"n\":null}");
	struct str s;
	cr_assert_eq(jr_string(&r, "n", JR_REQUIRED, 0, 10, &s), JR_INVALID);
	assert_one_field("n", RULE_REQUIRED);
}

Test(jr, null_with_nullable)
{
	struct jr r = root("{\"n\":null,\"s\":null,\"b\":null}");
	int64_t x = 5;
	struct str s = STR_LIT("keep");
	bool b = true;
	cr_assert_eq(jr_int(&r, "n", JR_NULLABLE, 0, 10, &x), JR_NULL);
	cr_assert_eq(jr_string(&r, "s", JR_NULLABLE | JR_REQUIRED, 1, 10, &s), JR_NULL);
	cr_assert_eq(jr_bool(&r, "b", JR_NULLABLE, &b), JR_NULL);
	cr_assert_eq(x, 5);
	cr_assert(str_eq_cstr(s, "keep"));
	cr_assert_eq(b, true);
	assert_no_error();
}

Test(jr, nullable_still_required_when_missing)
{
	struct jr r = root("{}");
	struct str s;
	cr_assert_eq(jr_string(&r, "s", JR_NULLABLE | JR_REQUIRED, 0, 10, &s), JR_INVALID);
	assert_one_field("s", RULE_REQUIRED);
}

/* ---- strings ---- */

Test(jr, string_ok)
{
	struct jr r = root("{\"name\":\"Anna\"}");
	struct str s;
	cr_assert_eq(jr_string(&r, "name", JR_REQUIRED, 1, 10, &s), JR_SET);
	cr_assert(str_eq_cstr(s, "Anna"));
	assert_no_error();
}

Test(jr, string_wrong_types)
{
	struct jr r = root("{\"a\":1,\"b\":true,\"c\":[],\"d\":{},\"e\":1.5}");
	struct str s;
	const char *keys[] = { "a", "b", "c", "d", "e" };
	const char *got[] = { "an integer", "a boolean", "an array", "an object", "a number" };
	for (int i = 0; i < 5; i++)
		cr_assert_eq(jr_string(&r, keys[i], 0, 0, 10, &s), JR_INVALID);
	cr_assert_eq(err.nfields, 5);
	for (int i = 0; i < 5; i++) {
		cr_assert_str_eq(err.fields[i].path, keys[i]);
		cr_assert_str_eq(err.fields[i].rule, RULE_TYPE);
		cr_assert_not_null(strstr(err.fields[i].message, "expected a string"), "%s", err.fields[i].message);
		cr_assert_not_null(strstr(err.fields[i].message, got[i]), "%s lacks %s", err.fields[i].message, got[i]);
	}
}

Test(jr, string_length_counts_code_points)
{
	struct jr r = root("{\"s\":\"\xC3\xA5\xC3\xA4\xC3\xB6\"}"); /* "åäö": 6 bytes, 3 code points */
	struct str s;
	cr_assert_eq(jr_string(&r, "s", 0, 3, 3, &s), JR_SET);
	cr_assert_eq(s.len, 6);
	assert_no_error();
}

Test(jr, string_max_in_code_points)
{
	struct jr r = root("{\"s\":\"\xC3\xA5\xC3\xA4\xC3\xB6\"}");
	struct str s;
	cr_assert_eq(jr_string(&r, "s", 0, 0, 2, &s), JR_INVALID);
	assert_one_field("s", RULE_LENGTH);
	cr_assert_not_null(strstr(err.fields[0].message, "at most 2"), "%s", err.fields[0].message);
	cr_assert_not_null(strstr(err.fields[0].message, "got 3"), "%s", err.fields[0].message);
}

Test(jr, string_min_in_code_points)
{
	/* an emoji is 4 bytes but one code point: too short for min 2 */
	struct jr r = root("{\"s\":\"\xF0\x9F\x98\x80\"}");
	struct str s;
	cr_assert_eq(jr_string(&r, "s", 0, 2, 10, &s), JR_INVALID);
	assert_one_field("s", RULE_LENGTH);
	cr_assert_not_null(strstr(err.fields[0].message, "at least 2"), "%s", err.fields[0].message);
	cr_assert_not_null(strstr(err.fields[0].message, "got 1"), "%s", err.fields[0].message);
}

Test(jr, escaped_non_ascii_counts_as_one)
{
	struct jr r = root("{\"s\":\"\\u00e5\\ud83d\\ude00\"}"); /* å + U+1F600 via surrogate pair */
	struct str s;
	cr_assert_eq(jr_string(&r, "s", 0, 2, 2, &s), JR_SET);
	cr_assert_eq(s.len, 6);
	assert_no_error();
}

Test(jr, empty_required_string_is_required_error)
{
	struct jr r = root("{\"s\":\"\"}");
	struct str s;
	cr_assert_eq(jr_string(&r, "s", JR_REQUIRED, 1, 10, &s), JR_INVALID);
	assert_one_field("s", RULE_REQUIRED);
}

Test(jr, empty_optional_string_below_min_is_length_error)
{
	struct jr r = root("{\"s\":\"\"}");
	struct str s;
	cr_assert_eq(jr_string(&r, "s", 0, 1, 10, &s), JR_INVALID);
	assert_one_field("s", RULE_LENGTH);
}

Test(jr, empty_string_allowed_with_min_zero)
{
	struct jr r = root("{\"s\":\"\"}");
	struct str s = STR_LIT("x");
	cr_assert_eq(jr_string(&r, "s", JR_REQUIRED, 0, 10, &s), JR_SET);
	cr_assert_eq(s.len, 0);
	assert_no_error();
}

Test(jr, nul_inside_string_rejected)
{
	/* json_read_parse refuses \u0000, but trees may come from elsewhere */
	doc = json_object();
	json_object_set_new(doc, "s", json_stringn("a\0b", 3));
	struct jr r = jr_root(&err, doc);
	struct str s = STR_NULL;
	cr_assert_eq(jr_string(&r, "s", 0, 0, 10, &s), JR_INVALID);
	assert_one_field("s", RULE_FORMAT);
	cr_assert_null(s.ptr);
}

Test(jr, utf8_length_helper)
{
	cr_assert_eq(utf8_length(STR_LIT("")), 0);
	cr_assert_eq(utf8_length(STR_LIT("abc")), 3);
	cr_assert_eq(utf8_length(STR_LIT("\xC3\xA5\xC3\xA4\xC3\xB6")), 3);
	cr_assert_eq(utf8_length(STR_LIT("\xE2\x82\xAC" "1")), 2);
	cr_assert_eq(utf8_length(STR_LIT("\xF0\x9F\x98\x80")), 1);
}

/* ---- integers ---- */

Test(jr, int_ok_and_bounds_inclusive)
{
	struct jr r = root("{\"lo\":1,\"hi\":50,\"neg\":-5}");
	int64_t lo = 0, hi = 0, neg = 0;
	cr_assert_eq(jr_int(&r, "lo", JR_REQUIRED, 1, 50, &lo), JR_SET);
	cr_assert_eq(jr_int(&r, "hi", JR_REQUIRED, 1, 50, &hi), JR_SET);
	cr_assert_eq(jr_int(&r, "neg", JR_REQUIRED, -10, 0, &neg), JR_SET);
	cr_assert_eq(lo, 1);
	cr_assert_eq(hi, 50);
	cr_assert_eq(neg, -5);
	assert_no_error();
}

Test(jr, int_extremes)
{
	struct jr r = root("{\"max\":9223372036854775807,\"min\":-9223372036854775808}");
	int64_t a = 0, b = 0;
	cr_assert_eq(jr_int(&r, "max", 0, INT64_MIN, INT64_MAX, &a), JR_SET);
	cr_assert_eq(jr_int(&r, "min", 0, INT64_MIN, INT64_MAX, &b), JR_SET);
	cr_assert_eq(a, INT64_MAX);
	cr_assert_eq(b, INT64_MIN);
}

Test(jr, int_range_errors)
{
	struct jr r = root("{\"a\":0,\"b\":51}");
	int64_t x = 9;
	cr_assert_eq(jr_int(&r, "a", 0, 1, 50, &x), JR_INVALID);
	cr_assert_eq(jr_int(&r, "b", 0, 1, 50, &x), JR_INVALID);
	cr_assert_eq(x, 9);
	cr_assert_eq(err.nfields, 2);
	cr_assert_str_eq(err.fields[0].path, "a");
	cr_assert_str_eq(err.fields[0].rule, RULE_RANGE);
	cr_assert_str_eq(err.fields[0].message, "must be between 1 and 50 (got 0)");
	cr_assert_str_eq(err.fields[1].path, "b");
	cr_assert_str_eq(err.fields[1].rule, RULE_RANGE);
	cr_assert_str_eq(err.fields[1].message, "must be between 1 and 50 (got 51)");
}

Test(jr, int_numeric_strings_accepted)
{
	struct jr r = root("{\"a\":\"42\",\"b\":\"-7\",\"c\":\" 8 \"}");
	int64_t a = 0, b = 0, c = 0;
	cr_assert_eq(jr_int(&r, "a", 0, -100, 100, &a), JR_SET);
	cr_assert_eq(jr_int(&r, "b", 0, -100, 100, &b), JR_SET);
	cr_assert_eq(jr_int(&r, "c", 0, -100, 100, &c), JR_SET);
	cr_assert_eq(a, 42);
	cr_assert_eq(b, -7);
	cr_assert_eq(c, 8);
	assert_no_error();
}

Test(jr, int_numeric_string_still_range_checked)
{
	struct jr r = root("{\"a\":\"420\"}");
	int64_t a = 0;
	cr_assert_eq(jr_int(&r, "a", 0, 0, 100, &a), JR_INVALID);
	assert_one_field("a", RULE_RANGE);
}

Test(jr, int_bad_strings_rejected)
{
	static const char *const bodies[] = {
		"{\"a\":\"\"}", "{\"a\":\"abc\"}", "{\"a\":\"1.5\"}", "{\"a\":\"1e3\"}", "{\"a\":\"+1\"}",
		"{\"a\":\"007\"}", "{\"a\":\"99999999999999999999\"}", "{\"a\":\"0x10\"}", "{\"a\":\"12abc\"}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		json_decref(doc);
		error_init(&err, arena);
		struct jr r = root(bodies[i]);
		int64_t x = 77;
		cr_assert_eq(jr_int(&r, "a", 0, INT64_MIN, INT64_MAX, &x), JR_INVALID, "body %s", bodies[i]);
		cr_assert_eq(x, 77);
		assert_one_field("a", RULE_TYPE);
	}
}

Test(jr, int_from_whole_real)
{
	struct jr r = root("{\"a\":3.0,\"b\":-2.0,\"c\":1e2}");
	int64_t a = 0, b = 0, c = 0;
	cr_assert_eq(jr_int(&r, "a", 0, -100, 100, &a), JR_SET);
	cr_assert_eq(jr_int(&r, "b", 0, -100, 100, &b), JR_SET);
	cr_assert_eq(jr_int(&r, "c", 0, -100, 100, &c), JR_SET);
	cr_assert_eq(a, 3);
	cr_assert_eq(b, -2);
	cr_assert_eq(c, 100);
	assert_no_error();
}

Test(jr, int_fractional_rejected)
{
	struct jr r = root("{\"a\":3.5}");
	int64_t a = 0;
	cr_assert_eq(jr_int(&r, "a", 0, -100, 100, &a), JR_INVALID);
	assert_one_field("a", RULE_TYPE);
	cr_assert_not_null(strstr(err.fields[0].message, "expected an integer"), "%s", err.fields[0].message);
	cr_assert_eq(a, 0);
}

Test(jr, int_huge_real_rejected)
{
	/* beyond 2^53 a double no longer names one integer */
	struct jr r = root("{\"a\":1e300}");
	int64_t a = 0;
	cr_assert_eq(jr_int(&r, "a", 0, INT64_MIN, INT64_MAX, &a), JR_INVALID);
	cr_assert_eq(err.nfields, 1);
	cr_assert_eq(a, 0);
}

Test(jr, int_wrong_types)
{
	struct jr r = root("{\"a\":true,\"b\":[1],\"c\":{}}");
	int64_t x;
	cr_assert_eq(jr_int(&r, "a", 0, 0, 10, &x), JR_INVALID);
	cr_assert_eq(jr_int(&r, "b", 0, 0, 10, &x), JR_INVALID);
	cr_assert_eq(jr_int(&r, "c", 0, 0, 10, &x), JR_INVALID);
	cr_assert_eq(err.nfields, 3);
	for (size_t i = 0; i < 3; i++)
		cr_assert_str_eq(err.fields[i].rule, RULE_TYPE);
}

/* ---- doubles ---- */

Test(jr, double_ok)
{
	struct jr r = root("{\"a\":59.33,\"b\":18,\"c\":\"-1.25\",\"d\":\"2e1\"}");
	double a = 0, b = 0, c = 0, d = 0;
	cr_assert_eq(jr_double(&r, "a", 0, -90, 90, &a), JR_SET);
	cr_assert_eq(jr_double(&r, "b", 0, -90, 90, &b), JR_SET);
	cr_assert_eq(jr_double(&r, "c", 0, -90, 90, &c), JR_SET);
	cr_assert_eq(jr_double(&r, "d", 0, -90, 90, &d), JR_SET);
	cr_assert_eq(a, 59.33);
	cr_assert_eq(b, 18.0);
	cr_assert_eq(c, -1.25);
	cr_assert_eq(d, 20.0);
	assert_no_error();
}

Test(jr, double_range)
{
	struct jr r = root("{\"a\":90.5,\"b\":\"-91\"}");
	double a = 1, b = 1;
	cr_assert_eq(jr_double(&r, "a", 0, -90, 90, &a), JR_INVALID);
	cr_assert_eq(jr_double(&r, "b", 0, -90, 90, &b), JR_INVALID);
	cr_assert_eq(err.nfields, 2);
	cr_assert_str_eq(err.fields[0].rule, RULE_RANGE);
	cr_assert_str_eq(err.fields[1].rule, RULE_RANGE);
	cr_assert_eq(a, 1);
	cr_assert_eq(b, 1);
}

Test(jr, double_bad_strings)
{
	static const char *const bodies[] = {
		"{\"a\":\"\"}", "{\"a\":\"abc\"}", "{\"a\":\"1.5x\"}", "{\"a\":\"nan\"}", "{\"a\":\"inf\"}",
		"{\"a\":\"1e999\"}",
		"{\"a\":\"1.00000000000000000000000000000000000000000000000000000000000000000\"}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		json_decref(doc);
		error_init(&err, arena);
		struct jr r = root(bodies[i]);
		double x = 3;
		cr_assert_eq(jr_double(&r, "a", 0, -1e308, 1e308, &x), JR_INVALID, "body %s", bodies[i]);
		cr_assert_eq(x, 3);
		assert_one_field("a", RULE_TYPE);
	}
}

Test(jr, double_wrong_type)
{
	struct jr r = root("{\"a\":false}");
	double x;
	cr_assert_eq(jr_double(&r, "a", 0, 0, 1, &x), JR_INVALID);
	assert_one_field("a", RULE_TYPE);
	cr_assert_not_null(strstr(err.fields[0].message, "expected a number, got a boolean"), "%s",
			   err.fields[0].message);
}

/* ---- booleans ---- */

Test(jr, bool_values_and_no_coercion)
{
	struct jr r = root("{\"t\":true,\"f\":false,\"s\":\"true\",\"n\":1}");
	bool t = false, f = true, x = false;
	cr_assert_eq(jr_bool(&r, "t", 0, &t), JR_SET);
	cr_assert_eq(jr_bool(&r, "f", 0, &f), JR_SET);
	cr_assert_eq(t, true);
	cr_assert_eq(f, false);
	assert_no_error();
	cr_assert_eq(jr_bool(&r, "s", 0, &x), JR_INVALID);
	cr_assert_eq(jr_bool(&r, "n", 0, &x), JR_INVALID);
	cr_assert_eq(err.nfields, 2);
	cr_assert_str_eq(err.fields[0].rule, RULE_TYPE);
	cr_assert_str_eq(err.fields[1].rule, RULE_TYPE);
	cr_assert_eq(x, false);
}

/* ---- enums ---- */

static const char *const kinds[] = { "apartment", "house", "room", NULL };

Test(jr, enum_match_gives_index)
{
	struct jr r = root("{\"k\":\"room\"}");
	int idx = -1;
	cr_assert_eq(jr_enum(&r, "k", JR_REQUIRED, kinds, &idx), JR_SET);
	cr_assert_eq(idx, 2);
	assert_no_error();
}

Test(jr, enum_mismatch_lists_values)
{
	struct jr r = root("{\"k\":\"castle\"}");
	int idx = -1;
	cr_assert_eq(jr_enum(&r, "k", JR_REQUIRED, kinds, &idx), JR_INVALID);
	assert_one_field("k", RULE_ENUM);
	cr_assert_str_eq(err.fields[0].message, "\"castle\" is not one of: apartment, house, room");
	cr_assert_eq(idx, -1);
}

Test(jr, enum_is_case_sensitive)
{
	struct jr r = root("{\"k\":\"House\"}");
	int idx = -1;
	cr_assert_eq(jr_enum(&r, "k", 0, kinds, &idx), JR_INVALID);
	assert_one_field("k", RULE_ENUM);
}

Test(jr, enum_wrong_type_and_missing)
{
	struct jr r = root("{\"k\":3}");
	int idx = -1;
	cr_assert_eq(jr_enum(&r, "k", 0, kinds, &idx), JR_INVALID);
	cr_assert_eq(jr_enum(&r, "missing", JR_REQUIRED, kinds, &idx), JR_INVALID);
	cr_assert_eq(jr_enum(&r, "optional", 0, kinds, &idx), JR_ABSENT);
	cr_assert_eq(err.nfields, 2);
	cr_assert_str_eq(err.fields[0].rule, RULE_TYPE);
	cr_assert_str_eq(err.fields[1].rule, RULE_REQUIRED);
	cr_assert_str_eq(err.fields[1].path, "missing");
}

Test(jr, enum_long_value_is_truncated_in_message)
{
	char body[400];
	char val[301];
	memset(val, 'v', 300);
	val[300] = '\0';
	snprintf(body, sizeof(body), "{\"k\":\"%.200s\"}", val);
	struct jr r = root(body);
	int idx;
	cr_assert_eq(jr_enum(&r, "k", 0, kinds, &idx), JR_INVALID);
	assert_one_field("k", RULE_ENUM);
	cr_assert_lt(strlen(err.fields[0].message), 150, "%s", err.fields[0].message);
}

/* ---- arrays ---- */

Test(jr, array_ok)
{
	struct jr r = root("{\"ids\":[1,2,3]}");
	json_t *a = NULL;
	cr_assert_eq(jr_array(&r, "ids", JR_REQUIRED, 3, &a), JR_SET);
	cr_assert_eq(a, json_object_get(doc, "ids"));
	cr_assert_eq(json_array_size(a), 3);
	assert_no_error();
}

Test(jr, array_max_items)
{
	struct jr r = root("{\"ids\":[1,2,3,4]}");
	json_t *a = NULL;
	cr_assert_eq(jr_array(&r, "ids", 0, 3, &a), JR_INVALID);
	assert_one_field("ids", RULE_LENGTH);
	cr_assert_str_eq(err.fields[0].message, "must have at most 3 items (got 4)");
	cr_assert_null(a);
}

Test(jr, array_wrong_type)
{
	struct jr r = root("{\"ids\":{\"0\":1}}");
	json_t *a = NULL;
	cr_assert_eq(jr_array(&r, "ids", 0, 3, &a), JR_INVALID);
	assert_one_field("ids", RULE_TYPE);
	cr_assert_null(a);
}

Test(jr, empty_array_ok)
{
	struct jr r = root("{\"ids\":[]}");
	json_t *a = NULL;
	cr_assert_eq(jr_array(&r, "ids", 0, 0, &a), JR_SET);
	cr_assert_eq(json_array_size(a), 0);
}

/* ---- nested objects and paths ---- */

Test(jr, nested_object_paths)
{
	struct jr r = root("{\"address\":{\"zip\":\"12\",\"geo\":{\"lat\":\"north\"}}}");
	struct jr addr, geo;
	struct str zip;
	double lat;
	cr_assert_eq(jr_object(&r, "address", JR_REQUIRED, &addr), JR_SET);
	cr_assert_str_eq(addr.prefix, "address");
	cr_assert_eq(jr_string(&addr, "zip", JR_REQUIRED, 5, 5, &zip), JR_INVALID);
	cr_assert_eq(jr_string(&addr, "city", JR_REQUIRED, 1, 50, &zip), JR_INVALID);
	cr_assert_eq(jr_object(&addr, "geo", 0, &geo), JR_SET);
	cr_assert_eq(jr_double(&geo, "lat", 0, -90, 90, &lat), JR_INVALID);
	cr_assert_eq(err.kind, ERROR_VALIDATION);
	cr_assert_eq(err.nfields, 3);
	cr_assert_str_eq(err.fields[0].path, "address.zip");
	cr_assert_str_eq(err.fields[0].rule, RULE_LENGTH);
	cr_assert_str_eq(err.fields[1].path, "address.city");
	cr_assert_str_eq(err.fields[1].rule, RULE_REQUIRED);
	cr_assert_str_eq(err.fields[2].path, "address.geo.lat");
	cr_assert_str_eq(err.fields[2].rule, RULE_TYPE);
}

Test(jr, jr_path_helper)
{
	struct jr r = root("{\"a\":{}}");
	struct jr child;
	cr_assert_str_eq(jr_path(&r, "x"), "x");
	jr_object(&r, "a", 0, &child);
	cr_assert_str_eq(jr_path(&child, "x"), "a.x");
}

Test(jr, nested_object_absent_reader_is_inert)
{
	struct jr r = root("{}");
	struct jr addr;
	struct str zip = STR_NULL;
	cr_assert_eq(jr_object(&r, "address", 0, &addr), JR_ABSENT);
	cr_assert_null(addr.obj);
	/* reading from an absent object records nothing, even for required members */
	cr_assert_eq(jr_string(&addr, "zip", JR_REQUIRED, 1, 5, &zip), JR_ABSENT);
	cr_assert_null(zip.ptr);
	assert_no_error();
}

Test(jr, nested_object_required_missing)
{
	struct jr r = root("{}");
	struct jr addr;
	cr_assert_eq(jr_object(&r, "address", JR_REQUIRED, &addr), JR_INVALID);
	cr_assert_null(addr.obj);
	assert_one_field("address", RULE_REQUIRED);
}

Test(jr, nested_object_null)
{
	struct jr r = root("{\"address\":null}");
	struct jr addr;
	cr_assert_eq(jr_object(&r, "address", JR_NULLABLE, &addr), JR_NULL);
	cr_assert_null(addr.obj);
	assert_no_error();
}

Test(jr, nested_object_wrong_type)
{
	struct jr r = root("{\"address\":\"Main St 1\"}");
	struct jr addr;
	struct str zip;
	cr_assert_eq(jr_object(&r, "address", 0, &addr), JR_INVALID);
	cr_assert_null(addr.obj);
	cr_assert_eq(jr_string(&addr, "zip", JR_REQUIRED, 1, 5, &zip), JR_ABSENT);
	assert_one_field("address", RULE_TYPE);
}

/* ---- many errors at once ---- */

Test(jr, collects_every_error_of_a_body)
{
	struct jr r = root("{\"username\":\"\",\"rooms\":99,\"area\":\"big\",\"kind\":\"castle\","
			   "\"active\":\"yes\",\"ids\":[1,2,3],\"address\":{\"zip\":12},\"ok\":\"fine\"}");
	struct str username, ok, zip, missing;
	int64_t rooms;
	double area;
	int kind;
	bool active;
	json_t *ids;
	struct jr addr;

	cr_assert_eq(jr_string(&r, "username", JR_REQUIRED, 1, 150, &username), JR_INVALID);
	cr_assert_eq(jr_int(&r, "rooms", 0, 1, 50, &rooms), JR_INVALID);
	cr_assert_eq(jr_double(&r, "area", 0, 0, 1000, &area), JR_INVALID);
	cr_assert_eq(jr_enum(&r, "kind", 0, kinds, &kind), JR_INVALID);
	cr_assert_eq(jr_bool(&r, "active", 0, &active), JR_INVALID);
	cr_assert_eq(jr_array(&r, "ids", 0, 2, &ids), JR_INVALID);
	cr_assert_eq(jr_object(&r, "address", 0, &addr), JR_SET);
	cr_assert_eq(jr_string(&addr, "zip", 0, 1, 10, &zip), JR_INVALID);
	cr_assert_eq(jr_string(&r, "email", JR_REQUIRED, 1, 10, &missing), JR_INVALID);
	cr_assert_eq(jr_string(&r, "ok", JR_REQUIRED, 1, 10, &ok), JR_SET);
	cr_assert(str_eq_cstr(ok, "fine"));

	struct {
		const char *path, *rule;
	} want[] = {
		{ "username", RULE_REQUIRED }, { "rooms", RULE_RANGE }, { "area", RULE_TYPE },
		{ "kind", RULE_ENUM },         { "active", RULE_TYPE }, { "ids", RULE_LENGTH },
		{ "address.zip", RULE_TYPE },  { "email", RULE_REQUIRED },
	};
	size_t n = sizeof(want) / sizeof(want[0]);
	cr_assert(error_failed(&err));
	cr_assert_eq(err.kind, ERROR_VALIDATION);
	cr_assert_eq(err.nfields, n, "got %zu field errors", err.nfields);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(err.fields[i].path, want[i].path, "field %zu", i);
		cr_assert_str_eq(err.fields[i].rule, want[i].rule, "field %zu (%s)", i, want[i].path);
	}
}

Test(jr, unknown_members_are_ignored)
{
	struct jr r = root("{\"a\":1,\"zzz\":[{\"deep\":true}]}");
	int64_t a;
	cr_assert_eq(jr_int(&r, "a", JR_REQUIRED, 0, 5, &a), JR_SET);
	assert_no_error();
}

Test(jr, field_errors_are_capped)
{
	struct jr r = root("{}");
	struct str s;
	char key[16];
	for (int i = 0; i < ERROR_MAX_FIELDS + 10; i++) {
		snprintf(key, sizeof(key), "f%d", i);
		cr_assert_eq(jr_string(&r, key, JR_REQUIRED, 0, 1, &s), JR_INVALID);
	}
	cr_assert_eq(err.nfields, ERROR_MAX_FIELDS);
	cr_assert_str_eq(err.fields[0].path, "f0");
	snprintf(key, sizeof(key), "f%d", ERROR_MAX_FIELDS - 1);
	cr_assert_str_eq(err.fields[ERROR_MAX_FIELDS - 1].path, key);
}
