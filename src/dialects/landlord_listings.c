/*
 * landlord_listings.c — HomeQ listings (object ads) and the public object view
 * (homeq.md §11c, §12.4, §14, §15 rules 36–42; decisions.md H-02–H-08, H-16, H-17,
 * H-38, H-39, H-44).
 *
 *   POST /api/v1/object_ad/                         employee token → 201 {"id"}
 *   GET|PATCH|PUT|DELETE /api/v1/object_ad/{id}/    employee token; GET 60/min per caller
 *   GET /api/v1/object/{id}                         anyone → {"object_ad": {…}} of an active or reserved listing
 *
 * Bodies are validated against their own tables (G-04); unknown and read-only members
 * are ignored (G-03). Dates are accepted as YYYY-MM-DD or any ISO-8601 date-time
 * (H-17, H-44): calendar dates are reduced to their Europe/Stockholm date, date_publish
 * is an instant (a bare date means its Stockholm midnight). contract_system takes a
 * name or a project letter (H-16). PATCH answers the ListingDetail after the change.
 */
#include <string.h>
#include <time.h>

#include "core/listings/listings.h"
#include "core/media/media.h"
#include "core/identity/ratelimit.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

#define LISTING_DESCRIPTION_MAX 10000
#define LISTING_OFFER_NOTES_MAX 3000

static const char *const sorting_modes[] = { "queue_points", "random", "first_come_first", NULL };

/* ---- reading ---- */

/* A nullable calendar date member; *has when present (null clears). */
static void read_day(struct ctx *ctx, struct jr *r, const char *key, struct str *out, bool *has)
{
	struct str v;
	char day[11];
	int rc = jr_string(r, key, JR_NULLABLE, 1, 64, &v);

	if (rc == JR_NULL) {
		*out = STR_NULL;
		*has = true;
	} else if (rc == JR_SET) {
		if (listings_parse_day(v, day) < 0) {
			error_field(ctx->err, jr_path(r, key), RULE_FORMAT,
				    "must be a date (YYYY-MM-DD) or an ISO-8601 date-time");
			return;
		}
		*out = str_from_cstr(arena_strndup(ctx->req->arena, day, 10));
		*has = true;
	}
}

static void read_instant(struct ctx *ctx, struct jr *r, const char *key, unsigned flags, int64_t *out, bool *has)
{
	struct str v;
	int rc = jr_string(r, key, flags, 1, 64, &v);

	if (rc != JR_SET)
		return;
	if (listings_parse_instant(v, out) < 0) {
		error_field(ctx->err, jr_path(r, key), RULE_FORMAT,
			    "must be a date (YYYY-MM-DD) or an ISO-8601 date-time");
		return;
	}
	*has = true;
}

static void read_flag(struct jr *r, const char *key, bool *out, bool *has)
{
	if (jr_bool(r, key, 0, out) == JR_SET)
		*has = true;
}

/* A nullable id (>= min); null stores 0. */
static void read_ref(struct jr *r, const char *key, int64_t min, int64_t *out, bool *has)
{
	int rc = jr_int(r, key, JR_NULLABLE, min, INT64_MAX, out);
	if (rc == JR_NULL)
		*out = 0;
	*has = rc == JR_SET || rc == JR_NULL;
}

