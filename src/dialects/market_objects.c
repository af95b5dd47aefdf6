/*
 * market_objects.c — the market dialect's objects (Momentum v2, momentum.md B.2, B.3, B.5):
 *
 *   GET /v2/market/objects                          the list: {count, items[]} (B.2)
 *   GET /v2/market/objects/types/{typeId}           a type's metadata (B.3; before {id})
 *   GET /v2/market/objects/{id}                     one object by local id, guid or access key
 *   GET /v2/market/objects/{id}/thumbnail           its first picture (?width, ?height, ?version)
 *   GET /v2/market/objects/{id}/images/{imageId}    one of its pictures
 *   GET /v2/market/objects/{id}/files/{fileId}      its floor plan
 *   GET /v2/client/configuration                    ?market=true adds market.types[] (B.5)
 *
 * The shapes are the real responses' (the reference files of momentum.md Part B): member
 * names, nesting and types as they have them, ids and localId as strings, prices and
 * areas with four decimals (M-21), dates F1 without offset (M-08), absent optional
 * members omitted, never null (M-20). Bad parameters → 400 {"code","message","field"}.
 *
 * A list page is the same bytes for every caller until a card changes: pages are kept
 * (core->card_pages) under the card generation, as the listing views are kept under
 * theirs, so a client paging through the market costs one read of the generation per
 * page it fetched before.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/listings/cards.h"
#include "core/listings/listings.h"
#include "core/market/objects.h"
#include "core/media/media.h"
#include "core/media/storage.h"
#include "dialects/dialects.h"
#include "dialects/market.h"

/* ---- formats ---- */

/* F1 without offset (M-08): "/Date(<ms>)/". */
static void jw_kv_f1(struct jw *w, const char *key, int64_t secs)
{
	jw_key(w, key);
	market_f1(w, secs * 1000, false);
}

/* A calendar date's Stockholm midnight in F1; nothing when the date does not parse. */
static void jw_kv_f1_day(struct jw *w, const char *key, struct str day)
{
	int64_t t;
	if (day.ptr && listings_parse_instant(day, &t) == 0)
		jw_kv_f1(w, key, t);
}

/* A number with four decimals (M-21): 5035.6000. */
static void jw_kv_dec4(struct jw *w, const char *key, double v)
{
	jw_key(w, key);
	market_decimal4(w, v);
}

/* An id as a string (M-21). */
static void jw_kv_id(struct jw *w, const char *key, int64_t id)
{
	jw_key(w, key);
	market_id(w, id);
}

static const char *object_url(struct ctx *ctx, struct str guid, const char *what, int64_t id)
{
	return arena_printf(ctx->req->arena, "%s/v2/market/objects/%.*s/%s/%lld", app_config(ctx->app)->public_url,
			    STR_FMT(guid), what, (long long)id);
}

/* ---- the list ---- */

static bool param_is(struct str key, const char *name)
{
	return str_case_eq(key, str_from_cstr(name)); /* ASP.NET binds query names case-insensitively */
}

static bool parse_number(struct ctx *ctx, struct str v, double *out)
{
	char buf[64], *end;
	if (v.len == 0 || v.len >= sizeof(buf))
		return false;
	memcpy(buf, v.ptr, v.len);
	buf[v.len] = '\0';
	for (size_t i = 0; i < v.len; i++)
		if (buf[i] == ',')
			buf[i] = '.'; /* "1,5" as Swedish clients may write it */
	(void)ctx;
	*out = strtod(buf, &end);
	return *end == '\0' && *out >= 0 && *out <= 1e12 && *out == *out;
}

static void read_bound(struct ctx *ctx, struct str v, const char *name, struct card_bound *b)
{
	if (!parse_number(ctx, v, &b->value)) {
		error_field(ctx->err, name, RULE_TYPE, "must be a number of at least 0");
		return;
	}
	b->set = true;
}

static void read_int(struct ctx *ctx, struct str v, const char *name, int64_t *out)
{
	if (str_to_int64(v, out) < 0)
		error_field(ctx->err, name, RULE_TYPE, "must be a whole number");
}

