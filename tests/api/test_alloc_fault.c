/*
 * test_alloc_fault.c (API) — an allocation that fails while rentd reads a request reaches
 * the client as a 413 in the dialect's error shape, never a 500, a 400 that blames the
 * body, or a crash. The module-level injection over every N is tests/unit/test_alloc_fault.c;
 * this checks the path from there to the wire through app_handle().
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/arena.h"
#include "harness.h"

static struct harness *h;

/* fails the first allocation that consults the seam after arming, then lets all pass, so
 * the harness can still parse the response */
static bool fired;

static bool fail_once(size_t size)
{
	(void)size;
	if (fired)
		return false;
	fired = true;
	return true;
}

static void arm_once(void)
{
	fired = false;
	alloc_fault_hook = fail_once;
}

static void setup(void)
{
	h = harness_create();
}

static void teardown(void)
{
	alloc_fault_hook = NULL;
	harness_destroy(h);
}

TestSuite(api_alloc_fault, .init = setup, .fini = teardown);

Test(api_alloc_fault, json_body_out_of_memory_is_413)
{
	struct hresp *r;

	arm_once();
	r = harness_request(h, "POST", "/api/v4/estate", "{\"legal_name\": \"Bostäder AB\", \"city\": \"Stockholm\"}");
	alloc_fault_hook = NULL;
	cr_assert(fired, "the body was parsed without consulting the seam");
	cr_assert_eq(r->status, 413, "got %d: %s", r->status, r->body);
	cr_assert_str_eq(hresp_str(r, "error"), "PayloadTooLarge");
	cr_assert_null(strstr(r->body, "line"), "out of memory reported as a syntax error: %s", r->body);
	hresp_free(r);
	/* the same request without the failure goes on to authentication */
	r = harness_request(h, "POST", "/api/v4/estate", "{\"legal_name\": \"Bostäder AB\", \"city\": \"Stockholm\"}");
	cr_assert_eq(r->status, 401, "got %d: %s", r->status, r->body);
	hresp_free(r);
}

Test(api_alloc_fault, query_out_of_memory_is_413)
{
	struct hresp *r;

	arm_once();
	r = harness_request(h, "GET", "/api/v1/object/1?lang=sv%20SE", NULL);
	alloc_fault_hook = NULL;
	cr_assert(fired, "the query was parsed without consulting the seam");
	cr_assert_eq(r->status, 413, "got %d: %s", r->status, r->body);
	cr_assert_str_eq(hresp_str(r, "error"), "PayloadTooLarge");
	hresp_free(r);
	r = harness_request(h, "GET", "/api/v1/object/1?lang=sv%20SE", NULL);
	cr_assert_eq(r->status, 404, "got %d: %s", r->status, r->body);
	hresp_free(r);
}