/* The members create and update share (ListingCreate / ListingUpdate, §11c). */
static void read_common(struct ctx *ctx, struct jr *r, struct listing_input *in)
{
	struct str cs;
	int idx, rc;

	in->has_description = jr_string(r, "description", 0, 0, LISTING_DESCRIPTION_MAX, &in->f.description) == JR_SET;
	read_day(ctx, r, "access_date", &in->f.access_date, &in->has_access_date);
	if (jr_enum(r, "candidate_sorting_mode", 0, sorting_modes, &idx) == JR_SET) {
		in->f.candidate_sorting_mode = str_from_cstr(sorting_modes[idx]);
		in->has_candidate_sorting_mode = true;
	}
	if (jr_string(r, "contract_system", 0, 1, 64, &cs) == JR_SET) {
		const char *name = listings_contract_system(cs);
		if (!name)
			error_field(ctx->err, jr_path(r, "contract_system"), RULE_ENUM,
				    "must be one of: external, manual_selection, automatic, manual_selection_lock,"
				    " automatic_strict (or the letters A, B, C, D, S)");
		else
			in->f.contract_system = str_from_cstr(name);
		in->has_contract_system = name != NULL;
	}
	read_flag(r, "is_quick_apply", &in->f.is_quick_apply, &in->has_is_quick_apply);
	read_flag(r, "is_short_lease", &in->f.is_short_lease, &in->has_is_short_lease);
	read_flag(r, "prior_access", &in->f.prior_access, &in->has_prior_access);
	/* both spellings (H-17) */
	read_flag(r, "prioritize_customers", &in->f.prioritize_existing_tenants, &in->has_prioritize_existing_tenants);
	read_flag(r, "prioritize_existing_tenants", &in->f.prioritize_existing_tenants,
		  &in->has_prioritize_existing_tenants);
	rc = jr_string(r, "offer_notes", JR_NULLABLE, 0, LISTING_OFFER_NOTES_MAX, &in->f.offer_notes);
	if (rc == JR_NULL)
		in->f.offer_notes = STR_NULL;
	in->has_offer_notes = rc == JR_SET || rc == JR_NULL;
	read_ref(r, "requirement", 1, &in->f.requirement_id, &in->has_requirement);
	read_day(ctx, r, "short_lease_max_date", &in->f.short_lease_max_date, &in->has_short_lease_max_date);
	read_day(ctx, r, "short_lease_min_date", &in->f.short_lease_min_date, &in->has_short_lease_min_date);
}

static int read_create(struct ctx *ctx, struct listing_input *in)
{
	struct jr r = jr_root(ctx->err, ctx->body);

	memset(in, 0, sizeof(*in));
	jr_int(&r, "apartment", JR_REQUIRED, 1, INT64_MAX, &in->apartment);
	jr_bool(&r, "is_draft", 0, &in->is_draft);
	jr_bool(&r, "is_project_rental", 0, &in->is_project_rental);
	/* null is "not set": publish immediately */
	read_instant(ctx, &r, "date_publish", JR_NULLABLE, &in->f.date_publish, &in->has_date_publish);
	read_common(ctx, &r, in);
	return error_failed(ctx->err) ? -1 : 0;
}

static int read_update(struct ctx *ctx, struct listing_input *in)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	int idx;

	memset(in, 0, sizeof(*in));
	read_instant(ctx, &r, "date_publish", 0, &in->f.date_publish, &in->has_date_publish);
	read_common(ctx, &r, in);
	/* "integer or null" without the requirement's ">= 1", and the seed's example sends 0: none, like null */
	read_ref(&r, "soft_requirements_id", 0, &in->f.soft_requirements_id, &in->has_soft_requirements);
	if (jr_enum(&r, "status", 0, listing_status_names, &idx) == JR_SET) {
		in->status = (enum listing_status)idx;
		in->has_status = true;
	}
	return error_failed(ctx->err) ? -1 : 0;
}

/* ---- writing ---- */

static const char *iso(struct ctx *ctx, int64_t t)
{
	time_t secs = (time_t)t;
	struct tm tm;
	char out[32];
	gmtime_r(&secs, &tm);
	strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strndup(ctx->req->arena, out, strlen(out));
}

static void kv_time(struct ctx *ctx, struct jw *w, const char *key, int64_t t)
{
	jw_kv_cstr(w, key, t ? iso(ctx, t) : NULL);
}

static void kv_str_or_null(struct jw *w, const char *key, struct str v)
{
	jw_key(w, key);
	if (v.ptr)
		jw_string(w, v);
	else
		jw_null(w);
}

static const char *media_url(struct ctx *ctx, struct str key)
{
	return arena_printf(ctx->req->arena, "%s/media/%.*s", app_config(ctx->app)->public_url, STR_FMT(key));
}

/* Image (§12.4): {caption, id, position, thumbnail_url, url}; the 320 px thumbnail once made, else null (H-07). */
static void write_images(struct ctx *ctx, struct jw *w, const char *key, const struct media_link *list, size_t n)
{
	jw_key(w, key);
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		const struct media_link *l = &list[i];
		jw_object_begin(w);
		jw_kv_str(w, "caption", l->caption);
		jw_kv_int(w, "id", l->id);
		jw_kv_int(w, "position", l->position);
		jw_kv_cstr(w, "thumbnail_url",
			   l->thumbnails ? arena_printf(ctx->req->arena, "%s/media/%d/%.*s/%.*s.jpeg",
							app_config(ctx->app)->public_url, media_thumb_widths[0],
							STR_FMT(l->category), STR_FMT(l->sha256))
					 : NULL);
		jw_kv_cstr(w, "url", media_url(ctx, l->key));
		jw_object_end(w);
	}
	jw_array_end(w);
}