/* availableFrom: YYYY-MM-DD, an ISO date-time or F1 "/Date(ms[±hhmm])/" (M-08: every date input form). */
static void read_available(struct ctx *ctx, struct str v, struct market_objects_query *q)
{
	char *day = arena_alloc(ctx->req->arena, 11);
	if (str_has_prefix(v, STR_LIT("/Date(")) && v.len > 8) {
		size_t i = 6, start = 6;
		int64_t ms = 0;
		if (i < v.len && v.ptr[i] == '-')
			i++;
		while (i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9' && i - start < 16)
			ms = ms * 10 + (v.ptr[i++] - '0');
		if (i > start && (v.ptr[start] != '-' || i > start + 1)) {
			size_t rest = v.len - i;
			struct str tail = { v.ptr + i, rest };
			if (v.ptr[start] == '-')
				ms = -ms;
			/* the optional offset does not change the instant (A.9) */
			if (rest == 7 && (tail.ptr[0] == '+' || tail.ptr[0] == '-'))
				tail = (struct str){ tail.ptr + 5, 2 };
			if (str_eq_cstr(tail, ")/")) {
				listings_day_of(ms / 1000, day);
				q->available_by = (struct str){ day, 10 };
				return;
			}
		}
	} else if (listings_parse_day(v, day) == 0) {
		q->available_by = (struct str){ day, 10 };
		return;
	}
	error_field(ctx->err, "availableFrom", RULE_FORMAT, "must be a date (YYYY-MM-DD, ISO 8601 or /Date(ms)/)");
}

static int read_list_query(struct ctx *ctx, struct market_objects_query *q)
{
	struct str *areas = NULL;

	memset(q, 0, sizeof(*q));
	q->limit = MARKET_OBJECTS_LIMIT_DEFAULT;
	for (size_t i = 0; i < ctx->query.n; i++) {
		struct str k = ctx->query.items[i].key, v = str_trim(ctx->query.items[i].value);
		if (param_is(k, "offset")) {
			read_int(ctx, v, "offset", &q->offset);
		} else if (param_is(k, "limit")) {
			read_int(ctx, v, "limit", &q->limit);
		} else if (param_is(k, "type")) {
			if (v.len) {
				q->has_type = true;
				q->type = market_type_find(v);
			}
		} else if (param_is(k, "sizeRoomsMin")) {
			read_bound(ctx, v, "sizeRoomsMin", &q->rooms_min);
		} else if (param_is(k, "sizeRoomsMax")) {
			read_bound(ctx, v, "sizeRoomsMax", &q->rooms_max);
		} else if (param_is(k, "sizeAreaMin")) {
			read_bound(ctx, v, "sizeAreaMin", &q->area_min);
		} else if (param_is(k, "sizeAreaMax")) {
			read_bound(ctx, v, "sizeAreaMax", &q->area_max);
		} else if (param_is(k, "priceMin")) {
			read_bound(ctx, v, "priceMin", &q->price_min);
		} else if (param_is(k, "priceMax")) {
			read_bound(ctx, v, "priceMax", &q->price_max);
		} else if (param_is(k, "availableFrom")) {
			if (v.len)
				read_available(ctx, v, q);
		} else if (param_is(k, "locationAreaDisplayName") || param_is(k, "locationAreaDisplayName[]")) {
			if (!v.len)
				continue;
			if (!areas)
				areas = arena_alloc(ctx->req->arena, MARKET_OBJECTS_AREAS_MAX * sizeof(*areas));
			if (q->n_areas >= MARKET_OBJECTS_AREAS_MAX)
				error_field(ctx->err, "locationAreaDisplayName", RULE_LENGTH, "at most %d names",
					    MARKET_OBJECTS_AREAS_MAX);
			else if (v.len > MARKET_OBJECTS_AREA_LEN_MAX)
				error_field(ctx->err, "locationAreaDisplayName", RULE_LENGTH, "at most %d characters",
					    MARKET_OBJECTS_AREA_LEN_MAX);
			else
				areas[q->n_areas++] = v;
		} else if (param_is(k, "sort")) {
			/* rentd's extension (the portal's sort): newest first unless asked otherwise */
			static const char *const names[] = { "newest", "priceAsc", "priceDesc", "areaAsc", "areaDesc" };
			size_t s;
			for (s = 0; s < sizeof(names) / sizeof(names[0]); s++)
				if (v.len && str_case_eq(v, str_from_cstr(names[s])))
					break;
			if (v.len && s == sizeof(names) / sizeof(names[0]))
				error_field(ctx->err, "sort", RULE_ENUM,
					    "must be newest, priceAsc, priceDesc, areaAsc or areaDesc");
			else if (v.len)
				q->sort = (enum market_objects_sort)s;
		}
	}
	q->areas = areas;
	return error_failed(ctx->err) ? -1 : 0;
}

static void write_thumbnail_of_images(struct jw *w, struct str images)
{
	const char *nl, *tab;
	struct str line, key, caption;
	char version[19];

	jw_key(w, "thumbnail");
	jw_object_begin(w);
	if (!images.len) {
		jw_kv_bool(w, "exists", false);
		jw_object_end(w);
		return;
	}
	nl = memchr(images.ptr, '\n', images.len);
	line = (struct str){ images.ptr, nl ? (size_t)(nl - images.ptr) : images.len };
	tab = memchr(line.ptr, '\t', line.len);
	key = (struct str){ line.ptr, tab ? (size_t)(tab - line.ptr) : line.len };
	caption = tab ? (struct str){ tab + 1, line.len - key.len - 1 } : STR_LIT("");
	market_thumbnail_version(key, version);
	jw_kv_bool(w, "exists", true);
	if (caption.len)
		jw_kv_str(w, "displayName", caption);
	if (version[0])
		jw_kv_cstr(w, "version", version);
	jw_object_end(w);
}

struct list_run {
	struct ctx *ctx;
	struct jw *w;
};

static int on_list_start(void *arg, const struct cards_run *run, struct error *err)
{
	struct list_run *lr = arg;
	(void)err;
	jw_object_begin(lr->w);
	jw_kv_int(lr->w, "count", run->total);
	jw_key(lr->w, "items");
	jw_array_begin(lr->w);
	return 0;
}

/* One list item, the members of the real list responses (M-35's default field set). */
static int on_list_item(void *arg, const struct card_hit *hit, const struct card_doc *d, struct error *err)
{
	struct list_run *lr = arg;
	struct jw *w = lr->w;
	const struct market_type *t = market_type_of(hit->audience);
	(void)err;

	jw_object_begin(w);
	jw_kv_str(w, "id", d->guid);
	jw_kv_id(w, "localId", hit->ref_id);
	jw_kv_str(w, "displayName", d->title);
	if (d->description.len)
		jw_kv_str(w, "description", d->description);
	jw_kv_cstr(w, "type", t->id);
	jw_kv_cstr(w, "queueType", t->id);
	jw_key(w, "pricing");
	jw_object_begin(w);
	jw_kv_dec4(w, "price", (double)hit->rent);
	jw_object_end(w);
	jw_key(w, "location");
	jw_object_begin(w);
	if (d->estate_name.len) {
		jw_key(w, "area");
		jw_object_begin(w);
		jw_kv_str(w, "displayName", d->estate_name);
		jw_object_end(w);
	}
	market_area_path(w, d->municipality_name, d->county_name);
	/* rentd's extension, as on the detail: the portal's map of the results */
	if (hit->lat != 0 || hit->lon != 0) {
		jw_key(w, "position");
		jw_object_begin(w);
		jw_kv_double(w, "latitude", hit->lat);
		jw_kv_double(w, "longitude", hit->lon);
		jw_object_end(w);
	}
	jw_object_end(w);
	jw_key(w, "availability");
	jw_object_begin(w);
	if (!d->access_on_agreement)
		jw_kv_f1_day(w, "availableFrom", d->date_access);
	jw_object_end(w);
	jw_key(w, "size");
	jw_object_begin(w);
	market_rooms_names(lr->ctx->req->arena, w, hit->rooms, true);
	jw_kv_dec4(w, "area", hit->area);
	jw_object_end(w);
	write_thumbnail_of_images(w, d->images);
	jw_object_end(w);
	return 0;
}

/* The filters and the page as bytes: the kept page's key. */
static struct str page_key(struct ctx *ctx, const struct market_objects_query *q)
{
	struct buf b;
	const struct card_bound *bounds[6] = { &q->rooms_min, &q->rooms_max, &q->area_min,
					      &q->area_max, &q->price_min, &q->price_max };
	buf_init(&b, ctx->req->arena, 256);
	buf_printf(&b, "%lld|%lld|%lld|%d|%s|%d|", (long long)q->company_id, (long long)q->offset, (long long)q->limit,
		   q->has_type, q->type ? q->type->id : "", (int)q->sort);
	for (int i = 0; i < 6; i++)
		buf_printf(&b, bounds[i]->set ? "%.17g|" : "-|", bounds[i]->value);
	buf_printf(&b, "%.*s|", STR_FMT(q->available_by));
	for (size_t i = 0; i < q->n_areas; i++) {
		buf_printf(&b, "%zu:", q->areas[i].len);
		buf_append(&b, q->areas[i].ptr, q->areas[i].len);
	}
	return buf_str(&b);
}

static int get_objects(struct ctx *ctx)
{
	struct market_objects_query q;
	struct list_run lr = { ctx, NULL };
	struct cards_run run = { .arg = &lr, .start = on_list_start, .visit = on_list_item };
	struct str key, version, kept;
	int64_t generation;
	size_t start;

	if (read_list_query(ctx, &q) < 0 || cards_generation(ctx->core, &generation, ctx->err) < 0)
		return -1;
	q.generation = generation;
	key = page_key(ctx, &q);
	version = (struct str){ (const char *)&generation, sizeof(generation) };
	if (memo_get(ctx->core->card_pages, key, version, ctx->req->arena, &kept)) {
		jw_raw(ctx_json(ctx, 200), kept);
		return 0;
	}
	lr.w = ctx_json(ctx, 200);
	start = lr.w->out->len;
	if (market_objects_list(ctx->core, ctx->req->arena, &q, &run, ctx->err) < 0)
		return -1;
	jw_array_end(lr.w);
	jw_object_end(lr.w);
	memo_put(ctx->core->card_pages, key, version,
		 (struct str){ lr.w->out->ptr + start, lr.w->out->len - start });
	return 0;
}

/* ---- one object ---- */

static int resolve(struct ctx *ctx, int64_t *id)
{
	return market_object_resolve(ctx->core, route_param(&ctx->params, "id"), id, ctx->err);
}

/* included[]: the apartment's amenities by their Swedish names. */
static void write_included(struct jw *w, const struct apartment *p)
{
	static const struct {
		int flag;
		const char *name;
	} flags[] = {
		{ APT_INTERNET_INCLUDED, "Bredband ingår" }, { APT_CABLE_PACKAGE_INCLUDED, "TV-grundutbud" },
		{ APT_ELECTRICITY_INCLUDED, "El ingår" },    { APT_HEATING_INCLUDED, "Värme ingår" },
		{ APT_ELEVATOR, "Hiss" },                    { APT_PATIO, "Uteplats" },
		{ APT_LAUNDRY_ROOM, "Tvättstuga" },          { APT_SECURITY_DOOR, "Säkerhetsdörr" },
		{ APT_HANDICAP_ADAPTED, "Handikappanpassad" }, { APT_SHOWER, "Dusch" },
	};
	static const struct {
		int choice;
		const char *absent, *present, *name;
	} choices[] = {
		{ APT_BALCONY, "NONE", NULL, "Balkong" },          { APT_DISHWASHER, NULL, "PRESENT", "Diskmaskin" },
		{ APT_WASHING_MACHINE, NULL, "PRESENT", "Tvättmaskin" }, { APT_DRYER, NULL, "PRESENT", "Torktumlare" },
		{ APT_BATHTUB, NULL, "PRESENT", "Badkar" },        { APT_PARKING, "NONE", NULL, "P-plats" },
		{ APT_GARAGE, "NONE", NULL, "Garage" },
	};
	jw_key(w, "included");
	jw_array_begin(w);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!p->f.flag[flags[i].flag])
			continue;
		jw_object_begin(w);
		jw_kv_cstr(w, "displayName", flags[i].name);
		jw_object_end(w);
	}
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		struct str v = p->f.choice[choices[i].choice];
		bool has = choices[i].present ? str_eq_cstr(v, choices[i].present)
					      : v.len && !str_eq_cstr(v, choices[i].absent);
		if (!has)
			continue;
		jw_object_begin(w);
		jw_kv_cstr(w, "displayName", choices[i].name);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void write_info_item(struct jw *w, const char *name, struct str value, const char *linked, int type_order,
			    int order)
{
	jw_object_begin(w);
	jw_kv_cstr(w, "displayName", name);
	jw_kv_str(w, "value", value);
	jw_kv_cstr(w, "linkedToType", linked);
	if (order)
		jw_kv_int(w, "order", order);
	jw_kv_int(w, "typeOrder", type_order);
	jw_object_end(w);
}

