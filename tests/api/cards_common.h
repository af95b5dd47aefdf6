/*
 * cards_common.h — the world the search suites (test_cards.c, test_search.c) search:
 * two companies, five cities, requirement profiles for every audience, ~100 listings
 * created through the API with varied rent, rooms, area, floor, amenities, rental modes,
 * audiences, publish dates (with ties) and statuses (drafts, scheduled, paused, reserved,
 * deleted), and a project with its own listings. Each listing's values are kept in
 * struct lst so a test can compute the expected answer straightforwardly and compare.
 *
 * Statuses the API cannot set (reserved) and the publish dates (to get spread and ties)
 * are written with SQL, then the cards are synced through core/listings/cards.h like a writer would.
 */
#ifndef RENTD_TEST_CARDS_COMMON_H
#define RENTD_TEST_CARDS_COMMON_H

#include <math.h>

#include "core/listings/cards.h"
#include "org_common.h"

enum lst_status { L_ACTIVE, L_PAUSED, L_RESERVED, L_DRAFT, L_SCHEDULED, L_DELETED };

struct lst {
	int64_t id, apartment, estate, company, office, project;
	enum lst_status status;
	double lat, lon;
	int county, municipality;
	int64_t rent;
	double area, rooms, floor;
	unsigned modes, audience, amenities; /* the bits of core/listings/cards.h */
	int64_t publish;
	bool short_lease;
	int city;
};

struct city {
	const char *name, *zip;
	double lat, lon;
	int county, municipality;
};

static const struct city cities[] = {
	{ "Stockholm", "11151", 59.3293, 18.0686, 1, 180 }, { "Solna", "16970", 59.3600, 18.0000, 1, 184 },
	{ "Uppsala", "75320", 59.8586, 17.6389, 3, 380 },   { "Göteborg", "41101", 57.7089, 11.9746, 14, 1480 },
	{ "Malmö", "21122", 55.6050, 13.0038, 12, 1280 },
};
#define NCITIES 5

#define MAXL 160
#define PUBLISH_BASE 1700000000

static struct harness *h;
static struct fixture_company co, other;
static struct lst L[MAXL];
static size_t NL;
static int64_t req_a[5], req_b;
static int64_t project_id, project_closed_id;

/* Resyncs one listing's card as a writer would (in a transaction). */
static inline void sync_listing(int64_t id)
{
	struct core *c = app_core(h->app);
	struct arena *a = arena_create(1024);
	struct error err;
	error_init(&err, a);
	cr_assert_eq(store_begin(c->store, &err), 0);
	cr_assert_eq(cards_sync_listing(c, id, &err), 0, "%s", err.message ? err.message : "");
	cr_assert_eq(store_commit(c->store, &err), 0);
	arena_destroy(a);
}

static inline int64_t post_id(const char *token, const char *path, int status, const char *body)
{
	struct hresp *r = harness_auth(h, "POST", path, token, body);
	int64_t id;
	cr_assert_eq(r->status, status, "%s %s: %s", path, body, r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static inline int64_t make_requirement(const char *token, const char *flags)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"name\": \"R\"%s%s}", *flags ? ", " : "", flags);
	return post_id(token, "/api/v1/requirements/", 201, body);
}

static inline int64_t make_estate_in(const char *token, const char *city, int64_t office)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"legal_name\": \"E %s\", \"city\": \"%s\", \"office\": %lld}", city, city,
		 (long long)office);
	return post_id(token, "/api/v4/estate", 200, body);
}

/* A small deterministic generator so the values spread without looking regular. */
static inline unsigned mix(unsigned i, unsigned salt)
{
	unsigned x = i * 2654435761u ^ salt * 40503u;
	x ^= x >> 13;
	x *= 0x5bd1e995u;
	return x ^ (x >> 15);
}

static const char *const mode_names_t[] = { "queue_points", "random", "first_come_first" };
/* audience bits per requirement profile index: everyone, senior, student (+pets), youth, everyone (+pets) */
static const unsigned req_audience[5] = { 1, 2, 8, 4, 1 };
static const bool req_pets[5] = { false, false, true, false, true };