/* Video (§12.4): {position, private, url}; the public view leaves private videos out. */
static void write_videos(struct ctx *ctx, struct jw *w, const struct listing_view *v, bool public_only)
{
	jw_key(w, "videos");
	jw_array_begin(w);
	for (size_t i = 0; i < v->n_apartment_videos; i++) {
		const struct media_link *l = &v->apartment_videos[i];
		if (public_only && l->is_private)
			continue;
		jw_object_begin(w);
		jw_kv_int(w, "position", l->position);
		jw_kv_bool(w, "private", l->is_private);
		jw_kv_cstr(w, "url", media_url(ctx, l->key));
		jw_object_end(w);
	}
	jw_array_end(w);
}

static bool choice_is(const struct apartment *p, enum apartment_choice c, const char *value)
{
	return str_eq_cstr(p->f.choice[c], value);
}

/* Amenities (§12.4), mapped from the apartment as the inventory's documents map them. */
static void write_amenities(struct jw *w, const struct apartment *p)
{
	jw_key(w, "amenities");
	jw_object_begin(w);
	jw_kv_bool(w, "electricity_included", p->f.flag[APT_ELECTRICITY_INCLUDED]);
	jw_kv_bool(w, "handicap_friendly", p->f.flag[APT_HANDICAP_ADAPTED]);
	jw_kv_bool(w, "has_balcony", !choice_is(p, APT_BALCONY, "NONE"));
	jw_kv_bool(w, "has_bathtub", choice_is(p, APT_BATHTUB, "PRESENT"));
	jw_kv_bool(w, "has_dishwasher", choice_is(p, APT_DISHWASHER, "PRESENT"));
	jw_kv_bool(w, "has_drier", choice_is(p, APT_DRYER, "PRESENT"));
	jw_kv_bool(w, "has_elevator", p->f.flag[APT_ELEVATOR]);
	jw_kv_bool(w, "has_garage", !choice_is(p, APT_GARAGE, "NONE"));
	jw_kv_bool(w, "has_kitchen_fan", choice_is(p, APT_KITCHEN_FAN, "PRESENT"));
	jw_kv_bool(w, "has_pantry", p->f.flag[APT_PANTRY]);
	jw_kv_bool(w, "has_parking", !choice_is(p, APT_PARKING, "NONE"));
	jw_kv_bool(w, "has_patio", p->f.flag[APT_PATIO]);
	jw_kv_bool(w, "has_shower", p->f.flag[APT_SHOWER]);
	jw_kv_bool(w, "has_washing_machine", choice_is(p, APT_WASHING_MACHINE, "PRESENT"));
	jw_kv_bool(w, "heating_included", p->f.flag[APT_HEATING_INCLUDED]);
	jw_kv_bool(w, "internet_included", p->f.flag[APT_INTERNET_INCLUDED]);
	jw_kv_bool(w, "tv_included", p->f.flag[APT_CABLE_PACKAGE_INCLUDED]);
	jw_kv_bool(w, "water_included", !choice_is(p, APT_WATER, "PAY_EXTRA"));
	jw_object_end(w);
}

static void write_address(struct jw *w, const struct apartment *p)
{
	jw_key(w, "address");
	jw_object_begin(w);
	jw_kv_str(w, "city", p->city);
	jw_kv_str(w, "county", p->county);
	jw_kv_str(w, "lgh", p->f.national_id);
	jw_kv_str(w, "municipality", p->municipality);
	jw_kv_str(w, "street_name", p->f.street_name);
	jw_kv_str(w, "street_number", p->f.street_number);
	jw_kv_str(w, "zip_code", p->f.zip_code);
	jw_object_end(w);
}

static void write_location(struct jw *w, const struct apartment *p)
{
	jw_key(w, "location");
	jw_object_begin(w);
	jw_kv_double(w, "lat", p->f.latitude);
	jw_kv_double(w, "lon", p->f.longitude);
	jw_object_end(w);
}

