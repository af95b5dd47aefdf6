/*
 * HomeQ's public insights of a listing, GET /api/v3/free_insights/{id}/ (homeq.md §14
 * observed; docs/DECISIONS.md "free_insights"): the three members for a queue-points listing
 * (the live top 10 of the open applications, best first, a closed one left out), a soft
 * requirement profile, the frames of first_come_first and random listings (no points), the
 * ranked places once the applications have closed (in place order, closed ones too), a
 * listing without applications, anonymous and signed-in callers alike, cross-origin, and
 * 404 for an unknown, a draft, a not yet published and a non-numeric id, 401 for a bad token.
 */
#include "market_common.h"

static struct harness *h;
static struct fixture_company co;
static int64_t estate, req_std, user[12];

static void setup(void)
{
	char body[256], name[32];

	h = harness_create();
	fixture_company(h, "Acme", &co);
	snprintf(body, sizeof(body), "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld}",
		 (long long)co.root_office);
	estate = market_post_id(h, co.admin_token, "/api/v4/estate", 200, body);
	req_std = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name) VALUES (%lld, 'Standard') RETURNING id",
				 (long long)co.id);
	for (int i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "sokande%d", i);
		user[i] = fixture_consumer(h, name, NULL);
	}
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(free_insights, .init = setup, .fini = teardown);

static int64_t listing(const char *nid, const char *mode)
{
	int64_t apt = market_apartment(h, co.admin_token, estate, nid, 2, 50, 7000, 59.3360, 18.0640, "11143");
	int64_t id = market_listing(h, co.admin_token, apt, req_std, "");
	harness_sql(h, "UPDATE object_ads SET candidate_sorting_mode = '%s' WHERE id = %lld", mode, (long long)id);
	return id;
}

/* An application of user[i] with points, applied at µs at; closed: closed then. */
static int64_t application(int64_t obj, int i, int points, long long at, bool closed)
{
	return harness_sql_int(h, "INSERT INTO applications(listing_id, company_id, user_id, queue_type, queue_points,"
			      " applied_at, state, closed_at, screening_approved, updated_at)"
			      " VALUES (%lld, %lld, %lld, 'residential', %d, %lld, '%s', %s, 1, %lld) RETURNING id",
			      (long long)obj, (long long)co.id, (long long)user[i], points, at,
			      closed ? "removed" : "registered", closed ? "1700000000000000" : "NULL", at);
}

static struct hresp *insights(const char *token, int64_t id)
{
	char p[512];
	return harness_auth(h, "GET", pathf(p, "/api/v3/free_insights/%lld/", (long long)id), token, NULL);
}

/* The answer's three members, exactly; frame and points as expected. */
static void expect_insights(const struct hresp *r, bool soft, const char *frame, const long long *points, size_t n)
{
	static const char *const keys[] = { "is_using_soft_requirements", "frame", "queue_points_top_10", NULL };
	json_t *top = json_object_get(r->json, "queue_points_top_10");

	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, keys);
	cr_assert_eq(json_object_size(r->json), 3, "%s", r->body);
	cr_assert(json_is_boolean(json_object_get(r->json, "is_using_soft_requirements")), "%s", r->body);
	cr_assert_eq(json_is_true(json_object_get(r->json, "is_using_soft_requirements")), soft, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "frame"), frame, "%s", r->body);
	cr_assert(json_is_array(top), "%s", r->body);
	cr_assert_eq(json_array_size(top), n, "%s", r->body);
	for (size_t i = 0; i < n; i++) {
		cr_assert(json_is_integer(json_array_get(top, i)), "%s", r->body);
		cr_assert_eq(json_integer_value(json_array_get(top, i)), points[i], "[%zu]: %s", i, r->body);
	}
}

Test(free_insights, queue_points_top_10_of_the_open_applications)
{
	static const int points[12] = { 120, 900, 450, 450, 30, 2140, 0, 75, 310, 1500, 60, 800 };
	static const long long want[10] = { 2140, 1500, 900, 800, 450, 450, 310, 120, 75, 60 };
	int64_t obj = listing("2001", "queue_points");
	struct hresp *r;

	for (int i = 0; i < 12; i++)
		application(obj, i, points[i], 1780000000000000LL + i, false);
	/* a closed application's points are no competition: 3000 is left out */
	harness_sql(h, "UPDATE applications SET queue_points = 3000, state = 'removed', closed_at = 1 WHERE"
		       " listing_id = %lld AND user_id = %lld", (long long)obj, (long long)user[6]);
	r = insights(NULL, obj);
	expect_insights(r, false, "queue_points_info", want, 10);
	hresp_free(r);
	/* a signed-in caller gets the same answer */
	r = insights(co.admin_token, obj);
	expect_insights(r, false, "queue_points_info", want, 10);
	hresp_free(r);
}

