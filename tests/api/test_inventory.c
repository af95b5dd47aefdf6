/*
 * Inventory list, GET /api/v1/inventory/ (homeq.md §11b, §12.5, §15 rule 24;
 * decisions.md H-08, H-20, H-21, H-35, H-44): result shape and identifiers,
 * every filter, paging and its limits, office scope with and without
 * use_root_office, other companies, and `rentd seed`'s generator.
 */
#include <regex.h>
#include <unistd.h>

#include "seed/inventory_seed.h"
#include "base/memo.h"
#include "org_common.h"

static struct harness *h;
static struct fixture_company co;
static int64_t sub_office;
static int64_t est_root, est_sub;        /* estates in the root office and in the sub office */
static int64_t apt_root[2], apt_sub[1]; /* their apartments */

static int64_t make_estate(const char *token, int64_t office, const char *ext)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/estate", token,
			       "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld,"
			       " \"landlord_object_id\": \"%s\"}",
			       (long long)office, ext);
	int64_t id;
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static int64_t make_apartment(const char *token, int64_t estate, const char *number, const char *nid, const char *ext)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/apartment", token,
			       "{\"estate\": %lld, \"street_name\": \"Drottninggatan\", \"street_number\": \"%s\","
			       " \"zip_code\": \"11151\", \"national_id\": \"%s\", \"latitude\": 59.3293,"
			       " \"longitude\": 18.0686, \"area\": 42.5, \"floor\": 1, \"rent\": 9000, \"rooms\": 1.5,"
			       " \"landlord_object_id\": \"%s\", \"balcony\": \"SOUTH\", \"elevator\": true}",
			       (long long)estate, number, nid, ext);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Acme", &co);
	sub_office = fixture_office(h, co.id, co.root_office, "South");
	est_root = make_estate(co.admin_token, co.root_office, "EST-ROOT");
	apt_root[0] = make_apartment(co.admin_token, est_root, "1", "1001", "APT-A");
	apt_root[1] = make_apartment(co.admin_token, est_root, "1", "1002", "APT-B");
	est_sub = make_estate(co.admin_token, sub_office, "EST-SUB");
	apt_sub[0] = make_apartment(co.admin_token, est_sub, "2", "1001", "APT-C");
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(inventory, .init = setup, .fini = teardown);

static struct hresp *inv(const char *token, const char *query)
{
	char p[512];
	return harness_auth(h, "GET", pathf(p, "/api/v1/inventory/%s%s", *query ? "?" : "", query), token, NULL);
}

/* The identifiers of a 200 answer, "estate.1 apartment.1 …", and its total. */
static const char *ids(const struct hresp *r, char *buf, size_t cap)
{
	json_t *results = json_object_get(r->json, "results");
	size_t o = 0;
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_array(results), "%s", r->body);
	cr_assert(json_is_integer(json_object_get(r->json, "total")), "%s", r->body);
	buf[0] = '\0';
	for (size_t i = 0; i < json_array_size(results); i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " " : "",
				      json_string_value(json_object_get(json_array_get(results, i), "identifier")));
	return buf;
}

static void expect_ids(const char *token, const char *query, long long total, const char *expected)
{
	char buf[1024];
	struct hresp *r = inv(token, query);
	cr_assert_str_eq(ids(r, buf, sizeof(buf)), expected, "query %s: %s", query, r->body);
	cr_assert_eq(hresp_int(r, "total"), total, "query %s: %s", query, r->body);
	hresp_free(r);
}

/* f has up to three %lld, all given (unused ones 0): a printf format from this file's literals */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static char *fmt(const char *f, long long a, long long b, long long c)
{
	static char bufs[8][256];
	static int next;
	char *s = bufs[next++ % 8];
	snprintf(s, 256, f, a, b, c);
	return s;
}
#pragma GCC diagnostic pop