/* info{list[], area[], company[]}: the listing's text, the estate's area text, the landlord. */
static void write_info(struct ctx *ctx, struct jw *w, const struct listing_view *v)
{
	struct arena *a = ctx->req->arena;
	const struct apartment *p = &v->apartment;
	struct str text = v->l.f.description.len ? v->l.f.description : p->f.description;

	jw_key(w, "info");
	jw_object_begin(w);
	if (text.len) {
		jw_key(w, "list");
		jw_array_begin(w);
		write_info_item(w, arena_printf(a, "Om %.*s %.*s", STR_FMT(p->f.street_name), STR_FMT(p->f.street_number)),
				text, "building", 15, 0);
		jw_array_end(w);
	}
	if (v->estate.f.area_description.len) {
		jw_key(w, "area");
		jw_array_begin(w);
		write_info_item(w, arena_printf(a, "Om %.*s", STR_FMT(p->municipality.len ? p->municipality : p->city)),
				v->estate.f.area_description, "marketRegion", 50, 0);
		jw_array_end(w);
	}
	if (v->company_name.len) {
		jw_key(w, "company");
		jw_array_begin(w);
		write_info_item(w, arena_printf(a, "Hyresvärd: %.*s", STR_FMT(v->company_name)),
				str_from_cstr(arena_printf(a, "Det här objektet hyrs ut av %.*s.", STR_FMT(v->company_name))),
				"organisation1", 60, 1);
		jw_array_end(w);
	}
	jw_object_end(w);
}