/* One apartment and its listing in company fc, following the i-th recipe. */
static inline void make_listing(const struct fixture_company *fc, int64_t estate, int cityi, unsigned i,
			 enum lst_status status, int64_t project)
{
	const struct city *ct = &cities[cityi];
	struct lst *l = &L[NL++];
	char body[2048], path[128];
	unsigned am = mix(i, 7);
	int ri = (int)(mix(i, 3) % 5);

	cr_assert(NL <= MAXL);
	memset(l, 0, sizeof(*l));
	l->company = fc->id;
	l->office = fc->root_office;
	l->estate = estate;
	l->project = project;
	l->status = status;
	l->city = cityi;
	l->county = ct->county;
	l->municipality = ct->municipality;
	l->lat = ct->lat + ((double)(mix(i, 11) % 800) - 400) / 100000.0;
	l->lon = ct->lon + ((double)(mix(i, 13) % 800) - 400) / 100000.0;
	l->rent = 4000 + (int64_t)(mix(i, 17) % 40) * 250;
	l->rooms = 1 + (double)(mix(i, 19) % 5) + (i % 7 == 0 ? 0.5 : 0);
	l->area = 20 + (double)(mix(i, 23) % 90);
	l->floor = (double)(mix(i, 29) % 9) - 1;
	l->modes = 1u << (mix(i, 31) % 3);
	l->audience = req_audience[ri];
	l->short_lease = mix(i, 37) % 4 == 0;
	/* amenity bits in core/listings/cards.h order */
	l->amenities = (am & 1 ? 1u << CARDS_BALCONY : 0) | (am & 2 ? 1u << CARDS_BATHTUB : 0) |
		       (am & 4 ? 1u << CARDS_DISHWASHER : 0) | (am & 8 ? 1u << CARDS_DRIER : 0) |
		       (am & 16 ? 1u << CARDS_ELEVATOR : 0) | (am & 32 ? 1u << CARDS_GARAGE : 0) |
		       (am & 64 ? 1u << CARDS_HANDICAP_FRIENDLY : 0) | (am & 128 ? 1u << CARDS_KITCHEN_FAN : 0) |
		       (am & 256 ? 1u << CARDS_PARKING : 0) | (am & 512 ? 1u << CARDS_PATIO : 0) |
		       (req_pets[ri] ? 1u << CARDS_PETS : 0) | (am & 2048 ? 1u << CARDS_WASHING_MACHINE : 0);
	snprintf(body, sizeof(body),
		 "{\"estate\": %lld, \"street_name\": \"Testgatan\", \"street_number\": \"%u\", \"zip_code\": \"%s\","
		 " \"national_id\": \"%u\", \"latitude\": %.6f, \"longitude\": %.6f, \"area\": %g, \"floor\": %g,"
		 " \"rent\": %lld, \"rooms\": %g, \"balcony\": \"%s\", \"bathtub\": \"%s\", \"dishwasher\": \"%s\","
		 " \"dryer\": \"%s\", \"elevator\": %s, \"garage\": \"%s\", \"handicap_adapted\": %s,"
		 " \"kitchen_fan\": \"%s\", \"parking\": \"%s\", \"patio\": %s, \"washing_machine\": \"%s\"}",
		 (long long)estate, i + 1, ct->zip, 1000 + i, l->lat, l->lon, l->area, l->floor, (long long)l->rent,
		 l->rooms, am & 1 ? "SOUTH" : "NONE", am & 2 ? "PRESENT" : "PREPARED", am & 4 ? "PRESENT" : "NONE",
		 am & 8 ? "PRESENT" : "NONE", am & 16 ? "true" : "false", am & 32 ? "AVAILABLE" : "NONE",
		 am & 64 ? "true" : "false", am & 128 ? "PRESENT" : "NONE", am & 256 ? "INCLUDED" : "NONE",
		 am & 512 ? "true" : "false", am & 2048 ? "PRESENT" : "NONE");
	l->apartment = post_id(fc->admin_token, "/api/v4/apartment", 201, body);
	snprintf(body, sizeof(body),
		 "{\"apartment\": %lld, \"requirement\": %lld, \"candidate_sorting_mode\": \"%s\","
		 " \"is_short_lease\": %s%s%s%s}",
		 (long long)l->apartment, (long long)(fc == &co ? req_a[ri] : req_b), mode_names_t[mix(i, 31) % 3],
		 l->short_lease ? "true" : "false", status == L_DRAFT ? ", \"is_draft\": true" : "",
		 status == L_SCHEDULED ? ", \"date_publish\": \"2099-01-01T00:00:00Z\"" : "",
		 project ? ", \"is_project_rental\": true" : "");
	if (fc != &co) {
		l->audience = 1;
		l->amenities &= ~(1u << CARDS_PETS);
	}
	l->id = post_id(fc->admin_token, "/api/v1/object_ad/", 201, body);
	/* spread publish dates; every tenth shares the one before it (ties) */
	l->publish = PUBLISH_BASE + (int64_t)(mix(i, 41) % 100000) * 60;
	if (i % 10 == 9 && NL >= 2)
		l->publish = L[NL - 2].publish;
	if (status == L_PAUSED) {
		struct hresp *r = reqf(h, "PATCH", pathf(path, "/api/v1/object_ad/%lld", (long long)l->id),
				       fc->admin_token, "{\"status\": \"paused\"}");
		cr_assert_eq(r->status, 200, "%s", r->body);
		hresp_free(r);
	} else if (status == L_DELETED) {
		struct hresp *r = harness_auth(h, "DELETE", pathf(path, "/api/v1/object_ad/%lld", (long long)l->id),
					       fc->admin_token, NULL);
		cr_assert_eq(r->status, 204, "%s", r->body);
		hresp_free(r);
	}
}

