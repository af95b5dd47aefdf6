/*
 * fuzz_json_read.c — request-body JSON: json_read_parse(), the jr_* getters, and
 * a differential check of our streaming writer against jansson.
 *
 * A body that parses is read with every getter on a few keys (as a handler
 * would), then written back out through jw_* by walking the jansson tree; jansson
 * must re-parse the writer's output into an equal tree. Numbers compare by value:
 * JSON has one number type, and the writer prints the double 100.0 as "100",
 * which jansson reads back as an integer. The raw input also goes through
 * json_escape_to(), whose output must be one JSON string that decodes back to the
 * input whenever the input is valid UTF-8.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "fuzz.h"
#include "json/json_read.h"
#include "base/json_write.h"

static struct arena *arena;

static size_t tree_depth(const json_t *v)
{
	size_t d = 0;
	if (json_is_object(v)) {
		const char *k;
		json_t *c;
		json_object_foreach((json_t *)v, k, c) {
			size_t cd = tree_depth(c);
			if (cd > d)
				d = cd;
		}
		return d + 1;
	}
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			size_t cd = tree_depth(json_array_get(v, i));
			if (cd > d)
				d = cd;
		}
		return d + 1;
	}
	return 0;
}

static void write_tree(struct jw *w, json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		void *it;
		jw_object_begin(w);
		for (it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
			struct str key = { json_object_iter_key(it), json_object_iter_key_len(it) };
			jw_key_str(w, key);
			write_tree(w, json_object_iter_value(it));
		}
		jw_object_end(w);
		break;
	}
	case JSON_ARRAY:
		jw_array_begin(w);
		for (size_t i = 0; i < json_array_size(v); i++)
			write_tree(w, json_array_get(v, i));
		jw_array_end(w);
		break;
	case JSON_STRING:
		jw_string(w, (struct str){ json_string_value(v), json_string_length(v) });
		break;
	case JSON_INTEGER:
		jw_int(w, (int64_t)json_integer_value(v));
		break;
	case JSON_REAL:
		jw_double(w, json_real_value(v));
		break;
	case JSON_TRUE:
		jw_bool(w, true);
		break;
	case JSON_FALSE:
		jw_bool(w, false);
		break;
	case JSON_NULL:
		jw_null(w);
		break;
	}
}

static int number_equal(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b))
		return json_integer_value(a) == json_integer_value(b);
	if (json_is_real(a) && json_is_real(b))
		return json_real_value(a) == json_real_value(b);
	if (json_is_integer(b)) {
		const json_t *t = a;
		a = b;
		b = t;
	}
	/*
	 * a integer, b real: an integral double printed without a fraction or exponent
	 * ("%.17g" does so up to 1e17, past 2^53); equal when the values are exactly equal.
	 */
	{
		double r = json_real_value(b);
		json_int_t i = json_integer_value(a);
		return r == floor(r) && r >= -9223372036854775808.0 && r < 9223372036854775808.0 &&
		       (json_int_t)r == i;
	}
}

static int tree_equal(const json_t *a, const json_t *b)
{
	if (json_is_number(a) && json_is_number(b))
		return number_equal(a, b);
	if (json_typeof(a) != json_typeof(b))
		return 0;
	switch (json_typeof(a)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *va;
		if (json_object_size(a) != json_object_size(b))
			return 0;
		json_object_foreach((json_t *)a, k, va) {
			json_t *vb = json_object_get(b, k);
			if (!vb || !tree_equal(va, vb))
				return 0;
		}
		return 1;
	}
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return 0;
		for (size_t i = 0; i < json_array_size(a); i++)
			if (!tree_equal(json_array_get(a, i), json_array_get(b, i)))
				return 0;
		return 1;
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		       memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
	default:
		return 1; /* true, false, null */
	}
}