static void write_images(struct ctx *ctx, struct jw *w, struct str guid, const struct media_link *l, size_t n,
			 const char *linked)
{
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(w);
		jw_kv_str(w, "displayName", l[i].caption);
		jw_kv_cstr(w, "mimeType", media_content_type(l[i].key));
		jw_kv_cstr(w, "address", object_url(ctx, guid, "images", l[i].id));
		jw_kv_cstr(w, "linkedToType", linked);
		jw_object_end(w);
	}
}

static void write_files(struct ctx *ctx, struct jw *w, const struct market_object *o)
{
	const struct listing_view *v = &o->v;
	jw_key(w, "files");
	jw_object_begin(w);
	if (v->n_apartment_images || v->n_estate_images) {
		jw_key(w, "locationImage");
		jw_array_begin(w);
		write_images(ctx, w, v->l.uuid, v->apartment_images, v->n_apartment_images, "apartment");
		write_images(ctx, w, v->l.uuid, v->estate_images, v->n_estate_images, "building");
		jw_array_end(w);
	}
	if (o->has_floorplan) {
		jw_key(w, "floorplan");
		jw_array_begin(w);
		jw_object_begin(w);
		jw_kv_str(w, "displayName", o->floorplan.name.len ? o->floorplan.name : STR_LIT("Planritning"));
		jw_kv_str(w, "mimeType", o->floorplan.mime_type);
		jw_kv_cstr(w, "address", object_url(ctx, v->l.uuid, "files", o->floorplan.id));
		jw_object_end(w);
		jw_array_end(w);
	}
	jw_object_end(w);
}

