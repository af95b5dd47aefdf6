#include "json/json_read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/*
 * jansson's allocator, installed before main() runs. jansson 2.14 does not always say when
 * it ran out of memory (tests/unit/test_alloc_fault.c found both): a string token it cannot
 * copy comes back as a syntax error at a real position, and a string whose buffer cannot
 * grow is silently cut short in a tree that parses. So every failed allocation is noted on
 * the thread, and json_read_parse asks. It is also where alloc_fault() lets a test fail one.
 */
static _Thread_local bool alloc_failed;

static void *jr_malloc(size_t size)
{
	void *p = alloc_fault(size) ? NULL : malloc(size);
	if (!p)
		alloc_failed = true;
	return p;
}

__attribute__((constructor)) static void jr_install_allocator(void)
{
	json_set_alloc_funcs(jr_malloc, free);
}

json_t *json_read_parse(struct str body, struct error *err)
{
	json_error_t je;
	json_t *root;

	if (body.len == 0) {
		error_set(err, ERROR_MALFORMED, "ParseError", "request body is empty; a JSON document is expected");
		return NULL;
	}
	/*
	 * JSON_DECODE_ANY: a bare scalar parses, then fails jr_root's object check with a
	 * clearer message. JSON_REJECT_DUPLICATES: an ambiguous body is refused.
	 */
	alloc_failed = false;
	root = json_loadb(body.ptr, body.len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	/*
	 * Not the client's fault: the tree did not fit in the memory available. A tree that
	 * came back anyway is not trusted either: jansson 2.14 silently cuts a string short
	 * when its buffer cannot grow.
	 */
	if (alloc_failed) {
		json_decref(root);
		error_set(err, ERROR_TOO_LARGE, NULL,
			  "the request body cannot be parsed in the memory available now; try again later");
		return NULL;
	}
	if (!root) {
		error_set(err, ERROR_MALFORMED, "ParseError",
			  "malformed JSON at line %d, column %d (byte %d): %s", je.line, je.column,
			  je.position, je.text);
		return NULL;
	}
	return root;
}

const char *jr_path(const struct jr *r, const char *key)
{
	if (!r->prefix || !r->prefix[0])
		return key;
	return arena_printf(r->err->arena, "%s.%s", r->prefix, key);
}

struct jr jr_root(struct error *err, json_t *root)
{
	struct jr r = { err, NULL, "" };
	if (root && json_is_object(root))
		r.obj = root;
	else
		error_field(err, "", RULE_TYPE, "the body must be a JSON object");
	return r;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

/* Looks up key; handles absent/null/required. Returns JR_SET with *v, or a final result. */
static int lookup(struct jr *r, const char *key, unsigned flags, json_t **v)
{
	if (!r->obj)
		return JR_ABSENT;
	*v = json_object_get(r->obj, key);
	if (!*v) {
		if (flags & JR_REQUIRED) {
			error_field(r->err, jr_path(r, key), RULE_REQUIRED, "this field is required");
			return JR_INVALID;
		}
		return JR_ABSENT;
	}
	if (json_is_null(*v)) {
		if (flags & JR_NULLABLE)
			return JR_NULL;
		error_field(r->err, jr_path(r, key), (flags & JR_REQUIRED) ? RULE_REQUIRED : RULE_TYPE,
			    "this field may not be null");
		return JR_INVALID;
	}
	return JR_SET;
}

static int wrong_type(struct jr *r, const char *key, const char *want, const json_t *v)
{
	error_field(r->err, jr_path(r, key), RULE_TYPE, "expected %s, got %s", want, type_name(v));
	return JR_INVALID;
}

int jr_object(struct jr *r, const char *key, unsigned flags, struct jr *child)
{
	json_t *v;
	int rc = lookup(r, key, flags, &v);

	child->err = r->err;
	child->obj = NULL;
	child->prefix = jr_path(r, key);
	if (rc != JR_SET)
		return rc;
	if (!json_is_object(v))
		return wrong_type(r, key, "an object", v);
	child->obj = v;
	return JR_SET;
}

size_t utf8_length(struct str s)
{
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++)
		if (((unsigned char)s.ptr[i] & 0xC0) != 0x80)
			n++;
	return n;
}

int jr_string(struct jr *r, const char *key, unsigned flags, size_t min_len, size_t max_len,
	      struct str *out)
{
	json_t *v;
	int rc = lookup(r, key, flags, &v);
	struct str s;
	size_t n;

	if (rc != JR_SET)
		return rc;
	if (!json_is_string(v))
		return wrong_type(r, key, "a string", v);
	s = (struct str){ json_string_value(v), json_string_length(v) };
	if (memchr(s.ptr, '\0', s.len)) {
		error_field(r->err, jr_path(r, key), RULE_FORMAT, "must not contain NUL characters");
		return JR_INVALID;
	}
	n = utf8_length(s);
	if (n < min_len) {
		if (n == 0 && (flags & JR_REQUIRED))
			error_field(r->err, jr_path(r, key), RULE_REQUIRED, "this field may not be blank");
		else
			error_field(r->err, jr_path(r, key), RULE_LENGTH,
				    "must be at least %zu characters long (got %zu)", min_len, n);
		return JR_INVALID;
	}
	if (n > max_len) {
		error_field(r->err, jr_path(r, key), RULE_LENGTH,
			    "must be at most %zu characters long (got %zu)", max_len, n);
		return JR_INVALID;
	}
	*out = s;
	return JR_SET;
}

int jr_int(struct jr *r, const char *key, unsigned flags, int64_t min, int64_t max, int64_t *out)
{
	json_t *v;
	int rc = lookup(r, key, flags, &v);
	int64_t x;

	if (rc != JR_SET)
		return rc;
	if (json_is_integer(v)) {
		x = (int64_t)json_integer_value(v);
	} else if (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)) &&
		   fabs(json_real_value(v)) < 9007199254740992.0) {
		x = (int64_t)json_real_value(v); /* 3.0 is an integer */
	} else if (json_is_string(v)) {
		struct str s = { json_string_value(v), json_string_length(v) };
		if (str_to_int64(str_trim(s), &x) < 0)
			return wrong_type(r, key, "an integer", v);
	} else {
		return wrong_type(r, key, "an integer", v);
	}
	if (x < min || x > max) {
		error_field(r->err, jr_path(r, key), RULE_RANGE,
			    "must be between %lld and %lld (got %lld)", (long long)min, (long long)max,
			    (long long)x);
		return JR_INVALID;
	}
	*out = x;
	return JR_SET;
}

