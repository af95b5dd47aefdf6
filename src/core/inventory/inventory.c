#include "core/inventory/inventory.h"
#include "core/media/media.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "core/listings/cards.h"
#include "core/geo/geo.h"
#include "core/identity/rights.h"
#include "core/transaction.h"
#include "store/media/store_media.h"

const char *const apartment_flag_names[APT_FLAG_COUNT] = {
	"accessibility_adapted", "cable_package_included", "electricity_included", "elevator",
	"handicap_adapted", "heating_included", "internet_included", "laundry_room", "pantry",
	"patio", "security_door", "shower", "can_create_ad_listing",
};
const bool apartment_flag_defaults[APT_FLAG_COUNT] = {
	[APT_SHOWER] = true,
	[APT_CAN_CREATE_AD_LISTING] = true,
};
const char *const apartment_choice_names[APT_CHOICE_COUNT] = {
	"balcony", "bathtub", "dishwasher", "dryer", "kitchen_fan", "washing_machine", "garage", "parking", "water",
};

static const char *const balcony_values[] = { "NONE", "PRESENT", "NORTH", "WEST", "SOUTH", "EAST",
					      "NORTHWEST", "NORTHEAST", "SOUTHWEST", "SOUTHEAST", NULL };
static const char *const appliance_values[] = { "NONE", "PREPARED", "PRESENT", NULL };
static const char *const parking_values[] = { "NONE", "AVAILABLE", "INCLUDED", NULL };
static const char *const water_values[] = { "PAY_EXTRA", "COLD_INCLUDED", "WARM_COLD_INCLUDED", "ALL_INCLUDED",
					    NULL };

const char *const *const apartment_choice_values[APT_CHOICE_COUNT] = {
	balcony_values, appliance_values, appliance_values, appliance_values, appliance_values,
	appliance_values, parking_values, parking_values, water_values,
};

const char *const estate_common_names[COMMON_COUNT] = {
	"balcony", "bathtub", "dishwasher", "drier", "electricity_included", "elevator", "garage",
	"handicap_friendly", "heating_included", "internet_included", "kitchen_fan", "parking", "patio",
	"tv_included", "washing_machine",
};

struct str inventory_fold(struct arena *a, struct str s)
{
	char *out = arena_alloc(a, s.len + 1);
	size_t n = 0;
	bool space = false;

	for (size_t i = 0; i < s.len; i++) {
		unsigned char ch = (unsigned char)s.ptr[i];
		if (ch == ' ' || (ch >= '\t' && ch <= '\r')) {
			space = n > 0;
			continue;
		}
		if (space) {
			out[n++] = ' ';
			space = false;
		}
		if (ch >= 'A' && ch <= 'Z') {
			out[n++] = (char)(ch + 32);
		} else if (ch == 0xC3 && i + 1 < s.len && (unsigned char)s.ptr[i + 1] >= 0x80 &&
			   (unsigned char)s.ptr[i + 1] <= 0x9E && (unsigned char)s.ptr[i + 1] != 0x97) {
			/* U+00C0..U+00DE (À..Þ, not ×) → U+00E0..U+00FE */
			out[n++] = (char)ch;
			out[n++] = (char)((unsigned char)s.ptr[++i] + 0x20);
		} else {
			out[n++] = (char)ch;
		}
	}
	out[n] = '\0';
	return (struct str){ out, n };
}

/* ---- scope ---- */

static int deny_unless(const struct caller *who, const char *right, struct error *err)
{
	return caller_require_right(who, right, err);
}

/* An estate of the caller's company in its subtree; else NOT_FOUND. */
static int visible_estate(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			  struct estate *out, struct error *err)
{
	if (store_estate_get(c->store, a, who->user.company_id, id, out, err) < 0)
		return -1;
	if (!caller_sees_path(who, out->office_path))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such estate");
	return 0;
}

static int visible_apartment(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			     struct apartment *out, struct error *err)
{
	if (store_apartment_get(c->store, a, who->user.company_id, id, out, err) < 0)
		return -1;
	if (!caller_sees_path(who, out->office_path))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such apartment");
	return 0;
}

