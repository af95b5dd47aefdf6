/*
 * Listing search, filters and orders (homeq.md §6, §14; decisions.md H-19, H-36, H-38):
 * POST /api/v3/cards/ and POST /api/v3/search over the world of cards_common.h, each
 * answer compared with a reference computed here from the same listings — every
 * filter, every sort key in both directions with ties, geo bounds and radius at their
 * edges, shapes, paging past the end, and that drafts, scheduled, deleted and other
 * companies' paused listings never appear.
 */
#include "cards_common.h"

static void setup(void)
{
	build_world();
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(search, .init = setup, .fini = teardown);

/* Runs body against /api/v3/cards/ as token and compares with the reference of q (first amount rows). */
static void check_cards(const char *token, const char *body, const struct ref_query *q, enum ref_key key, bool desc,
			size_t offset, size_t amount)
{
	const struct lst *want[MAXL];
	size_t n = ref_run(q, key, desc, want), from = offset < n ? offset : n, len = n - from;
	struct hresp *r = harness_auth(h, "POST", "/api/v3/cards/", token, body);
	if (len > amount)
		len = amount;
	cr_assert_eq(r->status, 200, "%s → %s", body, r->body);
	expect_ids(r, want + from, len, n);
	hresp_free(r);
}

/* The normal search without a project card: card_type normal. */
#define NORMAL "\"card_type\": \"normal\""

static void default_is_active_individuals_newest_first(void)
{
	struct ref_query q;
	ref_defaults(&q);
	check_cards(NULL, "{" NORMAL "}", &q, K_PUBLISH, true, 0, 10000);
}

/* Every sort key in both directions, over the same filter; ties (equal rooms, floors, publish dates) by id. */
static void every_sort_key_both_directions(void)
{
	static const struct {
		const char *name;
		enum ref_key key;
	} keys[] = { { "publish_date", K_PUBLISH }, { "area", K_AREA }, { "floor", K_FLOOR }, { "rent", K_RENT },
		     { "rooms", K_ROOMS }, { "boost_value", K_BOOST } };
	struct ref_query q;
	char body[256];
	ref_defaults(&q);
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		for (int desc = 0; desc < 2; desc++) {
			snprintf(body, sizeof(body), "{" NORMAL ", \"sorting\": \"%s.%s\"}", keys[k].name,
				 desc ? "desc" : "asc");
			check_cards(NULL, body, &q, keys[k].key, desc, 0, 10000);
		}
}

static void publish_date_ties_are_broken_by_id(void)
{
	const struct lst *want[MAXL];
	struct ref_query q;
	size_t n, ties = 0;
	ref_defaults(&q);
	n = ref_run(&q, K_PUBLISH, true, want);
	for (size_t k = 1; k < n; k++)
		if (want[k]->publish == want[k - 1]->publish) {
			cr_assert(want[k]->id < want[k - 1]->id);
			ties++;
		}
	cr_assert(ties >= 3, "the world should hold ties, has %zu", ties);
	check_cards(NULL, "{" NORMAL ", \"sorting\": \"publish_date.desc\"}", &q, K_PUBLISH, true, 0, 10000);
	check_cards(NULL, "{" NORMAL ", \"sorting\": \"publish_date.asc\"}", &q, K_PUBLISH, false, 0, 10000);
}

/* min/max of rent, area, rooms and floor: bounds are inclusive. */
static void range_filters_are_inclusive(void)
{
	struct ref_query q;
	char body[512];
	const struct lst *pivot = &L[4];

	ref_defaults(&q);
	q.has_min_rent = q.has_max_rent = true;
	q.min_rent = 6000;
	q.max_rent = (double)pivot->rent;
	snprintf(body, sizeof(body), "{" NORMAL ", \"min_rent\": 6000, \"max_rent\": %lld}", (long long)pivot->rent);
	check_cards(NULL, body, &q, K_PUBLISH, true, 0, 10000);

	ref_defaults(&q);
	q.has_min_area = true;
	q.min_area = pivot->area;
	snprintf(body, sizeof(body), "{" NORMAL ", \"min_area\": %g, \"sorting\": \"area.asc\"}", pivot->area);
	check_cards(NULL, body, &q, K_AREA, false, 0, 10000);

	ref_defaults(&q);
	q.has_max_area = true;
	q.max_area = 55.5;
	check_cards(NULL, "{" NORMAL ", \"max_area\": 55.5}", &q, K_PUBLISH, true, 0, 10000);

	ref_defaults(&q);
	q.has_min_room = q.has_max_room = true;
	q.min_room = 2;
	q.max_room = 3.5;
	check_cards(NULL, "{" NORMAL ", \"min_room\": 2, \"max_room\": \"3.5\"}", &q, K_PUBLISH, true, 0, 10000);

	ref_defaults(&q);
	q.has_min_floor = q.has_max_floor = true;
	q.min_floor = -1;
	q.max_floor = 0;
	check_cards(NULL, "{" NORMAL ", \"min_floor\": -1, \"max_floor\": 0, \"sorting\": \"floor.desc\"}", &q, K_FLOOR,
		    true, 0, 10000);

	/* null is absent */
	ref_defaults(&q);
	check_cards(NULL, "{" NORMAL ", \"min_rent\": null, \"max_floor\": null}", &q, K_PUBLISH, true, 0, 10000);
}

static void each_amenity_filter(void)
{
	struct ref_query q;
	char body[256];
	for (int k = 0; k < CARDS_AMENITY_COUNT; k++) {
		ref_defaults(&q);
		q.amenities = 1u << k;
		snprintf(body, sizeof(body), "{" NORMAL ", \"%s\": true}", cards_amenity_names[k]);
		check_cards(NULL, body, &q, K_PUBLISH, true, 0, 10000);
	}
	/* false filters nothing; several at once need all of them; dryer is drier (H-19) */
	ref_defaults(&q);
	check_cards(NULL, "{" NORMAL ", \"balcony\": false, \"pets\": false}", &q, K_PUBLISH, true, 0, 10000);
	q.amenities = 1u << CARDS_BALCONY | 1u << CARDS_DISHWASHER;
	check_cards(NULL, "{" NORMAL ", \"balcony\": true, \"dishwasher\": true}", &q, K_PUBLISH, true, 0, 10000);
	q.amenities = 1u << CARDS_DRIER;
	check_cards(NULL, "{" NORMAL ", \"dryer\": true}", &q, K_PUBLISH, true, 0, 10000);
}

static void tags_and_rental_modes(void)
{
	static const char *const tags[] = { "everyone", "senior", "youth", "student" };
	static const char *const modes[] = { "queue_points", "random", "first_come_first" };
	struct ref_query q;
	char body[256];

	for (int k = 0; k < 4; k++) {
		ref_defaults(&q);
		q.audience = 1u << k;
		snprintf(body, sizeof(body), "{" NORMAL ", \"tags\": [\"%s\"]}", tags[k]);
		check_cards(NULL, body, &q, K_PUBLISH, true, 0, 10000);
	}
	ref_defaults(&q);
	q.audience = 2 | 8;
	check_cards(NULL, "{" NORMAL ", \"tags\": [\"senior\", \"student\"]}", &q, K_PUBLISH, true, 0, 10000);
	for (int k = 0; k < 3; k++) {
		ref_defaults(&q);
		q.modes = 7u & ~(1u << k);
		snprintf(body, sizeof(body), "{" NORMAL ", \"%s\": false}", modes[k]);
		check_cards(NULL, body, &q, K_PUBLISH, true, 0, 10000);
	}
	/* the observed client's body (§14) */
	ref_defaults(&q);
	q.modes = 4;
	check_cards(NULL,
		    "{" NORMAL ", \"offset\": 0, \"amount\": 20, \"sorting\": \"publish_date.desc\","
		    " \"first_come_first\": true, \"queue_points\": false, \"random\": false}",
		    &q, K_PUBLISH, true, 0, 20);
}

/* Reserved listings with reserved:true; paused ones only with paused:true and only the caller's own company's. */
static void reserved_and_paused_visibility(void)
{
	struct ref_query q;
	char tok[1024];
	int64_t consumer;

	ref_defaults(&q);
	q.states = CARD_ACTIVE | CARD_RESERVED;
	check_cards(NULL, "{" NORMAL ", \"reserved\": true}", &q, K_PUBLISH, true, 0, 10000);
	ref_defaults(&q);
	check_cards(NULL, "{" NORMAL ", \"paused\": true}", &q, K_PUBLISH, true, 0, 10000); /* anonymous: none */
	q.states = CARD_ACTIVE | CARD_PAUSED;
	q.own_company = co.id;
	check_cards(co.admin_token, "{" NORMAL ", \"paused\": true}", &q, K_PUBLISH, true, 0, 10000);
	q.own_company = other.id;
	check_cards(other.admin_token, "{" NORMAL ", \"paused\": true}", &q, K_PUBLISH, true, 0, 10000);
	q.states = CARD_ACTIVE | CARD_PAUSED | CARD_RESERVED;
	check_cards(other.admin_token, "{" NORMAL ", \"paused\": true, \"reserved\": true}", &q, K_PUBLISH, true, 0,
		    10000);
	/* a consumer sees no paused listing */
	consumer = fixture_consumer(h, "anna@example.com", tok);
	cr_assert(consumer > 0);
	ref_defaults(&q);
	check_cards(tok, "{" NORMAL ", \"paused\": true}", &q, K_PUBLISH, true, 0, 10000);
}

/* Drafts, scheduled and deleted listings never appear, whatever the filters and whoever asks. */
static void drafts_scheduled_and_deleted_never_appear(void)
{
	const char *tokens[] = { NULL, co.admin_token, other.admin_token };
	for (size_t t = 0; t < 3; t++) {
		struct hresp *r = harness_auth(h, "POST", "/api/v3/cards/", tokens[t],
					       "{\"paused\": true, \"reserved\": true, \"company\": null}");
		json_t *res = json_object_get(r->json, "results");
		size_t n_hidden = 0;
		cr_assert_eq(r->status, 200, "%s", r->body);
		for (size_t k = 0; k < NL; k++) {
			json_t *c;
			size_t i;
			if (L[k].status != L_DRAFT && L[k].status != L_SCHEDULED && L[k].status != L_DELETED)
				continue;
			n_hidden++;
			json_array_foreach (res, i, c)
				cr_assert(!(jint(c, "id") == L[k].id && strcmp(jstr(c, "type"), "individual") == 0),
					  "listing %lld (status %d) is in the answer", (long long)L[k].id, L[k].status);
		}
		cr_assert(n_hidden >= 15);
		hresp_free(r);
	}
}

static void company_and_estate_filters(void)
{
	struct ref_query q;
	char body[256];

	/* company mode: every listing of the company, project rentals included, as individual cards */
	ref_defaults(&q);
	q.kinds_project_ad = 1;
	q.company = co.id;
	snprintf(body, sizeof(body), "{\"company\": %lld}", (long long)co.id);
	check_cards(NULL, body, &q, K_PUBLISH, true, 0, 10000);
	q.company = other.id;
	snprintf(body, sizeof(body), "{\"company\": %lld, \"sorting\": \"rent.asc\"}", (long long)other.id);
	check_cards(NULL, body, &q, K_RENT, false, 0, 10000);
	/* an unknown company: nothing */
	check_cards(NULL, "{\"company\": 999999}", &(struct ref_query){ .states = 0 }, K_PUBLISH, true, 0, 10000);

	ref_defaults(&q);
	q.kinds_project_ad = 1;
	q.estate = L[2].estate;
	snprintf(body, sizeof(body), "{\"estate\": %lld, \"sorting\": \"rooms.desc\"}", (long long)L[2].estate);
	check_cards(NULL, body, &q, K_ROOMS, true, 0, 10000);
}

static void shapes_county_and_municipality(void)
{
	struct ref_query q;

	ref_defaults(&q);
	q.county = 1;
	check_cards(NULL, "{" NORMAL ", \"shapes\": [\"county.1\"]}", &q, K_PUBLISH, true, 0, 10000);
	check_cards(NULL, "{" NORMAL ", \"shapes\": [\"county.01\"], \"sorting\": \"rent.desc\"}", &q, K_RENT, true, 0,
		    10000);
	ref_defaults(&q);
	q.municipality = 180;
	check_cards(NULL, "{" NORMAL ", \"shapes\": [\"municipality.180\"]}", &q, K_PUBLISH, true, 0, 10000);
	ref_defaults(&q);
	q.municipality = 1480;
	check_cards(NULL, "{" NORMAL ", \"shapes\": [\"municipality.1480\"], \"sorting\": \"area.asc\"}", &q, K_AREA,
		    false, 0, 10000);
	/* several of one type (counted from the place totals), and of both types (counted row by row) */
	{
		const struct lst *want[MAXL], *got[MAXL] = { 0 };
		size_t n = 0, na;
		struct hresp *r;
		ref_defaults(&q);
		na = ref_run(&q, K_PUBLISH, true, want);
		for (size_t k = 0; k < na; k++)
			if (want[k]->municipality == 180 || want[k]->municipality == 1280)
				got[n++] = want[k];
		r = harness_auth(h, "POST", "/api/v3/cards/", NULL,
				 "{" NORMAL ", \"shapes\": [\"municipality.180\", \"municipality.1280\"]}");
		expect_ids(r, got, n, n);
		hresp_free(r);
		n = 0;
		for (size_t k = 0; k < na; k++)
			if (want[k]->county == 1 || want[k]->county == 14)
				got[n++] = want[k];
		r = harness_auth(h, "POST", "/api/v3/cards/", NULL, "{" NORMAL ", \"shapes\": [\"county.14\", \"county.1\"], \"amount\": 3}");
		expect_ids(r, got, 3, n);
		hresp_free(r);
	}
	/* an empty list is no filter */
	ref_defaults(&q);
	check_cards(NULL, "{" NORMAL ", \"shapes\": [], \"ads\": []}", &q, K_PUBLISH, true, 0, 10000);
	/* an unknown code is an empty place */
	ref_defaults(&q);
	q.county = 99;
	check_cards(NULL, "{" NORMAL ", \"shapes\": [\"county.99\"]}", &q, K_PUBLISH, true, 0, 10000);
}

/* Several shapes: any of them. */
static void several_shapes_are_a_union(void)
{
	const struct lst *want[MAXL], *got[MAXL] = { 0 };
	struct ref_query q;
	size_t n = 0, na;
	ref_defaults(&q);
	na = ref_run(&q, K_PUBLISH, true, want);
	for (size_t k = 0; k < na; k++)
		if (want[k]->county == 3 || want[k]->municipality == 1280 || want[k]->municipality == 184)
			got[n++] = want[k];
	{
		struct hresp *r = harness_auth(h, "POST", "/api/v3/cards/", NULL,
					       "{" NORMAL ", \"shapes\": [\"county.3\", \"municipality.1280\","
					       " \"municipality.184\"]}");
		expect_ids(r, got, n, n);
		hresp_free(r);
	}
	cr_assert(n > 10);
}

/* geo_bounds: a listing exactly on an edge is inside; a box through the R*Tree and a wide one walk alike. */
static void geo_bounds_edges(void)
{
	struct ref_query q;
	char body[512];
	const struct lst *a = NULL, *b = NULL;

	for (size_t k = 0; k < NL && (!a || !b); k++) {
		if (L[k].status != L_ACTIVE || L[k].project)
			continue;
		if (L[k].city == 0 && !a)
			a = &L[k];
		else if (L[k].city == 0 && a && !b && L[k].lat != a->lat && L[k].lon != a->lon)
			b = &L[k];
	}
	cr_assert(a && b);
	/* a small box whose corners are the two listings: both on the edge */
	ref_defaults(&q);
	q.bounds = true;
	q.min_lat = fmin(a->lat, b->lat);
	q.max_lat = fmax(a->lat, b->lat);
	q.min_lon = fmin(a->lon, b->lon);
	q.max_lon = fmax(a->lon, b->lon);
	snprintf(body, sizeof(body),
		 "{" NORMAL ", \"geo_bounds\": {\"min_lat\": %.17g, \"max_lat\": %.17g, \"min_lng\": %.17g,"
		 " \"max_lng\": %.17g}}",
		 q.min_lat, q.max_lat, q.min_lon, q.max_lon);
	check_cards(NULL, body, &q, K_PUBLISH, true, 0, 10000);
	/* a hair smaller on every side: neither corner listing */
	q.min_lat += 1e-7;
	q.max_lat -= 1e-7;
	q.min_lon += 1e-7;
	q.max_lon -= 1e-7;
	snprintf(body, sizeof(body),
		 "{" NORMAL ", \"geo_bounds\": {\"min_lat\": %.17g, \"max_lat\": %.17g, \"min_lng\": %.17g,"
		 " \"max_lng\": %.17g}, \"sorting\": \"rent.asc\"}",
		 q.min_lat, q.max_lat, q.min_lon, q.max_lon);
	check_cards(NULL, body, &q, K_RENT, false, 0, 10000);
	/* the whole south of Sweden (walked in order, not through the R*Tree) */
	ref_defaults(&q);
	q.bounds = true;
	q.min_lat = 55;
	q.max_lat = 59.5;
	q.min_lon = 11;
	q.max_lon = 19;
	check_cards(NULL,
		    "{" NORMAL ", \"geo_bounds\": {\"min_lat\": 55, \"max_lat\": 59.5, \"min_lng\": 11, \"max_lng\": 19}}",
		    &q, K_PUBLISH, true, 0, 10000);
}

/* geo_radius: 1 m more than a listing's distance includes it, 1 m less leaves it out; distance sorting. */
static void geo_radius_edges_and_distance_sort(void)
{
	struct ref_query q;
	char body[512];
	const struct lst *far = NULL;
	double clat = cities[0].lat, clon = cities[0].lon, d;

	for (size_t k = 0; k < NL; k++)
		if (L[k].status == L_ACTIVE && L[k].city == 0 && !L[k].project &&
		    (!far || haversine_m(clat, clon, L[k].lat, L[k].lon) > haversine_m(clat, clon, far->lat, far->lon)))
			far = &L[k];
	cr_assert(far);
	d = haversine_m(clat, clon, far->lat, far->lon);
	for (int side = -1; side <= 1; side += 2) {
		ref_defaults(&q);
		q.radius = true;
		q.clat = clat;
		q.clon = clon;
		q.radius_m = d + side;
		snprintf(body, sizeof(body),
			 "{" NORMAL ", \"geo_radius\": {\"latitude\": %.6f, \"longitude\": %.6f, \"radius\": \"%.3fm\"},"
			 " \"sorting\": \"distance.asc\"}",
			 clat, clon, d + side);
		check_cards(NULL, body, &q, K_DISTANCE, false, 0, 10000);
		{
			struct hresp *r = harness_auth(h, "POST", "/api/v3/cards/", NULL, body);
			json_t *res = json_object_get(r->json, "results");
			cr_assert_eq(jint(json_array_get(res, json_array_size(res) - 1), "id") == far->id, side > 0);
			hresp_free(r);
		}
	}
	/* a radius in kilometres over two cities, farthest first */
	ref_defaults(&q);
	q.radius = true;
	q.clat = clat;
	q.clon = clon;
	q.radius_m = 70000;
	check_cards(NULL,
		    "{" NORMAL ", \"geo_radius\": {\"latitude\": 59.3293, \"longitude\": 18.0686, \"radius\": \"70km\"},"
		    " \"sorting\": \"distance.desc\"}",
		    &q, K_DISTANCE, true, 0, 10000);
	/* the default radius is the seed's 50km; a radius with bounds is both */
	q.radius_m = 50000;
	check_cards(NULL, "{" NORMAL ", \"geo_radius\": {\"latitude\": 59.3293, \"longitude\": 18.0686}}", &q, K_PUBLISH,
		    true, 0, 10000);
	q.bounds = true;
	q.min_lat = 59.33;
	q.max_lat = 60;
	q.min_lon = 17;
	q.max_lon = 19;
	check_cards(NULL,
		    "{" NORMAL ", \"geo_radius\": {\"latitude\": 59.3293, \"longitude\": 18.0686, \"radius\": 50},"
		    " \"geo_bounds\": {\"min_lat\": 59.33, \"max_lat\": 60, \"min_lng\": 17, \"max_lng\": 19}}",
		    &q, K_PUBLISH, true, 0, 10000);
}

/* The benchmark's typical search: a county, a rent range, rooms >= 2, newest first, 20 at a time. */
static void combined_filters_and_offset_paging(void)
{
	struct ref_query q;
	ref_defaults(&q);
	q.county = 1;
	q.has_min_rent = q.has_max_rent = q.has_min_room = true;
	q.min_rent = 5000;
	q.max_rent = 12000;
	q.min_room = 2;
	for (size_t off = 0; off < 40; off += 7)
		for (size_t amount = 1; amount <= 20; amount += 19) {
			char body[512];
			snprintf(body, sizeof(body),
				 "{" NORMAL ", \"shapes\": [\"county.1\"], \"min_rent\": 5000, \"max_rent\": 12000,"
				 " \"min_room\": 2, \"offset\": %zu, \"amount\": %zu}",
				 off, amount);
			check_cards(NULL, body, &q, K_PUBLISH, true, off, amount);
		}
	/* amount 0: only the count */
	check_cards(NULL, "{" NORMAL ", \"shapes\": [\"county.1\"], \"min_rent\": 5000, \"max_rent\": 12000,"
			  " \"min_room\": 2, \"amount\": 0}", &q, K_PUBLISH, true, 0, 0);
	/* past the end: empty, the true total */
	check_cards(NULL, "{" NORMAL ", \"shapes\": [\"county.1\"], \"min_rent\": 5000, \"max_rent\": 12000,"
			  " \"min_room\": 2, \"offset\": 5000}", &q, K_PUBLISH, true, 5000, 20);
}

/* POST /api/v3/search: 1-based pages of `amount`, a true total_hits, past the end 200 and empty. */
static void public_search_pages(void)
{
	const struct lst *want[MAXL];
	struct ref_query q;
	size_t n, pages;
	char body[256];

	ref_defaults(&q);
	q.county = 1;
	n = ref_run(&q, K_RENT, false, want);
	cr_assert(n > 12);
	pages = (n + 4) / 5;
	for (size_t page = 1; page <= pages + 1; page++) {
		size_t from = (page - 1) * 5, len = from >= n ? 0 : n - from < 5 ? n - from : 5;
		struct hresp *r;
		snprintf(body, sizeof(body),
			 "{\"shapes\": [\"county.1\"], \"page\": %zu, \"amount\": 5, \"sorting\": \"rent.asc\","
			 " \"card_type\": \"normal\", \"zoom\": 11}",
			 page);
		r = harness_auth(h, "POST", "/api/v3/search", NULL, body);
		expect_ids(r, want + from, len, n);
		hresp_free(r);
	}
	/* the observed body: shapes, page, amount 1000; selectedShapes as a string; default page 1 */
	{
		struct hresp *r = harness_auth(h, "POST", "/api/v3/search", NULL,
					       "{\"selectedShapes\": \"county.1\", \"amount\": 1000, \"card_type\": \"normal\","
					       " \"sorting\": \"rent.asc\"}");
		expect_ids(r, want, n, n);
		hresp_free(r);
	}
	/* default amount (20) and the trailing slash */
	{
		struct hresp *r = harness_auth(h, "POST", "/api/v3/search/", NULL,
					       "{\"shapes\": [\"county.1\"], \"sorting\": \"rent.asc\", \"card_type\": \"normal\"}");
		expect_ids(r, want, n < 20 ? n : 20, n);
		hresp_free(r);
	}
}

/* ---- the suite: each test builds the world once and runs several checks on it ---- */

Test(search, orders_and_ties)
{
	default_is_active_individuals_newest_first();
	every_sort_key_both_directions();
	publish_date_ties_are_broken_by_id();
}

Test(search, filters)
{
	range_filters_are_inclusive();
	each_amenity_filter();
	tags_and_rental_modes();
}

Test(search, visibility)
{
	reserved_and_paused_visibility();
	drafts_scheduled_and_deleted_never_appear();
}

Test(search, places)
{
	company_and_estate_filters();
	shapes_county_and_municipality();
	several_shapes_are_a_union();
}

Test(search, geo)
{
	geo_bounds_edges();
	geo_radius_edges_and_distance_sort();
}

Test(search, paging)
{
	combined_filters_and_offset_paging();
	public_search_pages();
}

/* ---- the store's plan: how the rows are found never changes which rows ---- */

struct ids {
	int64_t v[MAXL * 2];
	size_t n;
};

static int collect_id(void *arg, const struct card_hit *hit, const struct card_doc *doc, struct error *err)
{
	struct ids *out = arg;
	(void)doc;
	(void)err;
	cr_assert_lt(out->n, sizeof(out->v) / sizeof(out->v[0]));
	out->v[out->n++] = hit->id;
	return 0;
}

/* The rows and count of q as the store plans it, and as a walk over every card (plan 0). */
static int plan_and_compare(struct card_query *q, bool pins)
{
	struct store *s = app_core(h->app)->store;
	struct arena *a = arena_create(64 * 1024);
	struct ids planned = { .n = 0 }, walked = { .n = 0 };
	int64_t n_planned, n_walked;
	struct error err;
	int plan;

	error_init(&err, a);
	cr_assert_eq(store_read_begin(s, &err), 0);
	cr_assert_eq(store_cards_plan(s, q, &err), 0, "%s", err.message);
	plan = q->plan;
	cr_assert_eq(store_cards_count(s, q, &n_planned, &err), 0, "%s", err.message);
	cr_assert_eq(store_cards_search(s, a, q, pins, collect_id, &planned, &err), 0, "%s", err.message);
	q->plan = 0;
	cr_assert_eq(store_cards_count(s, q, &n_walked, &err), 0, "%s", err.message);
	cr_assert_eq(store_cards_search(s, a, q, pins, collect_id, &walked, &err), 0, "%s", err.message);
	store_read_end(s);
	cr_assert_gt(walked.n, 0, "the query finds something");
	cr_assert_eq(n_planned, n_walked);
	cr_assert_eq(planned.n, walked.n);
	for (size_t i = 0; i < walked.n; i++)
		cr_assert_eq(planned.v[i], walked.v[i], "row %zu", i);
	arena_destroy(a);
	return plan;
}

static void base_query(struct card_query *q)
{
	memset(q, 0, sizeof(*q));
	q->kinds = 1u << CARD_INDIVIDUAL | 1u << CARD_PROJECT;
	q->states = CARD_ACTIVE;
	q->own_company = -1;
	q->modes = 7;
	q->sort = CARD_SORT_PUBLISH_DATE;
	q->desc = true;
	q->limit = 10000;
}

Test(search, the_store_plans_and_any_plan_finds_the_same_rows)
{
	struct card_query q;

	/* one county: its own walking index */
	base_query(&q);
	q.shapes = true;
	q.counties = (const int64_t[]){ 1 };
	q.n_counties = 1;
	q.municipalities = (const int64_t[]){ 0 };
	q.one_shape = 1;
	cr_assert_neq(plan_and_compare(&q, false), 0, "one county is not walked over the whole country");
	/* a small box around Stockholm: the R*Tree; in rent order, and as pins */
	base_query(&q);
	q.bounds = true;
	q.min_lat = cities[0].lat - 0.01;
	q.max_lat = cities[0].lat + 0.01;
	q.min_lon = cities[0].lon - 0.01;
	q.max_lon = cities[0].lon + 0.01;
	cr_assert_neq(plan_and_compare(&q, true), 0, "a small box is asked of the R*Tree");
	q.sort = CARD_SORT_RENT;
	q.desc = false;
	cr_assert_neq(plan_and_compare(&q, false), 0);
	/* one company */
	base_query(&q);
	q.company = co.id;
	cr_assert_neq(plan_and_compare(&q, false), 0, "one company has its own walking index");
	/* nothing narrows it: the whole country's walk */
	base_query(&q);
	cr_assert_eq(plan_and_compare(&q, false), 0);
}
