/*
 * test_alloc_fault.c — allocation failure in the JSON reader, the router and the query
 * parser, injected the way SQLite's test harness does it: for every N, fail the Nth
 * allocation (once: "transient"; and every one from the Nth on: "persistent"), run the
 * operation on representative inputs, and check that the outcome is the correct one or a
 * clean refusal, with nothing leaked, until an N is reached that the operation never gets to.
 *
 * Where the allocations come from (see docs/RELIABILITY.md):
 *   JSON reader   jansson's malloc (json_read installs its own, which consults the seam;
 *                 this test wraps it to count live blocks); a failure must be
 *                 a 413 "not in the memory available" (ERROR_TOO_LARGE), never a syntax
 *                 error at a made-up position, and the partial tree must be freed
 *                 (checked by counting live blocks, and by LeakSanitizer in the ASan run).
 *   query parser  arena_try_alloc() for the pairs and the decoded copies: ERROR_TOO_LARGE.
 *   router        router_add()'s tree nodes: router_add fails (-1), the routes added before
 *                 still match, a retry succeeds, router_destroy frees everything.
 * The arena's own blocks (arena_alloc) stay fatal by design and are not injected.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "http/query.h"
#include "http/router.h"
#include "json/json_read.h"

/* ---- the injector ------------------------------------------------------------------- */

static long calls;     /* allocations seen since arming */
static long fail_at;   /* the first one to fail; 0: none */
static bool persistent; /* fail every one from fail_at on */
static long failed;    /* how many were failed */

static bool fault(size_t size)
{
	(void)size;
	calls++;
	if (fail_at && (calls == fail_at || (persistent && calls > fail_at))) {
		failed++;
		return true;
	}
	return false;
}

static void arm(long n, bool all_after)
{
	calls = 0;
	failed = 0;
	fail_at = n;
	persistent = all_after;
	alloc_fault_hook = fault;
}

static void disarm(void)
{
	alloc_fault_hook = NULL;
}

/* jansson's allocations, counted so that a leak shows even without LeakSanitizer */
static long live_blocks;
static json_malloc_t rentd_malloc; /* json_read's, which consults alloc_fault() */
static json_free_t rentd_free;

static void *counting_malloc(size_t size)
{
	void *p = rentd_malloc(size);
	if (p)
		live_blocks++;
	return p;
}

static void counting_free(void *p)
{
	if (p)
		live_blocks--;
	rentd_free(p);
}

static void setup(void)
{
	json_get_alloc_funcs(&rentd_malloc, &rentd_free);
	json_set_alloc_funcs(counting_malloc, counting_free);
	live_blocks = 0;
}

static void teardown(void)
{
	disarm();
}

TestSuite(alloc_fault, .init = setup, .fini = teardown);

/* An N past this means the loop never ended: the injector is not reached, or counts wrong. */
#define MAX_N 100000

/* ---- JSON reader -------------------------------------------------------------------- */

static const char *const json_inputs[] = {
	"{\"legal_name\": \"Bostäder AB\", \"city\": \"Stockholm\", \"rooms\": 3, \"rent\": 8500.5}",
	"{\"a\": {\"b\": {\"c\": [1, 2.5, \"three\", true, false, null, {\"d\": \"\\u00e5\\ud83d\\ude00\"}]}}}",
	"{\"items\": [{\"id\": 1}, {\"id\": 2}, {\"id\": 3}, {\"id\": 4}, {\"id\": 5}, {\"id\": 6}], \"k\": \"v\"}",
	"[1, 2, 3, [4, [5, [6]]]]",
	"\"a bare string\"",
	"{\"dup\": 1, \"dup\": 2}",
	"{\"legal_name\": \"x\", \"city\": ",
	"{\"a\": [1, 2, }",
	"{\"long\": \"0123456789012345678901234567890123456789012345678901234567890123456789\"}",
	"{\"k1\": 1, \"k2\": 2, \"k3\": 3, \"k4\": 4, \"k5\": 5, \"k6\": 6, \"k7\": 7, \"k8\": 8, \"k9\": 9, \"k10\": 10}",
};

struct json_outcome {
	json_t *root;          /* on success */
	enum error_kind kind;  /* on failure */
	char message[512];
};

static void json_run(const char *input, struct json_outcome *o)
{
	struct arena *a = arena_create(4096);
	struct error err;

	error_init(&err, a);
	memset(o, 0, sizeof(*o));
	o->root = json_read_parse(str_from_cstr(input), &err);
	if (!o->root) {
		o->kind = err.kind;
		snprintf(o->message, sizeof(o->message), "%s", err.message ? err.message : "");
	}
	arena_destroy(a);
}

