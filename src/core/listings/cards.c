/*
 * cards.c — listing search: keeps the precomputed card rows in step with listings,
 * apartments, estates and projects (cards_sync_*, inside the writer's transaction), and
 * runs searches over them (cards_search).
 *
 * A row needs two things SQL cannot give: the SCB codes of its place (shapes such as
 * county.1 and municipality.180) from the geography data (core/geo/geo.h), and the unit
 * vector of its position (radius filters and distance sorting compare chord lengths,
 * which is exact for great circles and needs no trigonometry in SQL).
 */
#include "core/listings/cards.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/memo.h"
#include "core/geo/geo.h"

#define EARTH_RADIUS_M 6371008.8
#define DEG (M_PI / 180.0)

const char *const cards_amenity_names[CARDS_AMENITY_COUNT] = {
	"balcony", "bathtub", "dishwasher", "drier", "elevator", "garage", "handicap_friendly", "kitchen_fan",
	"parking", "patio", "pets", "washing_machine",
};

const char *const cards_feature_names[CARDS_FEATURE_COUNT] = {
	"balcony", "bathtub", "dishwasher", "drier", "electricity", "elevator", "garage", "handicap_friendly", "heat",
	"internet", "kitchen_fan", "parking", "patio", "pets", "tv", "washer", "water",
};

const char *const cards_audience_names[CARDS_AUDIENCE_COUNT] = { "everyone", "senior", "youth", "student" };

/* ---- places ---- */

static void ensure_geo(struct core *c)
{
	struct error gerr;
	struct arena *a;
	const char *dir;

	if (geo_loaded())
		return;
	dir = c->geo_dir && *c->geo_dir ? c->geo_dir : getenv("RENTD_GEO_DIR");
	a = arena_create(1024);
	error_init(&gerr, a);
	if (geo_load(dir && *dir ? dir : "data/geo", &gerr) < 0)
		log_msg(LOG_WARN, "cards: geography data not loaded (%s): shapes will match nothing", gerr.message);
	arena_destroy(a);
}

static void unit_vector(double lat, double lon, double *x, double *y, double *z)
{
	*x = cos(lat * DEG) * cos(lon * DEG);
	*y = cos(lat * DEG) * sin(lon * DEG);
	*z = sin(lat * DEG);
}

/*
 * The codes of a position: its municipality polygon, else its postal code, else the
 * municipality name an apartment already carries (the order core/inventory/inventory.c derives
 * the names in, so codes and names agree).
 */
static void place_of(struct core *c, double lat, double lon, struct str zip, struct str municipality,
		     struct card_place *p, const char **county_name, const char **municipality_name)
{
	struct geo_place gp;
	struct geo_postal z;
	struct geo_estimate e;

	memset(p, 0, sizeof(*p));
	p->lat = round(lat * 1e7) / 1e7; /* cards keep 7 decimals (~1 cm): written back exactly */
	p->lon = round(lon * 1e7) / 1e7;
	unit_vector(p->lat, p->lon, &p->x, &p->y, &p->z);
	*county_name = "";
	*municipality_name = "";
	ensure_geo(c);
	if (geo_lookup(lat, lon, &gp) == 0 && gp.complete) {
		p->county = atoi(gp.county_code);
		p->municipality = atoi(gp.municipality_code);
		*county_name = gp.county_name;
		*municipality_name = gp.municipality_name;
	} else if (zip.len && geo_postal(zip, &z) == 0 && z.municipality_code[0]) {
		p->county = atoi(z.county_code);
		p->municipality = atoi(z.municipality_code);
		*county_name = z.county_name;
		*municipality_name = z.municipality_name;
	} else if (municipality.len && geo_estimate(STR_NULL, municipality, &e) == 0 && e.match == GEO_MATCH_MUNICIPALITY) {
		p->county = atoi(e.county_code);
		p->municipality = atoi(e.municipality_code);
		*county_name = e.county_name;
		*municipality_name = e.municipality_name;
	} else if (gp.county_code[0]) {
		p->county = atoi(gp.county_code);
		*county_name = gp.county_name;
	}
}

/* ---- sync ---- */

static int state_of(struct str status)
{
	if (str_eq_cstr(status, "active"))
		return CARD_ACTIVE;
	if (str_eq_cstr(status, "reserved"))
		return CARD_RESERVED;
	if (str_eq_cstr(status, "paused"))
		return CARD_PAUSED;
	return 0;
}

