/*
 * Card search answers (homeq.md §6, §12.7; decisions.md H-03, H-19, H-20, H-36, H-37,
 * H-43): the shapes of IndividualCard, ProjectCard, ExtendedIndividualCard (project mode)
 * and CardPin, the company and id-list modes, tokens (none, employee, consumer, bad),
 * every kind of bad input, and cards that follow every write they derive from
 * (listing status, apartment, pictures, estate, deletes, project closing).
 */
#include <time.h>

#include "base/memo.h"
#include "cards_common.h"

static void setup(void)
{
	build_world();
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(cards, .init = setup, .fini = teardown);

static struct hresp *cards(const char *token, const char *body)
{
	return harness_auth(h, "POST", "/api/v3/cards/", token, body);
}

/* The result of the answer whose type and id match, or NULL. */
static json_t *result(struct hresp *r, const char *type, int64_t id)
{
	json_t *res = json_object_get(r->json, "results"), *c;
	size_t i;
	json_array_foreach (res, i, c)
		if (jint(c, "id") == id && strcmp(jstr(c, "type"), type) == 0)
			return c;
	return NULL;
}

static const struct lst *first_active(int cityi)
{
	for (size_t k = 0; k < NL; k++)
		if (L[k].status == L_ACTIVE && !L[k].project && L[k].city == cityi && L[k].company == co.id)
			return &L[k];
	cr_assert_fail("no active listing in city %d", cityi);
	return NULL;
}

static size_t count_project_active(void)
{
	size_t n = 0;
	for (size_t k = 0; k < NL; k++)
		n += L[k].project == project_id && L[k].status == L_ACTIVE;
	return n;
}

static double json_num(json_t *v)
{
	return json_number_value(v);
}

static void individual_card_shape_and_values(void)
{
	static const char *const keys[] = { "area", "audience", "boost_value", "city", "county", "date_access", "id",
					    "images", "is_quick_apply", "is_short_lease", "location", "municipality",
					    "references", "rent", "rooms", "title", "type", "uri", "videos", NULL };
	static const char *const refs[] = { "apartment", "company", "estate", "object_ad", "office", "project", NULL };
	const struct lst *l = first_active(0);
	struct hresp *r = cards(NULL, "{}");
	json_t *c = result(r, "individual", l->id), *loc, *ref;

	cr_assert(c, "listing %lld missing: %.300s", (long long)l->id, r->body);
	expect_keys(c, keys);
	cr_assert_str_eq(jstr(c, "city"), "Stockholm");
	cr_assert_str_eq(jstr(c, "county"), "Stockholms län");
	cr_assert_str_eq(jstr(c, "municipality"), "Stockholm");
	cr_assert_eq(jint(c, "rent"), l->rent);
	cr_assert_float_eq(json_num(json_object_get(c, "area")), l->area, 1e-9);
	cr_assert_float_eq(json_num(json_object_get(c, "rooms")), l->rooms, 1e-9);
	cr_assert_eq(json_is_integer(json_object_get(c, "rooms")), l->rooms == floor(l->rooms)); /* H-20 */
	cr_assert_float_eq(json_num(json_object_get(c, "boost_value")), 0, 1e-9);
	cr_assert_str_eq(jstr(c, "type"), "individual");
	cr_assert_str_eq(jstr(c, "audience"), l->audience == 2 ? "senior" : l->audience == 4 ? "youth"
					       : l->audience == 8 ? "student" : "everyone");
	cr_assert_eq(json_is_true(json_object_get(c, "is_short_lease")), l->short_lease);
	cr_assert(json_is_null(json_object_get(c, "date_access"))); /* access on agreement */
	cr_assert_str_eq(jstr(c, "title"), "Testgatan 1");
	{
		char uri[64];
		snprintf(uri, sizeof(uri), "object/%lld", (long long)l->id);
		cr_assert_str_eq(jstr(c, "uri"), uri);
	}
	loc = json_object_get(c, "location");
	cr_assert_float_eq(json_num(json_object_get(loc, "lat")), l->lat, 1e-9);
	cr_assert_float_eq(json_num(json_object_get(loc, "lon")), l->lon, 1e-9);
	ref = json_object_get(c, "references");
	expect_keys(ref, refs);
	cr_assert_eq(jint(ref, "apartment"), l->apartment);
	cr_assert_eq(jint(ref, "company"), co.id);
	cr_assert_eq(jint(ref, "estate"), l->estate);
	cr_assert_eq(jint(ref, "object_ad"), l->id);
	cr_assert_eq(jint(ref, "office"), co.root_office);
	cr_assert(json_is_null(json_object_get(ref, "project")));
	cr_assert_eq(json_array_size(json_object_get(c, "images")), 0);
	cr_assert_eq(json_array_size(json_object_get(c, "videos")), 0);
	hresp_free(r);
}

static void project_card_in_the_normal_search(void)
{
	static const char *const keys[] = { "active_ads", "audience", "boost_value", "city", "county", "date_access",
					    "id", "images", "is_short_lease", "location", "municipality", "references",
					    "rent_range", "title", "type", "uri", "videos", NULL };
	struct hresp *r = cards(NULL, "{\"card_type\": \"projects\"}");
	json_t *c, *range, *ref;
	int64_t lo = INT64_MAX, hi = 0;
	unsigned aud = 0;
	bool sl[2] = { false, false };

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), 1, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total_hits"), 1);
	c = result(r, "project", project_id);
	cr_assert(c, "%s", r->body);
	expect_keys(c, keys);
	for (size_t k = 0; k < NL; k++)
		if (L[k].project == project_id && L[k].status == L_ACTIVE) {
			lo = L[k].rent < lo ? L[k].rent : lo;
			hi = L[k].rent > hi ? L[k].rent : hi;
			aud |= L[k].audience;
			sl[L[k].short_lease] = true;
		}
	cr_assert_eq(jint(c, "active_ads"), (long long)count_project_active());
	range = json_object_get(c, "rent_range");
	cr_assert_eq(json_array_size(range), 2);
	cr_assert_eq(json_integer_value(json_array_get(range, 0)), lo);
	cr_assert_eq(json_integer_value(json_array_get(range, 1)), hi);
	cr_assert_str_eq(jstr(c, "title"), "Nya Kvarteret");
	cr_assert_str_eq(jstr(c, "city"), "Uppsala");
	cr_assert_str_eq(jstr(c, "county"), "Uppsala län");
	cr_assert_str_eq(jstr(c, "municipality"), "Uppsala");
	cr_assert_float_eq(json_num(json_object_get(json_object_get(c, "location"), "lat")), cities[2].lat, 1e-4);
	cr_assert_eq(json_array_size(json_object_get(c, "audience")), (size_t)__builtin_popcount(aud));
	cr_assert_eq(json_array_size(json_object_get(c, "is_short_lease")), (size_t)(sl[0] + sl[1]));
	cr_assert(json_is_array(json_object_get(c, "date_access")));
	ref = json_object_get(c, "references");
	cr_assert_eq(jint(ref, "project"), project_id);
	cr_assert(json_is_null(json_object_get(ref, "object_ad")));
	cr_assert(json_is_null(json_object_get(ref, "apartment")));
	{
		char uri[64];
		snprintf(uri, sizeof(uri), "projects/%lld", (long long)project_id);
		cr_assert_str_eq(jstr(c, "uri"), uri);
	}
	hresp_free(r);

	/* the default search has the project card once and none of its listings as individual cards */
	r = cards(NULL, "{}");
	cr_assert(result(r, "project", project_id));
	for (size_t k = 0; k < NL; k++)
		if (L[k].project)
			cr_assert(!result(r, "individual", L[k].id));
	hresp_free(r);
	/* filters apply to the project's range: a rent above all its listings drops it */
	{
		char body[128];
		snprintf(body, sizeof(body), "{\"card_type\": \"projects\", \"min_rent\": %lld}", (long long)hi + 1);
		r = cards(NULL, body);
		cr_assert_eq(hresp_int(r, "total_hits"), 0, "%s", r->body);
		hresp_free(r);
		snprintf(body, sizeof(body), "{\"card_type\": \"projects\", \"min_rent\": %lld, \"max_rent\": %lld}",
			 (long long)hi, (long long)hi);
		r = cards(NULL, body);
		cr_assert_eq(hresp_int(r, "total_hits"), 1, "%s", r->body);
		hresp_free(r);
	}
}

