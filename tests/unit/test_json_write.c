/*
 * test_json_write.c — the streaming JSON writer.
 *
 * Every document written here is also parsed back with jansson, so a test fails
 * not only on an unexpected byte but on any output that is not valid JSON.
 */
#include <criterion/criterion.h>
#include <float.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/json_write.h"

static struct arena *arena;
static struct buf out;
static struct jw w;

static void setup(void)
{
	arena = arena_create(4096);
	buf_init(&out, arena, 16);
	jw_init(&w, &out);
}

static void teardown(void)
{
	arena_destroy(arena);
}

TestSuite(json_write, .init = setup, .fini = teardown);

/* The output so far as a C string (in the arena). */
static const char *text(void)
{
	return arena_strndup(arena, out.ptr, out.len);
}

/* Parses the output with jansson; fails the test if it is not valid JSON. */
static json_t *parse_back(void)
{
	json_error_t je;
	json_t *v = json_loadb(out.ptr, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	cr_assert_not_null(v, "writer output is not valid JSON: %s (at %d): %s", text(), je.position, je.text);
	return v;
}

static void expect(const char *want)
{
	cr_assert_str_eq(text(), want);
	json_decref(parse_back());
}

/* Writes one string value and checks the bytes between the quotes. */
static void expect_string(struct str in, const char *want_json)
{
	jw_string(&w, in);
	cr_assert(jw_complete(&w));
	cr_assert_str_eq(text(), want_json);
	json_t *v = parse_back();
	cr_assert(json_is_string(v));
	json_decref(v);
}

#define BYTES(s) ((struct str){ (s), sizeof(s) - 1 })

Test(json_write, empty_containers)
{
	jw_array_begin(&w);
	jw_object_begin(&w);
	jw_object_end(&w);
	jw_array_begin(&w);
	jw_array_end(&w);
	jw_array_end(&w);
	cr_assert(jw_complete(&w));
	expect("[{},[]]");
}

Test(json_write, object_with_every_kind_of_value)
{
	jw_object_begin(&w);
	jw_kv_str(&w, "s", STR_LIT("x"));
	jw_kv_cstr(&w, "c", "y");
	jw_kv_cstr(&w, "n", NULL);
	jw_kv_int(&w, "i", -3);
	jw_kv_double(&w, "d", 1.5);
	jw_kv_bool(&w, "t", true);
	jw_kv_bool(&w, "f", false);
	jw_kv_null(&w, "z");
	jw_key(&w, "raw");
	jw_raw(&w, STR_LIT("{\"pre\":[1,2]}"));
	jw_key_str(&w, STR_LIT("k2"));
	jw_int(&w, 0);
	jw_object_end(&w);
	cr_assert(jw_complete(&w));
	expect("{\"s\":\"x\",\"c\":\"y\",\"n\":null,\"i\":-3,\"d\":1.5,\"t\":true,\"f\":false,"
	       "\"z\":null,\"raw\":{\"pre\":[1,2]},\"k2\":0}");

	json_t *v = parse_back();
	cr_assert_eq(json_object_size(v), 10);
	json_t *pre = json_object_get(json_object_get(v, "raw"), "pre");
	cr_assert(json_is_array(pre));
	cr_assert_eq(json_integer_value(json_array_get(pre, 1)), 2);
	json_decref(v);
}

Test(json_write, nesting_and_commas)
{
	jw_object_begin(&w);
	jw_key(&w, "a");
	jw_array_begin(&w);
	jw_int(&w, 1);
	jw_object_begin(&w);
	jw_kv_int(&w, "b", 2);
	jw_key(&w, "c");
	jw_array_begin(&w);
	jw_array_begin(&w);
	jw_array_end(&w);
	jw_null(&w);
	jw_array_end(&w);
	jw_object_end(&w);
	jw_int(&w, 3);
	jw_array_end(&w);
	jw_kv_int(&w, "d", 4);
	jw_key(&w, "e");
	jw_object_begin(&w);
	jw_object_end(&w);
	jw_object_end(&w);
	cr_assert(jw_complete(&w));
	expect("{\"a\":[1,{\"b\":2,\"c\":[[],null]},3],\"d\":4,\"e\":{}}");
}

Test(json_write, deep_nesting_up_to_max)
{
	for (int i = 0; i < JW_MAX_DEPTH; i++)
		jw_array_begin(&w);
	jw_int(&w, 7);
	for (int i = 0; i < JW_MAX_DEPTH; i++) {
		cr_assert_not(jw_complete(&w));
		jw_array_end(&w);
	}
	cr_assert(jw_complete(&w));
	cr_assert_eq(out.len, 2 * JW_MAX_DEPTH + 1);
	json_decref(parse_back());
}

Test(json_write, nesting_past_max_aborts, .signal = SIGABRT)
{
	for (int i = 0; i <= JW_MAX_DEPTH; i++)
		jw_array_begin(&w);
}

Test(json_write, complete_tracking)
{
	cr_assert_not(jw_complete(&w), "nothing written is not a document");
	jw_object_begin(&w);
	cr_assert_not(jw_complete(&w));
	jw_key(&w, "k");
	cr_assert_not(jw_complete(&w), "a key without its value is incomplete");
	jw_int(&w, 1);
	cr_assert_not(jw_complete(&w));
	jw_object_end(&w);
	cr_assert(jw_complete(&w));
}

Test(json_write, scalar_top_level_is_complete)
{
	jw_cstr(&w, "alone");
	cr_assert(jw_complete(&w));
	expect("\"alone\"");
}

Test(json_write, escapes_quote_backslash_and_named_controls)
{
	expect_string(STR_LIT("a\"b\\c/d\n\r\t\b\f"), "\"a\\\"b\\\\c/d\\n\\r\\t\\b\\f\"");
}

Test(json_write, escapes_other_control_chars_as_u00xx)
{
	expect_string(BYTES("\x01\x1f\x0b\x00z"), "\"\\u0001\\u001f\\u000b\\u0000z\"");
}

Test(json_write, every_control_char_round_trips)
{
	char in[32];
	for (int i = 0; i < 32; i++)
		in[i] = (char)i;
	jw_string(&w, (struct str){ in, 32 });
	json_t *v = parse_back();
	cr_assert(json_is_string(v));
	cr_assert_eq(json_string_length(v), 32);
	cr_assert_eq(memcmp(json_string_value(v), in, 32), 0);
	json_decref(v);
	/* no raw control byte may reach the output */
	for (size_t i = 0; i < out.len; i++)
		cr_assert_geq((unsigned char)out.ptr[i], 0x20, "raw control byte at %zu", i);
}

Test(json_write, del_passes_through)
{
	expect_string(BYTES("a\x7f" "b"), "\"a\x7f" "b\"");
}

Test(json_write, escapes_line_and_paragraph_separators)
{
	/* U+2028 = E2 80 A8, U+2029 = E2 80 A9; their neighbour U+2027 is left alone */
	expect_string(BYTES("x\xE2\x80\xA8y\xE2\x80\xA9z\xE2\x80\xA7"), "\"x\\u2028y\\u2029z\xE2\x80\xA7\"");
	json_t *v = parse_back();
	cr_assert_str_eq(json_string_value(v), "x\xE2\x80\xA8y\xE2\x80\xA9z\xE2\x80\xA7");
	json_decref(v);
}

Test(json_write, valid_multibyte_passes_through)
{
	/* 2-, 3- and 4-byte sequences, and the edges of the ranges */
	static const char in[] = "\xC3\xA5\xC3\xA4\xC3\xB6"  /* åäö */
				 "\xE2\x82\xAC"              /* € */
				 "\xF0\x9F\x98\x80"          /* U+1F600 */
				 "\xC2\x80"                  /* U+0080 */
				 "\xED\x9F\xBF"              /* U+D7FF, last before surrogates */
				 "\xEE\x80\x80"              /* U+E000, first after */
				 "\xEF\xBF\xBF"              /* U+FFFF */
				 "\xF4\x8F\xBF\xBF";         /* U+10FFFF */
	char want[sizeof(in) + 2];
	snprintf(want, sizeof(want), "\"%s\"", in);
	expect_string(BYTES(in), want);
	json_t *v = parse_back();
	cr_assert_str_eq(json_string_value(v), in);
	json_decref(v);
}

#define FFFD "\xEF\xBF\xBD"

Test(json_write, invalid_utf8_lone_continuation_and_bad_leads)
{
	expect_string(BYTES("a\x80" "b"), "\"a" FFFD "b\"");
}

Test(json_write, invalid_utf8_bad_lead_bytes)
{
	expect_string(BYTES("\xC0\xC1\xF5\xF8\xFF"), "\"" FFFD FFFD FFFD FFFD FFFD "\"");
}

Test(json_write, invalid_utf8_overlong)
{
	/* "/" as C0 AF (2 bytes), E0 80 AF (3), F0 80 80 AF (4): every byte replaced */
	expect_string(BYTES("\xC0\xAF"), "\"" FFFD FFFD "\"");
}

Test(json_write, invalid_utf8_overlong_three_byte)
{
	expect_string(BYTES("\xE0\x80\xAF"), "\"" FFFD FFFD FFFD "\"");
}

Test(json_write, invalid_utf8_overlong_four_byte)
{
	expect_string(BYTES("\xF0\x80\x80\xAF"), "\"" FFFD FFFD FFFD FFFD "\"");
}

Test(json_write, invalid_utf8_surrogates)
{
	/* U+D800 and U+DFFF encoded directly (CESU style) */
	expect_string(BYTES("\xED\xA0\x80|\xED\xBF\xBF"), "\"" FFFD FFFD FFFD "|" FFFD FFFD FFFD "\"");
}

Test(json_write, invalid_utf8_beyond_10ffff)
{
	/* U+110000 */
	expect_string(BYTES("\xF4\x90\x80\x80"), "\"" FFFD FFFD FFFD FFFD "\"");
}

Test(json_write, invalid_utf8_truncated_at_end)
{
	/* the first two bytes of € at the end of the string */
	expect_string(BYTES("ok\xE2\x82"), "\"ok" FFFD FFFD "\"");
}

Test(json_write, invalid_utf8_truncated_before_ascii)
{
	/* a 4-byte lead followed by ASCII: the lead is replaced, the ASCII survives */
	expect_string(BYTES("\xF0\x9F" "ab\xC3"), "\"" FFFD FFFD "ab" FFFD "\"");
}

Test(json_write, invalid_utf8_in_keys_too)
{
	jw_object_begin(&w);
	jw_key_str(&w, BYTES("k\xFF\"\n"));
	jw_int(&w, 1);
	jw_object_end(&w);
	expect("{\"k" FFFD "\\\"\\n\":1}");
}

Test(json_write, all_byte_values_give_valid_json)
{
	char in[256 * 3];
	size_t n = 0;
	for (int rep = 0; rep < 3; rep++)
		for (int c = 0; c < 256; c++)
			in[n++] = (char)((c * 7 + rep * 13) & 0xFF);
	jw_string(&w, (struct str){ in, n });
	json_decref(parse_back());
}

Test(json_write, empty_string_and_null_cstr)
{
	jw_array_begin(&w);
	jw_string(&w, STR_LIT(""));
	jw_cstr(&w, NULL);
	jw_string(&w, STR_NULL);
	jw_array_end(&w);
	expect("[\"\",null,\"\"]");
}

Test(json_write, long_string_forces_buffer_growth)
{
	char in[10000];
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (i % 100 == 0) ? '"' : (char)('a' + i % 26);
	jw_string(&w, (struct str){ in, sizeof(in) });
	json_t *v = parse_back();
	cr_assert_eq(json_string_length(v), sizeof(in));
	cr_assert_eq(memcmp(json_string_value(v), in, sizeof(in)), 0);
	json_decref(v);
}

Test(json_write, json_escape_to_standalone)
{
	struct buf b;
	buf_init(&b, NULL, 1);
	buf_append_cstr(&b, "x=");
	json_escape_to(&b, STR_LIT("a\"b"));
	cr_assert_eq(b.len, 8);
	cr_assert_eq(memcmp(b.ptr, "x=\"a\\\"b\"", 8), 0);
	buf_free(&b);
}

Test(json_write, integers)
{
	jw_array_begin(&w);
	jw_int(&w, 0);
	jw_int(&w, -1);
	jw_int(&w, 42);
	jw_int(&w, INT64_MAX);
	jw_int(&w, INT64_MIN);
	jw_array_end(&w);
	expect("[0,-1,42,9223372036854775807,-9223372036854775808]");
	json_t *v = parse_back();
	cr_assert_eq(json_integer_value(json_array_get(v, 3)), INT64_MAX);
	cr_assert_eq(json_integer_value(json_array_get(v, 4)), INT64_MIN);
	json_decref(v);
}

/* Writes v alone and returns its text; checks it reads back to the same double. */
static const char *double_text(double v)
{
	out.len = 0;
	jw_init(&w, &out);
	jw_double(&w, v);
	const char *s = text();
	char *end;
	double back = strtod(s, &end);
	cr_assert_eq(*end, '\0', "%s is not a plain number", s);
	cr_assert(back == v && signbit(back) == signbit(v), "%s does not read back as %.17g", s, v);
	json_decref(parse_back());
	return s;
}

Test(json_write, doubles_shortest_round_trip)
{
	cr_assert_str_eq(double_text(0.1), "0.1");
	cr_assert_str_eq(double_text(1.5), "1.5");
	cr_assert_str_eq(double_text(-2.25), "-2.25");
	cr_assert_str_eq(double_text(100.0), "100");
	cr_assert_str_eq(double_text(0.1 + 0.2), "0.30000000000000004");
	cr_assert_str_eq(double_text(1.0 / 3.0), "0.3333333333333333");
	cr_assert_str_eq(double_text(1e300), "1e+300");
	cr_assert_str_eq(double_text(-0.0), "-0");
	cr_assert_str_eq(double_text(0.0), "0");
	cr_assert_str_eq(double_text(5e-324), "5e-324");
	cr_assert_str_eq(double_text(1e-320), "1e-320");
	cr_assert_str_eq(double_text(DBL_MAX), "1.7976931348623157e+308");
	cr_assert_str_eq(double_text(DBL_MIN), "2.2250738585072014e-308");
	cr_assert_str_eq(double_text(59.3293371), "59.3293371");
}

Test(json_write, doubles_many_values_round_trip)
{
	/* a spread of magnitudes, subnormals included */
	double v = 4.9e-324;
	for (int i = 0; i < 2000; i++) {
		double_text(v);
		double_text(-v);
		v *= 1.7392;
		if (!isfinite(v))
			break;
	}
}

Test(json_write, doubles_nan_and_inf_are_null)
{
	jw_array_begin(&w);
	jw_double(&w, NAN);
	jw_double(&w, INFINITY);
	jw_double(&w, -INFINITY);
	jw_double(&w, 2.0);
	jw_array_end(&w);
	expect("[null,null,null,2]");
}

Test(json_write, doubles_in_object)
{
	jw_object_begin(&w);
	jw_kv_double(&w, "lat", 59.5);
	jw_kv_double(&w, "bad", NAN);
	jw_object_end(&w);
	expect("{\"lat\":59.5,\"bad\":null}");
}