/* ---- estates ---- */

static bool str_differs(struct str a, struct str b)
{
	return !str_eq(a.ptr ? a : STR_LIT(""), b.ptr ? b : STR_LIT(""));
}

static int estate_create_rows(struct core *c, struct arena *a, const struct caller *who,
			      const struct estate_input *in, int64_t *id, struct error *err)
{
	struct office o;
	int64_t office = in->office;

	if (!office)
		office = who->user.selected_office_id ? who->user.selected_office_id : who->user.root_office_id;
	if (store_office_get(c->store, a, who->user.company_id, office, &o, err) < 0)
		return -1;
	if (!caller_sees_path(who, o.path))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such office");
	return store_estate_insert(c->store, who->user.company_id, o.id, &in->f, id, err);
}

int inventory_estate_create(struct core *c, struct arena *a, const struct caller *who,
			    const struct estate_input *in, int64_t *id, struct error *err)
{
	if (deny_unless(who, RIGHT_ESTATE_UPDATE, err) < 0)
		return -1;
	if ((in->f.bankgiro.len || in->f.postgiro.len) && deny_unless(who, RIGHT_ESTATE_BANK_DETAILS, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, estate_create_rows(c, a, who, in, id, err));
	return 0;
}

int inventory_estate_get(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			 struct estate *out, bool *detailed, struct error *err)
{
	if (store_estate_get(c->store, a, 0, id, out, err) < 0)
		return -1;
	/* the public view is for everyone; the landlord view only within the caller's scope */
	*detailed = who->kind == CALLER_EMPLOYEE && out->company_id == who->user.company_id &&
		    caller_sees_path(who, out->office_path);
	return 0;
}

static int estate_update_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			      const struct estate_input *in, struct error *err)
{
	struct estate e;
	struct estate_fields f;

	if (visible_estate(c, a, who, id, &e, err) < 0)
		return -1;
	f = e.f;
	/* bank details need their own right, but resending the stored value is not a change */
	if (((in->has_bankgiro && str_differs(in->f.bankgiro, e.f.bankgiro)) ||
	     (in->has_postgiro && str_differs(in->f.postgiro, e.f.postgiro))) &&
	    deny_unless(who, RIGHT_ESTATE_BANK_DETAILS, err) < 0)
		return -1;
#define TAKE(field)                       \
	if (in->has_##field)              \
		f.field = in->f.field;
	TAKE(city)
	TAKE(landlord_object_id)
	TAKE(estate_owner)
	TAKE(org_number)
	TAKE(bankgiro)
	TAKE(postgiro)
	TAKE(area_caption)
	TAKE(area_description)
	TAKE(area_image_caption)
	TAKE(cover_caption)
	TAKE(cover_description)
#undef TAKE
	if (in->has_name)
		f.name = in->f.name;
	if (store_estate_update(c->store, id, &f, inventory_fold(a, f.city), err) < 0) {
		if (err->kind == ERROR_CONFLICT)
			return error_set(err, ERROR_CONFLICT, "ApartmentAlreadyExists",
					 "Moving the estate to %.*s would give two apartments the same national_id,"
					 " city, street_name and street_number. Contact support to resolve conflicts.",
					 STR_FMT(f.city));
		return -1;
	}
	return cards_sync_estate(c, id, err); /* the cards show the estate's city */
}

int inventory_estate_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			    const struct estate_input *in, struct estate *out, struct error *err)
{
	if (deny_unless(who, RIGHT_ESTATE_UPDATE, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, estate_update_rows(c, a, who, id, in, err));
	return visible_estate(c, a, who, id, out, err);
}

static int estate_delete_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			      struct error *err)
{
	struct estate e;
	if (visible_estate(c, a, who, id, &e, err) < 0)
		return -1;
	if (e.apartment_count > 0)
		return error_set(err, ERROR_CONFLICT, "EstateHasApartments",
				 "Estate %lld still has %lld apartment(s); delete them first.", (long long)id,
				 (long long)e.apartment_count);
	return store_estate_delete(c->store, id, err) < 0 ? -1 : cards_sync_estate(c, id, err);
}

