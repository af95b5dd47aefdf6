/*
 * landlord_inventory_search.c — HomeQ's inventory list (homeq.md §11b, §12.5,
 * §15 rule 24; decisions.md H-08, H-20, H-21, H-35, H-44).
 *
 *   GET /api/v1/inventory/   employee token
 *
 * Query: amount (1..1000, default 10), offset (0..100000000, default 0), type
 * (estate|apartment|object_ad; repeated or comma-separated: any of them),
 * apartment.external_id, estate.external_id (1..256 characters), apartment.id,
 * estate.id, project.id, listing.employee.id (positive integers), exclude_projects,
 * use_root_office (true|false|1|0), listing.status (ObjectAdStatus; repeated or
 * comma-separated). A bad value is 412 ValidationError naming the parameter.
 *
 * Answer {"results": [ElasticData…], "total": int} (total an integer, H-21). An
 * estate item is ElasticEstateData {estate, identifier, indexed_at, type}; apartment
 * and object_ad items are ElasticData. A listing item carries its listing as object_ad
 * (ElasticObjectAd), its project ({id, name} or null) and its requirement profile's
 * flags (ElasticRequirements, null for a draft without one); an apartment item carries
 * its live listing the same way, or nulls when it has none. reserved_application is
 * null: no listing is reserved to an application yet (H-35). current_stats and
 * nightly_stats count the listing's applications (core/listings/listing_applications.h),
 * now and as of the last UTC midnight, from one grouped statement for the page. indexed_at is the document's last change —
 * the latest of the listing's, the apartment's and the estate's — and every date-time
 * is written as the endpoint's example writes it (H-44): "YYYY-MM-DDTHH:MM:SS.ffffff",
 * UTC, no zone designator; dates are YYYY-MM-DD. images are the apartment's or
 * estate's pictures in position order; has_ad (a live listing that is not a draft) and
 * has_draft are 0/1, has_rentals counts rented listings (H-20).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/memo.h"
#include "core/inventory/inventory_search.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

static const char *const type_names[] = { "estate", "apartment", "object_ad", NULL };

/* Each value of key (repeated or comma-separated) must be one of names; bits set per match. */
static void query_enum_set(struct ctx *ctx, const char *key, const char *const *names, unsigned *bits)
{
	for (size_t i = 0; i < ctx->query.n; i++) {
		struct str v = ctx->query.items[i].value;
		size_t start = 0;
		if (!str_eq_cstr(ctx->query.items[i].key, key))
			continue;
		for (size_t j = 0; j <= v.len; j++) {
			struct str part;
			size_t k;
			if (j < v.len && v.ptr[j] != ',')
				continue;
			part = (struct str){ v.ptr + start, j - start };
			start = j + 1;
			for (k = 0; names[k]; k++)
				if (str_eq_cstr(part, names[k]))
					break;
			if (!names[k] || part.len == 0) {
				error_field(ctx->err, key, RULE_ENUM, "'%.*s' is not one of the allowed values",
					    (int)(part.len > 64 ? 64 : part.len), part.ptr);
				return;
			}
			*bits |= 1u << k;
		}
	}
}

static void query_text(struct ctx *ctx, const char *key, struct str *out)
{
	*out = query_get(&ctx->query, key);
	if (out->ptr && (out->len == 0 || out->len > INVENTORY_EXTERNAL_ID_MAX))
		error_field(ctx->err, key, RULE_LENGTH, "must have 1 to %d characters", INVENTORY_EXTERNAL_ID_MAX);
}

/* "YYYY-MM-DDTHH:MM:SSZ" → "YYYY-MM-DDTHH:MM:SS.000000" (H-44, this endpoint's format). */
static void write_time(struct jw *w, const char *key, struct str stored)
{
	char buf[32];
	size_t n = stored.len >= 19 ? 19 : stored.len;
	memcpy(buf, stored.ptr, n);
	memcpy(buf + n, ".000000", 8);
	jw_kv_cstr(w, key, buf);
}

/* An instant in this endpoint's format, "YYYY-MM-DDTHH:MM:SS.000000" (H-44). */
static const char *format_instant(int64_t t, char buf[40])
{
	time_t secs = (time_t)t;
	struct tm tm;
	gmtime_r(&secs, &tm);
	strftime(buf, 40, "%Y-%m-%dT%H:%M:%S.000000", &tm);
	return buf;
}