/* ListingDetail.apartment; the public view has no external_id. */
static void write_apartment(struct ctx *ctx, struct jw *w, const struct listing_view *v, bool public_view)
{
	const struct apartment *p = &v->apartment;
	jw_key(w, "apartment");
	jw_object_begin(w);
	write_address(w, p);
	write_amenities(w, p);
	jw_kv_double(w, "area", p->f.area);
	jw_kv_str(w, "description", p->f.description);
	if (!public_view)
		kv_str_or_null(w, "external_id", p->f.landlord_object_id);
	jw_kv_double(w, "floor", p->f.floor);
	jw_kv_int(w, "id", p->id);
	write_images(ctx, w, "images", v->apartment_images, v->n_apartment_images);
	write_location(w, p);
	jw_kv_int(w, "rent", p->f.rent);
	jw_kv_double(w, "rooms", p->f.rooms);
	write_videos(ctx, w, v, public_view);
	jw_object_end(w);
}

/* ListingDetail.estate; display_image is the lost URI field (H-07): the first estate picture. */
static void write_estate(struct ctx *ctx, struct jw *w, const struct listing_view *v, bool public_view)
{
	jw_key(w, "estate");
	jw_object_begin(w);
	jw_key(w, "company");
	jw_object_begin(w);
	jw_kv_int(w, "id", v->l.company_id);
	jw_kv_str(w, "name", v->company_name);
	jw_object_end(w);
	jw_kv_cstr(w, "display_image", v->n_estate_images ? media_url(ctx, v->estate_images[0].key) : NULL);
	if (!public_view)
		kv_str_or_null(w, "external_id", v->estate.f.landlord_object_id);
	jw_kv_int(w, "id", v->estate.id);
	write_images(ctx, w, "images", v->estate_images, v->n_estate_images);
	jw_kv_str(w, "name", v->estate.f.name);
	jw_object_end(w);
}

/* ApplyStats now: the listing's applications (listing_applications.h, DECISIONS.md "ApplyStats"). */
static void write_stats(struct ctx *ctx, struct jw *w, const struct listing_view *v)
{
	landlord_write_apply_stats(w, "current_stats", &v->stats, true, iso(ctx, core_now()));
}

/* date_access: the access date as a date-time at midnight (H-17), null on agreement. */
static void kv_access(struct ctx *ctx, struct jw *w, const struct listing *l)
{
	jw_kv_cstr(w, "date_access",
		   l->f.access_date.ptr ? arena_printf(ctx->req->arena, "%.*sT00:00:00Z", STR_FMT(l->f.access_date))
					: NULL);
}

/*
 * lottery (rentd's extension, a random listing with a commitment only; docs/LOTTERY.md):
 * the commitment from publication, the seed and the ids drawn only once drawn.
 */
static void write_lottery(struct ctx *ctx, struct jw *w, const struct listing_view *v)
{
	const struct lottery_public *lo = &v->lottery;

	if (!v->has_lottery)
		return;
	jw_key(w, "lottery");
	jw_object_begin(w);
	jw_kv_str(w, "algorithm", STR_LIT(LOTTERY_ALGORITHM));
	jw_kv_str(w, "commitment", lo->commitment_hex);
	kv_time(ctx, w, "committed_at", lo->committed_at / 1000000);
	jw_key(w, "application_ids");
	if (lo->drawn) {
		jw_array_begin(w);
		for (size_t i = 0; i < lo->n_application_ids; i++)
			jw_int(w, lo->application_ids[i]);
		jw_array_end(w);
	} else {
		jw_null(w);
	}
	kv_time(ctx, w, "drawn_at", lo->drawn_at / 1000000);
	kv_str_or_null(w, "seed", lo->seed_hex);
	jw_object_end(w);
}