static void project_mode_lists_extended_cards(void)
{
	static const char *const keys[] = {
		"access_date", "access_on_agreement", "address", "amenities", "area", "audience", "boost_value", "city",
		"county", "date_access", "description", "floor", "floor_plan", "id", "images", "indexed_at",
		"is_quick_apply", "is_short_lease", "landlord_object_id", "location", "municipality",
		"prior_access_available", "publish_date", "references", "rent", "rooms", "sorting_mode", "status", "type",
		"uri", "videos", NULL
	};
	static const char *const amenity_keys[] = { "balcony", "bathtub", "dishwasher", "drier", "electricity",
						    "elevator", "garage", "handicap_friendly", "heat", "internet",
						    "kitchen_fan", "parking", "patio", "pets", "tv", "washer", "water", NULL };
	struct ref_query q;
	char body[128];
	struct hresp *r;
	json_t *c;
	const struct lst *want[MAXL];
	size_t n;

	ref_defaults(&q);
	q.kinds_project_ad = 1;
	q.project = project_id;
	n = ref_run(&q, K_PUBLISH, true, want);
	cr_assert_eq(n, count_project_active());
	snprintf(body, sizeof(body), "{\"project\": %lld}", (long long)project_id);
	r = cards(NULL, body);
	expect_ids(r, want, n, n);
	c = json_array_get(json_object_get(r->json, "results"), 0);
	expect_keys(c, keys);
	expect_keys(json_object_get(c, "amenities"), amenity_keys);
	cr_assert_str_eq(jstr(c, "status"), "Active");
	cr_assert_str_eq(jstr(c, "type"), "individual");
	cr_assert_str_eq(jstr(json_object_get(c, "address"), "street"), "Testgatan");
	cr_assert_str_eq(jstr(json_object_get(c, "address"), "zip"), "75320");
	cr_assert_str_eq(jstr(json_object_get(c, "address"), "county"), "Uppsala län");
	cr_assert_eq(json_is_true(json_object_get(json_object_get(c, "amenities"), "pets")),
		     (want[0]->amenities >> CARDS_PETS) & 1);
	cr_assert_eq(json_is_true(json_object_get(json_object_get(c, "amenities"), "balcony")),
		     (want[0]->amenities >> CARDS_BALCONY) & 1);
	cr_assert_str_eq(jstr(c, "sorting_mode"), mode_names_t[__builtin_ctz(want[0]->modes)]);
	cr_assert(json_is_true(json_object_get(c, "access_on_agreement")));
	cr_assert_eq(jint(c, "floor"), (long long)want[0]->floor);
	cr_assert(json_is_string(json_object_get(c, "description")));
	cr_assert(json_is_null(json_object_get(c, "floor_plan")));
	cr_assert_eq(jint(json_object_get(c, "references"), "project"), project_id);
	{
		char when[32];
		time_t t = (time_t)want[0]->publish;
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		cr_assert_str_eq(jstr(c, "publish_date"), when);
	}
	hresp_free(r);

	/* the paused project listing: its company asks for it */
	snprintf(body, sizeof(body), "{\"project\": %lld, \"paused\": true}", (long long)project_id);
	r = cards(co.admin_token, body);
	cr_assert_eq(hresp_int(r, "total_hits"), (long long)n + 1, "%s", r->body);
	{
		size_t paused = 0, i;
		json_array_foreach (json_object_get(r->json, "results"), i, c)
			paused += strcmp(jstr(c, "status"), "Paused") == 0;
		cr_assert_eq(paused, 1);
	}
	hresp_free(r);
	/* an unknown project: nothing */
	r = cards(NULL, "{\"project\": 987654}");
	cr_assert_eq(r->status, 200);
	cr_assert_eq(hresp_int(r, "total_hits"), 0);
	hresp_free(r);
}