/* An instant in this endpoint's format; 0 writes null. */
static void write_instant(struct jw *w, const char *key, int64_t t)
{
	char buf[40];
	if (!t)
		jw_kv_null(w, key);
	else
		jw_kv_cstr(w, key, format_instant(t, buf));
}

/* The later of two stored "YYYY-MM-DDTHH:MM:SSZ" times. */
static struct str later(struct str a, struct str b)
{
	return b.len == a.len && memcmp(b.ptr, a.ptr, a.len) > 0 ? b : a;
}

static void kv_str_or_null(struct jw *w, const char *key, struct str v)
{
	jw_key(w, key);
	if (v.ptr)
		jw_string(w, v);
	else
		jw_null(w);
}

/* ElasticApartment/ElasticEstate images (§12.5): {caption, id, position, url}, absolute URLs (H-07). */
static void write_images(struct ctx *ctx, struct jw *w, const struct media_link *list, size_t n)
{
	jw_key(w, "images");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(w);
		jw_kv_str(w, "caption", list[i].caption);
		jw_kv_int(w, "id", list[i].id);
		jw_kv_int(w, "position", list[i].position);
		jw_kv_cstr(w, "url", arena_printf(ctx->req->arena, "%s/media/%.*s", app_config(ctx->app)->public_url,
						  STR_FMT(list[i].key)));
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void write_estate(struct ctx *ctx, struct jw *w, const struct inventory_item *it)
{
	const struct inventory_estate_doc *e = it->estate;
	jw_key(w, "estate");
	jw_object_begin(w);
	jw_kv_str(w, "city", e->city);
	jw_key(w, "company");
	jw_object_begin(w);
	jw_kv_int(w, "id", e->company_id);
	jw_kv_str(w, "name", e->company_name);
	jw_object_end(w);
	kv_str_or_null(w, "external_id", e->external_id);
	jw_kv_int(w, "id", e->id);
	write_images(ctx, w, it->estate_images, it->n_estate_images);
	jw_kv_str(w, "name", e->name);
	jw_kv_int(w, "number_of_apartments", e->apartments);
	jw_key(w, "office");
	jw_object_begin(w);
	jw_kv_int(w, "id", e->office_id);
	jw_kv_str(w, "name", e->office_name);
	jw_object_end(w);
	jw_object_end(w);
}

static const char *const amenity_names[INV_AMENITY_COUNT] = {
	[INV_ELECTRICITY_INCLUDED] = "electricity_included", [INV_HANDICAP_FRIENDLY] = "handicap_friendly",
	[INV_HAS_BALCONY] = "has_balcony",                   [INV_HAS_BATHTUB] = "has_bathtub",
	[INV_HAS_DISHWASHER] = "has_dishwasher",             [INV_HAS_DRIER] = "has_drier",
	[INV_HAS_ELEVATOR] = "has_elevator",                 [INV_HAS_GARAGE] = "has_garage",
	[INV_HAS_KITCHEN_FAN] = "has_kitchen_fan",           [INV_HAS_PANTRY] = "has_pantry",
	[INV_HAS_PARKING] = "has_parking",                   [INV_HAS_PATIO] = "has_patio",
	[INV_HAS_SHOWER] = "has_shower",                     [INV_HAS_WASHING_MACHINE] = "has_washing_machine",
	[INV_HEATING_INCLUDED] = "heating_included",         [INV_INTERNET_INCLUDED] = "internet_included",
	[INV_TV_INCLUDED] = "tv_included",                   [INV_WATER_INCLUDED] = "water_included",
};

static void write_apartment(struct ctx *ctx, struct jw *w, const struct inventory_item *it)
{
	const struct inventory_apartment_doc *p = it->apartment;
	const struct inventory_estate_doc *e = it->estate;
	jw_key(w, "apartment");
	jw_object_begin(w);
	jw_key(w, "address");
	jw_object_begin(w);
	jw_kv_str(w, "city", e->city);
	jw_kv_str(w, "county", p->county);
	jw_kv_str(w, "lgh", p->national_id);
	jw_kv_str(w, "municipality", p->municipality);
	jw_kv_str(w, "street_name", p->street_name);
	jw_kv_str(w, "street_number", p->street_number);
	jw_kv_str(w, "zip_code", p->zip_code);
	jw_object_end(w);
	jw_key(w, "amenities");
	jw_object_begin(w);
	for (int i = 0; i < INV_AMENITY_COUNT; i++)
		jw_kv_bool(w, amenity_names[i], p->amenity[i]);
	jw_object_end(w);
	jw_kv_int(w, "area", (int64_t)llround(p->area)); /* §12.5: integers here (H-20: only rooms keep fractions) */
	kv_str_or_null(w, "external_id", p->external_id);
	jw_kv_int(w, "floor", (int64_t)llround(p->floor));
	jw_kv_int(w, "has_ad", p->has_ad);
	jw_kv_int(w, "has_draft", p->has_draft);
	jw_kv_int(w, "has_rentals", p->has_rentals);
	jw_kv_int(w, "id", p->id);
	write_images(ctx, w, it->apartment_images, it->n_apartment_images);
	jw_key(w, "location");
	jw_object_begin(w);
	jw_kv_double(w, "lat", p->latitude);
	jw_kv_double(w, "lon", p->longitude);
	jw_object_end(w);
	jw_kv_int(w, "notes_count", p->notes_count);
	jw_kv_int(w, "rent", p->rent);
	jw_kv_double(w, "rooms", p->rooms);
	jw_object_end(w);
}

/* ApplyStats in this endpoint's time format: now, or as of the last UTC midnight (DECISIONS.md "ApplyStats"). */
static void write_stats(struct jw *w, const char *key, const struct application_stats *stats, int64_t at,
			bool current)
{
	char buf[40];
	landlord_write_apply_stats(w, key, stats, current, format_instant(at, buf));
}

/* ElasticObjectAd (§12.5). */
static void write_object_ad(struct jw *w, const struct inventory_listing_doc *l, const struct inventory_page *page,
			    size_t item)
{
	jw_key(w, "object_ad");
	jw_object_begin(w);
	jw_kv_bool(w, "access_on_agreement", !l->access_date.ptr);
	jw_key(w, "assignments");
	jw_array_begin(w);
	for (size_t i = 0; i < l->n_assignments; i++) {
		jw_object_begin(w);
		jw_kv_str(w, "first_name", l->assignments[i].first_name);
		jw_kv_int(w, "id", l->assignments[i].id);
		jw_kv_int(w, "landlord_profile_id", l->assignments[i].user_id);
		jw_kv_str(w, "last_name", l->assignments[i].last_name);
		jw_object_end(w);
	}
	jw_array_end(w);
	write_stats(w, "current_stats", &page->current_stats[item], core_now(), true);
	if (l->access_date.ptr) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%.10sT00:00:00.000000", l->access_date.ptr);
		jw_kv_cstr(w, "date_access", buf);
	} else {
		jw_kv_null(w, "date_access");
	}
	write_time(w, "date_created", l->created_at);
	write_instant(w, "date_publish", l->date_publish);
	jw_kv_int(w, "id", l->id);
	jw_kv_bool(w, "is_short_lease", l->is_short_lease);
	write_stats(w, "nightly_stats", &page->nightly_stats[item], page->midnight, false);
	jw_kv_bool(w, "prior_access", l->prior_access);
	kv_str_or_null(w, "short_lease_max_date", l->short_lease_max_date);
	kv_str_or_null(w, "short_lease_min_date", l->short_lease_min_date);
	jw_kv_str(w, "status", l->status);
	jw_object_end(w);
}

