/*
 * landlord_inventory.c — HomeQ estates and apartments (homeq.md §4, §10, §12.3).
 *
 *   POST /api/v4/estate                    GET|PATCH|DELETE /api/v4/estate/{id}
 *   POST /api/v4/apartment                 GET|PATCH|DELETE /api/v4/apartment/{id}
 *   GET|POST /api/v4/apartment/{apartment_id}/3d_views
 *   PATCH|DELETE /api/v4/apartment/{apartment_id}/3d_views/{3d_view_id}
 *   GET|POST /api/v4/apartment/{apartment_id}/notes
 *   PATCH|DELETE /api/v4/apartment/{apartment_id}/notes/{note_id}
 *   GET|POST /api/v4/apartment/{apartment_id}/pictures
 *   PATCH|DELETE /api/v4/apartment/{apartment_id}/pictures/{picture_id}
 *   GET|POST /api/v4/apartment/{apartment_id}/videos
 *   PATCH|DELETE /api/v4/apartment/{apartment_id}/videos/{video_id}
 *   GET|POST /api/v4/estate/{estate_id}/pictures
 *   PATCH|DELETE /api/v4/estate/{estate_id}/pictures/{picture_id}
 *   GET|POST /api/v4/estate/{estate_id}/area_pictures
 *   PATCH|DELETE /api/v4/estate/{estate_id}/area_pictures/{area_picture_id}
 *
 * The apartment's (estate's) id is {id} in every path, the sub-resources' too (the
 * seed calls it apartment_id / estate_id there): the router wants one parameter name
 * per position.
 *
 * PUT is accepted wherever PATCH is, with the same partial semantics (G-02). Each
 * operation is validated against its own table (G-04, H-14); unknown and read-only
 * members are ignored (G-03). The patterns' \w is Unicode-aware as in the reference
 * (Python): letters of the Latin, Greek and Cyrillic scripts, digits and '_'.
 */
#include <stdio.h>

#include "core/inventory/inventory.h"
#include "core/media/media.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

/* ---- field syntax ---- */

/* The next code point of valid UTF-8 (jansson has checked it) at *i. */
static uint32_t next_cp(struct str s, size_t *i)
{
	unsigned char c = (unsigned char)s.ptr[*i];
	uint32_t cp;
	int more;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
	cp = c & (0x3F >> more);
	(*i)++;
	for (; more > 0 && *i < s.len; more--, (*i)++)
		cp = (cp << 6) | ((unsigned char)s.ptr[*i] & 0x3F);
	return cp;
}

static bool is_space_cp(uint32_t cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
	       cp == 0x3000;
}