static void pins(void)
{
	static const char *const keys[] = { "active_ads", "id", "location", "type", NULL };
	struct hresp *r = cards(NULL, "{\"card_pin\": true}"), *full = cards(NULL, "{}");
	json_t *res = json_object_get(r->json, "results"), *p;
	size_t i, projects = 0;
	char id[32];

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total_hits"), hresp_int(full, "total_hits"));
	cr_assert_eq(json_array_size(res), json_array_size(json_object_get(full->json, "results")));
	json_array_foreach (res, i, p) {
		json_t *c = json_array_get(json_object_get(full->json, "results"), i);
		expect_keys(p, keys);
		snprintf(id, sizeof(id), "%lld", jint(c, "id"));
		cr_assert_str_eq(jstr(p, "id"), id); /* a string (§12.7) in the same order */
		cr_assert_str_eq(jstr(p, "type"), jstr(c, "type"));
		if (strcmp(jstr(p, "type"), "project") == 0) {
			projects++;
			cr_assert_eq(jint(p, "active_ads"), (long long)count_project_active());
		} else {
			cr_assert_eq(jint(p, "active_ads"), 1);
		}
	}
	cr_assert_eq(projects, 1);
	hresp_free(r);
	/* pin_only is the prose's name (H-19); filters apply */
	r = cards(NULL, "{\"pin_only\": true, \"shapes\": [\"municipality.1480\"]}");
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), (size_t)hresp_int(r, "total_hits"));
	json_array_foreach (json_object_get(r->json, "results"), i, p)
		cr_assert_eq(json_object_size(p), 4);
	cr_assert(hresp_int(r, "total_hits") > 3);
	hresp_free(r);
	hresp_free(full);
}