/* Read the body as handlers do; any outcome is fine as long as nothing breaks. */
static void exercise_getters(json_t *root, struct error *err)
{
	static const char *const kinds[] = { "flat", "house", "room", "studio", NULL };
	struct jr r = jr_root(err, root);
	struct jr addr, geo;
	struct str s;
	int64_t i;
	double d;
	bool b;
	int e;
	json_t *arr;

	jr_string(&r, "name", JR_REQUIRED, 1, 150, &s);
	jr_string(&r, "description", JR_NULLABLE, 0, 5000, &s);
	jr_int(&r, "id", 0, 1, INT64_MAX, &i);
	jr_int(&r, "rooms", JR_REQUIRED, 1, 50, &i);
	jr_int(&r, "rent", JR_NULLABLE, INT64_MIN, INT64_MAX, &i);
	jr_double(&r, "area", 0, 0.0, 1e6, &d);
	jr_double(&r, "lat", JR_NULLABLE, -90.0, 90.0, &d);
	jr_bool(&r, "furnished", 0, &b);
	jr_bool(&r, "active", JR_REQUIRED | JR_NULLABLE, &b);
	jr_enum(&r, "type", 0, kinds, &e);
	jr_enum(&r, "kind", JR_REQUIRED, kinds, &e);
	if (jr_array(&r, "ids", 0, 100, &arr) == JR_SET)
		FUZZ_CHECK(json_is_array(arr) && json_array_size(arr) <= 100, "jr_array");
	jr_array(&r, "tags", JR_NULLABLE, 3, &arr);
	if (jr_object(&r, "address", JR_NULLABLE, &addr) == JR_SET) {
		FUZZ_CHECK(addr.obj && json_is_object(addr.obj), "jr_object");
		jr_string(&addr, "zip_code", JR_REQUIRED, 5, 6, &s);
		jr_int(&addr, "floor", 0, -5, 200, &i);
		if (jr_object(&addr, "geo", 0, &geo) == JR_SET)
			jr_double(&geo, "lng", JR_REQUIRED, -180.0, 180.0, &d);
	}
	FUZZ_CHECK(err->nfields <= ERROR_MAX_FIELDS, "%zu fields", err->nfields);
	for (size_t k = 0; k < err->nfields; k++)
		FUZZ_CHECK(err->fields[k].path && err->fields[k].rule && err->fields[k].message,
			   "field %zu incomplete", k);
}

static void check_writer(json_t *root)
{
	struct buf out;
	struct jw w;
	json_error_t je;
	json_t *back;

	if (tree_depth(root) > JW_MAX_DEPTH)
		return; /* past the writer's documented nesting limit (it aborts by design) */
	buf_init(&out, arena, 256);
	jw_init(&w, &out);
	write_tree(&w, root);
	FUZZ_CHECK(jw_complete(&w), "writer did not complete the document");
	back = json_loadb(out.ptr, out.len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	FUZZ_CHECK(back, "jansson cannot read the writer's output: %s at %d: %.*s", je.text,
		   je.position, (int)(out.len > 200 ? 200 : out.len), out.ptr);
	FUZZ_CHECK(tree_equal(root, back), "re-parsed tree differs: %.*s",
		   (int)(out.len > 200 ? 200 : out.len), out.ptr);
	json_decref(back);
}

static void check_escape(const uint8_t *data, size_t size)
{
	struct str in = { (const char *)data, size };
	struct buf out;
	json_error_t je;
	json_t *s, *ref;

	buf_init(&out, arena, 64);
	json_escape_to(&out, in);
	for (size_t k = 0; k < out.len; k++)
		FUZZ_CHECK((unsigned char)out.ptr[k] >= 0x20, "raw control byte 0x%02x at %zu",
			   (unsigned char)out.ptr[k], k);
	FUZZ_CHECK(!memmem(out.ptr, out.len, "\xE2\x80\xA8", 3) && !memmem(out.ptr, out.len, "\xE2\x80\xA9", 3),
		   "unescaped U+2028/U+2029");
	s = json_loadb(out.ptr, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	FUZZ_CHECK(s && json_is_string(s), "escaped output is not a JSON string: %s", s ? "" : je.text);
	ref = json_stringn(in.ptr, in.len); /* NULL unless the input is valid UTF-8 */
	if (ref)
		FUZZ_CHECK(json_string_length(s) == size &&
				   memcmp(json_string_value(s), data, size) == 0,
			   "valid UTF-8 did not round-trip");
	else
		FUZZ_CHECK(json_string_length(s) > 0 || size == 0, "invalid input vanished");
	json_decref(ref);
	json_decref(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct error err;
	json_t *root;

	if (!arena)
		arena = arena_create(64 * 1024);
	arena_reset(arena);
	error_init(&err, arena);

	root = json_read_parse((struct str){ (const char *)data, size }, &err);
	if (!root) {
		FUZZ_CHECK(err.kind == ERROR_MALFORMED && err.message, "parse failure without an error");
	} else {
		FUZZ_CHECK(err.kind == ERROR_NONE, "parse success with an error");
		exercise_getters(root, &err);
		check_writer(root);
		json_decref(root);
	}
	check_escape(data, size);
	return 0;
}
