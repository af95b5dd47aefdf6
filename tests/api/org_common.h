/*
 * org_common.h — small assertions shared by the organization API suites
 * (company, offices, employees, profiles, notes, access). Everything is static
 * inline so a suite that leaves a helper unused still builds with -Werror.
 */
#ifndef RENTD_TEST_ORG_COMMON_H
#define RENTD_TEST_ORG_COMMON_H

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* A request whose body is printf-formatted (fmt NULL: no body). */
__attribute__((format(printf, 5, 6))) static inline struct hresp *
reqf(struct harness *h, const char *method, const char *target, const char *token, const char *fmt, ...)
{
	struct hresp *r;
	char *body = NULL;
	va_list ap;
	int n;

	if (fmt) {
		va_start(ap, fmt);
		n = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
		cr_assert(n >= 0);
		body = malloc((size_t)n + 1);
		cr_assert(body);
		va_start(ap, fmt);
		vsnprintf(body, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	r = harness_auth(h, method, target, token, body);
	free(body);
	return r;
}

/* A target built with printf. */
__attribute__((format(printf, 2, 3))) static inline const char *pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, 512, fmt, ap);
	va_end(ap);
	return buf;
}

/* Status and HomeQ error name, with the error body's shape (H-03). */
static inline void expect_error(const struct hresp *r, int status, const char *name)
{
	cr_assert_eq(r->status, status, "expected %d %s, got %d: %s", status, name, r->status, r->body);
	cr_assert(json_is_object(r->json), "error body is not JSON: %s", r->body);
	cr_assert(hresp_str(r, "error") != NULL, "no error name: %s", r->body);
	cr_assert_str_eq(hresp_str(r, "error"), name, "body: %s", r->body);
	cr_assert(hresp_str(r, "description") != NULL, "no description: %s", r->body);
	cr_assert(hresp_str(r, "correlation_id") != NULL, "no correlation_id: %s", r->body);
}

static inline bool has_field(const struct hresp *r, const char *path)
{
	json_t *fields = r->json ? json_object_get(r->json, "fields") : NULL;
	return json_is_object(fields) && json_is_array(json_object_get(fields, path)) &&
	       json_array_size(json_object_get(fields, path)) > 0;
}

/* 412 ValidationError whose fields name path. */
static inline void expect_invalid(const struct hresp *r, const char *path)
{
	expect_error(r, 412, "ValidationError");
	cr_assert(has_field(r, path), "fields do not name %s: %s", path, r->body);
}

static inline bool desc_contains(const struct hresp *r, const char *needle)
{
	const char *d = hresp_str(r, "description");
	return d && strstr(d, needle);
}

/* 403 PermissionDenied whose description names the right. */
static inline void expect_no_right(const struct hresp *r, const char *right)
{
	expect_error(r, 403, "PermissionDenied");
	cr_assert(desc_contains(r, right), "description does not name %s: %s", right, r->body);
}

/* Asserts the response status and frees it. */
static inline void expect_status_free(struct hresp *r, int status)
{
	cr_assert_eq(r->status, status, "expected %d, got %d: %s", status, r->status, r->body);
	hresp_free(r);
}

/* Integer member of a JSON object (or -1). */
static inline long long jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

static inline const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Element of a JSON array whose "id" is id, or NULL. */
static inline json_t *find_id(json_t *arr, long long id)
{
	size_t i;
	json_t *v;
	json_array_foreach (arr, i, v)
		if (jint(v, "id") == id)
			return v;
	return NULL;
}

/* The object has exactly these keys (NULL-terminated). */
static inline void expect_keys(json_t *o, const char *const *keys)
{
	size_t n = 0;
	cr_assert(json_is_object(o));
	for (; keys[n]; n++)
		cr_assert(json_object_get(o, keys[n]) != NULL, "missing key %s", keys[n]);
	cr_assert_eq(json_object_size(o), n, "object has %zu keys, expected %zu", json_object_size(o), n);
}

/* True when the array of strings contains s. */
static inline bool str_array_has(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach (arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

#endif