static long json_check(const char *input, bool all_after)
{
	struct json_outcome want, got;
	long n, base;

	json_run(input, &want);
	base = live_blocks; /* the reference tree's */
	for (n = 1; n < MAX_N; n++) {
		arm(n, all_after);
		json_run(input, &got);
		disarm();
		if (got.root) {
			cr_assert_not_null(want.root, "N=%ld: '%s' parsed, but it is malformed", n, input);
			cr_assert(json_equal(want.root, got.root), "N=%ld: '%s' parsed to a different tree", n, input);
			json_decref(got.root);
		} else if (got.kind == ERROR_TOO_LARGE) {
			cr_assert_gt(failed, 0, "N=%ld: '%s' refused as too large with no failed allocation", n, input);
			cr_assert_null(strstr(got.message, "line"), "N=%ld: out of memory reported as a position: %s", n,
				       got.message);
		} else {
			cr_assert_null(want.root, "N=%ld: '%s' failed (%s: %s) instead of parsing", n, input,
				       error_kind_name(got.kind), got.message);
			cr_assert_eq(got.kind, want.kind, "N=%ld: '%s': %s", n, input, got.message);
			cr_assert_str_eq(got.message, want.message, "N=%ld: '%s'", n, input);
		}
		cr_assert_eq(live_blocks, base, "N=%ld: '%s' leaked %ld blocks", n, input, live_blocks - base);
		if (failed == 0)
			break; /* the parse never reached the Nth allocation: every N has been tried */
	}
	cr_assert_lt(n, MAX_N);
	json_decref(want.root);
	cr_assert_eq(live_blocks, 0, "'%s' leaked %ld blocks", input, live_blocks);
	return n;
}

Test(alloc_fault, json_reader_fails_cleanly)
{
	long total = 0;
	for (size_t i = 0; i < sizeof(json_inputs) / sizeof(json_inputs[0]); i++)
		for (int mode = 0; mode < 2; mode++)
			total += json_check(json_inputs[i], mode);
	cr_log_info("JSON reader: %ld runs (every N, transient and persistent)", total);
	cr_assert_gt(total, 100, "too few injection points: is jansson's allocator reached?");
}

/* ---- query parser ------------------------------------------------------------------- */

static const char *const query_inputs[] = {
	"a=1&b=x%20y&c",
	"ids[]=1&ids[]=2&ids[]=3&name=%C3%A5sa+l%C3%B6f&empty=&=v",
	"q=%zz&r=1",
	"x=%4",
	"amount=abc&offset=%zz",
	"filter=" "%41%42%43%44%45%46%47%48%49%4A%4B%4C%4D%4E%4F%50%51%52%53%54%55%56%57%58%59%5A"
	"%61%62%63%64%65%66%67%68%69%6A%6B%6C%6D%6E%6F%70%71%72%73%74%75%76%77%78%79%7A",
	"a+b=c+d&%2B=%26&k%3Dv=1",
	"",
};

static char *many_params(int n)
{
	static char raw[4096];
	size_t len = 0;
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(raw + len, sizeof(raw) - len, "%sp%d=v%%20%d", i ? "&" : "", i, i);
	return raw;
}

struct query_outcome {
	int rc;
	enum error_kind kind;
	char message[256];
	char pairs[4096]; /* "k=v\n" for each, to compare */
};

static void query_run(const char *raw, struct query_outcome *o)
{
	/* the smallest first block: the decoded copies need new blocks, as a long URL does */
	struct arena *a = arena_create(256);
	struct error err;
	struct query q;
	size_t len = 0;

	error_init(&err, a);
	memset(o, 0, sizeof(*o));
	o->rc = query_parse(a, str_from_cstr(raw), &q, &err);
	o->kind = err.kind;
	snprintf(o->message, sizeof(o->message), "%s", err.message ? err.message : "");
	if (o->rc == 0)
		for (size_t i = 0; i < q.n && len < sizeof(o->pairs); i++)
			len += (size_t)snprintf(o->pairs + len, sizeof(o->pairs) - len, "%.*s=%.*s\n",
						STR_FMT(q.items[i].key), STR_FMT(q.items[i].value));
	arena_destroy(a);
}

static long query_check(const char *raw, bool all_after)
{
	struct query_outcome want, got;
	long n;

	query_run(raw, &want);
	for (n = 1; n < MAX_N; n++) {
		arm(n, all_after);
		query_run(raw, &got);
		disarm();
		if (got.rc == 0) {
			cr_assert_eq(want.rc, 0, "N=%ld: '%s' parsed, but it is malformed", n, raw);
			cr_assert_str_eq(got.pairs, want.pairs, "N=%ld: '%s'", n, raw);
		} else if (got.kind == ERROR_TOO_LARGE) {
			cr_assert_gt(failed, 0, "N=%ld: '%s' refused as too large with no failed allocation", n, raw);
		} else {
			cr_assert_neq(want.rc, 0, "N=%ld: '%s' failed (%s) instead of parsing", n, raw, got.message);
			cr_assert_eq(got.kind, want.kind, "N=%ld: '%s'", n, raw);
			cr_assert_str_eq(got.message, want.message, "N=%ld: '%s'", n, raw);
		}
		if (failed == 0)
			break;
	}
	cr_assert_lt(n, MAX_N);
	return n;
}