static void ads_and_project_ads_lists(void)
{
	const struct lst *a = first_active(1), *pa = NULL, *draft = NULL;
	char body[256];
	struct hresp *r;

	for (size_t k = 0; k < NL; k++) {
		if (L[k].project && L[k].status == L_ACTIVE && !pa)
			pa = &L[k];
		if (L[k].status == L_DRAFT && !draft)
			draft = &L[k];
	}
	snprintf(body, sizeof(body), "{\"ads\": [%lld, %lld], \"project_ads\": [%lld]}", (long long)a->id,
		 (long long)draft->id, (long long)pa->id);
	r = cards(NULL, body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total_hits"), 2, "%s", r->body); /* the draft is not public */
	cr_assert(result(r, "individual", a->id));
	cr_assert(result(r, "individual", pa->id));
	cr_assert_eq(jint(json_object_get(result(r, "individual", pa->id), "references"), "project"), project_id);
	hresp_free(r);
}

static void tokens(void)
{
	char consumer[1024];
	struct hresp *r;
	const char *bad_headers[] = { "Authorization: JWT not.a.token", NULL };

	r = cards(co.admin_token, "{\"amount\": 1}");
	cr_assert_eq(r->status, 200);
	hresp_free(r);
	fixture_consumer(h, "eva@example.com", consumer);
	r = cards(consumer, "{\"amount\": 1}");
	cr_assert_eq(r->status, 200);
	hresp_free(r);
	/* a bad token is 401 (H-36), on both endpoints */
	r = harness_request_ex(h, "POST", "/api/v3/cards/", "application/json", "{}", 2, bad_headers);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	r = harness_request_ex(h, "POST", "/api/v3/search", "application/json", "{}", 2, bad_headers);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	/* no body at all: the defaults */
	r = harness_request_ex(h, "POST", "/api/v3/cards", NULL, NULL, 0, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(hresp_int(r, "total_hits") > 50);
	hresp_free(r);
}

static void bad(const char *path, const char *body, const char *field)
{
	struct hresp *r = harness_auth(h, "POST", path, NULL, body);
	cr_assert_eq(r->status, 412, "%s %s: %.200s", path, body, r->body);
	expect_invalid(r, field);
	hresp_free(r);
}

static void bad_input_is_412_naming_the_field(void)
{
	static const struct {
		const char *body, *field;
	} cases[] = {
		{ "{\"amount\": -1}", "amount" },
		{ "{\"amount\": 10001}", "amount" },
		{ "{\"amount\": \"many\"}", "amount" },
		{ "{\"offset\": -5}", "offset" },
		{ "{\"ads\": [\"x\"]}", "ads[0]" },
		{ "{\"ads\": 5}", "ads" },
		{ "{\"project_ads\": [0]}", "project_ads[0]" },
		{ "{\"balcony\": \"yes\"}", "balcony" },
		{ "{\"paused\": 1}", "paused" },
		{ "{\"card_pin\": \"true\"}", "card_pin" },
		{ "{\"card_type\": \"houses\"}", "card_type" },
		{ "{\"company\": \"acme\"}", "company" },
		{ "{\"estate\": 0}", "estate" },
		{ "{\"project\": -3}", "project" },
		{ "{\"sorting\": \"price.asc\"}", "sorting" },
		{ "{\"sorting\": \"rent\"}", "sorting" },
		{ "{\"sorting\": \"rent.up\"}", "sorting" },
		{ "{\"sorting\": \"distance.asc\"}", "sorting" },
		{ "{\"tags\": [\"pensioner\"]}", "tags[0]" },
		{ "{\"tags\": \"senior\"}", "tags" },
		{ "{\"shapes\": [\"region.1\"]}", "shapes[0]" },
		{ "{\"shapes\": [\"county.\"]}", "shapes[0]" },
		{ "{\"shapes\": [\"municipality.18a\"]}", "shapes[0]" },
		{ "{\"shapes\": [\"county.100\"]}", "shapes[0]" },
		{ "{\"shapes\": [5]}", "shapes[0]" },
		{ "{\"geo_bounds\": {\"min_lat\": 55, \"max_lat\": 60, \"min_lng\": 11}}", "geo_bounds.max_lng" },
		{ "{\"geo_bounds\": {\"min_lat\": 61, \"max_lat\": 60, \"min_lng\": 11, \"max_lng\": 12}}",
		  "geo_bounds.max_lat" },
		{ "{\"geo_bounds\": {\"min_lat\": 55, \"max_lat\": 91, \"min_lng\": 11, \"max_lng\": 12}}",
		  "geo_bounds.max_lat" },
		{ "{\"geo_bounds\": \"sweden\"}", "geo_bounds" },
		{ "{\"geo_radius\": {\"latitude\": 59, \"longitude\": 18, \"radius\": \"5 miles\"}}", "geo_radius.radius" },
		{ "{\"geo_radius\": {\"latitude\": 59, \"longitude\": 18, \"radius\": \"-1km\"}}", "geo_radius.radius" },
		{ "{\"geo_radius\": {\"latitude\": 59, \"longitude\": 18, \"radius\": \"3000km\"}}", "geo_radius.radius" },
		{ "{\"geo_radius\": {\"radius\": \"5km\"}}", "geo_radius.latitude" },
		{ "{\"geo_radius\": {\"latitude\": 59, \"radius\": \"5km\"}}", "geo_radius.longitude" },
		{ "{\"geo_radius\": {\"latitude\": 95, \"longitude\": 18}}", "geo_radius.latitude" },
		{ "{\"min_rent\": 9000, \"max_rent\": 8000}", "max_rent" },
		{ "{\"min_area\": \"big\"}", "min_area" },
		{ "{\"max_room\": -1}", "max_room" },
		{ "{\"min_floor\": 5, \"max_floor\": 2}", "max_floor" },
	};
	struct hresp *r;
	long long before = harness_sql_int(h, "SELECT COUNT(*) FROM cards");

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		bad("/api/v3/cards/", cases[k].body, cases[k].field);
		if (strcmp(cases[k].field, "offset") != 0) /* the public search pages by page */
			bad("/api/v3/search", cases[k].body, cases[k].field);
	}
	bad("/api/v3/search", "{\"page\": 0}", "page");
	bad("/api/v3/search", "{\"amount\": 1001}", "amount");
	bad("/api/v3/search", "{\"amount\": 0}", "amount");
	bad("/api/v3/search", "{\"zoom\": \"near\"}", "zoom");
	/* the error names the member the request used */
	bad("/api/v3/search", "{\"selectedShapes\": \"country.1\"}", "selectedShapes");
	bad("/api/v3/search", "{\"selectedShapes\": [\"county.1\", \"country.1\"]}", "selectedShapes[1]");
	/* every bad field at once */
	r = cards(NULL, "{\"amount\": -1, \"sorting\": \"x\", \"tags\": [\"y\"]}");
	expect_invalid(r, "amount");
	cr_assert(has_field(r, "sorting") && has_field(r, "tags[0]"));
	hresp_free(r);
	/* not an object, not JSON */
	r = cards(NULL, "[1, 2]");
	expect_error(r, 412, "ValidationError");
	hresp_free(r);
	r = cards(NULL, "{\"amount\": ");
	expect_error(r, 400, "ParseError");
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM cards"), before); /* searching changes nothing */
}

/* ---- cards follow the writes they derive from ---- */

static int64_t card_count(const char *body)
{
	struct hresp *r = cards(NULL, body);
	int64_t n;
	cr_assert_eq(r->status, 200, "%s", r->body);
	n = hresp_int(r, "total_hits");
	hresp_free(r);
	return n;
}

static json_t *card_of(struct hresp **keep, int64_t listing_id)
{
	char body[64];
	snprintf(body, sizeof(body), "{\"ads\": [%lld]}", (long long)listing_id);
	*keep = cards(NULL, body);
	return json_array_get(json_object_get((*keep)->json, "results"), 0);
}

static void expect_status(struct hresp *r, int status)
{
	cr_assert_eq(r->status, status, "expected %d: %s", status, r->body);
	hresp_free(r);
}

static void listing_status_changes_move_the_card(void)
{
	const struct lst *l = first_active(3);
	char path[128];
	struct hresp *keep;
	int64_t total = card_count("{}");

	int64_t ranged = card_count("{\"min_rent\": 1}"); /* a count the process keeps until a card changes */

	cr_assert_eq(ranged, total);
	cr_assert(card_of(&keep, l->id));
	hresp_free(keep);
	expect_status(reqf(h, "PATCH", pathf(path, "/api/v1/object_ad/%lld", (long long)l->id), co.admin_token,
			   "{\"status\": \"paused\"}"), 200);
	cr_assert_eq(card_count("{\"min_rent\": 1}"), ranged - 1);
	cr_assert_null(card_of(&keep, l->id));
	hresp_free(keep);
	cr_assert_eq(card_count("{}"), total - 1);
	expect_status(reqf(h, "PATCH", pathf(path, "/api/v1/object_ad/%lld", (long long)l->id), co.admin_token,
			   "{\"status\": \"active\"}"), 200);
	cr_assert(card_of(&keep, l->id));
	hresp_free(keep);
	cr_assert_eq(card_count("{}"), total);
	expect_status(harness_auth(h, "DELETE", pathf(path, "/api/v1/object_ad/%lld", (long long)l->id), co.admin_token,
				   NULL), 204);
	cr_assert_null(card_of(&keep, l->id));
	hresp_free(keep);
	cr_assert_eq(card_count("{}"), total - 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM card_geo WHERE id NOT IN (SELECT id FROM cards)"), 0);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM card_docs WHERE card_id NOT IN (SELECT id FROM cards)"), 0);
}

