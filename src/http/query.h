/*
 * query.h — application/x-www-form-urlencoded query strings.
 *
 * query_parse() splits "a=1&b=x%20y&c" into decoded key/value pairs in request
 * order (repeated keys kept, "ids[]=" forms kept as written). '+' is a space.
 * A malformed escape ("%zz", "%4") or an encoded NUL is an error: we answer 400
 * rather than guess. At most QUERY_MAX_PARAMS pairs. The decoded copies are the only
 * allocations whose size follows the input; when the arena cannot hold them the request is
 * refused as too large (413, ERROR_TOO_LARGE) instead of stopping the server (die_oom).
 */
#ifndef RENTD_QUERY_H
#define RENTD_QUERY_H

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"

#define QUERY_MAX_PARAMS 128

struct query_param {
	struct str key;
	struct str value;
};

struct query {
	struct query_param *items;
	size_t n;
};

int query_parse(struct arena *arena, struct str raw, struct query *out, struct error *err);

/* First value of key, or STR_NULL (ptr NULL) when absent. */
struct str query_get(const struct query *q, const char *key);

#define URL_DECODE_BAD_ESCAPE (-1)
#define URL_DECODE_NO_MEMORY (-2)

/* Percent-decodes s ('+' → ' ' when plus_is_space) into the arena: 0, or URL_DECODE_*. */
int url_decode(struct arena *arena, struct str s, int plus_is_space, struct str *out);

#endif