int inventory_estate_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			    struct error *err)
{
	if (deny_unless(who, RIGHT_ESTATE_UPDATE, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, estate_delete_rows(c, a, who, id, err));
	return 0;
}

/* ---- apartments ---- */

/* County and municipality of the position (H-28), else of the zip code; "" when unknown. */
static void derive_place(struct core *c, const struct apartment_fields *f, struct str *county,
			 struct str *municipality)
{
	struct geo_place p;
	struct geo_postal z;
	struct error gerr;

	*county = STR_LIT("");
	*municipality = STR_LIT("");
	if (!geo_loaded()) {
		const char *dir = c->geo_dir && *c->geo_dir ? c->geo_dir : getenv("RENTD_GEO_DIR");
		error_init(&gerr, NULL);
		if (geo_load(dir && *dir ? dir : "data/geo", &gerr) < 0) {
			log_msg(LOG_WARN, "geo data not loaded: %s", gerr.message ? gerr.message : "?");
			return;
		}
	}
	if (geo_lookup(f->latitude, f->longitude, &p) == 0 && p.complete) {
		*county = str_from_cstr(p.county_name);
		*municipality = str_from_cstr(p.municipality_name);
		return;
	}
	if (geo_postal(f->zip_code, &z) == 0 && z.municipality_name[0]) {
		*county = str_from_cstr(z.county_name);
		*municipality = str_from_cstr(z.municipality_name);
		return;
	}
	*county = str_from_cstr(p.county_name); /* a county polygon may still hold the point */
}

static void identity_of(struct arena *a, struct str city, const struct apartment_fields *f,
			struct apartment_identity *key)
{
	key->national_id = f->national_id;
	key->city_key = inventory_fold(a, city);
	key->street_key = inventory_fold(a, f->street_name);
	key->number_key = inventory_fold(a, f->street_number);
}

static int duplicate(struct core *c, const struct apartment_identity *key, const struct apartment_fields *f,
		     struct str city, int64_t self, int64_t *existing, struct error *err)
{
	if (store_apartment_find(c->store, key, self, existing, err) < 0)
		return -1;
	if (!*existing)
		return 0;
	return error_set(err, ERROR_CONFLICT, "ApartmentAlreadyExists",
			 "Apartment %lld already has national_id %.*s at %.*s %.*s in %.*s."
			 " Contact support to resolve conflicts.",
			 (long long)*existing, STR_FMT(f->national_id), STR_FMT(f->street_name),
			 STR_FMT(f->street_number), STR_FMT(city));
}

static int apartment_create_rows(struct core *c, struct arena *a, const struct caller *who,
				 const struct apartment_input *in, int64_t *id, int64_t *existing, struct error *err)
{
	struct estate e;
	struct apartment_identity key;
	struct str county, municipality;

	if (visible_estate(c, a, who, in->estate, &e, err) < 0)
		return -1;
	identity_of(a, e.f.city, &in->f, &key);
	if (duplicate(c, &key, &in->f, e.f.city, 0, existing, err) < 0)
		return -1;
	derive_place(c, &in->f, &county, &municipality);
	return store_apartment_insert(c->store, e.id, &in->f, &key, county, municipality, id, err);
}

/* floor_plan_reference and promotion_file_reference name uploaded files of their kind. */
static int apartment_references(struct core *c, struct arena *a, const struct caller *who,
				const struct apartment_input *in, struct error *err)
{
	if (in->has_floor_plan_reference && in->f.floor_plan_reference.ptr)
		media_reference_usable(c, a, who, "floor_plan_reference", "floor_plan", in->f.floor_plan_reference, err);
	if (in->has_promotion_file_reference && in->f.promotion_file_reference.ptr)
		media_reference_usable(c, a, who, "promotion_file_reference", "promotion_file", in->f.promotion_file_reference, err);
	return error_failed(err) ? -1 : 0;
}

int inventory_apartment_create(struct core *c, struct arena *a, const struct caller *who,
			       const struct apartment_input *in, struct apartment *out, int64_t *existing,
			       struct error *err)
{
	int64_t id;

	*existing = 0;
	if (deny_unless(who, RIGHT_APARTMENT_UPDATE, err) < 0 || apartment_references(c, a, who, in, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, apartment_create_rows(c, a, who, in, &id, existing, err));
	return store_apartment_get(c->store, a, who->user.company_id, id, out, err);
}

int inventory_apartment_get(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			    struct apartment *out, struct error *err)
{
	return visible_apartment(c, a, who, id, out, err);
}

static int apartment_update_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id,
				 const struct apartment_input *in, int64_t *existing, struct error *err)
{
	struct apartment p;
	struct apartment_fields f;
	struct apartment_identity key;
	struct str county, municipality;

	if (visible_apartment(c, a, who, id, &p, err) < 0 || apartment_references(c, a, who, in, err) < 0)
		return -1;
	f = p.f;
#define TAKE(field)                       \
	if (in->has_##field)              \
		f.field = in->f.field;
	TAKE(national_id)
	TAKE(street_name)
	TAKE(street_number)
	TAKE(zip_code)
	TAKE(latitude)
	TAKE(longitude)
	TAKE(area)
	TAKE(floor)
	TAKE(rent)
	TAKE(rooms)
	TAKE(description)
	TAKE(landlord_object_id)
	TAKE(renovation_date)
	TAKE(floor_plan_reference)
	TAKE(promotion_file_reference)
#undef TAKE
	for (int i = 0; i < APT_CHOICE_COUNT; i++)
		if (in->has_choice[i])
			f.choice[i] = in->f.choice[i];
	for (int i = 0; i < APT_FLAG_COUNT; i++)
		if (in->has_flag[i])
			f.flag[i] = in->f.flag[i];
	identity_of(a, p.city, &f, &key);
	if (duplicate(c, &key, &f, p.city, id, existing, err) < 0)
		return -1;
	county = p.county;
	municipality = p.municipality;
	if (f.latitude != p.f.latitude || f.longitude != p.f.longitude || !str_eq(f.zip_code, p.f.zip_code) ||
	    (!county.len && !municipality.len))
		derive_place(c, &f, &county, &municipality);
	if (store_apartment_update(c->store, id, &f, &key, county, municipality, err) < 0)
		return -1;
	return cards_sync_apartment(c, id, err); /* rent, rooms, place … are on the cards */
}

int inventory_apartment_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			       const struct apartment_input *in, struct apartment *out, int64_t *existing,
			       struct error *err)
{
	*existing = 0;
	if (deny_unless(who, RIGHT_APARTMENT_UPDATE, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, apartment_update_rows(c, a, who, id, in, existing, err));
	return visible_apartment(c, a, who, id, out, err);
}

static int apartment_delete_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id,
				 struct error *err)
{
	struct apartment p;
	if (visible_apartment(c, a, who, id, &p, err) < 0)
		return -1;
	return store_apartment_delete(c->store, id, err) < 0 ? -1 : cards_sync_apartment(c, id, err);
}

int inventory_apartment_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			       struct error *err)
{
	if (deny_unless(who, RIGHT_APARTMENT_UPDATE, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, apartment_delete_rows(c, a, who, id, err));
	return 0;
}

/* ---- 3D views (core/listings/views3d.h) ---- */

static int apartment_seen(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err)
{
	struct apartment p;
	return visible_apartment(c, a, who, id, &p, err);
}

const struct views3d_owner inventory_views3d = {
	.table = VIEW3D_APARTMENT,
	.right = RIGHT_APARTMENT_UPDATE,
	.visible = apartment_seen,
	.max = INVENTORY_MAX_VIEWS,
	.noun = "An apartment",
};

/* ---- notes ---- */

int inventory_note_list(struct core *c, struct arena *a, const struct caller *who, int64_t apartment_id,
			struct apartment_note **out, size_t *n, struct error *err)
{
	struct apartment p;
	*n = 0;
	if (visible_apartment(c, a, who, apartment_id, &p, err) < 0)
		return -1;
	return store_apartment_note_list(c->store, a, apartment_id, out, n, err);
}

static int note_create_rows(struct core *c, struct arena *a, const struct caller *who, int64_t apartment_id,
			    struct str context, struct str text, int64_t *id, struct error *err)
{
	struct apartment p;
	if (visible_apartment(c, a, who, apartment_id, &p, err) < 0)
		return -1;
	return store_apartment_note_insert(c->store, apartment_id, who->user.id, context, text, id, err);
}

int inventory_note_create(struct core *c, struct arena *a, const struct caller *who, int64_t apartment_id,
			  struct str context, struct str text, struct apartment_note *out, struct error *err)
{
	int64_t id;
	if (deny_unless(who, RIGHT_APARTMENT_UPDATE, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, note_create_rows(c, a, who, apartment_id, context, text, &id, err));
	return store_apartment_note_get(c->store, a, apartment_id, id, out, err);
}

static int note_write_rows(struct core *c, struct arena *a, const struct caller *who, int64_t apartment_id,
			   int64_t id, struct str text, bool remove, struct error *err)
{
	struct apartment p;
	if (visible_apartment(c, a, who, apartment_id, &p, err) < 0)
		return -1;
	return remove ? store_apartment_note_delete(c->store, apartment_id, id, err)
		      : store_apartment_note_update(c->store, apartment_id, id, text, err);
}

int inventory_note_update(struct core *c, struct arena *a, const struct caller *who, int64_t apartment_id,
			  int64_t id, struct str text, struct apartment_note *out, struct error *err)
{
	if (deny_unless(who, RIGHT_APARTMENT_UPDATE, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, note_write_rows(c, a, who, apartment_id, id, text, false, err));
	return store_apartment_note_get(c->store, a, apartment_id, id, out, err);
}

int inventory_note_delete(struct core *c, struct arena *a, const struct caller *who, int64_t apartment_id,
			  int64_t id, struct error *err)
{
	if (deny_unless(who, RIGHT_APARTMENT_UPDATE, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, note_write_rows(c, a, who, apartment_id, id, STR_NULL, true, err));
	return 0;
}

/* ---- pictures and videos ---- */

static const char *const media_entity_types[MEDIA_LINK_KIND_COUNT] = {
	[MEDIA_LINK_APARTMENT_PICTURE] = "apartment_image",
	[MEDIA_LINK_APARTMENT_VIDEO] = "apartment_video",
	[MEDIA_LINK_ESTATE_PICTURE] = "estate_image",
	[MEDIA_LINK_ESTATE_AREA_PICTURE] = "estate_area_image",
};

const char *inventory_media_entity_type(enum media_link_kind kind)
{
	return media_entity_types[kind];
}

static bool media_on_apartment(enum media_link_kind kind)
{
	return kind == MEDIA_LINK_APARTMENT_PICTURE || kind == MEDIA_LINK_APARTMENT_VIDEO;
}

/* The right of the kind's group (H-33). */
static int media_right(const struct caller *who, enum media_link_kind kind, struct error *err)
{
	return deny_unless(who, media_on_apartment(kind) ? RIGHT_APARTMENT_UPDATE : RIGHT_ESTATE_UPDATE, err);
}

/* The apartment or estate that owns the list, in the caller's scope; else NOT_FOUND. */
static int visible_owner(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			 int64_t owner_id, struct error *err)
{
	if (media_on_apartment(kind)) {
		struct apartment p;
		return visible_apartment(c, a, who, owner_id, &p, err);
	} else {
		struct estate e;
		return visible_estate(c, a, who, owner_id, &e, err);
	}
}

/*
 * The file reference a link may name: of the caller's company, uploaded, and of the
 * kind's entity type. Every refusal is one field error on "file_reference" (412).
 */
static int usable_reference(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			    struct str id, struct error *err)
{
	return media_reference_usable(c, a, who, "file_reference", media_entity_types[kind], id, err);
}

int inventory_media_list(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			 int64_t owner_id, struct media_link **out, size_t *n, struct error *err)
{
	*n = 0;
	if (media_right(who, kind, err) < 0 || visible_owner(c, a, who, kind, owner_id, err) < 0)
		return -1;
	return store_media_link_list(c->store, a, kind, owner_id, out, n, err);
}

/* Cards show an apartment's pictures and public videos. */
static int media_cards_sync(struct core *c, enum media_link_kind kind, int64_t owner_id, struct error *err)
{
	if (kind == MEDIA_LINK_APARTMENT_PICTURE || kind == MEDIA_LINK_APARTMENT_VIDEO)
		return cards_sync_apartment(c, owner_id, err);
	return 0;
}

static int media_create_rows(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			     int64_t owner_id, struct str caption, bool is_private, struct str reference, int64_t *id,
			     struct error *err)
{
	int64_t count;
	if (visible_owner(c, a, who, kind, owner_id, err) < 0 || usable_reference(c, a, who, kind, reference, err) < 0 ||
	    store_media_link_count(c->store, kind, owner_id, &count, err) < 0)
		return -1;
	if (count >= INVENTORY_MAX_MEDIA)
		return kind == MEDIA_LINK_APARTMENT_VIDEO
			       ? error_set(err, ERROR_CONFLICT, "TooManyVideos", "An apartment has at most %d videos.",
					   INVENTORY_MAX_MEDIA)
			       : error_set(err, ERROR_CONFLICT, "TooManyPictures", "A list holds at most %d pictures.",
					   INVENTORY_MAX_MEDIA);
	if (store_media_link_insert(c->store, kind, owner_id, caption, is_private, reference, id, err) < 0)
		return -1;
	return media_cards_sync(c, kind, owner_id, err);
}

int inventory_media_create(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			   int64_t owner_id, struct str caption, bool is_private, struct str reference, int64_t *id,
			   struct error *err)
{
	if (media_right(who, kind, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, media_create_rows(c, a, who, kind, owner_id, caption, is_private, reference, id, err));
	return 0;
}

static int media_write_rows(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			    int64_t owner_id, int64_t id, struct str caption, int64_t position, bool remove,
			    struct error *err)
{
	if (visible_owner(c, a, who, kind, owner_id, err) < 0)
		return -1;
	if ((remove ? store_media_link_delete(c->store, kind, owner_id, id, err)
		    : store_media_link_update(c->store, kind, owner_id, id, caption, position, err)) < 0)
		return -1;
	return media_cards_sync(c, kind, owner_id, err);
}

int inventory_media_update(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			   int64_t owner_id, int64_t id, struct str caption, int64_t position, struct media_link *out,
			   struct error *err)
{
	if (media_right(who, kind, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, media_write_rows(c, a, who, kind, owner_id, id, caption, position, false, err));
	return store_media_link_get(c->store, a, kind, owner_id, id, out, err);
}

int inventory_media_delete(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			   int64_t owner_id, int64_t id, struct error *err)
{
	if (media_right(who, kind, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, media_write_rows(c, a, who, kind, owner_id, id, STR_NULL, -1, true, err));
	return 0;
}

int inventory_estate_pictures(struct core *c, struct arena *a, int64_t estate_id, struct media_link **pictures,
			      size_t *npictures, struct media_link **area, size_t *narea, struct error *err)
{
	*npictures = *narea = 0;
	if (store_media_link_list(c->store, a, MEDIA_LINK_ESTATE_PICTURE, estate_id, pictures, npictures, err) < 0)
		return -1;
	return store_media_link_list(c->store, a, MEDIA_LINK_ESTATE_AREA_PICTURE, estate_id, area, narea, err);
}