static void apartment_and_estate_changes_update_the_card(void)
{
	const struct lst *l = first_active(4);
	char path[128];
	struct hresp *keep;
	json_t *c;

	expect_status(reqf(h, "PATCH", pathf(path, "/api/v4/apartment/%lld", (long long)l->apartment), co.admin_token,
			   "{\"rent\": 12345, \"rooms\": 2.5, \"street_name\": \"Nygatan\"}"), 200);
	c = card_of(&keep, l->id);
	cr_assert_eq(jint(c, "rent"), 12345);
	cr_assert_float_eq(json_number_value(json_object_get(c, "rooms")), 2.5, 1e-9);
	cr_assert_str_eq(jstr(c, "title"), "Nygatan 5");
	hresp_free(keep);
	/* moved to Göteborg: the shape follows */
	expect_status(reqf(h, "PATCH", pathf(path, "/api/v4/apartment/%lld", (long long)l->apartment), co.admin_token,
			   "{\"latitude\": 57.7089, \"longitude\": 11.9746, \"zip_code\": \"41101\"}"), 200);
	{
		char body[128];
		struct hresp *r;
		snprintf(body, sizeof(body), "{\"ads\": [%lld], \"shapes\": [\"municipality.1480\"]}", (long long)l->id);
		r = cards(NULL, body);
		cr_assert_eq(hresp_int(r, "total_hits"), 1, "%s", r->body);
		cr_assert_str_eq(jstr(json_array_get(json_object_get(r->json, "results"), 0), "municipality"), "Göteborg");
		hresp_free(r);
	}
	/* the estate's city is the card's city */
	expect_status(reqf(h, "PATCH", pathf(path, "/api/v4/estate/%lld", (long long)l->estate), co.admin_token,
			   "{\"city\": \"Limhamn\"}"), 200);
	c = card_of(&keep, l->id);
	cr_assert_str_eq(jstr(c, "city"), "Limhamn");
	hresp_free(keep);
	/* deleting the apartment takes the listing and its card */
	expect_status(harness_auth(h, "DELETE", pathf(path, "/api/v4/apartment/%lld", (long long)l->apartment),
				   co.admin_token, NULL), 204);
	cr_assert_null(card_of(&keep, l->id));
	hresp_free(keep);
}

