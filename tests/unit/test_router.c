/*
 * test_router.c — route matching: precedence, parameters, trailing slashes, 405s.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/request.h"
#include "http/router.h"

static struct arena *arena;
static struct router *r;
static struct router_match m;

/* distinct targets */
static const int T_ROOT, T_LIST, T_ME, T_BY_ID, T_BY_INT, T_CREATE, T_DELETE, T_SUB, T_PUT, T_DEEP, T_OTHER;

static void setup(void)
{
	arena = arena_create(4096);
	r = router_create();
	memset(&m, 0, sizeof(m));
}

static void teardown(void)
{
	router_destroy(r);
	arena_destroy(arena);
}

TestSuite(router, .init = setup, .fini = teardown);

static void add(enum http_method method, const char *pattern, const void *target)
{
	cr_assert_eq(router_add(r, method, pattern, target), 0, "router_add %s %s failed",
		     http_method_name(method), pattern);
}

static enum router_result match(enum http_method method, const char *path)
{
	return router_match(r, arena, method, str_from_cstr(path), &m);
}

static void expect_found(enum http_method method, const char *path, const void *target)
{
	enum router_result res = match(method, path);
	cr_assert_eq(res, ROUTER_FOUND, "%s %s: result %d", http_method_name(method), path, res);
	cr_assert_eq(m.target, target, "%s %s matched the wrong route", http_method_name(method), path);
}

static void expect_not_found(enum http_method method, const char *path)
{
	enum router_result res = match(method, path);
	cr_assert_eq(res, ROUTER_NOT_FOUND, "%s %s: result %d, want not found", http_method_name(method),
		     path, res);
	cr_assert_null(m.target);
}

static void expect_param(const char *name, const char *value)
{
	struct str v = route_param(&m.params, name);
	cr_assert_not_null(v.ptr, "param %s missing", name);
	cr_assert(str_eq_cstr(v, value), "param %s is '%.*s', want '%s'", name, STR_FMT(v), value);
}

#define BIT(meth) (1u << (meth))

/* ---- literals and parameters ---- */

Test(router, root_and_literals)
{
	add(HTTP_GET, "/", &T_ROOT);
	add(HTTP_GET, "/accounts", &T_LIST);
	add(HTTP_GET, "/accounts/me", &T_ME);
	expect_found(HTTP_GET, "/", &T_ROOT);
	expect_found(HTTP_GET, "/accounts", &T_LIST);
	expect_found(HTTP_GET, "/accounts/me", &T_ME);
	cr_assert_eq(m.params.n, 0);
	expect_not_found(HTTP_GET, "/account");
	expect_not_found(HTTP_GET, "/accountsX");
	expect_not_found(HTTP_GET, "/Accounts");
	expect_not_found(HTTP_GET, "/accounts/me/more");
	expect_not_found(HTTP_GET, "/accounts/you");
}

Test(router, paths_must_start_with_slash)
{
	add(HTTP_GET, "/", &T_ROOT);
	add(HTTP_GET, "/a", &T_LIST);
	expect_not_found(HTTP_GET, "");
	expect_not_found(HTTP_GET, "a");
	expect_not_found(HTTP_GET, "*");
}

Test(router, literal_wins_over_param)
{
	add(HTTP_GET, "/a/{id}", &T_BY_ID);
	add(HTTP_GET, "/a/me", &T_ME);
	expect_found(HTTP_GET, "/a/me", &T_ME);
	cr_assert_eq(m.params.n, 0);
	expect_found(HTTP_GET, "/a/you", &T_BY_ID);
	cr_assert_eq(m.params.n, 1);
	expect_param("id", "you");
}

Test(router, int_wins_over_string)
{
	add(HTTP_GET, "/a/{name}", &T_BY_ID);
	add(HTTP_GET, "/a/{id:int}", &T_BY_INT);
	expect_found(HTTP_GET, "/a/42", &T_BY_INT);
	cr_assert_eq(route_param_int(&m.params, "id"), 42);
	expect_param("id", "42");
	expect_found(HTTP_GET, "/a/x42", &T_BY_ID);
	expect_param("name", "x42");
	cr_assert_eq(route_param_int(&m.params, "name"), 0);
	/* a string parameter is not an int parameter: 0 is a plain string here */
	expect_found(HTTP_GET, "/a/0", &T_BY_ID);
	expect_param("name", "0");
}

