/*
 * landlord_cards.c — listing search (homeq.md §6, §12.7, §14; decisions.md H-19, H-20,
 * H-33, H-36, H-38, H-43; core/listings/cards.h).
 *
 *   POST /api/v3/cards/   CardSearchRequest → CardSearchResult | ProjectCardsResult | PinSearchResult
 *   POST /api/v3/search   the public search: the same body plus page (1-based) and amount ≤ 1000
 *
 * Both answer with or without a token (a bad token is 401, H-36). Every body member is
 * optional; null means absent. Wrong types, out-of-range numbers, unknown enum values and
 * malformed shapes, sortings or radii are 412 ValidationError naming the member.
 *
 * The answer is written as the rows come out of the store: {"results": [...], "total_hits": N}
 * with total_hits last, so nothing but the response buffer holds the answer.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/memo.h"
#include "core/listings/cards.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

#define SHAPE_LEN_MAX 64
#define TAGS_MAX 8

static const char *const card_type_names[] = { "projects", "normal", NULL };
static const char *const sort_key_names[] = {
	[CARD_SORT_PUBLISH_DATE] = "publish_date", [CARD_SORT_AREA] = "area",   [CARD_SORT_FLOOR] = "floor",
	[CARD_SORT_RENT] = "rent",                 [CARD_SORT_ROOMS] = "rooms", [CARD_SORT_DISTANCE] = "distance",
	[CARD_SORT_BOOST_VALUE] = "boost_value",
};
static const char *const status_names[] = { [CARD_ACTIVE] = "Active", [CARD_RESERVED] = "Reserved",
					     [CARD_PAUSED] = "Paused" };
static const char *const mode_names[] = { [1] = "queue_points", [2] = "random", [4] = "first_come_first" };

/* ---- reading the request ---- */

static void read_bool(struct jr *r, const char *key, bool *out)
{
	jr_bool(r, key, JR_NULLABLE, out);
}

static void read_bound(struct jr *r, const char *key, double min, double max, struct card_bound *out)
{
	double v;
	if (jr_double(r, key, JR_NULLABLE, min, max, &v) == JR_SET) {
		out->set = true;
		out->value = v;
	}
}

static void read_id(struct jr *r, const char *key, int64_t *out)
{
	jr_int(r, key, JR_NULLABLE, 1, INT64_MAX / 4, out);
}

static void read_ids(struct ctx *ctx, struct jr *r, const char *key, const int64_t **out, size_t *n)
{
	json_t *arr;
	int64_t *ids;

	if (jr_array(r, key, JR_NULLABLE, CARDS_IDS_MAX, &arr) != JR_SET || json_array_size(arr) == 0)
		return; /* an empty list is no filter */
	ids = arena_alloc(ctx->req->arena, (json_array_size(arr) + 1) * sizeof(*ids));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > INT64_MAX / 4) {
			error_field(ctx->err, arena_printf(ctx->req->arena, "%s[%zu]", key, i), RULE_TYPE,
				    "must be a positive integer");
			continue;
		}
		ids[(*n)++] = json_integer_value(v);
	}
	*out = ids;
}

/* "rent.asc", "publish_date.desc" */
static void read_sorting(struct ctx *ctx, struct jr *r, struct cards_request *in)
{
	struct str s, key, dir;
	const char *dot;
	size_t k;

	if (jr_string(r, "sorting", JR_NULLABLE, 1, 64, &s) != JR_SET)
		return;
	dot = memchr(s.ptr, '.', s.len);
	if (!dot)
		goto bad;
	key = (struct str){ s.ptr, (size_t)(dot - s.ptr) };
	dir = (struct str){ dot + 1, s.len - key.len - 1 };
	for (k = 0; k < sizeof(sort_key_names) / sizeof(sort_key_names[0]); k++)
		if (str_eq_cstr(key, sort_key_names[k]))
			break;
	if (k == sizeof(sort_key_names) / sizeof(sort_key_names[0]) ||
	    (!str_eq_cstr(dir, "asc") && !str_eq_cstr(dir, "desc")))
		goto bad;
	in->sort = (enum card_sort_key)k;
	in->desc = str_eq_cstr(dir, "desc");
	return;
bad:
	error_field(ctx->err, "sorting", RULE_PATTERN,
		    "must be {key}.{asc|desc} with key one of area, floor, rent, rooms, publish_date, distance, "
		    "boost_value");
}