Test(inventory, all_of_it_estate_by_estate)
{
	char want[256];
	/* default amount is 10: the whole list */
	snprintf(want, sizeof(want), "%s %s", fmt("estate.%lld apartment.%lld apartment.%lld", est_root, apt_root[0], apt_root[1]),
		 fmt("estate.%lld apartment.%lld", est_sub, apt_sub[0], 0));
	expect_ids(co.admin_token, "", 5, want);
}

Test(inventory, result_shape_and_identifier_pattern)
{
	struct hresp *r = inv(co.admin_token, "");
	json_t *results = json_object_get(r->json, "results"), *e, *a, *apt, *est;
	regex_t id_re, ts_re;
	const char *k;
	json_t *v;
	size_t nkeys = 0;

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(regcomp(&id_re, "^(estate|apartment|object_ad)\\.[1-9][0-9]*$", REG_EXTENDED), 0);
	cr_assert_eq(regcomp(&ts_re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}$", REG_EXTENDED), 0);
	for (size_t i = 0; i < json_array_size(results); i++) {
		json_t *it = json_array_get(results, i);
		cr_assert_eq(regexec(&id_re, json_string_value(json_object_get(it, "identifier")), 0, NULL, 0), 0);
		/* H-44: this endpoint's date-time is the example's, UTC without a zone designator */
		cr_assert_eq(regexec(&ts_re, json_string_value(json_object_get(it, "indexed_at")), 0, NULL, 0), 0, "%s",
			     json_string_value(json_object_get(it, "indexed_at")));
	}
	regfree(&id_re);
	regfree(&ts_re);

	/* an estate item is ElasticEstateData: exactly estate, identifier, indexed_at, type */
	e = json_array_get(results, 0);
	json_object_foreach(e, k, v)
		nkeys++;
	cr_assert_eq(nkeys, 4, "%s", r->body);
	cr_assert_str_eq(json_string_value(json_object_get(e, "type")), "estate");
	est = json_object_get(e, "estate");
	cr_assert_eq(json_integer_value(json_object_get(est, "id")), est_root);
	cr_assert_str_eq(json_string_value(json_object_get(est, "name")), "Solrosen 1");
	cr_assert_str_eq(json_string_value(json_object_get(est, "city")), "Stockholm");
	cr_assert_str_eq(json_string_value(json_object_get(est, "external_id")), "EST-ROOT");
	cr_assert_eq(json_integer_value(json_object_get(est, "number_of_apartments")), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(est, "company"), "id")), co.id);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(est, "company"), "name")), "Acme");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(est, "office"), "id")), co.root_office);
	cr_assert(json_is_array(json_object_get(est, "images")));

	/* an apartment item is ElasticData; the listing parts are null until listings exist */
	a = json_array_get(results, 1);
	cr_assert_str_eq(json_string_value(json_object_get(a, "type")), "apartment");
	cr_assert_str_eq(json_string_value(json_object_get(a, "identifier")), fmt("apartment.%lld", apt_root[0], 0, 0));
	cr_assert(json_is_null(json_object_get(a, "object_ad")));
	cr_assert(json_is_null(json_object_get(a, "project")));
	cr_assert(json_is_null(json_object_get(a, "requirements")));
	cr_assert(json_is_null(json_object_get(a, "reserved_application")));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(a, "estate"), "id")), est_root);
	apt = json_object_get(a, "apartment");
	cr_assert_eq(json_integer_value(json_object_get(apt, "id")), apt_root[0]);
	cr_assert_str_eq(json_string_value(json_object_get(apt, "external_id")), "APT-A");
	cr_assert(json_is_integer(json_object_get(apt, "area")), "§12.5: area is an integer in the inventory");
	cr_assert_eq(json_integer_value(json_object_get(apt, "area")), 43); /* 42.5 m², rounded */
	cr_assert_eq(json_real_value(json_object_get(apt, "rooms")), 1.5);
	cr_assert_eq(json_integer_value(json_object_get(apt, "rent")), 9000);
	cr_assert_eq(json_integer_value(json_object_get(apt, "floor")), 1);
	cr_assert_eq(json_integer_value(json_object_get(apt, "has_ad")), 0);
	cr_assert_eq(json_integer_value(json_object_get(apt, "notes_count")), 0);
	/* H-21: lat is the latitude */
	cr_assert_eq(json_real_value(json_object_get(json_object_get(apt, "location"), "lat")), 59.3293);
	cr_assert_eq(json_real_value(json_object_get(json_object_get(apt, "location"), "lon")), 18.0686);
	{
		json_t *addr = json_object_get(apt, "address"), *am = json_object_get(apt, "amenities");
		cr_assert_str_eq(json_string_value(json_object_get(addr, "street_name")), "Drottninggatan");
		cr_assert_str_eq(json_string_value(json_object_get(addr, "lgh")), "1001");
		cr_assert_str_eq(json_string_value(json_object_get(addr, "zip_code")), "11151");
		cr_assert_str_eq(json_string_value(json_object_get(addr, "city")), "Stockholm");
		cr_assert_str_eq(json_string_value(json_object_get(addr, "municipality")), "Stockholm");
		cr_assert_str_eq(json_string_value(json_object_get(addr, "county")), "Stockholms län");
		cr_assert(json_is_true(json_object_get(am, "has_balcony")));
		cr_assert(json_is_true(json_object_get(am, "has_elevator")));
		cr_assert(json_is_true(json_object_get(am, "has_shower")));
		cr_assert(json_is_false(json_object_get(am, "has_dishwasher")));
		cr_assert_eq(json_object_size(am), 18);
	}
	hresp_free(r);
}