/* An apartment picture added through the API shows on the card, with its caption and absolute URL. */
static void pictures_show_on_the_card(void)
{
	const struct lst *l = first_active(0);
	char path[128], body[256];
	struct hresp *keep, *r;
	json_t *imgs, *img;

	harness_sql(h,
		    "INSERT INTO stored_files(key, category, sha256, md5, size, mime_type) VALUES"
		    " ('apartment_images/abc.jpg', 'apartment_images', 'abc', 'bWQ1', 10, 'image/jpeg'),"
		    " ('apartment_images/def.jpg', 'apartment_images', 'def', 'bWQ2', 10, 'image/jpeg');"
		    "INSERT INTO file_references(id, company_id, user_id, entity_type, mime_type, content_length, content_md5,"
		    " state, stored_file_id, expires_at) VALUES"
		    " ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', %lld, %lld, 'apartment_image', 'image/jpeg', 10, 'bWQ1', 'uploaded',"
		    " (SELECT id FROM stored_files WHERE sha256 = 'abc'), 0),"
		    " ('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', %lld, %lld, 'apartment_image', 'image/jpeg', 10, 'bWQ2', 'uploaded',"
		    " (SELECT id FROM stored_files WHERE sha256 = 'def'), 0);",
		    (long long)co.id, (long long)co.admin_id, (long long)co.id, (long long)co.admin_id);
	pathf(path, "/api/v4/apartment/%lld/pictures", (long long)l->apartment);
	snprintf(body, sizeof(body), "{\"file_reference\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"caption\": \"Kök\"}");
	r = harness_auth(h, "POST", path, co.admin_token, body);
	cr_assert(r->status == 201 || r->status == 200, "%s", r->body);
	hresp_free(r);
	snprintf(body, sizeof(body), "{\"file_reference\": \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\", \"caption\": \"Vardagsrum\"}");
	r = harness_auth(h, "POST", path, co.admin_token, body);
	cr_assert(r->status == 201 || r->status == 200, "%s", r->body);
	hresp_free(r);
	imgs = json_object_get(card_of(&keep, l->id), "images");
	cr_assert_eq(json_array_size(imgs), 2, "%s", keep->body);
	img = json_array_get(imgs, 0);
	cr_assert_str_eq(jstr(img, "caption"), "Kök");
	cr_assert_eq(jint(img, "position"), 0);
	{
		char url[600];
		snprintf(url, sizeof(url), "%s/media/apartment_images/abc.jpg", app_config(h->app)->public_url);
		cr_assert_str_eq(jstr(img, "image"), url);
	}
	cr_assert_str_eq(jstr(json_array_get(imgs, 1), "caption"), "Vardagsrum");
	cr_assert_eq(jint(json_array_get(imgs, 1), "position"), 1);
	hresp_free(keep);
}