/* object_ad, project and requirements of an item: its listing's, or null. */
static void write_listing_parts(struct jw *w, const struct inventory_listing_doc *l, const struct inventory_page *page,
				size_t i)
{
	if (!l) {
		jw_kv_null(w, "object_ad");
		jw_kv_null(w, "project");
		jw_kv_null(w, "requirements");
		return;
	}
	write_object_ad(w, l, page, i);
	jw_key(w, "project");
	if (l->project_id) {
		jw_object_begin(w);
		jw_kv_int(w, "id", l->project_id);
		jw_kv_str(w, "name", l->project_name);
		jw_object_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "requirements");
	if (l->requirement_id) {
		jw_object_begin(w);
		jw_kv_bool(w, "allows_pets", l->pets);
		jw_kv_bool(w, "allows_smoking", l->smoking);
		jw_kv_bool(w, "is_senior", l->senior);
		jw_kv_bool(w, "is_student", l->student);
		jw_kv_bool(w, "is_youth", l->youth);
		jw_kv_int(w, "pk", l->requirement_id);
		jw_object_end(w);
	} else {
		jw_null(w);
	}
}

static void write_item(struct ctx *ctx, struct jw *w, const struct inventory_page *page, size_t i)
{
	const struct inventory_item *it = &page->items[i];
	jw_object_begin(w);
	if (it->type == INVENTORY_ESTATE) {
		write_estate(ctx, w, it);
		jw_kv_cstr(w, "identifier", arena_printf(ctx->req->arena, "estate.%lld", (long long)it->estate->id));
		write_time(w, "indexed_at", it->estate->updated_at);
		jw_kv_cstr(w, "type", "estate");
	} else {
		bool listing = it->type == INVENTORY_OBJECT_AD;
		struct str t = later(it->apartment->updated_at, it->estate->updated_at);
		if (it->listing)
			t = later(t, it->listing->updated_at);
		write_apartment(ctx, w, it);
		write_estate(ctx, w, it);
		jw_kv_cstr(w, "identifier",
			   listing ? arena_printf(ctx->req->arena, "object_ad.%lld", (long long)it->listing->id)
				   : arena_printf(ctx->req->arena, "apartment.%lld", (long long)it->apartment->id));
		write_time(w, "indexed_at", t);
		write_listing_parts(w, it->listing, page, i);
		jw_kv_null(w, "reserved_application");
		jw_kv_cstr(w, "type", listing ? "object_ad" : "apartment");
	}
	jw_object_end(w);
}