/* Writes publish dates and reserved statuses, then resyncs every card (one transaction each). */
static inline void settle(void)
{
	struct core *c = app_core(h->app);
	struct arena *a = arena_create(1024);
	struct error err;
	char *sql = malloc(NL * 128 + 64), *p = sql;

	p += sprintf(p, "BEGIN;");
	for (size_t k = 0; k < NL; k++) {
		if (L[k].status == L_DRAFT || L[k].status == L_SCHEDULED || L[k].status == L_DELETED)
			continue;
		p += sprintf(p, "UPDATE object_ads SET date_publish = %lld%s WHERE id = %lld;", (long long)L[k].publish,
			     L[k].status == L_RESERVED ? ", status = 'reserved'" : "", (long long)L[k].id);
	}
	sprintf(p, "COMMIT;");
	harness_sql(h, "%s", sql);
	free(sql);
	error_init(&err, a);
	cr_assert_eq(store_begin(c->store, &err), 0);
	for (size_t k = 0; k < NL; k++)
		cr_assert_eq(cards_sync_listing(c, L[k].id, &err), 0, "%s", err.message ? err.message : "");
	cr_assert_eq(store_commit(c->store, &err), 0);
	arena_destroy(a);
}

static inline enum lst_status status_of(unsigned i)
{
	switch (i % 13) {
	case 3: return L_PAUSED;
	case 5: return L_RESERVED;
	case 7: return L_DRAFT;
	case 9: return L_SCHEDULED;
	case 11: return L_DELETED;
	default: return L_ACTIVE;
	}
}