Test(inventory, notes_count_follows_notes)
{
	char p[256];
	struct hresp *r = reqf(h, "POST", pathf(p, "/api/v4/apartment/%lld/notes", (long long)apt_root[0]),
			       co.admin_token, "{\"context\": \"A\", \"text\": \"keys at the office\"}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	r = inv(co.admin_token, fmt("apartment.id=%lld", apt_root[0], 0, 0));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(json_array_get(json_object_get(r->json, "results"), 0),
									 "apartment"),
							 "notes_count")),
		     1, "%s", r->body);
	hresp_free(r);
}

Test(inventory, type_filter)
{
	expect_ids(co.admin_token, "type=estate", 2, fmt("estate.%lld estate.%lld", est_root, est_sub, 0));
	expect_ids(co.admin_token, "type=apartment", 3,
		   fmt("apartment.%lld apartment.%lld apartment.%lld", apt_root[0], apt_root[1], apt_sub[0]));
	expect_ids(co.admin_token, "type=object_ad", 0, "");
	expect_ids(co.admin_token, "type=estate&type=object_ad", 2, fmt("estate.%lld estate.%lld", est_root, est_sub, 0));
	expect_ids(co.admin_token, "type=estate,apartment&amount=1", 5, fmt("estate.%lld", est_root, 0, 0));
}

Test(inventory, estate_filters_match_the_estate_and_its_apartments)
{
	expect_ids(co.admin_token, fmt("estate.id=%lld", est_sub, 0, 0), 2,
		   fmt("estate.%lld apartment.%lld", est_sub, apt_sub[0], 0));
	expect_ids(co.admin_token, fmt("estate.id=%lld&type=apartment", est_root, 0, 0), 2,
		   fmt("apartment.%lld apartment.%lld", apt_root[0], apt_root[1], 0));
	expect_ids(co.admin_token, "estate.external_id=EST-SUB", 2, fmt("estate.%lld apartment.%lld", est_sub, apt_sub[0], 0));
	expect_ids(co.admin_token, "estate.external_id=nope", 0, "");
	expect_ids(co.admin_token, fmt("estate.id=%lld&estate.external_id=EST-SUB", est_root, 0, 0), 0, "");
	expect_ids(co.admin_token, "estate.id=999999", 0, "");
}