/* A project card counts its active listings and goes when the project closes; its listings stay listed. */
static void project_card_follows_its_listings_and_closing(void)
{
	char path[128], body[64];
	struct hresp *r;
	const struct lst *pl = NULL;
	size_t n = count_project_active();

	for (size_t k = 0; k < NL && !pl; k++)
		if (L[k].project == project_id && L[k].status == L_ACTIVE)
			pl = &L[k];
	expect_status(reqf(h, "PATCH", pathf(path, "/api/v1/object_ad/%lld", (long long)pl->id), co.admin_token,
			   "{\"status\": \"paused\"}"), 200);
	r = cards(NULL, "{\"card_type\": \"projects\"}");
	cr_assert_eq(jint(result(r, "project", project_id), "active_ads"), (long long)n - 1, "%s", r->body);
	hresp_free(r);
	/* deleting a project listing's apartment (a cascade the card code cannot see) recounts too */
	for (size_t k = 0; k < NL; k++)
		if (L[k].project == project_id && L[k].status == L_ACTIVE && &L[k] != pl) {
			expect_status(harness_auth(h, "DELETE",
						   pathf(path, "/api/v4/apartment/%lld", (long long)L[k].apartment),
						   co.admin_token, NULL), 204);
			break;
		}
	r = cards(NULL, "{\"card_type\": \"projects\"}");
	cr_assert_eq(jint(result(r, "project", project_id), "active_ads"), (long long)n - 2, "%s", r->body);
	hresp_free(r);
	expect_status(reqf(h, "PATCH", pathf(path, "/api/v1/projects/%lld", (long long)project_id), co.admin_token,
			   "{\"closed\": true}"), 200);
	cr_assert_eq(card_count("{\"card_type\": \"projects\"}"), 0);
	snprintf(body, sizeof(body), "{\"project\": %lld}", (long long)project_id);
	cr_assert_eq(card_count(body), (int64_t)n - 2);
}