Test(router, backtracks_out_of_literal_dead_end)
{
	/* /a/me/x exists, but /a/me/y can only be /a/{id}/y */
	add(HTTP_GET, "/a/me/x", &T_ME);
	add(HTTP_GET, "/a/{id}/y", &T_BY_ID);
	expect_found(HTTP_GET, "/a/me/y", &T_BY_ID);
	cr_assert_eq(m.params.n, 1);
	expect_param("id", "me");
	expect_found(HTTP_GET, "/a/me/x", &T_ME);
	cr_assert_eq(m.params.n, 0);
}

Test(router, backtracks_out_of_int_dead_end)
{
	add(HTTP_GET, "/a/{id:int}/x", &T_BY_INT);
	add(HTTP_GET, "/a/{slug}/y", &T_BY_ID);
	expect_found(HTTP_GET, "/a/5/y", &T_BY_ID);
	cr_assert_eq(m.params.n, 1, "params of the abandoned branch must be dropped");
	expect_param("slug", "5");
	cr_assert_null(route_param(&m.params, "id").ptr);
	expect_found(HTTP_GET, "/a/5/x", &T_BY_INT);
	cr_assert_eq(route_param_int(&m.params, "id"), 5);
}

Test(router, backtracks_when_method_missing_on_literal)
{
	/* GET /a/me exists only through the parameter route */
	add(HTTP_POST, "/a/me", &T_CREATE);
	add(HTTP_GET, "/a/{id}", &T_BY_ID);
	expect_found(HTTP_GET, "/a/me", &T_BY_ID);
	expect_param("id", "me");
	expect_found(HTTP_POST, "/a/me", &T_CREATE);
}

Test(router, several_params)
{
	add(HTTP_GET, "/c/{company:int}/u/{user}/x/{n:int}", &T_DEEP);
	expect_found(HTTP_GET, "/c/7/u/anna/x/9", &T_DEEP);
	cr_assert_eq(m.params.n, 3);
	cr_assert_str_eq(m.params.names[0], "company");
	cr_assert_str_eq(m.params.names[1], "user");
	cr_assert_str_eq(m.params.names[2], "n");
	cr_assert_eq(route_param_int(&m.params, "company"), 7);
	expect_param("user", "anna");
	cr_assert_eq(route_param_int(&m.params, "n"), 9);
	cr_assert_eq(route_param_int(&m.params, "user"), 0);
	cr_assert_null(route_param(&m.params, "nope").ptr);
	cr_assert_eq(route_param_int(&m.params, "nope"), 0);
}