Test(inventory, apartment_filters_match_apartments_only)
{
	expect_ids(co.admin_token, fmt("apartment.id=%lld", apt_root[1], 0, 0), 1, fmt("apartment.%lld", apt_root[1], 0, 0));
	expect_ids(co.admin_token, "apartment.external_id=APT-C", 1, fmt("apartment.%lld", apt_sub[0], 0, 0));
	expect_ids(co.admin_token, fmt("apartment.id=%lld&apartment.external_id=APT-C", apt_root[1], 0, 0), 0, "");
	expect_ids(co.admin_token, fmt("apartment.id=%lld&estate.id=%lld", apt_root[1], est_sub, 0), 0, "");
	expect_ids(co.admin_token, fmt("apartment.id=%lld&type=estate", apt_root[1], 0, 0), 0, "");
	expect_ids(co.admin_token, "apartment.external_id=none", 0, "");
}

Test(inventory, listing_filters_match_nothing_until_listings_exist)
{
	char all[256];
	snprintf(all, sizeof(all), "%s %s", fmt("estate.%lld apartment.%lld apartment.%lld", est_root, apt_root[0], apt_root[1]),
		 fmt("estate.%lld apartment.%lld", est_sub, apt_sub[0], 0));
	expect_ids(co.admin_token, "project.id=1", 0, "");
	expect_ids(co.admin_token, "listing.employee.id=1", 0, "");
	expect_ids(co.admin_token, "listing.status=active", 0, "");
	expect_ids(co.admin_token, "listing.status=draft,rented", 0, "");
	/* exclude_projects removes project listings, never estates or apartments */
	expect_ids(co.admin_token, "exclude_projects=true", 5, all);
	expect_ids(co.admin_token, "exclude_projects=false", 5, all);
}

Test(inventory, paging)
{
	expect_ids(co.admin_token, "amount=2", 5, fmt("estate.%lld apartment.%lld", est_root, apt_root[0], 0));
	expect_ids(co.admin_token, "amount=2&offset=2", 5, fmt("apartment.%lld estate.%lld", apt_root[1], est_sub, 0));
	expect_ids(co.admin_token, "amount=2&offset=4", 5, fmt("apartment.%lld", apt_sub[0], 0, 0));
	expect_ids(co.admin_token, "amount=2&offset=5", 5, "");
	expect_ids(co.admin_token, "offset=100000000", 5, "");
	expect_ids(co.admin_token, "amount=1&offset=1&type=apartment", 3, fmt("apartment.%lld", apt_root[1], 0, 0));
	expect_ids(co.admin_token, "amount=1&offset=1&type=estate", 2, fmt("estate.%lld", est_sub, 0, 0));
	expect_ids(co.admin_token, "apartment.external_id=APT-C&offset=1", 1, "");
}

static void expect_bad(const char *query, const char *field)
{
	struct hresp *r = inv(co.admin_token, query);
	expect_error(r, 412, "ValidationError");
	cr_assert(json_object_get(json_object_get(r->json, "fields"), field) != NULL, "%s: %s", query, r->body);
	hresp_free(r);
}

Test(inventory, bad_values_are_412_naming_the_parameter)
{
	expect_bad("amount=0", "amount");
	expect_bad("amount=1001", "amount");
	expect_bad("amount=ten", "amount");
	expect_bad("amount=", "amount");
	expect_bad("offset=-1", "offset");
	expect_bad("offset=100000001", "offset");
	expect_bad("offset=1.5", "offset");
	expect_bad("type=house", "type");
	expect_bad("type=estate,", "type");
	expect_bad("estate.id=0", "estate.id");
	expect_bad("estate.id=x", "estate.id");
	expect_bad("apartment.id=-3", "apartment.id");
	expect_bad("project.id=abc", "project.id");
	expect_bad("listing.employee.id=0", "listing.employee.id");
	expect_bad("use_root_office=yes", "use_root_office");
	expect_bad("exclude_projects=2", "exclude_projects");
	expect_bad("listing.status=sold", "listing.status");
	expect_bad("apartment.external_id=", "apartment.external_id");
	{
		char q[400];
		memset(q, 0, sizeof(q));
		strcpy(q, "estate.external_id=");
		memset(q + strlen(q), 'x', 257);
		expect_bad(q, "estate.external_id");
	}
}

