/*
 * fuzz_router.c — router_match() over arbitrary path bytes.
 *
 * A fixed table in the shape of the real ones (literals beside {id} and
 * {id:int} at the same level, nested ids, several methods on one path) is built
 * once. The first input byte picks the method, the rest is the path. Whatever
 * comes back must be consistent with the pattern it claims to have matched.
 */
#include <string.h>

#include "base/arena.h"
#include "fuzz.h"
#include "http/router.h"

struct target {
	enum http_method method;
	const char *pattern;
	size_t nparams;
	unsigned int_mask; /* bit i: parameter i is {name:int} */
	const char *names[4];
};

static const struct target targets[] = {
	{ HTTP_GET, "/api/v4/apartment", 0, 0, { NULL } },
	{ HTTP_POST, "/api/v4/apartment", 0, 0, { NULL } },
	{ HTTP_GET, "/api/v4/apartment/{id:int}", 1, 1, { "id" } },
	{ HTTP_PATCH, "/api/v4/apartment/{id:int}", 1, 1, { "id" } },
	{ HTTP_DELETE, "/api/v4/apartment/{id:int}", 1, 1, { "id" } },
	{ HTTP_GET, "/api/v4/apartment/{slug}", 1, 0, { "slug" } },
	{ HTTP_GET, "/api/v4/apartment/{id:int}/pictures", 1, 1, { "id" } },
	{ HTTP_POST, "/api/v4/apartment/{id:int}/pictures", 1, 1, { "id" } },
	{ HTTP_GET, "/api/v4/apartment/{id:int}/pictures/{picture_id:int}", 2, 3, { "id", "picture_id" } },
	{ HTTP_DELETE, "/api/v4/apartment/{id:int}/pictures/{picture_id:int}", 2, 3, { "id", "picture_id" } },
	{ HTTP_GET, "/api/v4/estate/{id:int}/apartment/{slug}/", 2, 1, { "id", "slug" } },
	{ HTTP_GET, "/api/landlords/accounts/me", 0, 0, { NULL } },
	{ HTTP_PUT, "/api/landlords/accounts/me", 0, 0, { NULL } },
	{ HTTP_GET, "/api/landlords/accounts/{id}", 1, 0, { "id" } },
	{ HTTP_DELETE, "/api/landlords/accounts/{id}", 1, 0, { "id" } },
	{ HTTP_GET, "/api/landlords/accounts/{id}/contacts/{contact}", 2, 0, { "id", "contact" } },
	{ HTTP_GET, "/v2/market/objects", 0, 0, { NULL } },
	{ HTTP_GET, "/v2/market/objects/{id}", 1, 0, { "id" } },
	{ HTTP_POST, "/v2/market/objects/{id}/apply", 1, 0, { "id" } },
	{ HTTP_OPTIONS, "/v2/market/objects/{id}/apply", 1, 0, { "id" } },
	{ HTTP_GET, "/healthz", 0, 0, { NULL } },
	{ HTTP_GET, "/", 0, 0, { NULL } },
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static struct router *router;
static struct arena *arena;

static void setup(void)
{
	router = router_create();
	arena = arena_create(4096);
	for (size_t i = 0; i < NTARGETS; i++)
		FUZZ_CHECK(router_add(router, targets[i].method, targets[i].pattern, &targets[i]) == 0,
			   "router_add %s", targets[i].pattern);
	/* malformed and duplicate patterns are refused */
	FUZZ_CHECK(router_add(router, HTTP_GET, "/healthz", &targets[0]) < 0, "duplicate accepted");
	FUZZ_CHECK(router_add(router, HTTP_GET, "/a//b", &targets[0]) < 0, "'//' accepted");
	FUZZ_CHECK(router_add(router, HTTP_GET, "/a/{}", &targets[0]) < 0, "'{}' accepted");
	FUZZ_CHECK(router_add(router, HTTP_GET, "/api/v4/apartment/{other:int}/x", &targets[0]) < 0,
		   "second int parameter name accepted at one level");
}

static void check_found(const struct router_match *m, struct str path, enum http_method method)
{
	const struct target *t = m->target;
	enum http_method want = method == HTTP_HEAD ? HTTP_GET : method;

	FUZZ_CHECK(t >= targets && t < targets + NTARGETS, "unknown target");
	FUZZ_CHECK(t->method == want, "%s matched a %s route", http_method_name(method),
		   http_method_name(t->method));
	FUZZ_CHECK(m->params.n == t->nparams, "%zu params for %s", m->params.n, t->pattern);
	FUZZ_CHECK(path.len > 0 && path.ptr[0] == '/', "matched a path without a leading '/'");
	for (size_t i = 0; i < m->params.n; i++) {
		const struct str v = m->params.values[i];
		FUZZ_CHECK(strcmp(m->params.names[i], t->names[i]) == 0, "param %zu is %s", i,
			   m->params.names[i]);
		FUZZ_CHECK(v.ptr && v.len > 0, "param %zu empty", i);
		FUZZ_CHECK(v.len <= path.len, "param %zu longer than the path", i);
		/* %00 is refused; a raw NUL (which the adapter's C-string URI cannot carry) is kept */
		FUZZ_CHECK(!memchr(v.ptr, '\0', v.len) || memchr(path.ptr, '\0', path.len),
			   "param %zu decodes to a NUL byte", i);
		if (t->int_mask & (1u << i)) {
			int64_t back;
			FUZZ_CHECK(m->params.ints[i] > 0, "int param %zu is %lld", i, (long long)m->params.ints[i]);
			FUZZ_CHECK(str_to_int64(v, &back) == 0 && back == m->params.ints[i],
				   "int param %zu text and value disagree", i);
		} else {
			FUZZ_CHECK(m->params.ints[i] == 0, "string param %zu has an int value", i);
		}
		FUZZ_CHECK(route_param(&m->params, t->names[i]).ptr == m->params.values[i].ptr,
			   "route_param(%s)", t->names[i]);
		FUZZ_CHECK(route_param_int(&m->params, t->names[i]) == m->params.ints[i],
			   "route_param_int(%s)", t->names[i]);
	}
	FUZZ_CHECK(route_param(&m->params, "absent").ptr == NULL, "route_param found an absent name");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct router_match m;
	enum router_result rr;
	enum http_method method;
	struct str path;

	if (!router)
		setup();
	if (size < 1)
		return 0;
	arena_reset(arena);
	method = (enum http_method)(data[0] % HTTP_METHOD_COUNT);
	path = (struct str){ (const char *)data + 1, size - 1 };

	rr = router_match(router, arena, method, path, &m);
	FUZZ_CHECK(m.params.n <= ROUTER_MAX_PARAMS, "%zu params", m.params.n);
	switch (rr) {
	case ROUTER_FOUND:
		FUZZ_CHECK(method != HTTP_OTHER, "an unknown method matched");
		check_found(&m, path, method);
		if (method == HTTP_GET) {
			struct router_match h;
			FUZZ_CHECK(router_match(router, arena, HTTP_HEAD, path, &h) == ROUTER_FOUND &&
					   h.target == m.target,
				   "HEAD is not served by the GET target");
		}
		break;
	case ROUTER_METHOD_NOT_ALLOWED: {
		unsigned self = 1u << (method == HTTP_HEAD ? HTTP_GET : method);
		char *allow = router_allow_header(arena, m.allowed);
		FUZZ_CHECK(m.target == NULL, "405 with a target");
		FUZZ_CHECK(m.allowed != 0 && !(m.allowed & self), "allowed mask 0x%x for %s", m.allowed,
			   http_method_name(method));
		FUZZ_CHECK(m.allowed < (1u << HTTP_OTHER), "allowed mask 0x%x", m.allowed);
		FUZZ_CHECK(allow && allow[0], "empty Allow header");
		break;
	}
	case ROUTER_NOT_FOUND:
		FUZZ_CHECK(m.target == NULL, "404 with a target");
		break;
	default:
		FUZZ_CHECK(0, "router_match returned %d", (int)rr);
	}
	return 0;
}