/*
 * The page is kept (core->inventory_pages) while nothing in the database changes (the kept
 * epoch), within the second (current_stats' timestamp and the day's counts follow the clock),
 * under the employee (their company, office subtree and rights) and the query as sent.
 */
static struct str page_key(struct ctx *ctx)
{
	struct str q = ctx->req->query;
	int64_t head[2] = { ctx->caller.user.id, core_now() };
	char *k;

	if (q.len > 2048 || !(k = arena_try_alloc(ctx->req->arena, sizeof(head) + q.len)))
		return STR_NULL;
	memcpy(k, head, sizeof(head));
	if (q.len)
		memcpy(k + sizeof(head), q.ptr, q.len);
	return (struct str){ k, sizeof(head) + q.len };
}

static int get_inventory(struct ctx *ctx)
{
	struct inventory_query q = { 0 };
	struct inventory_page page;
	struct str key = STR_NULL, version, kept;
	uint64_t epoch;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	landlord_query_range(ctx, "amount", 1, INVENTORY_AMOUNT_MAX, INVENTORY_AMOUNT_DEFAULT, &q.amount);
	landlord_query_range(ctx, "offset", 0, INVENTORY_OFFSET_MAX, 0, &q.offset);
	query_enum_set(ctx, "type", type_names, &q.types);
	query_text(ctx, "apartment.external_id", &q.apartment_external_id);
	query_text(ctx, "estate.external_id", &q.estate_external_id);
	landlord_query_id(ctx, "apartment.id", false, &q.apartment_id);
	landlord_query_id(ctx, "estate.id", false, &q.estate_id);
	landlord_query_id(ctx, "project.id", false, &q.project_id);
	landlord_query_id(ctx, "listing.employee.id", false, &q.employee_id);
	landlord_query_bool(ctx, "exclude_projects", &q.exclude_projects);
	landlord_query_bool(ctx, "use_root_office", &q.use_root_office);
	query_enum_set(ctx, "listing.status", inventory_listing_statuses, &q.statuses);
	if (error_failed(ctx->err))
		return -1;
	if ((epoch = core_kept_epoch(ctx->core)) != 0 && (key = page_key(ctx)).ptr) {
		version = (struct str){ (const char *)&epoch, sizeof(epoch) };
		if (memo_get(ctx->core->inventory_pages, key, version, ctx->req->arena, &kept)) {
			jw_raw(ctx_json(ctx, 200), kept);
			return 0;
		}
	}
	/* enum inventory_type bits are the type_names indexes as powers of two */
	if (inventory_search(ctx->core, ctx->req->arena, &ctx->caller, &q, &page, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "results");
	jw_array_begin(w);
	for (size_t i = 0; i < page.n; i++)
		write_item(ctx, w, &page, i);
	jw_array_end(w);
	jw_kv_int(w, "total", page.total);
	jw_object_end(w);
	if (key.ptr)
		memo_put(ctx->core->inventory_pages, key, version, (struct str){ w->out->ptr, w->out->len });
	return 0;
}

/* designated initializers: struct route may grow fields that these routes leave zero */
const struct route landlord_inventory_search_routes[] = {
	{ .method = HTTP_GET, .pattern = "/api/v1/inventory", .handler = get_inventory, .dialect = DIALECT_LANDLORD },
};
const size_t landlord_inventory_search_routes_count =
	sizeof(landlord_inventory_search_routes) / sizeof(landlord_inventory_search_routes[0]);