Test(inventory, sub_office_employee_sees_its_subtree_only)
{
	char token[1024];
	fixture_employee(h, co.id, sub_office, "observer", "south@acme.se", token);
	expect_ids(token, "", 2, fmt("estate.%lld apartment.%lld", est_sub, apt_sub[0], 0));
	expect_ids(token, "use_root_office=true", 2, fmt("estate.%lld apartment.%lld", est_sub, apt_sub[0], 0));
	expect_ids(token, fmt("estate.id=%lld", est_root, 0, 0), 0, "");
	expect_ids(token, fmt("apartment.id=%lld", apt_root[0], 0, 0), 0, "");
}

Test(inventory, selected_office_scope_unless_use_root_office)
{
	char p[256];
	struct hresp *r = reqf(h, "PATCH", pathf(p, "/api/v1/employees/%lld", (long long)co.admin_id), co.admin_token,
			       "{\"selected_office\": %lld}", (long long)sub_office);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	expect_ids(co.admin_token, "", 2, fmt("estate.%lld apartment.%lld", est_sub, apt_sub[0], 0));
	expect_ids(co.admin_token, "type=estate&use_root_office=true", 2, fmt("estate.%lld estate.%lld", est_root, est_sub, 0));
	expect_ids(co.admin_token, "type=estate&use_root_office=false", 1, fmt("estate.%lld", est_sub, 0, 0));
}

Test(inventory, other_company_is_invisible)
{
	struct fixture_company other;
	fixture_company(h, "Other", &other);
	expect_ids(other.admin_token, "", 0, "");
	expect_ids(other.admin_token, fmt("estate.id=%lld", est_root, 0, 0), 0, "");
	expect_ids(other.admin_token, "apartment.external_id=APT-A", 0, "");
	(void)make_estate(other.admin_token, other.root_office, "EST-ROOT");
	expect_ids(co.admin_token, "estate.external_id=EST-ROOT", 3,
		   fmt("estate.%lld apartment.%lld apartment.%lld", est_root, apt_root[0], apt_root[1]));
}

Test(inventory, needs_an_employee_token)
{
	char token[1024];
	struct hresp *r = inv(NULL, "");
	cr_assert_eq(r->status, 401, "%s", r->body);
	hresp_free(r);
	fixture_consumer(h, "applicant@example.se", token);
	r = inv(token, "");
	cr_assert_eq(r->status, 403, "%s", r->body);
	hresp_free(r);
}