static void write_object_ad(struct ctx *ctx, struct jw *w, const struct listing_view *v)
{
	const struct listing *l = &v->l;
	jw_key(w, "object_ad");
	jw_object_begin(w);
	jw_kv_bool(w, "access_on_agreement", !l->f.access_date.ptr);
	kv_str_or_null(w, "approval_rejection_text", l->approval_rejection_text);
	jw_key(w, "assignments");
	jw_array_begin(w);
	for (size_t i = 0; i < v->n_assignments; i++) {
		jw_object_begin(w);
		jw_kv_str(w, "first_name", v->assignments[i].first_name);
		jw_kv_int(w, "id", v->assignments[i].id);
		jw_kv_int(w, "landlord_profile_id", v->assignments[i].user_id);
		jw_kv_str(w, "last_name", v->assignments[i].last_name);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_kv_int(w, "batch_size", l->f.batch_size);
	jw_kv_str(w, "candidate_sorting_mode", l->f.candidate_sorting_mode);
	jw_kv_str(w, "contract_system", l->f.contract_system);
	write_stats(ctx, w, v);
	kv_access(ctx, w, l);
	jw_kv_str(w, "date_created", l->created_at);
	kv_time(ctx, w, "date_publish", l->f.date_publish);
	jw_kv_str(w, "description", l->f.description);
	jw_kv_int(w, "id", l->id);
	jw_kv_bool(w, "is_quick_apply", l->f.is_quick_apply);
	jw_kv_bool(w, "is_short_lease", l->f.is_short_lease);
	write_lottery(ctx, w, v);
	kv_str_or_null(w, "offer_notes", l->f.offer_notes);
	jw_kv_bool(w, "prior_access", l->f.prior_access);
	jw_kv_bool(w, "prioritize_existing_tenants", l->f.prioritize_existing_tenants);
	kv_str_or_null(w, "short_lease_max_date", l->f.short_lease_max_date);
	kv_str_or_null(w, "short_lease_min_date", l->f.short_lease_min_date);
	jw_key(w, "soft_requirements_id");
	if (l->f.soft_requirements_id)
		jw_int(w, l->f.soft_requirements_id);
	else
		jw_null(w);
	kv_time(ctx, w, "start_processing_at", l->start_processing_at);
	jw_kv_cstr(w, "status", listing_status_names[l->status]);
	jw_object_end(w);
}

static void kv_id_name(struct jw *w, const char *key, int64_t id, struct str name)
{
	jw_key(w, key);
	if (!id) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	jw_kv_str(w, "name", name);
	jw_object_end(w);
}

/* ListingDetail (§11c GET). */
static void write_detail(struct ctx *ctx, struct jw *w, const struct listing_view *v)
{
	jw_object_begin(w);
	write_apartment(ctx, w, v, false);
	write_estate(ctx, w, v, false);
	write_object_ad(ctx, w, v);
	kv_id_name(w, "project", v->l.project_id, v->l.project_name);
	kv_id_name(w, "requirements", v->l.f.requirement_id, v->l.requirement_name);
	jw_object_end(w);
}

/* ---- handlers ---- */

static int post_listing(struct ctx *ctx)
{
	struct listing_input in;
	int64_t id;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_create(ctx, &in) < 0 ||
	    listings_create(ctx->core, ctx->req->arena, &ctx->caller, &in, &id, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 201);
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	jw_object_end(w);
	return 0;
}

static int get_listing(struct ctx *ctx)
{
	struct listing_view v;
	struct str key;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	/* §15 rule 42 / H-39: per caller, every request counts */
	key = str_from_cstr(arena_printf(ctx->req->arena, "object_ad:user:%lld", (long long)ctx->caller.user.id));
	if (ratelimit_hit(ctx->core, key, LISTINGS_DETAIL_RATE_LIMIT, LISTINGS_DETAIL_RATE_WINDOW, ctx->err) < 0 ||
	    listings_get(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"), &v,
			 ctx->err) < 0)
		return -1;
	write_detail(ctx, ctx_json(ctx, 200), &v);
	return 0;
}

static int patch_listing(struct ctx *ctx)
{
	struct listing_input in;
	struct listing_view v;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_update(ctx, &in) < 0 ||
	    listings_update(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"), &in, &v,
			    ctx->err) < 0)
		return -1;
	write_detail(ctx, ctx_json(ctx, 200), &v);
	return 0;
}