static void read_tags(struct ctx *ctx, struct jr *r, struct cards_request *in)
{
	json_t *arr;
	if (jr_array(r, "tags", JR_NULLABLE, TAGS_MAX, &arr) != JR_SET)
		return;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *v = json_string_value(json_array_get(arr, i));
		int k = 0;
		for (; v && k < CARDS_AUDIENCE_COUNT; k++)
			if (strcmp(v, cards_audience_names[k]) == 0)
				break;
		if (!v || k == CARDS_AUDIENCE_COUNT)
			error_field(ctx->err, arena_printf(ctx->req->arena, "tags[%zu]", i), RULE_ENUM,
				    "must be one of senior, student, youth, everyone");
		else
			in->tags |= 1u << k;
	}
}

static void read_bounds(struct jr *r, struct cards_request *in)
{
	struct jr b;
	if (jr_object(r, "geo_bounds", JR_NULLABLE, &b) != JR_SET)
		return;
	in->has_bounds = true;
	jr_double(&b, "min_lat", JR_REQUIRED, -90, 90, &in->min_lat);
	jr_double(&b, "max_lat", JR_REQUIRED, -90, 90, &in->max_lat);
	jr_double(&b, "min_lng", JR_REQUIRED, -180, 180, &in->min_lng);
	jr_double(&b, "max_lng", JR_REQUIRED, -180, 180, &in->max_lng);
}

/* "50km", "500m", "1.5 km", or a number of kilometres. */
static int parse_radius(struct str s, double *meters)
{
	char buf[40], *end;
	double v;
	if (s.len == 0 || s.len >= sizeof(buf))
		return -1;
	memcpy(buf, s.ptr, s.len);
	buf[s.len] = '\0';
	v = strtod(buf, &end);
	if (end == buf || !isfinite(v))
		return -1;
	while (*end == ' ')
		end++;
	if (strcmp(end, "km") == 0 || *end == '\0')
		*meters = v * 1000;
	else if (strcmp(end, "m") == 0)
		*meters = v;
	else
		return -1;
	return 0;
}

static void read_radius(struct ctx *ctx, struct jr *r, struct cards_request *in)
{
	struct jr g;
	json_t *radius;
	int la, lo;

	if (jr_object(r, "geo_radius", JR_NULLABLE, &g) != JR_SET)
		return;
	in->has_radius = true;
	in->radius_m = CARDS_RADIUS_DEFAULT_M;
	la = jr_double(&g, "latitude", JR_NULLABLE, -90, 90, &in->latitude);
	lo = jr_double(&g, "longitude", JR_NULLABLE, -180, 180, &in->longitude);
	if ((la == JR_SET) != (lo == JR_SET) && la != JR_INVALID && lo != JR_INVALID)
		error_field(ctx->err, la == JR_SET ? "geo_radius.longitude" : "geo_radius.latitude", RULE_REQUIRED,
			    "latitude and longitude go together");
	in->radius_center = la == JR_SET && lo == JR_SET;
	radius = json_object_get(g.obj, "radius");
	if (!radius || json_is_null(radius))
		return;
	if (json_is_number(radius))
		in->radius_m = json_number_value(radius) * 1000;
	else if (!json_is_string(radius) ||
		 parse_radius((struct str){ json_string_value(radius), json_string_length(radius) }, &in->radius_m) < 0) {
		error_field(ctx->err, "geo_radius.radius", RULE_PATTERN, "must be a distance such as \"50km\" or \"500m\"");
		return;
	}
	if (!(in->radius_m > 0) || in->radius_m > CARDS_RADIUS_MAX_M)
		error_field(ctx->err, "geo_radius.radius", RULE_RANGE, "must be more than 0 and at most 2000km");
}

