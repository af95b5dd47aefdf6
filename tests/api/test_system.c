/* /healthz and /readyz through the whole application. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

static struct harness *h;

static void setup(void) { h = harness_create(); }
static void teardown(void) { harness_destroy(h); }

TestSuite(system, .init = setup, .fini = teardown);

Test(system, healthz_is_json_ok)
{
	struct hresp *r = harness_request(h, "GET", "/healthz", NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(r->content_type, "application/json");
	cr_assert_str_eq(hresp_str(r, "status"), "ok");
	cr_assert_str_eq(hresp_str(r, "version"), RENTD_VERSION);
	cr_assert_not_null(hresp_header(r, "X-Request-Id"));
	hresp_free(r);
}

Test(system, healthz_trailing_slash_and_head)
{
	struct hresp *r = harness_request(h, "GET", "/healthz/", NULL);
	cr_assert_eq(r->status, 200);
	hresp_free(r);
	r = harness_request(h, "HEAD", "/healthz", NULL);
	cr_assert_eq(r->status, 200);
	hresp_free(r);
}

Test(system, readyz_reports_schema)
{
	struct hresp *r = harness_request(h, "GET", "/readyz", NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(hresp_str(r, "status"), "ready");
	cr_assert_str_eq(hresp_str(r, "database"), store_backend(h->store)); /* "sqlite" or "postgresql" */
	cr_assert_eq(json_integer_value(json_object_get(r->json, "schema_version")), store_schema_latest());
	hresp_free(r);
}

Test(system, readyz_is_503_when_schema_is_behind)
{
	struct hresp *r;

	harness_sql(h, "DELETE FROM schema_migrations");
	r = harness_request(h, "GET", "/readyz", NULL);
	cr_assert_eq(r->status, 503);
	cr_assert_str_eq(hresp_str(r, "error"), "ServiceUnavailable");
	cr_assert_not_null(hresp_header(r, "Retry-After"));
	hresp_free(r);
}

Test(system, readyz_is_503_when_database_is_broken)
{
	struct hresp *r;

	harness_sql(h, "DROP TABLE schema_migrations");
	r = harness_request(h, "GET", "/readyz", NULL);
	cr_assert_eq(r->status, 503);
	/* the internal detail (table name, the database's message) is logged, not sent */
	cr_assert_null(strstr(r->body, "schema_migrations"));
	cr_assert_null(strstr(r->body, "sqlite"));
	cr_assert_null(strstr(r->body, "postgresql"));
	hresp_free(r);
}

Test(system, wrong_method_is_405_with_allow)
{
	struct hresp *r = harness_request(h, "DELETE", "/readyz", NULL);
	cr_assert_eq(r->status, 405);
	cr_assert_str_eq(hresp_header(r, "Allow"), "GET, HEAD");
	cr_assert_str_eq(hresp_str(r, "error"), "MethodNotAllowed");
	hresp_free(r);
}

/*
 * Every route parses its query string before its handler runs, so even the operations that take
 * no parameters answer a malformed one with 400 ParseError in their dialect's shape (the OpenAPI
 * documents list it for them: docs/openapi/).
 */
Test(system, malformed_query_is_400_everywhere)
{
	static const char *const landlord[] = { "/healthz?a=%zz", "/readyz?a=%zz", "/api/v1/deprecation?a=%zz" };
	struct hresp *r;

	for (size_t i = 0; i < sizeof(landlord) / sizeof(landlord[0]); i++) {
		r = harness_request(h, "GET", landlord[i], NULL);
		cr_assert_eq(r->status, 400, "%s: got %d: %s", landlord[i], r->status, r->body);
		cr_assert_str_eq(hresp_str(r, "error"), "ParseError", "%s", landlord[i]);
		cr_assert_not_null(hresp_str(r, "correlation_id"));
		hresp_free(r);
	}
	r = harness_request(h, "GET", "/assets/app-settings.json?a=%zz", NULL);
	cr_assert_eq(r->status, 400, "got %d: %s", r->status, r->body);
	cr_assert_not_null(hresp_str(r, "code"), "the market shape: %s", r->body);
	cr_assert_not_null(hresp_str(r, "message"));
	hresp_free(r);
}