Test(alloc_fault, query_parser_fails_cleanly)
{
	long total = 0;
	for (size_t i = 0; i < sizeof(query_inputs) / sizeof(query_inputs[0]); i++)
		for (int mode = 0; mode < 2; mode++)
			total += query_check(query_inputs[i], mode);
	for (int mode = 0; mode < 2; mode++) {
		total += query_check(many_params(QUERY_MAX_PARAMS), mode);
		total += query_check(many_params(QUERY_MAX_PARAMS + 1), mode); /* refused before allocating */
	}
	cr_log_info("query parser: %ld runs (every N, transient and persistent)", total);
	cr_assert_gt(total, 100, "too few injection points: is arena_try_alloc reached?");
}

Test(alloc_fault, url_decode_reports_no_memory)
{
	struct arena *a = arena_create(256);
	struct str out = STR_NULL;

	arm(1, false);
	cr_assert_eq(url_decode(a, str_from_cstr("a%20b"), 0, &out), URL_DECODE_NO_MEMORY);
	cr_assert_null(out.ptr, "a failed decode must not hand out a half-written string");
	/* nothing to decode: no allocation, so nothing can fail */
	arm(1, true);
	cr_assert_eq(url_decode(a, str_from_cstr("plain"), 0, &out), 0);
	cr_assert_eq(calls, 0);
	disarm();
	cr_assert_eq(url_decode(a, str_from_cstr("%zz"), 0, &out), URL_DECODE_BAD_ESCAPE);
	arena_destroy(a);
}

/* ---- router ------------------------------------------------------------------------- */

static const char *const patterns[] = {
	"/",
	"/healthz",
	"/api/v1/object/{id:int}",
	"/api/v3/cards",
	"/api/v4/estate",
	"/api/v4/estate/{id:int}",
	"/api/v4/estate/{id:int}/pictures/{picture_id:int}",
	"/api/v4/apartment/{id:int}/notes/{note_id:int}",
	"/invitations/{token}",
	"/api/landlords/accounts/{id}/contacts",
	"/api/landlords/accounts/me",
	"/api/cities/{country}/{city}",
};
#define NPATTERNS (sizeof(patterns) / sizeof(patterns[0]))

static const char *const probes[] = {
	"/", "/healthz", "/api/v1/object/42", "/api/v3/cards/", "/api/v4/estate", "/api/v4/estate/7",
	"/api/v4/estate/7/pictures/9", "/api/v4/apartment/3/notes/4", "/invitations/abc%20def",
	"/api/landlords/accounts/a-b/contacts", "/api/landlords/accounts/me", "/api/cities/se/g%C3%B6teborg",
	"/api/v4/estate/x", "/nowhere",
};

/* the index of the pattern a path finds, -1 for none; matching is never injected (see top) */
static int lookup(const struct router *r, const char *path, size_t *nparams)
{
	struct arena *a = arena_create(4096);
	struct router_match m;
	int found = -1;

	if (router_match(r, a, HTTP_GET, str_from_cstr(path), &m) == ROUTER_FOUND)
		found = (int)((const char *const *)m.target - patterns);
	*nparams = m.params.n;
	arena_destroy(a);
	return found;
}

Test(alloc_fault, router_add_fails_cleanly)
{
	struct router *ref = router_create();
	long n, runs = 0;

	for (size_t i = 0; i < NPATTERNS; i++)
		cr_assert_eq(router_add(ref, HTTP_GET, patterns[i], &patterns[i]), 0);
	for (int mode = 0; mode < 2; mode++) {
		for (n = 1; n < MAX_N; n++) {
			struct router *r = router_create();
			size_t added = 0;

			arm(n, mode);
			while (added < NPATTERNS && router_add(r, HTTP_GET, patterns[added], &patterns[added]) == 0)
				added++;
			disarm();
			runs++;
			if (added < NPATTERNS)
				cr_assert_gt(failed, 0, "N=%ld: router_add('%s') failed with no failed allocation", n,
					     patterns[added]);
			/* what was added answers as in the full table; what was not is not found */
			for (size_t p = 0; p < sizeof(probes) / sizeof(probes[0]); p++) {
				size_t np_ref, np;
				int want = lookup(ref, probes[p], &np_ref), got = lookup(r, probes[p], &np);
				if (want >= 0 && (size_t)want < added)
					cr_assert(got == want && np == np_ref, "N=%ld: %s found %d, want %d", n, probes[p],
						  got, want);
				else
					cr_assert(got < 0 || got == want, "N=%ld: %s found %d", n, probes[p], got);
			}
			/* the failed add left nothing that blocks adding it again */
			for (size_t i = added; i < NPATTERNS; i++)
				cr_assert_eq(router_add(r, HTTP_GET, patterns[i], &patterns[i]), 0, "N=%ld: retry of '%s'",
					     n, patterns[i]);
			for (size_t p = 0; p < sizeof(probes) / sizeof(probes[0]); p++) {
				size_t np_ref, np;
				cr_assert_eq(lookup(r, probes[p], &np), lookup(ref, probes[p], &np_ref), "N=%ld: %s", n,
					     probes[p]);
			}
			router_destroy(r);
			if (failed == 0)
				break;
		}
		cr_assert_lt(n, MAX_N);
	}
	router_destroy(ref);
	cr_log_info("router: %ld runs (every N, transient and persistent)", runs);
	cr_assert_gt(runs, 50, "too few injection points: is router_add's allocator reached?");
}
