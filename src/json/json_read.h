/*
 * json_read.h — reading request bodies with jansson, collecting field errors.
 *
 * json_read_parse() turns a body into a jansson tree or fills a MALFORMED error
 * naming the line, column and byte position. When jansson runs out of memory the
 * error is TOO_LARGE (413) instead: the body is not at fault, and there is no position. The typed getters then read one
 * member each and, when it is wrong, record a field error (path + rule + reason)
 * and carry on, so a handler reports every bad field of a body at once:
 *
 *     struct jr r = jr_root(err, body);
 *     jr_string(&r, "username", JR_REQUIRED, 1, 150, &username);
 *     jr_int(&r, "rooms", 0, 1, 50, &rooms);
 *     if (error_failed(err)) return -1;
 *
 * Every getter returns JR_SET (value stored in *out), JR_ABSENT (member missing;
 * *out untouched), JR_NULL (null, when JR_NULLABLE allows it; *out untouched) or
 * JR_INVALID (a field error was recorded). Numbers also arrive as numeric strings from real clients,
 * and both are accepted (decisions.md G-04). Unknown members are ignored (G-03).
 * Lengths count Unicode code points, not bytes. Nesting depth is bounded by
 * jansson's parser (2048 levels), which the body limit keeps far smaller.
 */
#ifndef RENTD_JSON_READ_H
#define RENTD_JSON_READ_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "base/str.h"

/* presence flags */
#define JR_REQUIRED 1u /* absent → field error "required" */
#define JR_NULLABLE 2u /* null → JR_NULL instead of a type error */

enum jr_result { JR_INVALID = -1, JR_ABSENT = 0, JR_SET = 1, JR_NULL = 2 };

struct jr {
	struct error *err;
	json_t *obj;        /* the object being read; NULL if it was not an object */
	const char *prefix; /* path of obj, "" at the root */
};

/* Parses body; returns a new reference (caller json_decref's) or NULL with err set. */
json_t *json_read_parse(struct str body, struct error *err);

/* A reader over the root; records a type error if root is not an object. */
struct jr jr_root(struct error *err, json_t *root);
/* A reader over a nested object member; absent/null members give a reader with obj NULL. */
int jr_object(struct jr *r, const char *key, unsigned flags, struct jr *child);

int jr_string(struct jr *r, const char *key, unsigned flags, size_t min_len, size_t max_len,
	      struct str *out);
int jr_int(struct jr *r, const char *key, unsigned flags, int64_t min, int64_t max, int64_t *out);
int jr_double(struct jr *r, const char *key, unsigned flags, double min, double max, double *out);
int jr_bool(struct jr *r, const char *key, unsigned flags, bool *out);
/* values is NULL-terminated; *out is the index of the match. */
int jr_enum(struct jr *r, const char *key, unsigned flags, const char *const *values, int *out);
/* An array member; *out borrowed from the tree. */
int jr_array(struct jr *r, const char *key, unsigned flags, size_t max_items, json_t **out);

/* The path of a member as reported in errors: prefix.key */
const char *jr_path(const struct jr *r, const char *key);

/* Number of Unicode code points in valid UTF-8. */
size_t utf8_length(struct str s);

#endif