Test(free_insights, fewer_than_ten_and_none)
{
	static const long long want[2] = { 40, 10 };
	int64_t obj = listing("2002", "queue_points"), empty = listing("2003", "queue_points");
	struct hresp *r;

	application(obj, 0, 10, 1780000000000000LL, false);
	application(obj, 1, 40, 1780000000000001LL, false);
	r = insights(NULL, obj);
	expect_insights(r, false, "queue_points_info", want, 2);
	hresp_free(r);
	r = insights(NULL, empty);
	expect_insights(r, false, "queue_points_info", NULL, 0);
	hresp_free(r);
}

Test(free_insights, soft_requirements)
{
	int64_t obj = listing("2004", "queue_points");
	struct hresp *r;

	harness_sql(h, "UPDATE object_ads SET soft_requirements_id = %lld WHERE id = %lld", (long long)req_std,
		       (long long)obj);
	r = insights(NULL, obj);
	expect_insights(r, true, "queue_points_info", NULL, 0);
	hresp_free(r);
}

Test(free_insights, first_come_first_and_random_show_no_points)
{
	int64_t first = listing("2005", "first_come_first"), random = listing("2006", "random");
	struct hresp *r;

	application(first, 0, 500, 1780000000000000LL, false);
	application(random, 0, 500, 1780000000000000LL, false);
	r = insights(NULL, first);
	expect_insights(r, false, "first_to_apply", NULL, 0);
	hresp_free(r);
	r = insights(NULL, random);
	expect_insights(r, false, "random", NULL, 0);
	hresp_free(r);
}

/* Once ranked, the points of places 1, 2, … as ranked (an existing tenant first; a closed place stays). */
Test(free_insights, ranked_places_in_place_order)
{
	static const long long want[4] = { 5, 900, 450, 300 };
	int64_t obj = listing("2007", "queue_points"), a[5];
	struct hresp *r;

	a[0] = application(obj, 0, 900, 1780000000000000LL, false);
	a[1] = application(obj, 1, 450, 1780000000000001LL, true);
	a[2] = application(obj, 2, 300, 1780000000000002LL, false);
	a[3] = application(obj, 3, 5, 1780000000000003LL, false);
	a[4] = application(obj, 4, 100, 1780000000000004LL, false); /* applied, not ranked (not approved) */
	harness_sql(h, "INSERT INTO application_ranks(listing_id, rank, application_id, existing_tenant)"
		       " SELECT listing_id, 1, id, 1 FROM applications WHERE id = %lld", (long long)a[3]);
	for (int k = 0; k < 3; k++)
		harness_sql(h, "INSERT INTO application_ranks(listing_id, rank, application_id, existing_tenant)"
			       " SELECT listing_id, %d, id, 0 FROM applications WHERE id = %lld", k + 2, (long long)a[k]);
	harness_sql(h, "INSERT INTO listing_processes(listing_id, company_id, ranked_at, rule, ranked)"
		       " VALUES (%lld, %lld, 1780000000000000, 'queue_points', 4)", (long long)obj, (long long)co.id);
	r = insights(NULL, obj);
	expect_insights(r, false, "queue_points_info", want, 4);
	hresp_free(r);
}

Test(free_insights, a_reserved_listing_is_public)
{
	static const long long want[1] = { 7 };
	int64_t obj = listing("2008", "queue_points");
	struct hresp *r;

	application(obj, 0, 7, 1780000000000000LL, false);
	harness_sql(h, "UPDATE object_ads SET status = 'reserved' WHERE id = %lld", (long long)obj);
	r = insights(NULL, obj);
	expect_insights(r, false, "queue_points_info", want, 1);
	hresp_free(r);
}

Test(free_insights, not_public_is_404)
{
	int64_t draft = listing("2009", "queue_points"), later = listing("2010", "queue_points"),
		rented = listing("2011", "queue_points");
	struct hresp *r;

	harness_sql(h, "UPDATE object_ads SET status = 'draft' WHERE id = %lld", (long long)draft);
	harness_sql(h, "UPDATE object_ads SET date_publish = 4102444800 WHERE id = %lld", (long long)later);
	harness_sql(h, "UPDATE object_ads SET status = 'rented' WHERE id = %lld", (long long)rented);
	r = insights(NULL, draft);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = insights(NULL, later);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = insights(NULL, rented);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = insights(NULL, 999999);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_request(h, "GET", "/api/v3/free_insights/abc/", NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	hresp_free(r);
}

Test(free_insights, bad_token_is_401)
{
	int64_t obj = listing("2012", "queue_points");
	struct hresp *r = insights("not-a-token", obj);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
}

Test(free_insights, callable_cross_origin)
{
	char p[512];
	int64_t obj = listing("2013", "queue_points");
	const char *headers[] = { "Origin: https://www.example.se", NULL };
	struct hresp *r = harness_request_ex(h, "GET", pathf(p, "/api/v3/free_insights/%lld/", (long long)obj), NULL,
					     NULL, 0, headers);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(hresp_header(r, "Access-Control-Allow-Origin"), "%s", r->body);
	hresp_free(r);
}