static inline int64_t make_project(const char *token, int64_t estate, int cityi, bool with_location)
{
	char body[512], path[128];
	int64_t id = post_id(token, "/api/v1/projects/", 201, "{\"name\": \"Nya Kvarteret\"}");
	struct hresp *r;

	r = harness_auth(h, "POST", pathf(path, "/api/v1/projects/%lld/estates/%lld", (long long)id, (long long)estate),
			 token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	if (with_location) {
		snprintf(body, sizeof(body), "{\"city\": \"%s\", \"latitude\": %.4f, \"longitude\": %.4f}",
			 cities[cityi].name, cities[cityi].lat, cities[cityi].lon);
		r = reqf(h, "PUT", pathf(path, "/api/v1/projects/%lld/location", (long long)id), token, "%s", body);
		cr_assert_eq(r->status, 200, "%s", r->body);
		hresp_free(r);
	}
	r = reqf(h, "PATCH", pathf(path, "/api/v1/projects/%lld", (long long)id), token,
		 "{\"info_header\": \"Nytt\", \"info_description\": \"Nyproduktion\", \"published\": true}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	return id;
}

/* The world: company Acme with 80 listings in five cities and a project of 8, company Other with 10. */
static inline void build_world(void)
{
	static const char *const req_flags[5] = { "", "\"senior\": true", "\"student\": true, \"pets\": true",
						  "\"youth\": true", "\"pets\": true" };
	int64_t estates[NCITIES], other_estate, pestate;
	unsigned i = 0;

	h = harness_create();
	NL = 0;
	fixture_company(h, "Acme", &co);
	fixture_company(h, "Other", &other);
	for (int k = 0; k < 5; k++)
		req_a[k] = make_requirement(co.admin_token, req_flags[k]);
	req_b = make_requirement(other.admin_token, "");
	for (int k = 0; k < NCITIES; k++)
		estates[k] = make_estate_in(co.admin_token, cities[k].name, co.root_office);
	for (; i < 80; i++)
		make_listing(&co, estates[i % NCITIES], (int)(i % NCITIES), i, status_of(i), 0);
	other_estate = make_estate_in(other.admin_token, "Stockholm", other.root_office);
	for (; i < 90; i++)
		make_listing(&other, other_estate, 0, i, i == 83 ? L_PAUSED : i == 87 ? L_DRAFT : L_ACTIVE, 0);
	/* a published project in Uppsala with its own listings */
	pestate = make_estate_in(co.admin_token, "Uppsala", co.root_office);
	{
		/* the estate needs an apartment before the project can list it: the listings below */
		project_id = make_project(co.admin_token, pestate, 2, true);
		for (; i < 98; i++)
			make_listing(&co, pestate, 2, i, i == 95 ? L_PAUSED : L_ACTIVE, project_id);
	}
	project_closed_id = 0;
	settle();
}

/* ---- the reference ---- */

struct ref_query {
	unsigned kinds_project_ad; /* 0 normal, 1 listing mode (project ads as individual) */
	unsigned states;           /* CARD_ACTIVE | … */
	int64_t own_company;
	unsigned modes, amenities, audience;
	bool has_min_rent, has_max_rent, has_min_area, has_max_area, has_min_room, has_max_room, has_min_floor,
		has_max_floor;
	double min_rent, max_rent, min_area, max_area, min_room, max_room, min_floor, max_floor;
	int64_t company, estate, project;
	int county, municipality; /* 0: none */
	bool bounds;
	double min_lat, max_lat, min_lon, max_lon;
	bool radius;
	double clat, clon, radius_m;
	bool individual_only; /* leave the project out */
};

static inline void ref_defaults(struct ref_query *q)
{
	memset(q, 0, sizeof(*q));
	q->states = CARD_ACTIVE;
	q->modes = 7;
}

static inline int lst_state(const struct lst *l)
{
	return l->status == L_ACTIVE ? CARD_ACTIVE : l->status == L_RESERVED ? CARD_RESERVED
					   : l->status == L_PAUSED ? CARD_PAUSED : 0;
}

static inline double haversine_m(double lat1, double lon1, double lat2, double lon2)
{
	double p1 = lat1 * M_PI / 180, p2 = lat2 * M_PI / 180, dp = p2 - p1, dl = (lon2 - lon1) * M_PI / 180;
	double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
	return 2 * 6371008.8 * asin(sqrt(a));
}

/* Does listing l match q (as an individual row)? */
static inline bool ref_match(const struct ref_query *q, const struct lst *l)
{
	int st = lst_state(l);
	if (!st || !(st & q->states) || (st == CARD_PAUSED && l->company != q->own_company))
		return false;
	if (l->project && !q->kinds_project_ad)
		return false;
	if (!(l->modes & q->modes) || (l->amenities & q->amenities) != q->amenities)
		return false;
	if (q->audience && !(l->audience & q->audience))
		return false;
	if ((q->has_min_rent && l->rent < q->min_rent) || (q->has_max_rent && l->rent > q->max_rent) ||
	    (q->has_min_area && l->area < q->min_area) || (q->has_max_area && l->area > q->max_area) ||
	    (q->has_min_room && l->rooms < q->min_room) || (q->has_max_room && l->rooms > q->max_room) ||
	    (q->has_min_floor && l->floor < q->min_floor) || (q->has_max_floor && l->floor > q->max_floor))
		return false;
	if ((q->company && l->company != q->company) || (q->estate && l->estate != q->estate) ||
	    (q->project && l->project != q->project))
		return false;
	if ((q->county && l->county != q->county) || (q->municipality && l->municipality != q->municipality))
		return false;
	if (q->bounds && (l->lat < q->min_lat || l->lat > q->max_lat || l->lon < q->min_lon || l->lon > q->max_lon))
		return false;
	if (q->radius && haversine_m(q->clat, q->clon, l->lat, l->lon) > q->radius_m)
		return false;
	return true;
}

enum ref_key { K_PUBLISH, K_AREA, K_FLOOR, K_RENT, K_ROOMS, K_DISTANCE, K_BOOST };

static inline double ref_key_value(enum ref_key k, const struct ref_query *q, const struct lst *l)
{
	switch (k) {
	case K_PUBLISH: return (double)l->publish;
	case K_AREA: return l->area;
	case K_FLOOR: return l->floor;
	case K_RENT: return (double)l->rent;
	case K_ROOMS: return l->rooms;
	case K_DISTANCE: return haversine_m(q->clat, q->clon, l->lat, l->lon);
	default: return 0;
	}
}

static enum ref_key sort_key_r;
static bool sort_desc_r;
static const struct ref_query *sort_q_r;

static inline int ref_cmp(const void *pa, const void *pb)
{
	const struct lst *a = *(const struct lst *const *)pa, *b = *(const struct lst *const *)pb;
	double va = ref_key_value(sort_key_r, sort_q_r, a), vb = ref_key_value(sort_key_r, sort_q_r, b);
	int c = va < vb ? -1 : va > vb ? 1 : a->id < b->id ? -1 : a->id > b->id ? 1 : 0;
	return sort_desc_r ? -c : c;
}

/* The matching listings in order; returns how many. */
static inline size_t ref_run(const struct ref_query *q, enum ref_key key, bool desc, const struct lst **out)
{
	size_t n = 0;
	for (size_t k = 0; k < NL; k++)
		if (ref_match(q, &L[k]))
			out[n++] = &L[k];
	sort_key_r = key;
	sort_desc_r = desc;
	sort_q_r = q;
	qsort(out, n, sizeof(*out), ref_cmp);
	return n;
}

/* POST body → results ids (type individual only) must equal the reference page; total_hits the count. */
static inline void expect_ids(struct hresp *r, const struct lst *const *want, size_t nwant, size_t total)
{
	json_t *res = json_object_get(r->json, "results");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_array(res), "%s", r->body);
	cr_assert_eq(json_integer_value(json_object_get(r->json, "total_hits")), (json_int_t)total,
		     "total_hits %lld, expected %zu", (long long)json_integer_value(json_object_get(r->json, "total_hits")),
		     total);
	cr_assert_eq(json_array_size(res), nwant, "got %zu results, expected %zu: %.400s", json_array_size(res), nwant,
		     r->body);
	for (size_t k = 0; k < nwant; k++) {
		json_t *c = json_array_get(res, k);
		cr_assert_eq(jint(c, "id"), want[k]->id, "position %zu: id %lld, expected %lld", k, jint(c, "id"),
			     (long long)want[k]->id);
	}
}

#endif