static bool is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
	return cp == 0xAA || cp == 0xB5 || cp == 0xBA || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	       (cp >= 0x370 && cp <= 0x3FF && cp != 0x37E && cp != 0x387) || (cp >= 0x400 && cp <= 0x4FF) ||
	       (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* ^[\w<extra>\s]+$ */
static bool is_words(struct str s, const char *extra)
{
	size_t i = 0;
	if (!s.len)
		return false;
	while (i < s.len) {
		uint32_t cp = next_cp(s, &i);
		if (!is_word_cp(cp) && !is_space_cp(cp) && !(cp < 0x80 && cp && strchr(extra, (int)cp)))
			return false;
	}
	return true;
}

/* ^[1-9][0-9]*[\s]*[a-zA-ZåäöÅÄÖ]*$ */
static bool is_street_number(struct str s)
{
	size_t i = 0, j;
	uint32_t cp;

	if (!s.len || s.ptr[0] < '1' || s.ptr[0] > '9')
		return false;
	i = 1;
	while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9')
		i++;
	for (j = i; j < s.len && is_space_cp(next_cp(s, &j));)
		i = j;
	while (i < s.len) {
		cp = next_cp(s, &i);
		if (!((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == 0xE5 || cp == 0xE4 || cp == 0xF6 ||
		      cp == 0xC5 || cp == 0xC4 || cp == 0xD6))
			return false;
	}
	return true;
}

static bool is_digits(struct str s, size_t n)
{
	if (s.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
	return true;
}

/* ^(|[0-9]{6}-[0-9]{4})$ */
static bool is_org_number(struct str s)
{
	return s.len == 0 || (s.len == 11 && is_digits((struct str){ s.ptr, 6 }, 6) && s.ptr[6] == '-' &&
			      is_digits((struct str){ s.ptr + 7, 4 }, 4));
}

/* YYYY-MM-DD, a real calendar date. */
static bool is_date(struct str s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	if (s.len != 10 || s.ptr[4] != '-' || s.ptr[7] != '-' || !is_digits((struct str){ s.ptr, 4 }, 4) ||
	    !is_digits((struct str){ s.ptr + 5, 2 }, 2) || !is_digits((struct str){ s.ptr + 8, 2 }, 2))
		return false;
	y = (s.ptr[0] - '0') * 1000 + (s.ptr[1] - '0') * 100 + (s.ptr[2] - '0') * 10 + (s.ptr[3] - '0');
	m = (s.ptr[5] - '0') * 10 + (s.ptr[6] - '0');
	d = (s.ptr[8] - '0') * 10 + (s.ptr[9] - '0');
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

static bool is_http_url(struct str s)
{
	return (str_has_prefix(s, STR_LIT("http://")) && s.len > 7) ||
	       (str_has_prefix(s, STR_LIT("https://")) && s.len > 8);
}

/* A string member checked by a predicate after its length; JR_SET only when both pass. */
static int read_checked(struct jr *r, const char *key, unsigned flags, size_t min, size_t max, struct str *out,
			bool (*ok)(struct str), const char *rule, const char *why)
{
	struct str v;
	int rc = jr_string(r, key, flags, min, max, &v);
	if (rc != JR_SET)
		return rc;
	if (!ok(v)) {
		error_field(r->err, jr_path(r, key), rule, "%s", why);
		return JR_INVALID;
	}
	*out = v;
	return JR_SET;
}

static bool is_city(struct str s)
{
	return is_words(s, "");
}

static bool is_street_name(struct str s)
{
	return is_words(s, ":.");
}

static bool is_national_id(struct str s)
{
	return is_digits(s, 4);
}

static bool is_zip(struct str s)
{
	return is_digits(s, 5);
}

/* ---- estates ---- */

/* EstateCreate / EstateUpdate (§10): create and update limits differ (H-14). */
static int read_estate_input(struct ctx *ctx, bool create, struct estate_input *in)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	unsigned req = create ? JR_REQUIRED : 0;
	size_t cap_min = create ? 2 : 0, desc_min = create ? 200 : 0, desc_max = create ? 1000 : 3000;
	int rc;

	memset(in, 0, sizeof(*in));
	in->has_name = jr_string(&r, "legal_name", req, 1, 128, &in->f.name) == JR_SET;
	in->has_city = read_checked(&r, "city", req, 1, 128, &in->f.city, is_city, RULE_PATTERN,
				    "must match ^[\\w\\s]+$ (letters, digits, '_' and spaces)") == JR_SET;
	if (create)
		jr_int(&r, "office", 0, 1, INT64_MAX, &in->office);
	rc = jr_string(&r, "landlord_object_id", JR_NULLABLE, 0, 256, &in->f.landlord_object_id);
	in->has_landlord_object_id = rc == JR_SET || rc == JR_NULL;
	in->has_estate_owner = jr_string(&r, "estate_owner", 0, 0, 128, &in->f.estate_owner) == JR_SET;
	rc = read_checked(&r, "org_number", create ? 0 : JR_NULLABLE, 0, 128, &in->f.org_number, is_org_number,
			  RULE_PATTERN, "must match ^(|[0-9]{6}-[0-9]{4})$, e.g. 556677-8899");
	if (rc == JR_NULL)
		in->f.org_number = STR_LIT("");
	in->has_org_number = rc == JR_SET || rc == JR_NULL;
	in->has_bankgiro = jr_string(&r, "bankgiro", 0, 0, 128, &in->f.bankgiro) == JR_SET;
	in->has_postgiro = jr_string(&r, "postgiro", 0, 0, 128, &in->f.postgiro) == JR_SET;
	in->has_area_caption = jr_string(&r, "area_caption", 0, cap_min, 70, &in->f.area_caption) == JR_SET;
	in->has_area_description =
		jr_string(&r, "area_description", 0, desc_min, desc_max, &in->f.area_description) == JR_SET;
	in->has_area_image_caption =
		jr_string(&r, "area_image_caption", 0, cap_min, 70, &in->f.area_image_caption) == JR_SET;
	in->has_cover_caption = jr_string(&r, "cover_caption", 0, cap_min, 70, &in->f.cover_caption) == JR_SET;
	in->has_cover_description =
		jr_string(&r, "cover_description", 0, desc_min, desc_max, &in->f.cover_description) == JR_SET;
	return error_failed(ctx->err) ? -1 : 0;
}

/* ---- media URLs (H-07: absolute) ---- */

static const char *media_url(struct ctx *ctx, struct str key)
{
	return arena_printf(ctx->req->arena, "%s/media/%.*s", app_config(ctx->app)->public_url, STR_FMT(key));
}

/* The smallest thumbnail of §15 rule 28, once the thumbnail job has stored them; else null. */
static void kv_thumbnail_url(struct ctx *ctx, struct jw *w, const struct media_link *l)
{
	jw_key(w, "thumbnail_url");
	if (!l->thumbnails) {
		jw_null(w);
		return;
	}
	jw_cstr(w, arena_printf(ctx->req->arena, "%s/media/%d/%.*s/%.*s.jpeg", app_config(ctx->app)->public_url,
				media_thumb_widths[0], STR_FMT(l->category), STR_FMT(l->sha256)));
}

/* Image-3 {id, url} items of the estate views (§12.3). */
static void write_images(struct ctx *ctx, struct jw *w, const char *key, const struct media_link *list, size_t n)
{
	jw_key(w, key);
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(w);
		jw_kv_int(w, "id", list[i].id);
		jw_kv_cstr(w, "url", media_url(ctx, list[i].key));
		jw_object_end(w);
	}
	jw_array_end(w);
}

struct estate_pictures {
	struct media_link *pictures, *area;
	size_t npictures, narea;
};

static void write_estate(struct ctx *ctx, struct jw *w, const struct estate *e, const struct estate_pictures *m,
			 bool detailed)
{
	jw_object_begin(w);
	jw_kv_str(w, "area_caption", e->f.area_caption);
	jw_kv_str(w, "area_description", e->f.area_description);
	jw_kv_str(w, "area_image_caption", e->f.area_image_caption);
	write_images(ctx, w, "area_images", m->area, m->narea);
	jw_kv_str(w, "city", e->f.city);
	jw_key(w, "common_attributes");
	jw_object_begin(w);
	for (int i = 0; i < COMMON_COUNT; i++)
		jw_kv_bool(w, estate_common_names[i], e->common[i]);
	jw_object_end(w);
	jw_kv_str(w, "cover_caption", e->f.cover_caption);
	jw_kv_str(w, "cover_description", e->f.cover_description);
	write_images(ctx, w, "estate_images", m->pictures, m->npictures);
	jw_kv_int(w, "id", e->id);
	jw_kv_str(w, "name", e->f.name);
	if (detailed) {
		jw_kv_int(w, "apartment_count", e->apartment_count);
		jw_kv_str(w, "bankgiro", e->f.bankgiro);
		/* the first estate picture, as the portal shows it */
		if (m->npictures)
			jw_kv_cstr(w, "display_image", media_url(ctx, m->pictures[0].key));
		else
			jw_kv_null(w, "display_image");
		jw_kv_str(w, "estate_owner", e->f.estate_owner);
		jw_key(w, "landlord_object_id");
		if (e->f.landlord_object_id.ptr)
			jw_string(w, e->f.landlord_object_id);
		else
			jw_null(w);
		jw_kv_int(w, "office", e->office_id);
		jw_kv_str(w, "org_number", e->f.org_number);
		jw_kv_str(w, "postgiro", e->f.postgiro);
	}
	jw_object_end(w);
}

static int post_estate(struct ctx *ctx)
{
	struct estate_input in;
	int64_t id;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_estate_input(ctx, true, &in) < 0 ||
	    inventory_estate_create(ctx->core, ctx->req->arena, &ctx->caller, &in, &id, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200); /* 200, not 201: the seed's example asserts it (H-10) */
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	jw_object_end(w);
	return 0;
}

static int get_estate(struct ctx *ctx)
{
	struct estate e;
	struct estate_pictures m;
	bool detailed;

	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0 ||
	    inventory_estate_get(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"), &e,
				 &detailed, ctx->err) < 0 ||
	    inventory_estate_pictures(ctx->core, ctx->req->arena, e.id, &m.pictures, &m.npictures, &m.area, &m.narea,
				      ctx->err) < 0)
		return -1;
	write_estate(ctx, ctx_json(ctx, 200), &e, &m, detailed);
	return 0;
}

static int patch_estate(struct ctx *ctx)
{
	struct estate_input in;
	struct estate e;
	struct estate_pictures m;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_estate_input(ctx, false, &in) < 0 ||
	    inventory_estate_update(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"),
				    &in, &e, ctx->err) < 0 ||
	    inventory_estate_pictures(ctx->core, ctx->req->arena, e.id, &m.pictures, &m.npictures, &m.area, &m.narea,
				      ctx->err) < 0)
		return -1;
	write_estate(ctx, ctx_json(ctx, 200), &e, &m, true);
	return 0;
}