static const char *floor_name(struct arena *a, double floor)
{
	if (floor == 0)
		return "Våning BV";
	return arena_printf(a, "Våning %g", floor);
}

/*
 * lottery (rentd's extension, a random listing with a commitment only; docs/LOTTERY.md): the
 * commitment from publication, the seed and the ids drawn only once drawn. F2 dates.
 */
static void write_lottery(struct jw *w, const struct listing_view *v)
{
	const struct lottery_public *lo = &v->lottery;

	if (!v->has_lottery)
		return;
	jw_key(w, "lottery");
	jw_object_begin(w);
	jw_kv_cstr(w, "algorithm", LOTTERY_ALGORITHM);
	jw_kv_str(w, "commitment", lo->commitment_hex);
	jw_key(w, "committedAt");
	market_f2(w, lo->committed_at / 1000);
	jw_kv_bool(w, "drawn", lo->drawn);
	if (lo->drawn) {
		jw_kv_str(w, "seed", lo->seed_hex);
		jw_key(w, "drawnAt");
		market_f2(w, lo->drawn_at / 1000);
		jw_key(w, "applicationIds");
		jw_array_begin(w);
		for (size_t i = 0; i < lo->n_application_ids; i++) {
			char id[24];
			snprintf(id, sizeof(id), "%lld", (long long)lo->application_ids[i]);
			jw_cstr(w, id); /* the market's ids are strings */
		}
		jw_array_end(w);
	}
	jw_object_end(w);
}

/* The detail, the members of the real detail responses (momentum.md B.3), and rentd's lottery. */
static void write_object(struct ctx *ctx, struct jw *w, const struct market_object *o)
{
	const struct listing_view *v = &o->v;
	const struct listing *l = &v->l;
	const struct apartment *p = &v->apartment;
	const struct market_type *t =
		market_type_of(!v->has_requirement ? 1
			       : (v->requirement.student ? 8 : 0) | (v->requirement.senior ? 2 : 0) |
					 (v->requirement.youth ? 4 : 0));
	struct arena *a = ctx->req->arena;
	const char *address = arena_printf(a, "%.*s %.*s", STR_FMT(p->f.street_name), STR_FMT(p->f.street_number));

	jw_object_begin(w);
	jw_kv_str(w, "id", l->uuid);
	jw_kv_id(w, "localId", l->id);
	jw_kv_cstr(w, "number", arena_printf(a, "AN-%lld", (long long)l->id));
	jw_kv_cstr(w, "displayName", address);
	jw_kv_cstr(w, "type", t->id);
	jw_kv_cstr(w, "queueType", t->id);
	jw_kv_cstr(w, "queueTypeDisplayName", t->queue_display_name);
	jw_kv_int(w, "nrApplications", o->version.open_applications);
	jw_key(w, "pricing");
	jw_object_begin(w);
	jw_kv_dec4(w, "price", (double)p->f.rent);
	jw_object_end(w);
	jw_key(w, "economy");
	jw_object_begin(w);
	jw_object_end(w);

	jw_key(w, "location");
	jw_object_begin(w);
	if (v->estate.f.name.len) {
		jw_key(w, "area");
		jw_object_begin(w);
		jw_kv_str(w, "displayName", v->estate.f.name);
		jw_object_end(w);
	}
	market_area_path(w, p->municipality, p->county);
	jw_key(w, "address");
	jw_object_begin(w);
	jw_kv_cstr(w, "address", address);
	jw_kv_str(w, "street", p->f.street_name);
	jw_kv_str(w, "streetnumber", p->f.street_number);
	jw_kv_str(w, "postcode", p->f.zip_code);
	jw_kv_str(w, "city", p->city);
	jw_kv_cstr(w, "country", "Sverige");
	jw_kv_cstr(w, "completeAdress", arena_printf(a, "%s, %.*s, %.*s, Sverige", address, STR_FMT(p->f.zip_code),
						     STR_FMT(p->city)));
	jw_object_end(w);
	jw_kv_cstr(w, "floorDisplayName", floor_name(a, p->f.floor));
	if (p->f.national_id.len)
		jw_kv_str(w, "officialApartmentNumber", p->f.national_id);
	/* rentd's extension (the portal's map): WGS84 degrees of the apartment, when known */
	if (p->f.latitude != 0 || p->f.longitude != 0) {
		jw_key(w, "position");
		jw_object_begin(w);
		jw_kv_double(w, "latitude", p->f.latitude);
		jw_kv_double(w, "longitude", p->f.longitude);
		jw_object_end(w);
	}
	jw_object_end(w);

	jw_key(w, "availability");
	jw_object_begin(w);
	jw_kv_f1_day(w, "availableFrom", l->f.access_date);
	jw_object_end(w);
	jw_key(w, "publishing");
	jw_object_begin(w);
	jw_kv_bool(w, "published", true);
	jw_object_end(w);
	jw_key(w, "application");
	jw_object_begin(w);
	if (l->start_processing_at)
		jw_kv_f1(w, "openTo", l->start_processing_at);
	jw_object_end(w);
	jw_key(w, "size");
	jw_object_begin(w);
	market_rooms_names(ctx->req->arena, w, p->f.rooms, false);
	jw_kv_dec4(w, "area", p->f.area);
	jw_object_end(w);
	write_included(w, p);
	jw_key(w, "attributes");
	jw_array_begin(w);
	jw_array_end(w);
	write_info(ctx, w, v);
	write_files(ctx, w, o);
	write_lottery(w, v);
	jw_object_end(w);
}