/* A JSON-style number in a string: -?digits[.digits][(e|E)[+-]digits]; no hex, no spaces. */
static bool is_decimal_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

int jr_double(struct jr *r, const char *key, unsigned flags, double min, double max, double *out)
{
	json_t *v;
	int rc = lookup(r, key, flags, &v);
	double x;

	if (rc != JR_SET)
		return rc;
	if (json_is_number(v)) {
		x = json_number_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		if (!is_decimal_number(s) || json_string_length(v) > 64)
			return wrong_type(r, key, "a number", v);
		x = strtod(s, &end);
		if (*end || !isfinite(x))
			return wrong_type(r, key, "a number", v);
	} else {
		return wrong_type(r, key, "a number", v);
	}
	if (!(x >= min && x <= max)) {
		error_field(r->err, jr_path(r, key), RULE_RANGE, "must be between %g and %g (got %g)",
			    min, max, x);
		return JR_INVALID;
	}
	*out = x;
	return JR_SET;
}

int jr_bool(struct jr *r, const char *key, unsigned flags, bool *out)
{
	json_t *v;
	int rc = lookup(r, key, flags, &v);

	if (rc != JR_SET)
		return rc;
	if (!json_is_boolean(v))
		return wrong_type(r, key, "a boolean", v);
	*out = json_is_true(v);
	return JR_SET;
}

int jr_enum(struct jr *r, const char *key, unsigned flags, const char *const *values, int *out)
{
	struct str s;
	int rc = jr_string(r, key, flags, 0, 256, &s);

	if (rc != JR_SET)
		return rc;
	for (int i = 0; values[i]; i++) {
		if (str_eq_cstr(s, values[i])) {
			*out = i;
			return JR_SET;
		}
	}
	{
		struct buf b;
		buf_init(&b, r->err->arena, 128);
		for (int i = 0; values[i]; i++) {
			if (i)
				buf_append(&b, ", ", 2);
			buf_append_cstr(&b, values[i]);
		}
		buf_putc(&b, '\0');
		error_field(r->err, jr_path(r, key), RULE_ENUM, "\"%.*s\" is not one of: %s",
			    (int)(s.len > 64 ? 64 : s.len), s.ptr, b.ptr);
	}
	return JR_INVALID;
}

int jr_array(struct jr *r, const char *key, unsigned flags, size_t max_items, json_t **out)
{
	json_t *v;
	int rc = lookup(r, key, flags, &v);

	if (rc != JR_SET)
		return rc;
	if (!json_is_array(v))
		return wrong_type(r, key, "an array", v);
	if (json_array_size(v) > max_items) {
		error_field(r->err, jr_path(r, key), RULE_LENGTH, "must have at most %zu items (got %zu)",
			    max_items, json_array_size(v));
		return JR_INVALID;
	}
	*out = v;
	return JR_SET;
}