static int delete_estate(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    inventory_estate_delete(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"),
				    ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* ---- apartments ---- */

#define APT_AREA_MAX 100000.0
#define APT_ROOMS_MAX 1000.0
#define APT_FLOOR_MIN -100.0
#define APT_FLOOR_MAX 1000.0
#define APT_RENT_MAX 100000000

/* A nullable file reference id: 1..128 characters or null. */
static bool read_reference(struct jr *r, const char *key, struct str *out)
{
	int rc = jr_string(r, key, JR_NULLABLE, 1, 128, out);
	if (rc == JR_NULL)
		*out = STR_NULL;
	return rc == JR_SET || rc == JR_NULL;
}

/*
 * ApartmentCreate / ApartmentUpdate (§4). The update table lost the create
 * table's lengths and two patterns; they are enforced on update too, because the
 * identity (H-30) and the zip fallback (H-28) depend on them (docs/DECISIONS.md).
 */
static int read_apartment_input(struct ctx *ctx, bool create, struct apartment_input *in)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	unsigned req = create ? JR_REQUIRED : 0;
	int rc, idx;

	memset(in, 0, sizeof(*in));
	if (create)
		jr_int(&r, "estate", JR_REQUIRED, 1, INT64_MAX, &in->estate);
	in->has_national_id = read_checked(&r, "national_id", req, 0, 4, &in->f.national_id, is_national_id,
					   RULE_PATTERN, "must match ^[0-9]{4}$") == JR_SET;
	in->has_street_name = read_checked(&r, "street_name", req, 0, 128, &in->f.street_name, is_street_name,
					   RULE_PATTERN, "must match ^[\\w\\:\\.\\s]+$") == JR_SET;
	in->has_street_number =
		read_checked(&r, "street_number", req, 0, 16, &in->f.street_number, is_street_number, RULE_PATTERN,
			     "must match ^[1-9][0-9]*[\\s]*[a-zA-ZåäöÅÄÖ]*$, e.g. 4 or 12 B") == JR_SET;
	in->has_zip_code = read_checked(&r, "zip_code", req, 0, 5, &in->f.zip_code, is_zip, RULE_PATTERN,
					"must match ^[0-9]{5}$") == JR_SET;
	in->has_latitude = jr_double(&r, "latitude", req, -90, 90, &in->f.latitude) == JR_SET;
	in->has_longitude = jr_double(&r, "longitude", req, -180, 180, &in->f.longitude) == JR_SET;
	in->has_area = jr_double(&r, "area", req, 1, APT_AREA_MAX, &in->f.area) == JR_SET;
	in->has_floor = jr_double(&r, "floor", req, APT_FLOOR_MIN, APT_FLOOR_MAX, &in->f.floor) == JR_SET;
	in->has_rent = jr_int(&r, "rent", req, 1, APT_RENT_MAX, &in->f.rent) == JR_SET;
	in->has_rooms = jr_double(&r, "rooms", req, 1, APT_ROOMS_MAX, &in->f.rooms) == JR_SET;
	in->has_description = jr_string(&r, "description", 0, 0, 3000, &in->f.description) == JR_SET;
	rc = jr_string(&r, "landlord_object_id", JR_NULLABLE, 0, 256, &in->f.landlord_object_id);
	in->has_landlord_object_id = rc == JR_SET || rc == JR_NULL;
	rc = read_checked(&r, "renovation_date", JR_NULLABLE, 0, 10, &in->f.renovation_date, is_date, RULE_FORMAT,
			  "must be a date, YYYY-MM-DD");
	in->has_renovation_date = rc == JR_SET || rc == JR_NULL;
	in->has_floor_plan_reference = read_reference(&r, "floor_plan_reference", &in->f.floor_plan_reference);
	in->has_promotion_file_reference =
		read_reference(&r, "promotion_file_reference", &in->f.promotion_file_reference);
	for (int i = 0; i < APT_CHOICE_COUNT; i++) {
		in->f.choice[i] = str_from_cstr(apartment_choice_values[i][0]);
		if (jr_enum(&r, apartment_choice_names[i], 0, apartment_choice_values[i], &idx) == JR_SET) {
			in->f.choice[i] = str_from_cstr(apartment_choice_values[i][idx]);
			in->has_choice[i] = true;
		}
	}
	for (int i = 0; i < APT_FLAG_COUNT; i++) {
		in->f.flag[i] = apartment_flag_defaults[i];
		if (create && i == APT_CAN_CREATE_AD_LISTING)
			continue; /* not a create field (G-03) */
		in->has_flag[i] = jr_bool(&r, apartment_flag_names[i], 0, &in->f.flag[i]) == JR_SET;
	}
	return error_failed(ctx->err) ? -1 : 0;
}

static void kv_str_or_null(struct jw *w, const char *key, struct str s)
{
	jw_key(w, key);
	if (s.ptr)
		jw_string(w, s);
	else
		jw_null(w);
}

static void write_apartment(struct jw *w, const struct apartment *p)
{
	const struct apartment_fields *f = &p->f;
	/* keys in the seed's (alphabetical) order */
	jw_object_begin(w);
	jw_kv_bool(w, "accessibility_adapted", f->flag[APT_ACCESSIBILITY_ADAPTED]);
	jw_kv_double(w, "area", f->area);
	jw_kv_str(w, "balcony", f->choice[APT_BALCONY]);
	jw_kv_str(w, "bathtub", f->choice[APT_BATHTUB]);
	jw_kv_bool(w, "cable_package_included", f->flag[APT_CABLE_PACKAGE_INCLUDED]);
	jw_kv_bool(w, "can_create_ad_listing", f->flag[APT_CAN_CREATE_AD_LISTING]);
	jw_kv_str(w, "city", p->city);
	jw_kv_str(w, "county", p->county);
	jw_kv_str(w, "description", f->description);
	jw_kv_str(w, "dishwasher", f->choice[APT_DISHWASHER]);
	jw_kv_str(w, "dryer", f->choice[APT_DRYER]);
	jw_kv_bool(w, "electricity_included", f->flag[APT_ELECTRICITY_INCLUDED]);
	jw_kv_bool(w, "elevator", f->flag[APT_ELEVATOR]);
	jw_kv_int(w, "estate", p->estate_id);
	jw_kv_double(w, "floor", f->floor);
	kv_str_or_null(w, "floor_plan_reference", f->floor_plan_reference);
	jw_kv_str(w, "garage", f->choice[APT_GARAGE]);
	jw_kv_bool(w, "handicap_adapted", f->flag[APT_HANDICAP_ADAPTED]);
	jw_kv_bool(w, "heating_included", f->flag[APT_HEATING_INCLUDED]);
	jw_kv_int(w, "id", p->id);
	jw_kv_bool(w, "internet_included", f->flag[APT_INTERNET_INCLUDED]);
	jw_kv_str(w, "kitchen_fan", f->choice[APT_KITCHEN_FAN]);
	kv_str_or_null(w, "landlord_object_id", f->landlord_object_id);
	jw_kv_double(w, "latitude", f->latitude);
	jw_kv_bool(w, "laundry_room", f->flag[APT_LAUNDRY_ROOM]);
	jw_kv_double(w, "longitude", f->longitude);
	jw_kv_str(w, "municipality", p->municipality);
	jw_kv_str(w, "national_id", f->national_id);
	jw_kv_bool(w, "pantry", f->flag[APT_PANTRY]);
	jw_kv_str(w, "parking", f->choice[APT_PARKING]);
	jw_kv_bool(w, "patio", f->flag[APT_PATIO]);
	kv_str_or_null(w, "promotion_file_reference", f->promotion_file_reference);
	kv_str_or_null(w, "renovation_date", f->renovation_date);
	jw_kv_int(w, "rent", f->rent);
	jw_kv_double(w, "rooms", f->rooms);
	jw_kv_bool(w, "security_door", f->flag[APT_SECURITY_DOOR]);
	jw_kv_bool(w, "shower", f->flag[APT_SHOWER]);
	jw_kv_str(w, "street_name", f->street_name);
	jw_kv_str(w, "street_number", f->street_number);
	jw_kv_str(w, "washing_machine", f->choice[APT_WASHING_MACHINE]);
	jw_kv_str(w, "water", f->choice[APT_WATER]);
	jw_kv_str(w, "zip_code", f->zip_code);
	jw_object_end(w);
}

/*
 * A duplicate apartment: 409 in the landlord error shape plus the id of the
 * apartment that holds the identity, so an integration can find it (H-30,
 * docs/DECISIONS.md). Written here because the generic renderer has no room for
 * the extra member.
 */
static int apartment_conflict(struct ctx *ctx, int64_t existing)
{
	const char *message = ctx->err->message;
	struct jw *w;

	error_init(ctx->err, ctx->req->arena);
	w = ctx_json(ctx, 409);
	response_header(ctx->resp, "X-Correlation-Id", ctx->req->request_id);
	jw_object_begin(w);
	jw_kv_str(w, "correlation_id", ctx->req->request_id);
	jw_kv_cstr(w, "description", message);
	jw_kv_cstr(w, "error", "ApartmentAlreadyExists");
	jw_kv_int(w, "existing_apartment", existing);
	jw_object_end(w);
	return 0;
}

static int post_apartment(struct ctx *ctx)
{
	struct apartment_input in;
	struct apartment p;
	int64_t existing;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_apartment_input(ctx, true, &in) < 0)
		return -1;
	if (inventory_apartment_create(ctx->core, ctx->req->arena, &ctx->caller, &in, &p, &existing, ctx->err) < 0)
		return existing ? apartment_conflict(ctx, existing) : -1;
	w = ctx_json(ctx, 201);
	jw_object_begin(w);
	jw_kv_bool(w, "can_create_ad_listing", p.f.flag[APT_CAN_CREATE_AD_LISTING]);
	jw_kv_int(w, "estate", p.estate_id);
	jw_kv_int(w, "id", p.id);
	jw_object_end(w);
	return 0;
}