/* shapes: an array of shape ids; the public search also sends selectedShapes, one id or several. */
static void read_shapes(struct ctx *ctx, struct jr *r, struct cards_request *in, bool search)
{
	struct str *list = NULL, one;
	size_t n = 0;

	landlord_string_array(ctx, r, "shapes", JR_NULLABLE, CARDS_SHAPES_MAX, SHAPE_LEN_MAX, &list, &n);
	if (search && !list) {
		in->shapes_member = "selectedShapes";
		json_t *sel = r->obj ? json_object_get(r->obj, "selectedShapes") : NULL;
		if (json_is_string(sel)) {
			if (jr_string(r, "selectedShapes", 0, 1, SHAPE_LEN_MAX, &one) == JR_SET) {
				list = arena_alloc(ctx->req->arena, sizeof(*list));
				list[0] = one;
				n = 1;
				in->shapes_scalar = true;
			}
		} else {
			landlord_string_array(ctx, r, "selectedShapes", JR_NULLABLE, CARDS_SHAPES_MAX, SHAPE_LEN_MAX,
					      &list, &n);
		}
	}
	in->shapes = n ? list : NULL; /* an empty list is no filter */
	in->n_shapes = n;
}

static int read_members(struct ctx *ctx, struct jr *rp, bool search, struct cards_request *in);

static int read_request(struct ctx *ctx, bool search, struct cards_request *in)
{
	json_t *empty = ctx->body ? NULL : json_object(); /* no body: every default */
	struct jr r = jr_root(ctx->err, ctx->body ? ctx->body : empty);
	int rc;

	cards_request_defaults(in);
	rc = read_members(ctx, &r, search, in);
	json_decref(empty);
	return rc;
}

static int read_members(struct ctx *ctx, struct jr *rp, bool search, struct cards_request *in)
{
	struct jr r = *rp;
	int64_t page = 1;

	read_ids(ctx, &r, "ads", &in->ads, &in->n_ads);
	read_ids(ctx, &r, "project_ads", &in->project_ads, &in->n_project_ads);
	for (int i = 0; i < CARDS_AMENITY_COUNT; i++)
		read_bool(&r, cards_amenity_names[i], &in->amenity[i]);
	if (r.obj && !json_object_get(r.obj, "drier"))
		read_bool(&r, "dryer", &in->amenity[CARDS_DRIER]); /* H-19 alias */
	read_bool(&r, "card_pin", &in->card_pin);
	if (r.obj && !json_object_get(r.obj, "card_pin"))
		read_bool(&r, "pin_only", &in->card_pin); /* H-19 alias */
	{
		int t;
		if (jr_enum(&r, "card_type", JR_NULLABLE, card_type_names, &t) == JR_SET)
			in->card_type = t == 0 ? CARDS_TYPE_PROJECTS : CARDS_TYPE_NORMAL;
	}
	read_id(&r, "company", &in->company);
	read_id(&r, "estate", &in->estate);
	read_id(&r, "project", &in->project);
	read_bool(&r, "first_come_first", &in->first_come_first);
	read_bool(&r, "queue_points", &in->queue_points);
	read_bool(&r, "random", &in->random);
	read_bool(&r, "paused", &in->paused);
	read_bool(&r, "reserved", &in->reserved);
	read_bounds(&r, in);
	read_radius(ctx, &r, in);
	read_bound(&r, "min_area", 0, 1e6, &in->min_area);
	read_bound(&r, "max_area", 0, 1e6, &in->max_area);
	read_bound(&r, "min_floor", -1000, 1000, &in->min_floor);
	read_bound(&r, "max_floor", -1000, 1000, &in->max_floor);
	read_bound(&r, "min_rent", 0, 1e9, &in->min_rent);
	read_bound(&r, "max_rent", 0, 1e9, &in->max_rent);
	read_bound(&r, "min_room", 0, 1000, &in->min_room);
	read_bound(&r, "max_room", 0, 1000, &in->max_room);
	read_shapes(ctx, &r, in, search);
	read_sorting(ctx, &r, in);
	read_tags(ctx, &r, in);
	if (search) {
		double zoom;
		in->amount = SEARCH_AMOUNT_DEFAULT;
		jr_int(&r, "page", JR_NULLABLE, 1, SEARCH_PAGE_MAX, &page);
		jr_int(&r, "amount", JR_NULLABLE, 1, SEARCH_AMOUNT_MAX, &in->amount);
		jr_double(&r, "zoom", JR_NULLABLE, 0, 30, &zoom); /* a map's zoom: checked, not used */
		in->offset = (page - 1) * in->amount;
	} else {
		jr_int(&r, "amount", JR_NULLABLE, 0, CARDS_AMOUNT_MAX, &in->amount);
		jr_int(&r, "offset", JR_NULLABLE, 0, CARDS_OFFSET_MAX, &in->offset);
	}
	return error_failed(ctx->err) ? -1 : 0;
}