Test(router, int_param_rejects_non_positive_and_non_canonical)
{
	add(HTTP_GET, "/a/{id:int}", &T_BY_INT);
	static const char *const bad[] = {
		"/a/0", "/a/-1", "/a/007", "/a/abc", "/a/99999999999999999999", "/a/9223372036854775808",
		"/a/1.5", "/a/+1", "/a/1e3", "/a/%31", "/a/ 1", "/a/-0", "/a/12a",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_not_found(HTTP_GET, bad[i]);
	expect_found(HTTP_GET, "/a/1", &T_BY_INT);
	cr_assert_eq(route_param_int(&m.params, "id"), 1);
	expect_found(HTTP_GET, "/a/9223372036854775807", &T_BY_INT);
	cr_assert_eq(route_param_int(&m.params, "id"), INT64_MAX);
}

Test(router, param_values_are_percent_decoded)
{
	add(HTTP_GET, "/f/{name}", &T_BY_ID);
	expect_found(HTTP_GET, "/f/G%C3%B6teborg", &T_BY_ID);
	expect_param("name", "G\xC3\xB6teborg");
	/* '+' is not a space in paths; an encoded slash stays inside the segment */
	expect_found(HTTP_GET, "/f/a+b%2Fc", &T_BY_ID);
	expect_param("name", "a+b/c");
	expect_found(HTTP_GET, "/f/%20", &T_BY_ID);
	expect_param("name", " ");
}

Test(router, bad_escapes_and_nul_in_params_do_not_match)
{
	add(HTTP_GET, "/f/{name}", &T_BY_ID);
	expect_not_found(HTTP_GET, "/f/%zz");
	expect_not_found(HTTP_GET, "/f/ab%4");
	expect_not_found(HTTP_GET, "/f/%00");
	expect_not_found(HTTP_GET, "/f/a%00b");
}

Test(router, literals_are_not_decoded)
{
	add(HTTP_GET, "/ab", &T_LIST);
	expect_not_found(HTTP_GET, "/a%62");
	expect_found(HTTP_GET, "/ab", &T_LIST);
}

/* ---- slashes ---- */

Test(router, one_trailing_slash_is_optional)
{
	add(HTTP_GET, "/a/b", &T_LIST);
	add(HTTP_GET, "/c/", &T_SUB); /* a trailing slash in a pattern is optional too */
	add(HTTP_GET, "/p/{id:int}", &T_BY_INT);
	expect_found(HTTP_GET, "/a/b", &T_LIST);
	expect_found(HTTP_GET, "/a/b/", &T_LIST);
	expect_found(HTTP_GET, "/c", &T_SUB);
	expect_found(HTTP_GET, "/c/", &T_SUB);
	expect_found(HTTP_GET, "/p/3/", &T_BY_INT);
	cr_assert_eq(route_param_int(&m.params, "id"), 3);
}

Test(router, two_trailing_slashes_do_not_match)
{
	add(HTTP_GET, "/", &T_ROOT);
	add(HTTP_GET, "/a/b", &T_LIST);
	add(HTTP_GET, "/p/{id}", &T_BY_ID);
	expect_not_found(HTTP_GET, "/a/b//");
	expect_not_found(HTTP_GET, "/a/b///");
	expect_not_found(HTTP_GET, "/p/x//");
	expect_not_found(HTTP_GET, "//");
}

Test(router, empty_segments_do_not_match)
{
	add(HTTP_GET, "/", &T_ROOT);
	add(HTTP_GET, "/a/b", &T_LIST);
	add(HTTP_GET, "/p/{id}/q", &T_BY_ID);
	expect_not_found(HTTP_GET, "/a//b");
	expect_not_found(HTTP_GET, "//a/b");
	expect_not_found(HTTP_GET, "/p//q");
	expect_found(HTTP_GET, "/", &T_ROOT);
}

Test(router, segment_limit)
{
	struct buf pat, ok, over;
	buf_init(&pat, arena, 64);
	buf_init(&ok, arena, 64);
	buf_init(&over, arena, 64);
	for (int i = 0; i < ROUTER_MAX_SEGMENTS; i++) {
		buf_printf(&pat, "/s%d", i);
		buf_printf(&ok, "/s%d", i);
	}
	buf_putc(&pat, '\0');
	buf_putc(&ok, '\0');
	add(HTTP_GET, pat.ptr, &T_DEEP);
	expect_found(HTTP_GET, ok.ptr, &T_DEEP);

	for (int i = 0; i <= ROUTER_MAX_SEGMENTS; i++)
		buf_printf(&over, "/s%d", i);
	buf_putc(&over, '\0');
	expect_not_found(HTTP_GET, over.ptr);

	/* a very deep path against a catch-all-ish tree is simply not found */
	add(HTTP_GET, "/{a}", &T_BY_ID);
	struct buf deep;
	buf_init(&deep, arena, 64);
	for (int i = 0; i < 1000; i++)
		buf_append_cstr(&deep, "/x");
	buf_putc(&deep, '\0');
	expect_not_found(HTTP_GET, deep.ptr);
}

/* ---- methods ---- */

Test(router, head_is_served_by_get)
{
	add(HTTP_GET, "/a", &T_LIST);
	expect_found(HTTP_HEAD, "/a", &T_LIST);
}

Test(router, head_cannot_be_registered)
{
	cr_assert_lt(router_add(r, HTTP_HEAD, "/a", &T_LIST), 0);
	cr_assert_lt(router_add(r, HTTP_OTHER, "/a", &T_LIST), 0);
	cr_assert_lt(router_add(r, HTTP_GET, "/a", NULL), 0);
}

Test(router, method_not_allowed_mask)
{
	add(HTTP_GET, "/a", &T_LIST);
	add(HTTP_POST, "/a", &T_CREATE);
	add(HTTP_DELETE, "/b", &T_DELETE);

	cr_assert_eq(match(HTTP_PUT, "/a"), ROUTER_METHOD_NOT_ALLOWED);
	cr_assert_null(m.target);
	cr_assert_eq(m.allowed, BIT(HTTP_GET) | BIT(HTTP_HEAD) | BIT(HTTP_POST));
	cr_assert_str_eq(router_allow_header(arena, m.allowed), "GET, HEAD, POST");

	/* without GET there is no HEAD either, so HEAD itself is a 405 */
	cr_assert_eq(match(HTTP_HEAD, "/b"), ROUTER_METHOD_NOT_ALLOWED);
	cr_assert_eq(m.allowed, BIT(HTTP_DELETE));
	cr_assert_str_eq(router_allow_header(arena, m.allowed), "DELETE");
}

Test(router, method_not_allowed_keeps_params)
{
	add(HTTP_GET, "/a/{id:int}", &T_BY_INT);
	cr_assert_eq(match(HTTP_PATCH, "/a/12"), ROUTER_METHOD_NOT_ALLOWED);
	cr_assert_eq(route_param_int(&m.params, "id"), 12);
}

Test(router, unknown_method_on_known_path_is_405)
{
	add(HTTP_GET, "/a", &T_LIST);
	add(HTTP_PUT, "/a", &T_PUT);
	cr_assert_eq(match(HTTP_OTHER, "/a"), ROUTER_METHOD_NOT_ALLOWED);
	cr_assert_eq(m.allowed, BIT(HTTP_GET) | BIT(HTTP_HEAD) | BIT(HTTP_PUT));
	cr_assert_str_eq(router_allow_header(arena, m.allowed), "GET, HEAD, PUT");
	expect_not_found(HTTP_OTHER, "/nowhere");
}

Test(router, options_is_an_ordinary_method)
{
	add(HTTP_GET, "/a", &T_LIST);
	cr_assert_eq(match(HTTP_OPTIONS, "/a"), ROUTER_METHOD_NOT_ALLOWED);
	add(HTTP_OPTIONS, "/a", &T_OTHER);
	expect_found(HTTP_OPTIONS, "/a", &T_OTHER);
}

Test(router, method_not_allowed_across_backtracking)
{
	/* DELETE /a/me: neither /a/me (POST) nor /a/{id} (GET) allows it; both are the resource */
	add(HTTP_POST, "/a/me", &T_CREATE);
	add(HTTP_GET, "/a/{id}", &T_BY_ID);
	cr_assert_eq(match(HTTP_DELETE, "/a/me"), ROUTER_METHOD_NOT_ALLOWED);
	cr_assert_eq(m.allowed, BIT(HTTP_GET) | BIT(HTTP_HEAD) | BIT(HTTP_POST),
		     "Allow must list every method that would succeed on this path, got %#x", m.allowed);
	cr_assert_str_eq(router_allow_header(arena, m.allowed), "GET, HEAD, POST");
	/* a path that only the parameter route matches lists only its methods */
	cr_assert_eq(match(HTTP_DELETE, "/a/you"), ROUTER_METHOD_NOT_ALLOWED);
	cr_assert_eq(m.allowed, BIT(HTTP_GET) | BIT(HTTP_HEAD));
}

Test(router, intermediate_nodes_are_not_routes)
{
	add(HTTP_GET, "/a/b/c", &T_DEEP);
	expect_not_found(HTTP_GET, "/a/b");
	expect_not_found(HTTP_POST, "/a");
}

Test(router, allow_header_texts)
{
	cr_assert_str_eq(router_allow_header(arena, 0), "");
	cr_assert_str_eq(router_allow_header(arena, BIT(HTTP_GET)), "GET");
	cr_assert_str_eq(router_allow_header(arena, BIT(HTTP_GET) | BIT(HTTP_HEAD) | BIT(HTTP_POST) |
							     BIT(HTTP_PUT) | BIT(HTTP_PATCH) | BIT(HTTP_DELETE) |
							     BIT(HTTP_OPTIONS)),
			 "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
	/* the HTTP_OTHER bit names no method */
	cr_assert_str_eq(router_allow_header(arena, BIT(HTTP_OTHER) | BIT(HTTP_PATCH)), "PATCH");
}

/* ---- router_add ---- */

Test(router, add_rejects_duplicates)
{
	add(HTTP_GET, "/a/{id}", &T_BY_ID);
	cr_assert_lt(router_add(r, HTTP_GET, "/a/{id}", &T_OTHER), 0);
	cr_assert_lt(router_add(r, HTTP_GET, "/a/{id}/", &T_OTHER), 0, "trailing slash is the same route");
	/* the original is untouched; another method on the same pattern is fine */
	expect_found(HTTP_GET, "/a/1", &T_BY_ID);
	add(HTTP_PUT, "/a/{id}", &T_PUT);
	expect_found(HTTP_PUT, "/a/1", &T_PUT);
}

Test(router, add_rejects_malformed_patterns)
{
	static const char *const bad[] = {
		"", "a", "noslash/x", "/a//b", "//", "/{}", "/{:int}x", "/a{id}", "/{id", "/id}", "/a/b{c}d",
		"/x}/y", "/{:int}", "/{id:integer}", "/{id:str}", "/{a{b}", "/{a}b}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_lt(router_add(r, HTTP_GET, bad[i], &T_OTHER), 0, "pattern '%s' accepted", bad[i]);
}

Test(router, add_rejects_conflicting_param_names)
{
	add(HTTP_GET, "/a/{id}", &T_BY_ID);
	cr_assert_lt(router_add(r, HTTP_POST, "/a/{name}", &T_CREATE), 0);
	cr_assert_lt(router_add(r, HTTP_GET, "/a/{name}/sub", &T_SUB), 0);
	add(HTTP_GET, "/a/{id}/sub", &T_SUB);
	add(HTTP_GET, "/b/{id:int}", &T_BY_INT);
	cr_assert_lt(router_add(r, HTTP_POST, "/b/{n:int}", &T_CREATE), 0);
	expect_found(HTTP_GET, "/a/x/sub", &T_SUB);
	expect_param("id", "x");
}

Test(router, add_rejects_too_many_params)
{
	add(HTTP_GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", &T_DEEP);
	cr_assert_lt(router_add(r, HTTP_GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", &T_OTHER), 0);
	expect_found(HTTP_GET, "/1/2/3/4/5/6/7/8", &T_DEEP);
	cr_assert_eq(m.params.n, ROUTER_MAX_PARAMS);
	expect_param("a", "1");
	expect_param("h", "8");
	expect_not_found(HTTP_GET, "/1/2/3/4/5/6/7/8/9");
}

Test(router, rejected_add_leaves_no_usable_params_overflow)
{
	/*
	 * A rejected 9-parameter pattern must not leave a branch that, when walked,
	 * writes a ninth parameter and clobbers the ones already matched.
	 */
	cr_assert_lt(router_add(r, HTTP_GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g:int}/{h}/{i}", &T_OTHER), 0);
	add(HTTP_GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/last", &T_DEEP);
	expect_found(HTTP_GET, "/one/two/three/four/five/six/7/eight/last", &T_DEEP);
	cr_assert_eq(m.params.n, 8);
	expect_param("a", "one");
	expect_param("b", "two");
	expect_param("g", "7");
	expect_param("h", "eight");
}

Test(router, create_destroy_empty)
{
	struct router *empty = router_create();
	struct router_match mm;
	cr_assert_eq(router_match(empty, arena, HTTP_GET, STR_LIT("/"), &mm), ROUTER_NOT_FOUND);
	router_destroy(empty);
	router_destroy(NULL);
}

Test(router, path_slice_is_not_nul_terminated)
{
	add(HTTP_GET, "/a/{id}", &T_BY_ID);
	const char path[] = "/a/xyzGARBAGE";
	cr_assert_eq(router_match(r, arena, HTTP_GET, (struct str){ path, 6 }, &m), ROUTER_FOUND);
	expect_param("id", "xyz");
}