Test(inventory, counts_follow_deletes)
{
	char p[256];
	struct hresp *r = harness_auth(h, "DELETE", pathf(p, "/api/v4/apartment/%lld", (long long)apt_sub[0]), co.admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	hresp_free(r);
	expect_ids(co.admin_token, "offset=3", 4, fmt("estate.%lld", est_sub, 0, 0));
	r = harness_auth(h, "DELETE", pathf(p, "/api/v4/estate/%lld", (long long)est_sub), co.admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	hresp_free(r);
	expect_ids(co.admin_token, "type=estate", 1, fmt("estate.%lld", est_root, 0, 0));
}

Test(inventory, seed_generates_plausible_inventory)
{
	struct inventory_seed_result res;
	struct error err;
	struct arena *a = arena_create(4096);
	struct hresp *r;
	json_t *results;
	long long total;
	char q[64];

	error_init(&err, a);
	cr_assert_eq(inventory_seed(app_core(h->app), a, co.id, 150, &res, &err), 0, "%s", err.message ? err.message : "");
	cr_assert_eq(res.apartments, 150);
	cr_assert_eq(res.company_id, co.id);
	cr_assert(res.estates >= 150 / 40 && res.estates <= 150 / 5 + 1, "%lld estates", (long long)res.estates);
	/* a second run finds the addresses taken and moves on */
	cr_assert_eq(inventory_seed(app_core(h->app), a, co.id, 20, &res, &err), 0, "%s", err.message ? err.message : "");
	arena_destroy(a);

	r = inv(co.admin_token, "type=apartment&amount=1");
	total = hresp_int(r, "total");
	cr_assert_eq(total, 3 + 170, "%s", r->body);
	hresp_free(r);
	snprintf(q, sizeof(q), "type=apartment&amount=1000");
	r = inv(co.admin_token, q);
	results = json_object_get(r->json, "results");
	cr_assert_eq(json_array_size(results), 173);
	for (size_t i = 3; i < json_array_size(results); i++) {
		json_t *apt = json_object_get(json_array_get(results, i), "apartment");
		json_t *addr = json_object_get(apt, "address");
		double rooms = json_number_value(json_object_get(apt, "rooms")), area = json_number_value(json_object_get(apt, "area"));
		double rent = json_number_value(json_object_get(apt, "rent"));
		double lat = json_number_value(json_object_get(json_object_get(apt, "location"), "lat"));
		double lon = json_number_value(json_object_get(json_object_get(apt, "location"), "lon"));
		cr_assert(rooms >= 1 && rooms <= 6, "%g", rooms);
		cr_assert(area >= 20 && area <= 160, "%g", area);
		cr_assert(rent / area >= 60 && rent / area <= 140, "rent %g for %g m²", rent, area);
		cr_assert(lat > 55 && lat < 69.1 && lon > 10.9 && lon < 24.2, "%g %g", lat, lon);
		cr_assert(strlen(json_string_value(json_object_get(addr, "municipality"))) > 0);
		cr_assert(strlen(json_string_value(json_object_get(addr, "county"))) > 0);
		cr_assert_eq(strlen(json_string_value(json_object_get(addr, "zip_code"))), 5);
	}
	hresp_free(r);
}

/*
 * The walk reads the estates' counts a chunk at a time (32 estates, then 64, …): every window,
 * across the chunks' boundaries and across runs of estates that hold nothing of a type, is the
 * slice of the whole list, with the same total.
 */
Test(inventory, pages_across_the_walks_chunks)
{
	enum { EXTRA = 80, ALL = 5 + EXTRA + 2 };
	static char idents[ALL][40];
	static const char *const types[] = { "", "type=apartment", "type=estate" };
	int64_t est[EXTRA], apt40, apt80;
	size_t n = 0;
	char ext[32];

	snprintf(idents[n++], 40, "estate.%lld", (long long)est_root);
	snprintf(idents[n++], 40, "apartment.%lld", (long long)apt_root[0]);
	snprintf(idents[n++], 40, "apartment.%lld", (long long)apt_root[1]);
	snprintf(idents[n++], 40, "estate.%lld", (long long)est_sub);
	snprintf(idents[n++], 40, "apartment.%lld", (long long)apt_sub[0]);
	for (int i = 0; i < EXTRA; i++) {
		snprintf(ext, sizeof(ext), "EST-%d", i);
		est[i] = make_estate(co.admin_token, i % 2 ? sub_office : co.root_office, ext);
	}
	apt40 = make_apartment(co.admin_token, est[39], "40", "1040", "APT-40");
	apt80 = make_apartment(co.admin_token, est[79], "80", "1080", "APT-80");
	for (int i = 0; i < EXTRA; i++) {
		snprintf(idents[n++], 40, "estate.%lld", (long long)est[i]);
		if (i == 39 || i == 79)
			snprintf(idents[n++], 40, "apartment.%lld", (long long)(i == 39 ? apt40 : apt80));
	}
	cr_assert_eq(n, (size_t)ALL);

	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		/* the type's items, in list order */
		const char *want[ALL];
		size_t nwant = 0;
		for (size_t i = 0; i < ALL; i++)
			if (!*types[t] || !strncmp(idents[i], types[t] + 5, strlen(types[t] + 5)))
				want[nwant++] = idents[i];
		for (int64_t offset = 0; offset <= (int64_t)nwant; offset++) {
			static const int64_t amounts[] = { 1, 3, 10, 40, 1000 };
			for (size_t k = 0; k < sizeof(amounts) / sizeof(amounts[0]); k++) {
				char q[128], expected[4096], got[4096];
				size_t o = 0;
				struct hresp *r;
				if (amounts[k] > 3 && offset % 7 && offset + 1 != (int64_t)nwant)
					continue; /* the wide windows at a few offsets */
				expected[0] = '\0';
				for (int64_t i = offset; i < offset + amounts[k] && i < (int64_t)nwant; i++)
					o += (size_t)snprintf(expected + o, sizeof(expected) - o, "%s%s", i > offset ? " " : "",
							      want[i]);
				snprintf(q, sizeof(q), "%s%samount=%lld&offset=%lld", types[t], *types[t] ? "&" : "",
					 (long long)amounts[k], (long long)offset);
				r = inv(co.admin_token, q);
				cr_assert_str_eq(ids(r, got, sizeof(got)), expected, "query %s: got %s, want %s", q, got, expected);
				cr_assert_eq(hresp_int(r, "total"), (long long)nwant, "query %s: %s", q, r->body);
				hresp_free(r);
			}
		}
	}
}

/*
 * Pages are kept (core->inventory_pages) while nothing in the database changes: a repeat is a
 * hit; another employee, another query, a write through the API and a write straight into the
 * database each give a page made anew.
 */
Test(inventory, pages_are_kept_until_anything_changes)
{
	struct memo *m = app_core(h->app)->inventory_pages;
	size_t hits, misses, hits2, misses2;
	struct hresp *a, *b;
	char token[1024], p[256];

	fixture_employee(h, co.id, co.root_office, "admin", "second@acme.se", token);
	a = inv(co.admin_token, "amount=5");
	cr_assert_eq(a->status, 200, "%s", a->body);
	/*
	 * A repeat is a hit. On PostgreSQL the listener connects at the first ask, and the
	 * notifications of the writes above reach it a moment later (each moves the epoch): asked
	 * again for up to 2 s.
	 */
	for (int tries = 0;; tries++) {
		memo_stats(m, &hits, &misses);
		b = inv(co.admin_token, "amount=5");
		memo_stats(m, &hits2, &misses2);
		cr_assert_eq(b->status, 200, "%s", b->body);
		hresp_free(b);
		if (hits2 == hits + 1)
			break;
		cr_assert_lt(tries, 200, "a repeat is answered from the memo");
		usleep(10000);
	}
	b = inv(token, "amount=5");
	memo_stats(m, &hits, &misses);
	cr_assert_eq(misses, misses2 + 1, "another employee's page is their own");
	hresp_free(b);
	b = inv(co.admin_token, "amount=4");
	memo_stats(m, &hits2, &misses2);
	cr_assert_eq(misses2, misses + 1, "another query");
	hresp_free(b);

	/* a write through the API: the apartment's new rent is on the next page */
	b = reqf(h, "PATCH", pathf(p, "/api/v4/apartment/%lld", (long long)apt_root[0]), co.admin_token, "{\"rent\": 9100}");
	cr_assert_eq(b->status, 200, "%s", b->body);
	hresp_free(b);
	b = inv(co.admin_token, fmt("apartment.id=%lld", apt_root[0], 0, 0));
	cr_assert(strstr(b->body, "\"rent\": 9100") || strstr(b->body, "\"rent\":9100"), "%s", b->body);
	hresp_free(b);
	/* a write straight into the database */
	harness_sql(h, "UPDATE apartments SET rent = 9200 WHERE id = %lld", (long long)apt_root[0]);
	b = inv(co.admin_token, fmt("apartment.id=%lld", apt_root[0], 0, 0));
	cr_assert(strstr(b->body, "\"rent\": 9200") || strstr(b->body, "\"rent\":9200"), "%s", b->body);
	hresp_free(b);
	hresp_free(a);
}