/*
 * Kept like the listing views (core->listing_views), under their version; "M" keeps them
 * apart. nrApplications is not a row the version's counter follows: the open applications,
 * read by the same statement, are part of this version, so an apply or a withdrawal makes
 * the next request render again.
 */
static int get_object(struct ctx *ctx)
{
	struct market_object o;
	struct listing_view_version ver;
	int64_t id, at[3];
	char k[1 + sizeof(int64_t)] = { 'M' };
	struct str key = { k, sizeof(k) }, version = { (const char *)at, sizeof(at) }, doc;
	struct jw *w;
	size_t start;

	if (resolve(ctx, &id) < 0 || market_object_version(ctx->core, id, &ver, ctx->err) < 0)
		return -1;
	memcpy(k + 1, &id, sizeof(id));
	at[0] = ver.company_id;
	at[1] = ver.generation;
	at[2] = ver.open_applications;
	if (memo_get(ctx->core->listing_views, key, version, ctx->req->arena, &doc)) {
		jw_raw(ctx_json(ctx, 200), doc);
		return 0;
	}
	if (market_object_get(ctx->core, ctx->req->arena, id, &o, ctx->err) < 0)
		return -1;
	at[0] = o.version.company_id;
	at[1] = o.version.generation;
	at[2] = o.version.open_applications;
	w = ctx_json(ctx, 200);
	start = w->out->len;
	write_object(ctx, w, &o);
	memo_put(ctx->core->listing_views, key, version, (struct str){ w->out->ptr + start, w->out->len - start });
	return 0;
}

/* ---- files ---- */

