/*
 * router.h — maps (method, path) to a route target.
 *
 * Patterns are '/'-separated segments: literals, "{name}" (any non-empty segment,
 * percent-decoded) and "{name:int}" (a positive 64-bit decimal integer, so an id
 * that is not one simply does not match: 404, never a crash). Literals win over
 * parameters, integer parameters over string ones, with backtracking, so
 * "/accounts/me" and "/accounts/{id}" coexist. One trailing slash is optional on
 * every route (decisions.md G-01). HEAD is served by the GET target.
 *
 * The router stores opaque targets; the application decides what they are
 * (app/app.h: struct route). Built once at start, then read-only and shared by
 * all worker threads.
 */
#ifndef RENTD_ROUTER_H
#define RENTD_ROUTER_H

#include <stdint.h>

#include "base/arena.h"
#include "base/str.h"
#include "http/request.h"

#define ROUTER_MAX_PARAMS 8
#define ROUTER_MAX_SEGMENTS 32

struct router;

struct route_params {
	size_t n;
	const char *names[ROUTER_MAX_PARAMS];
	struct str values[ROUTER_MAX_PARAMS]; /* decoded */
	int64_t ints[ROUTER_MAX_PARAMS];      /* for {name:int}; 0 otherwise */
};

enum router_result { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_METHOD_NOT_ALLOWED };

struct router_match {
	const void *target;
	struct route_params params;
	unsigned allowed; /* bit per enum http_method, filled on ROUTER_METHOD_NOT_ALLOWED */
};

struct router *router_create(void);
void router_destroy(struct router *r);

/* Returns 0, or -1 if the pattern is malformed or the method+pattern already exists. */
int router_add(struct router *r, enum http_method method, const char *pattern, const void *target);

enum router_result router_match(const struct router *r, struct arena *arena, enum http_method method,
				struct str path, struct router_match *m);

/* "GET, HEAD, POST" for an allowed-method mask, in the arena. */
char *router_allow_header(struct arena *arena, unsigned allowed);

/* Parameter by name: its value / its integer; STR_NULL / 0 if absent. */
struct str route_param(const struct route_params *p, const char *name);
int64_t route_param_int(const struct route_params *p, const char *name);

#endif