/* ---- writing the answer ---- */

struct writer {
	struct ctx *ctx;
	struct jw *w;
	const char *media_base; /* public URL + "/media/" */
	enum cards_mode mode;
	bool pins;
};

static void write_media_url(struct writer *wr, const char *key, struct str path)
{
	size_t base = strlen(wr->media_base);
	char *url = arena_alloc(wr->ctx->req->arena, base + path.len);
	memcpy(url, wr->media_base, base);
	memcpy(url + base, path.ptr, path.len);
	jw_kv_str(wr->w, key, (struct str){ url, base + path.len });
}

/* "key<TAB>caption" lines → [{caption, image, position}] */
static void write_images(struct writer *wr, struct str lines)
{
	struct jw *w = wr->w;
	size_t start = 0;
	int64_t pos = 0;

	jw_key(w, "images");
	jw_array_begin(w);
	for (size_t i = 0; i <= lines.len; i++) {
		struct str line, key, caption;
		const char *tab;
		if (i < lines.len && lines.ptr[i] != '\n')
			continue;
		line = (struct str){ lines.ptr + start, i - start };
		start = i + 1;
		if (!line.len)
			continue;
		tab = memchr(line.ptr, '\t', line.len);
		key = (struct str){ line.ptr, tab ? (size_t)(tab - line.ptr) : line.len };
		caption = tab ? (struct str){ tab + 1, line.len - key.len - 1 } : STR_LIT("");
		jw_object_begin(w);
		jw_kv_str(w, "caption", caption);
		write_media_url(wr, "image", key);
		jw_kv_int(w, "position", pos++);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void write_videos(struct writer *wr, struct str lines)
{
	struct jw *w = wr->w;
	size_t start = 0;
	int64_t pos = 0;

	jw_key(w, "videos");
	jw_array_begin(w);
	for (size_t i = 0; i <= lines.len; i++) {
		if (i < lines.len && lines.ptr[i] != '\n')
			continue;
		if (i > start) {
			jw_object_begin(w);
			jw_kv_int(w, "position", pos++);
			write_media_url(wr, "url", (struct str){ lines.ptr + start, i - start });
			jw_object_end(w);
		}
		start = i + 1;
	}
	jw_array_end(w);
}

static void kv_id_or_null(struct jw *w, const char *key, int64_t id)
{
	jw_key(w, key);
	if (id)
		jw_int(w, id);
	else
		jw_null(w);
}

static void kv_str_or_null(struct jw *w, const char *key, struct str v)
{
	jw_key(w, key);
	if (v.ptr)
		jw_string(w, v);
	else
		jw_null(w);
}

/*
 * Numbers without printf on the hot path (a page of pins holds 20,000 coordinates).
 * Cards keep coordinates at 7 decimals (core/listings/cards.c), so the shortest decimal that
 * reads back exactly is the fixed-point one with trailing zeros dropped.
 */
static char *put_coordinate(char *p, double v);

static void write_coordinate(struct jw *w, const char *key, double v)
{
	char buf[40];
	if (!isfinite(v) || fabs(v) > 1e9) {
		jw_kv_double(w, key, v);
		return;
	}
	jw_key(w, key);
	jw_raw(w, (struct str){ buf, (size_t)(put_coordinate(buf, v) - buf) });
}

/* A whole number as an integer (H-20: rooms 2, not 2.0), anything else as the shortest double. */
static void write_number(struct jw *w, const char *key, double v)
{
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		jw_kv_int(w, key, (int64_t)v);
	else
		jw_kv_double(w, key, v);
}

static void write_location(struct jw *w, double lat, double lon)
{
	jw_key(w, "location");
	jw_object_begin(w);
	write_coordinate(w, "lat", lat);
	write_coordinate(w, "lon", lon);
	jw_object_end(w);
}

/* The audience of one listing: the first of its profile's audiences, else everyone. */
static const char *audience_name(unsigned bits)
{
	for (int k = 1; k < CARDS_AUDIENCE_COUNT; k++)
		if (bits & (1u << k))
			return cards_audience_names[k];
	return cards_audience_names[0];
}

/* BaseCard (§12.7): boost_value, city, county, id, images, location, municipality, references, type, uri, videos. */
static void write_base(struct writer *wr, const struct card_hit *h, const struct card_doc *d, bool project_card)
{
	struct jw *w = wr->w;
	write_number(w, "boost_value", h->boost_value);
	jw_kv_str(w, "city", d->city);
	jw_kv_str(w, "county", d->county_name);
	jw_kv_int(w, "id", h->ref_id);
	write_images(wr, d->images);
	write_location(w, h->lat, h->lon);
	jw_kv_str(w, "municipality", d->municipality_name);
	jw_key(w, "references");
	jw_object_begin(w);
	kv_id_or_null(w, "apartment", h->apartment_id);
	jw_kv_int(w, "company", h->company_id);
	kv_id_or_null(w, "estate", h->estate_id);
	kv_id_or_null(w, "object_ad", project_card ? 0 : h->ref_id);
	jw_kv_int(w, "office", h->office_id);
	kv_id_or_null(w, "project", h->project_id);
	jw_object_end(w);
	jw_kv_cstr(w, "type", project_card ? "project" : "individual");
	{
		char uri[40];
		int n = snprintf(uri, sizeof(uri), project_card ? "projects/%lld" : "object/%lld", (long long)h->ref_id);
		jw_kv_str(w, "uri", (struct str){ uri, (size_t)n });
	}
	write_videos(wr, d->videos);
}

static void write_individual(struct writer *wr, const struct card_hit *h, const struct card_doc *d)
{
	struct jw *w = wr->w;
	jw_object_begin(w);
	write_base(wr, h, d, false);
	write_number(w, "area", h->area);
	jw_kv_cstr(w, "audience", audience_name(h->audience));
	kv_str_or_null(w, "date_access", d->date_access);
	jw_kv_bool(w, "is_quick_apply", d->is_quick_apply); /* observed extra with real data (H-43) */
	jw_kv_bool(w, "is_short_lease", d->short_lease != 0);
	jw_kv_int(w, "rent", h->rent);
	write_number(w, "rooms", h->rooms); /* a whole number is written without a fraction (H-20) */
	jw_kv_str(w, "title", d->title);
	jw_object_end(w);
}

static void write_project(struct writer *wr, const struct card_hit *h, const struct card_doc *d)
{
	struct jw *w = wr->w;
	jw_object_begin(w);
	write_base(wr, h, d, true);
	jw_kv_int(w, "active_ads", h->active_ads);
	jw_key(w, "audience");
	jw_array_begin(w);
	for (int k = 0; k < CARDS_AUDIENCE_COUNT; k++)
		if (h->audience & (1u << k))
			jw_cstr(w, cards_audience_names[k]);
	jw_array_end(w);
	jw_key(w, "date_access");
	landlord_write_csv_array(w, d->date_access.ptr ? d->date_access : STR_LIT(""));
	jw_key(w, "is_short_lease");
	jw_array_begin(w);
	if (d->short_lease & 1)
		jw_bool(w, false);
	if (d->short_lease & 2)
		jw_bool(w, true);
	jw_array_end(w);
	jw_key(w, "rent_range");
	jw_array_begin(w);
	jw_int(w, h->rent);
	jw_int(w, h->rent_max);
	jw_array_end(w);
	jw_kv_str(w, "title", d->title);
	jw_object_end(w);
}

static void write_time(struct jw *w, const char *key, int64_t unix_seconds)
{
	char buf[32];
	time_t t = (time_t)unix_seconds;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	jw_kv_cstr(w, key, buf);
}

static void write_extended(struct writer *wr, const struct card_hit *h, const struct card_doc *d)
{
	struct jw *w = wr->w;
	jw_object_begin(w);
	write_base(wr, h, d, false);
	kv_str_or_null(w, "access_date", d->date_access);
	jw_kv_bool(w, "access_on_agreement", d->access_on_agreement);
	jw_key(w, "address");
	jw_object_begin(w);
	jw_kv_str(w, "city", d->city);
	jw_kv_str(w, "county", d->county_name);
	jw_kv_str(w, "municipality", d->municipality_name);
	jw_kv_str(w, "street", d->street);
	jw_kv_str(w, "street_number", d->street_number);
	jw_kv_str(w, "zip", d->zip);
	jw_object_end(w);
	jw_key(w, "amenities");
	jw_object_begin(w);
	for (int i = 0; i < CARDS_FEATURE_COUNT; i++)
		jw_kv_bool(w, cards_feature_names[i], (d->features >> i) & 1);
	jw_object_end(w);
	write_number(w, "area", h->area);
	jw_kv_cstr(w, "audience", audience_name(h->audience));
	kv_str_or_null(w, "date_access", d->date_access);
	jw_kv_str(w, "description", d->description); /* a string (H-20) */
	jw_kv_int(w, "floor", (int64_t)llround(h->floor));
	if (d->floor_plan.ptr)
		write_media_url(wr, "floor_plan", d->floor_plan);
	else
		jw_kv_null(w, "floor_plan");
	jw_kv_str(w, "indexed_at", d->indexed_at);
	jw_kv_bool(w, "is_quick_apply", d->is_quick_apply);
	jw_kv_bool(w, "is_short_lease", d->short_lease != 0);
	kv_str_or_null(w, "landlord_object_id", d->landlord_object_id);
	jw_kv_bool(w, "prior_access_available", d->prior_access);
	write_time(w, "publish_date", h->publish_date);
	jw_kv_int(w, "rent", h->rent);
	write_number(w, "rooms", h->rooms);
	jw_kv_cstr(w, "sorting_mode", h->modes < 5 && mode_names[h->modes] ? mode_names[h->modes] : "queue_points");
	jw_kv_cstr(w, "status", h->state < 5 && status_names[h->state] ? status_names[h->state] : "Active");
	jw_object_end(w);
}

static char *put_lit(char *p, const char *lit, size_t n)
{
	memcpy(p, lit, n);
	return p + n;
}

/* Appends the decimal digits of v (no sign: ids and counts are never negative here). */
static char *put_uint(char *p, uint64_t v)
{
	char tmp[24], *t = tmp + sizeof(tmp);
	do
		*--t = (char)('0' + v % 10);
	while (v /= 10);
	memcpy(p, t, (size_t)(tmp + sizeof(tmp) - t));
	return p + (tmp + sizeof(tmp) - t);
}

/* A coordinate at 7 decimals, trailing zeros dropped (see write_coordinate). */
static char *put_coordinate(char *p, double v)
{
	long long k = llround(v * 1e7);
	unsigned long long u = (unsigned long long)(k < 0 ? -k : k), frac = u % 10000000;
	int digits = 7;
	char f[8];

	if (k < 0)
		*p++ = '-';
	p = put_uint(p, u / 10000000);
	while (digits > 0 && frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	if (digits) {
		*p++ = '.';
		for (int i = digits - 1; i >= 0; i--, frac /= 10)
			f[i] = (char)('0' + frac % 10);
		memcpy(p, f, (size_t)digits);
		p += digits;
	}
	return p;
}

/*
 * CardPin: {active_ads, id (a string), location, type}. A whole-country map asks for ten
 * thousand of these, so each is assembled as bytes (every key and value is known to need
 * no escaping) and written as one raw value.
 */
static void write_pin(struct writer *wr, const struct card_hit *h)
{
	char buf[192], *p = buf;
	static const char a[] = "{\"active_ads\":", b[] = ",\"id\":\"", c[] = "\",\"location\":{\"lat\":",
			  d[] = ",\"lon\":", e_project[] = "},\"type\":\"project\"}",
			  e_individual[] = "},\"type\":\"individual\"}";

	if (!isfinite(h->lat) || !isfinite(h->lon) || fabs(h->lat) > 1e9 || fabs(h->lon) > 1e9 || h->active_ads < 0 ||
	    h->ref_id < 0) {
		jw_object_begin(wr->w); /* never happens for a stored card; kept exact anyway */
		jw_kv_int(wr->w, "active_ads", h->active_ads);
		jw_kv_int(wr->w, "id", h->ref_id);
		write_location(wr->w, h->lat, h->lon);
		jw_kv_cstr(wr->w, "type", h->kind == CARD_PROJECT ? "project" : "individual");
		jw_object_end(wr->w);
		return;
	}
	p = put_lit(p, a, sizeof(a) - 1);
	p = put_uint(p, (uint64_t)h->active_ads);
	p = put_lit(p, b, sizeof(b) - 1);
	p = put_uint(p, (uint64_t)h->ref_id);
	p = put_lit(p, c, sizeof(c) - 1);
	p = put_coordinate(p, h->lat);
	p = put_lit(p, d, sizeof(d) - 1);
	p = put_coordinate(p, h->lon);
	if (h->kind == CARD_PROJECT)
		p = put_lit(p, e_project, sizeof(e_project) - 1);
	else
		p = put_lit(p, e_individual, sizeof(e_individual) - 1);
	jw_raw(wr->w, (struct str){ buf, (size_t)(p - buf) });
}

static int on_start(void *arg, const struct cards_run *run, struct error *err)
{
	struct writer *wr = arg;
	(void)err;
	wr->mode = run->mode;
	wr->w = ctx_json(wr->ctx, 200);
	jw_object_begin(wr->w);
	jw_key(wr->w, "results");
	jw_array_begin(wr->w);
	return 0;
}

static int on_card(void *arg, const struct card_hit *h, const struct card_doc *d, struct error *err)
{
	struct writer *wr = arg;
	(void)err;
	if (wr->pins)
		write_pin(wr, h);
	else if (wr->mode == CARDS_MODE_PROJECT)
		write_extended(wr, h, d);
	else if (h->kind == CARD_PROJECT)
		write_project(wr, h, d);
	else
		write_individual(wr, h, d);
	return 0;
}

/*
 * The answer is kept in core->card_pages while the cards' generation holds, as the market's
 * pages are (dialects/market_objects.c): under the route, the caller's company (an employee
 * also sees the company's own unpublished cards) and the request's bytes. A longer request
 * is answered anew every time.
 */
#define PAGE_KEY_MAX 4096

static struct str page_key(struct ctx *ctx, bool search)
{
	struct str body = ctx->req->body;
	int64_t company = ctx->caller.kind == CALLER_EMPLOYEE ? ctx->caller.user.company_id : -1;
	size_t n = 1 + sizeof(company) + body.len;
	char *k;

	if (body.len > PAGE_KEY_MAX || !(k = arena_try_alloc(ctx->req->arena, n)))
		return STR_NULL;
	k[0] = search ? 'S' : 'C';
	memcpy(k + 1, &company, sizeof(company));
	if (body.len)
		memcpy(k + 1 + sizeof(company), body.ptr, body.len);
	return (struct str){ k, n };
}

static int run_search(struct ctx *ctx, bool search)
{
	struct cards_request in;
	struct writer wr = { .ctx = ctx };
	struct cards_run run = { .arg = &wr, .start = on_start, .visit = on_card };
	struct str key, version, kept;
	int64_t generation;

	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0 || read_request(ctx, search, &in) < 0)
		return -1;
	key = page_key(ctx, search);
	if (key.ptr) {
		if (cards_generation(ctx->core, &generation, ctx->err) < 0)
			return -1;
		version = (struct str){ (const char *)&generation, sizeof(generation) };
		if (memo_get(ctx->core->card_pages, key, version, ctx->req->arena, &kept)) {
			jw_raw(ctx_json(ctx, 200), kept);
			return 0;
		}
	}
	wr.pins = in.card_pin;
	wr.media_base = arena_printf(ctx->req->arena, "%s/media/", app_config(ctx->app)->public_url);
	if (cards_search(ctx->core, ctx->req->arena, &ctx->caller, &in, &run, ctx->err) < 0)
		return -1;
	jw_array_end(wr.w);
	jw_kv_int(wr.w, "total_hits", run.total);
	jw_object_end(wr.w);
	if (key.ptr)
		memo_put(ctx->core->card_pages, key, version, (struct str){ wr.w->out->ptr, wr.w->out->len });
	return 0;
}

static int post_cards(struct ctx *ctx)
{
	return run_search(ctx, false);
}

static int post_search(struct ctx *ctx)
{
	return run_search(ctx, true);
}

const struct route landlord_cards_routes[] = {
	{ HTTP_POST, "/api/v3/cards", post_cards, DIALECT_LANDLORD, ROUTE_JSON },
	{ HTTP_POST, "/api/v3/search", post_search, DIALECT_LANDLORD, ROUTE_JSON },
};
const size_t landlord_cards_routes_count = sizeof(landlord_cards_routes) / sizeof(landlord_cards_routes[0]);