/* The bytes of key with an ETag of tag; 304 when the client has them. */
static int serve(struct ctx *ctx, const char *key, struct str mime, struct str tag, bool immutable)
{
	struct storage_object obj;
	struct str etag = str_from_cstr(arena_printf(ctx->req->arena, "\"%.*s\"", STR_FMT(tag)));
	struct str inm = request_header(ctx->req, "If-None-Match");
	int rc = storage_get(ctx->core->storage, key, &obj, ctx->err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no such file");
	response_header(ctx->resp, "ETag", etag);
	response_header(ctx->resp, "Cache-Control",
			immutable ? STR_LIT("public, max-age=31536000, immutable") : STR_LIT("public, no-cache"));
	if (inm.ptr && request_etag_matches(inm, etag)) {
		close(obj.fd);
		ctx_status(ctx, 304);
		return 0;
	}
	ctx->resp->status = 200;
	ctx->resp->content_type = mime;
	ctx->resp->has_file = 1;
	ctx->resp->file_fd = obj.fd;
	ctx->resp->file_offset = 0;
	ctx->resp->file_len = obj.size;
	return 0;
}

static int get_image(struct ctx *ctx)
{
	struct market_object_file f;
	int64_t id;

	if (resolve(ctx, &id) < 0 ||
	    market_object_image(ctx->core, ctx->req->arena, id, route_param_int(&ctx->params, "imageId"), &f,
				ctx->err) < 0)
		return -1;
	return serve(ctx, arena_printf(ctx->req->arena, "%.*s", STR_FMT(f.key)), f.mime_type, f.sha256, true);
}

static int get_file(struct ctx *ctx)
{
	struct market_object_file f;
	int64_t id;

	if (resolve(ctx, &id) < 0 ||
	    market_object_floorplan(ctx->core, ctx->req->arena, id, route_param_int(&ctx->params, "fileId"), &f,
				    ctx->err) < 0)
		return -1;
	return serve(ctx, arena_printf(ctx->req->arena, "%.*s", STR_FMT(f.key)), f.mime_type, f.sha256, true);
}

/*
 * The first picture. ?version (the list's thumbnail.version) names the picture the client
 * saw: another (the pictures changed since) is 404, so a kept URL never shows other bytes;
 * with it the answer is immutable. ?width picks the smallest stored thumbnail at least that
 * wide (the original when none is, or none is stored yet); ?height is accepted and ignored
 * (thumbnails keep the picture's proportions).
 */
static int get_thumbnail(struct ctx *ctx)
{
	struct market_object_file f;
	struct str version = query_get(&ctx->query, "version"), width_s = query_get(&ctx->query, "width");
	struct str height_s = query_get(&ctx->query, "height");
	char current[19];
	int64_t id, width = 0, height = 0;
	const char *key;
	struct str mime, tag;

	if (width_s.len && (str_to_int64(width_s, &width) < 0 || width < 1 || width > 10000))
		return error_field(ctx->err, "width", RULE_RANGE, "must be a whole number from 1 to 10000");
	if (height_s.len && (str_to_int64(height_s, &height) < 0 || height < 1 || height > 10000))
		return error_field(ctx->err, "height", RULE_RANGE, "must be a whole number from 1 to 10000");
	if (resolve(ctx, &id) < 0 || market_object_thumbnail(ctx->core, ctx->req->arena, id, &f, ctx->err) < 0)
		return -1;
	market_thumbnail_version(f.key, current);
	if (version.len && !str_eq_cstr(version, current))
		return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no thumbnail of this version");
	key = arena_printf(ctx->req->arena, "%.*s", STR_FMT(f.key));
	mime = f.mime_type;
	tag = f.sha256;
	if (width && f.thumbnails) {
		for (int i = 0; i < MEDIA_THUMB_COUNT; i++) {
			if (media_thumb_widths[i] < width)
				continue;
			key = arena_printf(ctx->req->arena, "%d/%.*s/%.*s.jpeg", media_thumb_widths[i], STR_FMT(f.category),
					   STR_FMT(f.sha256));
			mime = STR_LIT("image/jpeg");
			tag = str_from_cstr(arena_printf(ctx->req->arena, "%d-%.*s", media_thumb_widths[i], STR_FMT(f.sha256)));
			break;
		}
	}
	return serve(ctx, key, mime, tag, version.len > 0);
}

/* ---- types and configuration ---- */

static void write_data_fields(struct jw *w, const char *key, const char *const *types, const char *const *names)
{
	jw_key(w, key);
	jw_array_begin(w);
	for (int i = 0; types[i]; i++) {
		jw_object_begin(w);
		jw_kv_cstr(w, "type", types[i]);
		jw_kv_cstr(w, "displayName", names[i]);
		jw_kv_int(w, "order", (i + 1) * 10);
		jw_object_end(w);
	}
	jw_array_end(w);
}

/* The field configuration (M-35): what the list items and the detail carry. */
static const char *const list_fields[] = { "thumbnail", "displayName", "location.area.displayName",
					   "location.areaPath", "size.roomsDisplayName", "size.shortRoomsDisplayName",
					   "size.area", "pricing.price", "availability.availableFrom", "description",
					   NULL };
static const char *const list_names[] = { "Miniatyrbild", "Annonsbeteckning", "Områdesbeteckning", "Område",
					  "Antal rum", "Antal rum (kort)", "Yta", "Hyra", "Tillträde", "Beskrivning" };
static const char *const single_fields[] = { "number", "displayName", "files", "location.area.displayName",
					     "location.areaPath", "application.openTo", "availability.availableFrom",
					     "size.roomsDisplayName", "size.area", "pricing.price", "info",
					     "location.floorDisplayName", "location.officialApartmentNumber",
					     "queueTypeDisplayName", "nrApplications", "included", NULL };
static const char *const single_names[] = { "Annonsnummer", "Annonsbeteckning", "Filer", "Områdesbeteckning",
					    "Område", "Sista ansökningsdag", "Tillträde", "Antal rum", "Yta", "Hyra",
					    "Information", "Våning", "Lägenhetsnummer", "Kö", "Antal intresseanmälningar",
					    "Ingår" };

static void kv_num_str(struct ctx *ctx, struct jw *w, const char *key, double v)
{
	jw_kv_cstr(w, key, arena_printf(ctx->req->arena, "%.0f", v));
}

static int get_type(struct ctx *ctx)
{
	const struct market_type *t = market_type_find(route_param(&ctx->params, "typeId"));
	struct market_type_stats st;
	struct jw *w;

	if (!t)
		return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no such market object type");
	if (market_type_stats(ctx->core, t, 0, &st, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_cstr(w, "displayName", t->display_name);
	jw_kv_cstr(w, "description", t->description);
	jw_kv_cstr(w, "maxNumberOfApplications", arena_printf(ctx->req->arena, "%d", t->max_applications));
	kv_num_str(ctx, w, "minNumberOfRooms", st.min_rooms);
	kv_num_str(ctx, w, "maxNumberOfRooms", st.max_rooms);
	kv_num_str(ctx, w, "minSize", st.min_area);
	kv_num_str(ctx, w, "maxSize", st.max_area);
	kv_num_str(ctx, w, "minPrice", (double)st.min_rent);
	kv_num_str(ctx, w, "maxPrice", (double)st.max_rent);
	jw_kv_int(w, "numberOfMarketObjects", st.count);
	jw_key(w, "areas");
	jw_array_begin(w);
	jw_array_end(w);
	jw_key(w, "includes");
	jw_array_begin(w);
	jw_array_end(w);
	jw_key(w, "sizeRoomsDisplayName");
	jw_array_begin(w);
	jw_array_end(w);
	write_data_fields(w, "singleMarketObjektDataFields", single_fields, single_names);
	write_data_fields(w, "marketObjektListDataFields", list_fields, list_names);
	jw_object_end(w);
	return 0;
}

/* B.5: app.name, and with market=true the market-object types. */
/*
 * B.5's brand, from --brand-colour and --brand-logo: the light theme's primary colour and its
 * logo (served by GET /v2/client/files/logo, market_agreements.c). Left out when neither is set.
 */
static void write_brand(struct ctx *ctx, struct jw *w)
{
	const struct config *cfg = app_config(ctx->app);

	if (!cfg->brand_colour[0] && !cfg->brand_logo[0])
		return;
	jw_key(w, "brand");
	jw_object_begin(w);
	jw_key(w, "themes");
	jw_object_begin(w);
	jw_key(w, "light");
	jw_object_begin(w);
	jw_kv_cstr(w, "displayName", "Ljust");
	jw_key(w, "colours");
	jw_object_begin(w);
	if (cfg->brand_colour[0]) {
		jw_key(w, "primary");
		jw_object_begin(w);
		jw_kv_cstr(w, "displayName", "Primärfärg");
		jw_kv_cstr(w, "colourCode", cfg->brand_colour);
		jw_object_end(w);
	}
	jw_object_end(w);
	jw_key(w, "files");
	jw_object_begin(w);
	if (cfg->brand_logo[0]) {
		jw_key(w, "logoDefaultBackground");
		jw_object_begin(w);
		jw_kv_cstr(w, "displayName", "Logotyp");
		jw_kv_cstr(w, "address", arena_printf(ctx->req->arena, "%s/v2/client/files/logo", cfg->public_url));
		jw_object_end(w);
	}
	jw_object_end(w);
	jw_object_end(w);
	jw_object_end(w);
	jw_object_end(w);
}

static int get_configuration(struct ctx *ctx)
{
	struct str market = query_get(&ctx->query, "market");
	bool with_market = false;
	struct jw *w;

	if (market.ptr) {
		if (str_case_eq(market, STR_LIT("true")) || str_eq_cstr(market, "1"))
			with_market = true;
		else if (!(str_case_eq(market, STR_LIT("false")) || str_eq_cstr(market, "0") || market.len == 0))
			return error_field(ctx->err, "market", RULE_TYPE, "must be true or false");
	}
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "app");
	jw_object_begin(w);
	jw_kv_cstr(w, "name", "Mina sidor");
	jw_object_end(w);
	write_brand(ctx, w);
	if (with_market) {
		jw_key(w, "market");
		jw_object_begin(w);
		jw_key(w, "types");
		jw_array_begin(w);
		for (size_t i = 0; i < market_types_count; i++) {
			jw_object_begin(w);
			jw_kv_cstr(w, "id", market_types[i].id);
			jw_kv_cstr(w, "displayName", market_types[i].display_name);
			jw_object_end(w);
		}
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_object_end(w);
	return 0;
}

#define M DIALECT_MARKET

const struct route market_objects_routes[] = {
	{ HTTP_GET, "/v2/market/objects", get_objects, M, 0 },
	{ HTTP_GET, "/v2/market/objects/types/{typeId}", get_type, M, 0 },
	{ HTTP_GET, "/v2/market/objects/{id}", get_object, M, 0 },
	{ HTTP_GET, "/v2/market/objects/{id}/thumbnail", get_thumbnail, M, 0 },
	{ HTTP_GET, "/v2/market/objects/{id}/images/{imageId:int}", get_image, M, 0 },
	{ HTTP_GET, "/v2/market/objects/{id}/files/{fileId:int}", get_file, M, 0 },
	{ HTTP_GET, "/v2/client/configuration", get_configuration, M, 0 },
};
const size_t market_objects_routes_count = sizeof(market_objects_routes) / sizeof(market_objects_routes[0]);