static int get_apartment(struct ctx *ctx)
{
	struct apartment p;
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    inventory_apartment_get(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"), &p,
				    ctx->err) < 0)
		return -1;
	write_apartment(ctx_json(ctx, 200), &p);
	return 0;
}

static int patch_apartment(struct ctx *ctx)
{
	struct apartment_input in;
	struct apartment p;
	int64_t existing;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_apartment_input(ctx, false, &in) < 0)
		return -1;
	if (inventory_apartment_update(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"),
				       &in, &p, &existing, ctx->err) < 0)
		return existing ? apartment_conflict(ctx, existing) : -1;
	write_apartment(ctx_json(ctx, 200), &p);
	return 0;
}

static int delete_apartment(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    inventory_apartment_delete(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"),
				       ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* ---- 3D views ---- */

static int get_views(struct ctx *ctx)
{
	struct view3d *list;
	size_t n;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    views3d_list(ctx->core, ctx->req->arena, &ctx->caller, &inventory_views3d,
			 route_param_int(&ctx->params, "id"), &list, &n, ctx->err) < 0)
		return -1;
	landlord_write_view3d_list(ctx, list, n);
	return 0;
}

/* A 3D view's url: create allows 128 characters, update 70 (§16 #4, G-04). */
static void read_view_url(struct jr *r, unsigned flags, size_t max, struct str *url)
{
	read_checked(r, "url", flags, 1, max, url, is_http_url, RULE_FORMAT, "must be an http or https URL");
}

static int post_view(struct ctx *ctx)
{
	struct jr r;
	struct str title = STR_NULL, url = STR_NULL;
	int64_t position = -1, id;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	/* documented as a string of at most 70 characters: a number, as text or not (G-04) */
	jr_int(&r, "position", 0, 0, INVENTORY_MAX_VIEWS, &position);
	jr_string(&r, "title", 0, 0, 70, &title);
	read_view_url(&r, JR_REQUIRED, 128, &url);
	if (error_failed(ctx->err) ||
	    views3d_create(ctx->core, ctx->req->arena, &ctx->caller, &inventory_views3d,
			   route_param_int(&ctx->params, "id"), position, title, url, &id, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 201);
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	jw_object_end(w);
	return 0;
}

static int patch_view(struct ctx *ctx)
{
	struct jr r;
	struct str title = STR_NULL, url = STR_NULL;
	int64_t position = -1;
	struct view3d v;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	jr_int(&r, "position", 0, 0, INVENTORY_MAX_VIEWS, &position);
	jr_string(&r, "title", 0, 0, 70, &title);
	read_view_url(&r, 0, 70, &url);
	if (error_failed(ctx->err) ||
	    views3d_update(ctx->core, ctx->req->arena, &ctx->caller, &inventory_views3d,
			   route_param_int(&ctx->params, "id"), route_param_int(&ctx->params, "3d_view_id"), position,
			   title, url, &v, ctx->err) < 0)
		return -1;
	landlord_write_view3d(ctx_json(ctx, 200), &v);
	return 0;
}

static int delete_view(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    views3d_delete(ctx->core, ctx->req->arena, &ctx->caller, &inventory_views3d,
			   route_param_int(&ctx->params, "id"), route_param_int(&ctx->params, "3d_view_id"),
			   ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* ---- notes ---- */

static const char *const note_contexts[] = { "A", "R", NULL };

static void write_note(struct jw *w, const struct apartment_note *n)
{
	jw_object_begin(w);
	jw_kv_int(w, "apartment", n->apartment_id);
	landlord_write_author(w, n->author_id, n->author_name);
	jw_kv_str(w, "context", n->context);
	jw_kv_str(w, "created", n->created_at);
	jw_kv_int(w, "id", n->id);
	jw_kv_str(w, "text", n->text);
	jw_kv_str(w, "updated", n->updated_at);
	jw_object_end(w);
}

static int get_notes(struct ctx *ctx)
{
	struct apartment_note *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    inventory_note_list(ctx->core, ctx->req->arena, &ctx->caller,
				route_param_int(&ctx->params, "id"), &list, &n, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "notes");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_note(w, &list[i]);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int post_note(struct ctx *ctx)
{
	struct jr r;
	struct str text = STR_NULL;
	int context = 0;
	struct apartment_note note;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	jr_enum(&r, "context", 0, note_contexts, &context);
	jr_string(&r, "text", JR_REQUIRED, 1, 3000, &text);
	if (error_failed(ctx->err) ||
	    inventory_note_create(ctx->core, ctx->req->arena, &ctx->caller,
				  route_param_int(&ctx->params, "id"), str_from_cstr(note_contexts[context]),
				  text, &note, ctx->err) < 0)
		return -1;
	write_note(ctx_json(ctx, 201), &note);
	return 0;
}

static int patch_note(struct ctx *ctx)
{
	struct jr r;
	struct str text = STR_NULL;
	struct apartment_note note;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	jr_string(&r, "text", JR_REQUIRED, 1, 3000, &text);
	if (error_failed(ctx->err) ||
	    inventory_note_update(ctx->core, ctx->req->arena, &ctx->caller,
				  route_param_int(&ctx->params, "id"), route_param_int(&ctx->params, "note_id"),
				  text, &note, ctx->err) < 0)
		return -1;
	write_note(ctx_json(ctx, 200), &note);
	return 0;
}

static int delete_note(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    inventory_note_delete(ctx->core, ctx->req->arena, &ctx->caller,
				  route_param_int(&ctx->params, "id"), route_param_int(&ctx->params, "note_id"),
				  ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* ---- pictures and videos (media links) ---- */

/*
 * One set of handlers serves the four lists; the route's pattern says which list it
 * is and how the item's id parameter is named.
 */
static enum media_link_kind route_kind(const struct ctx *ctx)
{
	const char *p = ctx->route->pattern;
	if (strstr(p, "/videos"))
		return MEDIA_LINK_APARTMENT_VIDEO;
	if (strstr(p, "/area_pictures"))
		return MEDIA_LINK_ESTATE_AREA_PICTURE;
	return strncmp(p, "/api/v4/apartment/", 18) == 0 ? MEDIA_LINK_APARTMENT_PICTURE : MEDIA_LINK_ESTATE_PICTURE;
}

static int64_t item_id(const struct ctx *ctx, enum media_link_kind kind)
{
	return route_param_int(&ctx->params, kind == MEDIA_LINK_APARTMENT_VIDEO	       ? "video_id"
					     : kind == MEDIA_LINK_ESTATE_AREA_PICTURE ? "area_picture_id"
										     : "picture_id");
}

/* Items in the seed's (alphabetical) order: ApartmentPicture, ApartmentVideo, H-09's estate items. */
static void write_link(struct ctx *ctx, struct jw *w, enum media_link_kind kind, const struct media_link *l)
{
	bool apartment = kind == MEDIA_LINK_APARTMENT_PICTURE || kind == MEDIA_LINK_APARTMENT_VIDEO;

	jw_object_begin(w);
	jw_kv_int(w, apartment ? "apartment" : "estate", l->owner_id);
	if (kind != MEDIA_LINK_APARTMENT_VIDEO)
		jw_kv_str(w, "caption", l->caption);
	jw_kv_int(w, "id", l->id);
	jw_kv_int(w, "position", l->position);
	if (kind == MEDIA_LINK_APARTMENT_VIDEO)
		jw_kv_bool(w, "private", l->is_private);
	jw_kv_str(w, "reference", l->reference);
	if (kind != MEDIA_LINK_APARTMENT_VIDEO)
		kv_thumbnail_url(ctx, w, l);
	jw_kv_cstr(w, "url", media_url(ctx, l->key));
	jw_object_end(w);
}

static int get_media_links(struct ctx *ctx)
{
	enum media_link_kind kind = route_kind(ctx);
	struct media_link *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    inventory_media_list(ctx->core, ctx->req->arena, &ctx->caller, kind, route_param_int(&ctx->params, "id"),
				 &list, &n, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "results");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_link(ctx, w, kind, &list[i]);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int post_media_link(struct ctx *ctx)
{
	enum media_link_kind kind = route_kind(ctx);
	struct jr r;
	struct str caption = STR_NULL, reference = STR_NULL;
	bool is_private = false;
	int64_t id;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	jr_string(&r, "caption", 0, 0, 70, &caption);
	jr_string(&r, "file_reference", JR_REQUIRED, 1, 128, &reference);
	if (kind == MEDIA_LINK_APARTMENT_VIDEO)
		jr_bool(&r, "private", 0, &is_private);
	if (error_failed(ctx->err) ||
	    inventory_media_create(ctx->core, ctx->req->arena, &ctx->caller, kind, route_param_int(&ctx->params, "id"),
				   caption, is_private, reference, &id, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 201);
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	jw_object_end(w);
	return 0;
}

/* Pictures: caption and position; videos: position only (the seed's update tables). */
static int patch_media_link(struct ctx *ctx)
{
	enum media_link_kind kind = route_kind(ctx);
	struct jr r;
	struct str caption = STR_NULL;
	int64_t position = -1;
	struct media_link l;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	if (kind != MEDIA_LINK_APARTMENT_VIDEO)
		jr_string(&r, "caption", 0, 0, 70, &caption);
	jr_int(&r, "position", 0, 0, INVENTORY_MAX_MEDIA, &position);
	if (error_failed(ctx->err) ||
	    inventory_media_update(ctx->core, ctx->req->arena, &ctx->caller, kind, route_param_int(&ctx->params, "id"),
				   item_id(ctx, kind), caption, position, &l, ctx->err) < 0)
		return -1;
	write_link(ctx, ctx_json(ctx, 200), kind, &l);
	return 0;
}

static int delete_media_link(struct ctx *ctx)
{
	enum media_link_kind kind = route_kind(ctx);

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    inventory_media_delete(ctx->core, ctx->req->arena, &ctx->caller, kind, route_param_int(&ctx->params, "id"),
				   item_id(ctx, kind), ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* designated initializers: struct route may grow fields that these routes leave zero */
#define R(m, pattern_, fn, flags_) \
	{ .method = (m), .pattern = (pattern_), .handler = (fn), .dialect = DIALECT_LANDLORD, .flags = (flags_) }
#define J ROUTE_JSON

const struct route landlord_inventory_routes[] = {
	R(HTTP_POST, "/api/v4/estate", post_estate, J),
	R(HTTP_GET, "/api/v4/estate/{id:int}", get_estate, 0),
	R(HTTP_PATCH, "/api/v4/estate/{id:int}", patch_estate, J),
	R(HTTP_PUT, "/api/v4/estate/{id:int}", patch_estate, J),
	R(HTTP_DELETE, "/api/v4/estate/{id:int}", delete_estate, 0),
	R(HTTP_POST, "/api/v4/apartment", post_apartment, J),
	R(HTTP_GET, "/api/v4/apartment/{id:int}", get_apartment, 0),
	R(HTTP_PATCH, "/api/v4/apartment/{id:int}", patch_apartment, J),
	R(HTTP_PUT, "/api/v4/apartment/{id:int}", patch_apartment, J),
	R(HTTP_DELETE, "/api/v4/apartment/{id:int}", delete_apartment, 0),
	R(HTTP_GET, "/api/v4/apartment/{id:int}/3d_views", get_views, 0),
	R(HTTP_POST, "/api/v4/apartment/{id:int}/3d_views", post_view, J),
	R(HTTP_PATCH, "/api/v4/apartment/{id:int}/3d_views/{3d_view_id:int}", patch_view, J),
	R(HTTP_PUT, "/api/v4/apartment/{id:int}/3d_views/{3d_view_id:int}", patch_view, J),
	R(HTTP_DELETE, "/api/v4/apartment/{id:int}/3d_views/{3d_view_id:int}", delete_view, 0),
	R(HTTP_GET, "/api/v4/apartment/{id:int}/notes", get_notes, 0),
	R(HTTP_POST, "/api/v4/apartment/{id:int}/notes", post_note, J),
	R(HTTP_PATCH, "/api/v4/apartment/{id:int}/notes/{note_id:int}", patch_note, J),
	R(HTTP_PUT, "/api/v4/apartment/{id:int}/notes/{note_id:int}", patch_note, J),
	R(HTTP_DELETE, "/api/v4/apartment/{id:int}/notes/{note_id:int}", delete_note, 0),
	R(HTTP_GET, "/api/v4/apartment/{id:int}/pictures", get_media_links, 0),
	R(HTTP_POST, "/api/v4/apartment/{id:int}/pictures", post_media_link, J),
	R(HTTP_PATCH, "/api/v4/apartment/{id:int}/pictures/{picture_id:int}", patch_media_link, J),
	R(HTTP_PUT, "/api/v4/apartment/{id:int}/pictures/{picture_id:int}", patch_media_link, J),
	R(HTTP_DELETE, "/api/v4/apartment/{id:int}/pictures/{picture_id:int}", delete_media_link, 0),
	R(HTTP_GET, "/api/v4/apartment/{id:int}/videos", get_media_links, 0),
	R(HTTP_POST, "/api/v4/apartment/{id:int}/videos", post_media_link, J),
	R(HTTP_PATCH, "/api/v4/apartment/{id:int}/videos/{video_id:int}", patch_media_link, J),
	R(HTTP_PUT, "/api/v4/apartment/{id:int}/videos/{video_id:int}", patch_media_link, J),
	R(HTTP_DELETE, "/api/v4/apartment/{id:int}/videos/{video_id:int}", delete_media_link, 0),
	R(HTTP_GET, "/api/v4/estate/{id:int}/pictures", get_media_links, 0),
	R(HTTP_POST, "/api/v4/estate/{id:int}/pictures", post_media_link, J),
	R(HTTP_PATCH, "/api/v4/estate/{id:int}/pictures/{picture_id:int}", patch_media_link, J),
	R(HTTP_PUT, "/api/v4/estate/{id:int}/pictures/{picture_id:int}", patch_media_link, J),
	R(HTTP_DELETE, "/api/v4/estate/{id:int}/pictures/{picture_id:int}", delete_media_link, 0),
	R(HTTP_GET, "/api/v4/estate/{id:int}/area_pictures", get_media_links, 0),
	R(HTTP_POST, "/api/v4/estate/{id:int}/area_pictures", post_media_link, J),
	R(HTTP_PATCH, "/api/v4/estate/{id:int}/area_pictures/{area_picture_id:int}", patch_media_link, J),
	R(HTTP_PUT, "/api/v4/estate/{id:int}/area_pictures/{area_picture_id:int}", patch_media_link, J),
	R(HTTP_DELETE, "/api/v4/estate/{id:int}/area_pictures/{area_picture_id:int}", delete_media_link, 0),
};
const size_t landlord_inventory_routes_count = sizeof(landlord_inventory_routes) / sizeof(landlord_inventory_routes[0]);