static int delete_listing(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    listings_delete(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"),
			    ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* ElasticRequirements-style flags: what an applicant needs to know before applying. */
static void write_public_requirements(struct jw *w, const struct listing_view *v)
{
	jw_key(w, "requirements");
	if (!v->has_requirement) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_kv_bool(w, "allows_pets", v->requirement.pets);
	jw_kv_bool(w, "allows_smoking", v->requirement.smoking);
	jw_kv_int(w, "id", v->requirement.id);
	jw_kv_bool(w, "is_senior", v->requirement.senior);
	jw_kv_bool(w, "is_student", v->requirement.student);
	jw_kv_bool(w, "is_youth", v->requirement.youth);
	jw_object_end(w);
}

/*
 * The consumer shape (§14, H-38): the listing's public fields with its apartment's
 * headline values at the top (clients read object_ad.floor), the apartment and estate
 * without the landlord's references, no staff, offer or statistics fields.
 */
static void write_public(struct ctx *ctx, struct jw *w, const struct listing_view *v)
{
	const struct listing *l = &v->l;
	const struct apartment *p = &v->apartment;
	jw_object_begin(w);
	jw_key(w, "object_ad");
	jw_object_begin(w);
	jw_kv_bool(w, "access_on_agreement", !l->f.access_date.ptr);
	write_apartment(ctx, w, v, true);
	jw_kv_double(w, "area", p->f.area);
	jw_kv_str(w, "candidate_sorting_mode", l->f.candidate_sorting_mode);
	kv_access(ctx, w, l);
	kv_time(ctx, w, "date_publish", l->f.date_publish);
	jw_kv_str(w, "description", l->f.description);
	write_estate(ctx, w, v, true);
	jw_kv_double(w, "floor", p->f.floor);
	jw_kv_int(w, "id", l->id);
	write_images(ctx, w, "images", v->apartment_images, v->n_apartment_images);
	jw_kv_bool(w, "is_quick_apply", l->f.is_quick_apply);
	jw_kv_bool(w, "is_short_lease", l->f.is_short_lease);
	jw_kv_bool(w, "prior_access", l->f.prior_access);
	kv_id_name(w, "project", l->project_id, l->project_name);
	jw_kv_int(w, "rent", p->f.rent);
	write_public_requirements(w, v);
	jw_kv_double(w, "rooms", p->f.rooms);
	kv_str_or_null(w, "short_lease_max_date", l->f.short_lease_max_date);
	kv_str_or_null(w, "short_lease_min_date", l->f.short_lease_min_date);
	jw_kv_cstr(w, "status", listing_status_names[l->status]);
	jw_object_end(w);
	jw_object_end(w);
}

/*
 * The hot read of the public side (every card links here). The view a listing had at
 * a version is the same bytes for every caller, so it is kept (core->listing_views)
 * and served again while one statement says the listing is still public and its
 * version unchanged; any change to a row the view shows moves the version on
 * (migration 0017), so a kept view is never stale.
 */
static int get_object(struct ctx *ctx)
{
	struct listing_view v;
	struct listing_view_version ver;
	int64_t id = route_param_int(&ctx->params, "id"), at[2];
	struct str key = { (const char *)&id, sizeof(id) }, version = { (const char *)at, sizeof(at) }, doc;
	struct jw *w;
	size_t start;

	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0 || listings_public_version(ctx->core, id, &ver, ctx->err) < 0)
		return -1;
	at[0] = ver.company_id;
	at[1] = ver.generation;
	if (memo_get(ctx->core->listing_views, key, version, ctx->req->arena, &doc)) {
		jw_raw(ctx_json(ctx, 200), doc);
		return 0;
	}
	if (listings_public_get(ctx->core, ctx->req->arena, id, &v, &ver, ctx->err) < 0)
		return -1;
	at[0] = ver.company_id;
	at[1] = ver.generation;
	w = ctx_json(ctx, 200);
	start = w->out->len;
	write_public(ctx, w, &v);
	memo_put(ctx->core->listing_views, key, version, (struct str){ w->out->ptr + start, w->out->len - start });
	return 0;
}

#define L DIALECT_LANDLORD
#define J ROUTE_JSON

const struct route landlord_listings_routes[] = {
	{ HTTP_POST, "/api/v1/object_ad", post_listing, L, J },
	{ HTTP_GET, "/api/v1/object_ad/{id:int}", get_listing, L, 0 },
	{ HTTP_PATCH, "/api/v1/object_ad/{id:int}", patch_listing, L, J },
	{ HTTP_PUT, "/api/v1/object_ad/{id:int}", patch_listing, L, J },
	{ HTTP_DELETE, "/api/v1/object_ad/{id:int}", delete_listing, L, 0 },
	{ HTTP_GET, "/api/v1/object/{id:int}", get_object, L, 0 },
};
const size_t landlord_listings_routes_count = sizeof(landlord_listings_routes) / sizeof(landlord_listings_routes[0]);