/* ---- the suite: each test builds the world once and runs several checks on it ---- */

/*
 * Answers are kept (core->card_pages) under the cards' generation, per route and caller
 * company: a repeat is a hit, the same body from an employee is its own answer, and a card
 * that changes is in the very next answer.
 */
static void answers_are_kept_per_company_until_a_card_changes(void)
{
	const char *body = "{\"min_rent\": 1, \"amount\": 3}";
	struct memo *m = app_core(h->app)->card_pages;
	const struct lst *l = first_active(3);
	size_t hits, misses, hits2, misses2;
	struct hresp *first, *again;
	char path[128];

	first = cards(NULL, body);
	cr_assert_eq(first->status, 200, "%s", first->body);
	memo_stats(m, &hits, &misses);
	again = cards(NULL, body);
	memo_stats(m, &hits2, &misses2);
	cr_assert_eq(hits2, hits + 1, "a repeat is answered from the memo");
	cr_assert_str_eq(again->body, first->body);
	hresp_free(again);
	again = harness_auth(h, "POST", "/api/v3/search", NULL, body);
	memo_stats(m, &hits, &misses);
	cr_assert_eq(misses, misses2 + 1, "the other route keeps its own answer");
	hresp_free(again);
	again = cards(co.admin_token, body);
	memo_stats(m, &hits2, &misses2);
	cr_assert_eq(misses2, misses + 1, "an employee's answer is kept apart (their company's unpublished cards)");
	hresp_free(again);
	expect_status(reqf(h, "PATCH", pathf(path, "/api/v1/object_ad/%lld", (long long)l->id), co.admin_token,
			   "{\"status\": \"paused\"}"), 200);
	again = cards(NULL, body);
	cr_assert_eq(again->status, 200, "%s", again->body);
	cr_assert_eq(hresp_int(again, "total_hits"), hresp_int(first, "total_hits") - 1, "%s", again->body);
	hresp_free(again);
	hresp_free(first);
}

Test(cards, answers_are_kept)
{
	answers_are_kept_per_company_until_a_card_changes();
}

Test(cards, card_shapes)
{
	individual_card_shape_and_values();
	project_card_in_the_normal_search();
	project_mode_lists_extended_cards();
}

Test(cards, pins_and_id_lists)
{
	pins();
	ads_and_project_ads_lists();
}

Test(cards, tokens_and_bad_input)
{
	tokens();
	bad_input_is_412_naming_the_field();
}

Test(cards, cards_follow_listing_writes)
{
	listing_status_changes_move_the_card();
	pictures_show_on_the_card();
}

Test(cards, cards_follow_inventory_writes)
{
	apartment_and_estate_changes_update_the_card();
}

Test(cards, cards_follow_project_writes)
{
	project_card_follows_its_listings_and_closing();
}