static int sync_listing_row(struct core *c, struct arena *a, int64_t listing_id, struct error *err)
{
	struct card_listing_source src;
	struct card_place place;
	const char *county, *municipality;
	int state;

	if (store_cards_listing_source(c->store, a, listing_id, &src, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		return store_cards_delete(c->store, card_id_listing(listing_id), err);
	}
	state = state_of(src.status);
	if (src.project_id && store_cards_mark_dirty(c->store, src.project_id, err) < 0)
		return -1;
	if (!state || (src.project_id && !src.project_published))
		return store_cards_delete(c->store, card_id_listing(listing_id), err);
	place_of(c, src.latitude, src.longitude, src.zip_code, src.municipality_name, &place, &county, &municipality);
	return store_cards_put_listing(c->store, listing_id, src.project_id ? CARD_PROJECT_AD : CARD_INDIVIDUAL, state,
				       &place, err);
}

/* A project's card: present while it is published, open and has an active listing. */
static int sync_project_card(struct core *c, struct arena *a, int64_t project_id, struct error *err)
{
	struct card_project_source src;
	struct card_place place;
	const char *county, *municipality;

	if (store_cards_project_source(c->store, a, project_id, &src, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		return store_cards_delete(c->store, card_id_project(project_id), err);
	}
	if (!src.published || src.closed || src.active_ads == 0)
		return store_cards_delete(c->store, card_id_project(project_id), err);
	place_of(c, src.latitude, src.longitude, STR_NULL, STR_NULL, &place, &county, &municipality);
	return store_cards_put_project(c->store, project_id, &place, str_from_cstr(county),
				       str_from_cstr(municipality), src.city, err);
}

/* Recomputes the project cards that the changes so far touched. */
static int flush_dirty(struct core *c, struct arena *a, struct error *err)
{
	int64_t *ids;
	size_t n;

	if (store_cards_take_dirty(c->store, a, &ids, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (sync_project_card(c, a, ids[i], err) < 0)
			return -1;
	return 0;
}

static int sync_listings(struct core *c, struct arena *a, enum card_owner owner, int64_t id, struct error *err)
{
	int64_t *ids;
	size_t n;

	if (store_cards_listings_of(c->store, a, owner, id, &ids, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (sync_listing_row(c, a, ids[i], err) < 0)
			return -1;
	return 0;
}

/* The sync functions run in their own scratch arena: the caller's transaction may be long. */
#define WITH_SCRATCH(body)                              \
	do {                                            \
		struct arena *a = arena_create(4096);   \
		int rc_ = (body) < 0 ? -1 : 0;          \
		if (rc_ == 0)                           \
			rc_ = flush_dirty(c, a, err);   \
		arena_destroy(a);                       \
		return rc_;                             \
	} while (0)

int cards_sync_listing(struct core *c, int64_t listing_id, struct error *err)
{
	WITH_SCRATCH(sync_listing_row(c, a, listing_id, err));
}

int cards_sync_apartment(struct core *c, int64_t apartment_id, struct error *err)
{
	WITH_SCRATCH(sync_listings(c, a, CARD_OWNER_APARTMENT, apartment_id, err));
}

int cards_sync_estate(struct core *c, int64_t estate_id, struct error *err)
{
	WITH_SCRATCH(sync_listings(c, a, CARD_OWNER_ESTATE, estate_id, err));
}

int cards_sync_project(struct core *c, int64_t project_id, struct error *err)
{
	WITH_SCRATCH(sync_listings(c, a, CARD_OWNER_PROJECT, project_id, err) < 0 ||
				     store_cards_mark_dirty(c->store, project_id, err) < 0
			     ? -1
			     : 0);
}

/* ---- search ---- */

void cards_request_defaults(struct cards_request *r)
{
	memset(r, 0, sizeof(*r));
	r->queue_points = r->random = r->first_come_first = true;
	r->sort = CARD_SORT_PUBLISH_DATE;
	r->desc = true;
	r->amount = CARDS_AMOUNT_DEFAULT;
}

/* "county.1", "municipality.180" (SCB codes, leading zeros optional). */
static int parse_shape(struct str s, bool *county, int64_t *code)
{
	const struct str county_prefix = STR_LIT("county."), muni_prefix = STR_LIT("municipality.");
	struct str digits;

	if (str_has_prefix(s, county_prefix)) {
		*county = true;
		digits = (struct str){ s.ptr + county_prefix.len, s.len - county_prefix.len };
	} else if (str_has_prefix(s, muni_prefix)) {
		*county = false;
		digits = (struct str){ s.ptr + muni_prefix.len, s.len - muni_prefix.len };
	} else {
		return -1;
	}
	if (digits.len == 0 || digits.len > 4)
		return -1;
	*code = 0;
	for (size_t i = 0; i < digits.len; i++) {
		if (digits.ptr[i] < '0' || digits.ptr[i] > '9')
			return -1;
		*code = *code * 10 + (digits.ptr[i] - '0');
	}
	if (*code < 1)
		return -1;
	return *county ? (*code <= 99 ? 0 : -1) : 0;
}

static int read_shapes(struct arena *a, const struct cards_request *in, struct card_query *q, struct error *err)
{
	int64_t *counties = arena_alloc(a, (in->n_shapes + 1) * sizeof(int64_t));
	int64_t *munis = arena_alloc(a, (in->n_shapes + 1) * sizeof(int64_t));
	size_t nc = 0, nm = 0;

	for (size_t i = 0; i < in->n_shapes; i++) {
		bool county;
		int64_t code;
		if (parse_shape(in->shapes[i], &county, &code) < 0) {
			const char *member = in->shapes_member ? in->shapes_member : "shapes";
			error_field(err, in->shapes_scalar ? member : arena_printf(a, "%s[%zu]", member, i), RULE_PATTERN,
				    "must be a shape id such as county.1 or municipality.180");
			continue;
		}
		if (county)
			counties[nc++] = code;
		else
			munis[nm++] = code;
	}
	if (error_failed(err))
		return -1;
	q->shapes = true;
	q->counties = counties;
	q->n_counties = nc;
	q->municipalities = munis;
	q->n_municipalities = nm;
	if (nc + nm == 1)
		q->one_shape = nc ? counties[0] : munis[0];
	return 0;
}

static void check_range(struct error *err, const char *min_name, struct card_bound min, const char *max_name,
			struct card_bound max)
{
	if (min.set && max.set && min.value > max.value)
		error_field(err, max_name, RULE_RANGE, "must not be less than %s", min_name);
}

static int read_geo(const struct cards_request *in, struct card_query *q, struct error *err)
{
	if (in->has_bounds) {
		if (in->min_lat > in->max_lat)
			error_field(err, "geo_bounds.max_lat", RULE_RANGE, "must not be less than min_lat");
		if (in->min_lng > in->max_lng)
			error_field(err, "geo_bounds.max_lng", RULE_RANGE, "must not be less than min_lng");
		q->bounds = true;
		q->min_lat = in->min_lat;
		q->max_lat = in->max_lat;
		q->min_lon = in->min_lng;
		q->max_lon = in->max_lng;
	}
	if (in->has_radius) {
		double ang = in->radius_m / EARTH_RADIUS_M, chord = 2 * sin(ang / 2), dlat = ang / DEG, dlon;
		if (!in->radius_center) {
			/* the seed estimates the centre from the caller's IP: rentd has no such data */
			return error_field(err, "geo_radius.latitude", RULE_REQUIRED,
					   "latitude and longitude are required (no IP geolocation)");
		}
		q->radius = true;
		unit_vector(in->latitude, in->longitude, &q->cx, &q->cy, &q->cz);
		q->chord2 = ang >= M_PI ? 4.0 : chord * chord;
		/* the cap's exact extent in longitude; a hair wider so rounding never cuts a point off */
		dlon = sin(ang) >= cos(in->latitude * DEG) ? 180 : asin(sin(ang) / cos(in->latitude * DEG)) / DEG + 1e-9;
		/* the cap's box as a filter too: it reads only index columns, so the chord test
		 * (which needs the row) runs on the few rows inside it; with bounds, their intersection */
		q->min_lat = in->latitude - dlat - 1e-9;
		q->max_lat = in->latitude + dlat + 1e-9;
		q->min_lon = in->longitude - dlon;
		q->max_lon = in->longitude + dlon;
		if (in->has_bounds) {
			q->min_lat = fmax(q->min_lat, in->min_lat);
			q->max_lat = fmin(q->max_lat, in->max_lat);
			q->min_lon = fmax(q->min_lon, in->min_lng);
			q->max_lon = fmin(q->max_lon, in->max_lng);
		}
		q->bounds = true;
	}
	return error_failed(err) ? -1 : 0;
}

/* The kinds of rows a mode shows, narrowed by card_type. */
static unsigned kinds_of(enum cards_mode mode, enum cards_type type)
{
	unsigned listing_kind = mode == CARDS_MODE_NORMAL ? CARD_PROJECT : CARD_PROJECT_AD;
	if (mode == CARDS_MODE_PROJECT)
		return 1u << CARD_PROJECT_AD;
	if (type == CARDS_TYPE_PROJECTS)
		return 1u << listing_kind;
	if (type == CARDS_TYPE_NORMAL)
		return 1u << CARD_INDIVIDUAL;
	return 1u << CARD_INDIVIDUAL | 1u << listing_kind;
}

static int build_query(struct arena *a, const struct caller *who, const struct cards_request *in,
		       enum cards_mode *mode, struct card_query *q, struct error *err)
{
	memset(q, 0, sizeof(*q));
	*mode = in->project ? CARDS_MODE_PROJECT
		: in->company || in->estate || in->ads || in->project_ads ? CARDS_MODE_LISTINGS
									: CARDS_MODE_NORMAL;
	q->kinds = kinds_of(*mode, in->card_type);
	q->states = CARD_ACTIVE | (in->reserved ? CARD_RESERVED : 0) | (in->paused ? CARD_PAUSED : 0);
	q->own_company = who->kind == CALLER_EMPLOYEE ? who->user.company_id : -1;
	q->modes = (in->queue_points ? 1u : 0) | (in->random ? 2u : 0) | (in->first_come_first ? 4u : 0);
	for (int i = 0; i < CARDS_AMENITY_COUNT; i++)
		if (in->amenity[i])
			q->amenities |= 1u << i;
	q->audience = in->tags;
	q->min_rent = in->min_rent;
	q->max_rent = in->max_rent;
	q->min_area = in->min_area;
	q->max_area = in->max_area;
	q->min_room = in->min_room;
	q->max_room = in->max_room;
	q->min_floor = in->min_floor;
	q->max_floor = in->max_floor;
	check_range(err, "min_area", in->min_area, "max_area", in->max_area);
	check_range(err, "min_floor", in->min_floor, "max_floor", in->max_floor);
	check_range(err, "min_rent", in->min_rent, "max_rent", in->max_rent);
	check_range(err, "min_room", in->min_room, "max_room", in->max_room);
	q->company = in->company;
	q->estate = in->estate;
	q->project = in->project;
	if (in->ads || in->project_ads) {
		size_t n = in->n_ads + in->n_project_ads;
		int64_t *ids = arena_alloc(a, (n + 1) * sizeof(int64_t));
		for (size_t i = 0; i < n; i++)
			ids[i] = card_id_listing(i < in->n_ads ? in->ads[i] : in->project_ads[i - in->n_ads]);
		q->ids = ids;
		q->n_ids = n;
	}
	if (in->shapes && read_shapes(a, in, q, err) < 0)
		return -1;
	if (read_geo(in, q, err) < 0)
		return -1;
	if (in->sort == CARD_SORT_DISTANCE && !q->radius)
		error_field(err, "sorting", RULE_REQUIRED, "distance sorting needs geo_radius with latitude and longitude");
	if (error_failed(err))
		return -1;
	q->sort = in->sort;
	q->desc = in->desc;
	q->offset = in->offset;
	q->limit = in->amount;
	return 0;
}

/*
 * Counts of searches that filter by more than card_counts holds (a rent range, rooms,
 * amenities …) cost a walk over every matching index entry: a county of 300,000 cards
 * takes a quarter of a second. The answer stays true until a card changes, which the
 * database's card_generation says, so the core keeps the last counts it made in a memo
 * (base/memo.h) keyed by the query's filters under that generation: a repeated search
 * pays one read of the generation.
 */
#define COUNT_KEY_MAX 512

/*
 * The filters of q as bytes (every field that decides which rows match): the numbers raw,
 * then the lists. Not the store's plan: how the rows are found does not change their count.
 */
static size_t count_key(const struct card_query *q, char *out, size_t cap)
{
	struct {
		int64_t ints[10];
		double reals[24];
		size_t lens[3];
	} k;
	size_t n = sizeof(k), lists = (q->n_ids + q->n_counties + q->n_municipalities) * sizeof(int64_t) +
				      q->available_by.len + 1;

	memset(&k, 0, sizeof(k));
	k.ints[0] = q->one_shape;
	k.ints[1] = q->kinds | (int64_t)q->states << 8 | (int64_t)q->modes << 16 | (int64_t)q->shapes << 24 |
		    (int64_t)q->bounds << 25 | (int64_t)q->radius << 26;
	k.ints[2] = q->own_company;
	k.ints[3] = q->amenities | (int64_t)q->audience << 32;
	k.ints[4] = q->company;
	k.ints[5] = q->estate;
	k.ints[6] = q->project;
	k.ints[8] = (q->min_rent.set ? 1 : 0) | (q->max_rent.set ? 2 : 0) | (q->min_area.set ? 4 : 0) |
		    (q->max_area.set ? 8 : 0) | (q->min_room.set ? 16 : 0) | (q->max_room.set ? 32 : 0) |
		    (q->min_floor.set ? 64 : 0) | (q->max_floor.set ? 128 : 0) | (q->ids ? 256 : 0);
	{
		const double r[24] = { q->min_rent.value, q->max_rent.value, q->min_area.value, q->max_area.value,
				       q->min_room.value, q->max_room.value, q->min_floor.value, q->max_floor.value,
				       q->min_lat, q->max_lat, q->min_lon, q->max_lon, q->cx, q->cy, q->cz, q->chord2,
				       0, 0, 0, 0, 0, 0, 0, 0 };
		memcpy(k.reals, r, sizeof(r));
	}
	k.lens[0] = q->n_ids;
	k.lens[1] = q->n_counties;
	k.lens[2] = q->n_municipalities;
	if (n + lists > cap)
		return 0; /* too long to keep */
	memcpy(out, &k, sizeof(k));
	for (int i = 0; i < 3; i++) {
		const int64_t *l = i == 0 ? q->ids : i == 1 ? q->counties : q->municipalities;
		size_t len = k.lens[i] * sizeof(int64_t);
		if (len)
			memcpy(out + n, l, len);
		n += len;
	}
	/* the market dialect's filters: availableFrom, then each area name with its length */
	out[n++] = q->available_by.ptr ? 'A' : '-';
	if (q->available_by.len) {
		memcpy(out + n, q->available_by.ptr, q->available_by.len);
		n += q->available_by.len;
	}
	if (q->area_names) {
		for (size_t i = 0; i < q->n_area_names; i++) {
			size_t len = q->area_names[i].len;
			if (n + sizeof(len) + len > cap)
				return 0;
			memcpy(out + n, &len, sizeof(len));
			n += sizeof(len);
			if (len)
				memcpy(out + n, q->area_names[i].ptr, len);
			n += len;
		}
		if (n + 1 > cap)
			return 0;
		out[n++] = 'N';
	}
	return n;
}

static int count_rows(struct core *c, struct arena *a, const struct card_query *q, int64_t *total,
		      struct error *err)
{
	char key[COUNT_KEY_MAX];
	size_t len;
	int64_t generation;
	struct str k, v, hit;

	if (card_query_countable(q))
		return store_cards_count(c->store, q, total, err); /* a few rows of card_counts */
	if (store_cards_generation(c->store, &generation, err) < 0)
		return -1;
	len = count_key(q, key, sizeof(key));
	k = (struct str){ key, len };
	v = (struct str){ (const char *)&generation, sizeof(generation) };
	if (len && memo_get(c->card_counts, k, v, a, &hit) && hit.len == sizeof(*total)) {
		memcpy(total, hit.ptr, sizeof(*total));
		return 0;
	}
	if (store_cards_count(c->store, q, total, err) < 0)
		return -1;
	if (len)
		memo_put(c->card_counts, k, v, (struct str){ (const char *)total, sizeof(*total) });
	return 0;
}

int cards_run_query(struct core *c, struct arena *a, struct card_query *q, bool pins, struct cards_run *run,
		    struct error *err)
{
	int rc;

	if (store_search_begin(c->store, err) < 0)
		return -1;
	/* how the rows are found (which index, the R*Tree) is the store's choice, in this snapshot */
	rc = store_cards_plan(c->store, q, err) < 0 || count_rows(c, a, q, &run->total, err) < 0 ||
		     (run->start && run->start(run->arg, run, err) < 0) ? -1 : 0;
	if (rc == 0 && q->limit > 0 && q->offset < run->total)
		rc = store_cards_search(c->store, a, q, pins, run->visit, run->arg, err);
	store_read_end(c->store);
	return rc;
}

int cards_generation(struct core *c, int64_t *generation, struct error *err)
{
	return store_cards_generation(c->store, generation, err);
}

int cards_search(struct core *c, struct arena *a, const struct caller *who, const struct cards_request *in,
		 struct cards_run *run, struct error *err)
{
	struct card_query q;

	if (build_query(a, who, in, &run->mode, &q, err) < 0)
		return -1;
	return cards_run_query(c, a, &q, in->card_pin, run, err);
}
