/*
 * inventory.h — estates, apartments, the apartments' 3D views and notes, and the
 * pictures and videos of apartments and estates: the rules of homeq.md §4, §10 and
 * §15 rules 18–23, 29, for any dialect.
 *
 * Every function takes the caller and checks, in this order, its right (a
 * missing one is ERROR_FORBIDDEN naming it) and its scope: an estate or
 * apartment of another company, or outside the caller's office subtree, is
 * ERROR_NOT_FOUND. Writes are one transaction each. Field syntax (patterns,
 * lengths, enums) is the dialect's; what needs the database or the geography
 * is here: the office, the apartment's identity (decisions.md H-30), county
 * and municipality (H-28).
 *
 * Geography: the first apartment write loads the data with geo_load() from
 * core->geo_dir (the config's --geo-dir), else $RENTD_GEO_DIR, else "data/geo";
 * if that fails, county and municipality stay "" and the write still succeeds.
 */
#ifndef RENTD_INVENTORY_H
#define RENTD_INVENTORY_H

#include "core/identity/auth.h"
#include "core/core.h"
#include "core/listings/views3d.h"
#include "store/inventory/store_inventory.h"

/* Wire names of the apartment booleans and choices (enum order of store_inventory.h). */
extern const char *const apartment_flag_names[APT_FLAG_COUNT];
extern const char *const apartment_choice_names[APT_CHOICE_COUNT];
/* The allowed values of each choice, NULL-terminated; the first is the default. */
extern const char *const *const apartment_choice_values[APT_CHOICE_COUNT];
/* Defaults of the booleans (shower and can_create_ad_listing are true). */
extern const bool apartment_flag_defaults[APT_FLAG_COUNT];
extern const char *const estate_common_names[COMMON_COUNT];

/* Estates. has_* say which fields the request set (update); office 0: the selected office. */
struct estate_input {
	int64_t office;
	struct estate_fields f;
	bool has_name, has_city, has_landlord_object_id, has_estate_owner, has_org_number, has_bankgiro,
		has_postgiro, has_area_caption, has_area_description, has_area_image_caption, has_cover_caption,
		has_cover_description;
};
int inventory_estate_create(struct core *c, struct arena *a, const struct caller *who,
			    const struct estate_input *in, int64_t *id, struct error *err);
/*
 * An estate for anyone (who may be anonymous): *detailed says whether the caller
 * is an employee who may see the landlord view (same company, in its subtree).
 */
int inventory_estate_get(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			 struct estate *out, bool *detailed, struct error *err);
int inventory_estate_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			    const struct estate_input *in, struct estate *out, struct error *err);
/* ERROR_CONFLICT "EstateHasApartments" while apartments remain. */
int inventory_estate_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			    struct error *err);

/* Apartments. has_flag/has_choice and the has_* booleans say what an update sets. */
struct apartment_input {
	int64_t estate;
	struct apartment_fields f;
	bool has_national_id, has_street_name, has_street_number, has_zip_code, has_latitude, has_longitude,
		has_area, has_floor, has_rent, has_rooms, has_description, has_landlord_object_id,
		has_renovation_date, has_floor_plan_reference, has_promotion_file_reference;
	bool has_choice[APT_CHOICE_COUNT];
	bool has_flag[APT_FLAG_COUNT];
};
/*
 * Creates the apartment. A duplicate identity (national_id, estate city, street,
 * number) is ERROR_CONFLICT "ApartmentAlreadyExists" with *existing set to the
 * apartment that holds it (of whichever company).
 */
int inventory_apartment_create(struct core *c, struct arena *a, const struct caller *who,
			       const struct apartment_input *in, struct apartment *out, int64_t *existing,
			       struct error *err);
int inventory_apartment_get(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			    struct apartment *out, struct error *err);
int inventory_apartment_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			       const struct apartment_input *in, struct apartment *out, int64_t *existing,
			       struct error *err);
int inventory_apartment_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			       struct error *err);

/* 3D views: core/listings/views3d.h with this owner (right entity.Apartment.update for all four, decisions.md H-33). */
#define INVENTORY_MAX_VIEWS 100
extern const struct views3d_owner inventory_views3d;

/* Notes: any employee who sees the apartment reads them; writing needs entity.Apartment.update. */
int inventory_note_list(struct core *c, struct arena *a, const struct caller *who, int64_t apartment_id,
			struct apartment_note **out, size_t *n, struct error *err);
int inventory_note_create(struct core *c, struct arena *a, const struct caller *who, int64_t apartment_id,
			  struct str context, struct str text, struct apartment_note *out, struct error *err);
int inventory_note_update(struct core *c, struct arena *a, const struct caller *who, int64_t apartment_id,
			  int64_t id, struct str text, struct apartment_note *out, struct error *err);
int inventory_note_delete(struct core *c, struct arena *a, const struct caller *who, int64_t apartment_id,
			  int64_t id, struct error *err);

/*
 * Pictures and videos (media links): apartment pictures and videos (right
 * entity.Apartment.update), estate pictures and area pictures (entity.estate.update);
 * the right guards all four operations (decisions.md H-33), then the owner's scope
 * (404). A link's file reference must be an uploaded one of the caller's company
 * whose entity_type is inventory_media_entity_type(kind); anything else is
 * ERROR_VALIDATION naming "file_reference". New links go last; moving one renumbers
 * the list so positions stay 0..n-1 in a stable order.
 */
#define INVENTORY_MAX_MEDIA 100 /* links per list */
const char *inventory_media_entity_type(enum media_link_kind kind);
int inventory_media_list(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			 int64_t owner_id, struct media_link **out, size_t *n, struct error *err);
/* ERROR_CONFLICT "TooManyPictures" / "TooManyVideos" past INVENTORY_MAX_MEDIA. */
int inventory_media_create(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			   int64_t owner_id, struct str caption, bool is_private, struct str reference, int64_t *id,
			   struct error *err);
/* caption ptr NULL: unchanged; position < 0: unchanged. */
int inventory_media_update(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			   int64_t owner_id, int64_t id, struct str caption, int64_t position, struct media_link *out,
			   struct error *err);
int inventory_media_delete(struct core *c, struct arena *a, const struct caller *who, enum media_link_kind kind,
			   int64_t owner_id, int64_t id, struct error *err);
/* An estate's pictures and area pictures for its GET, public or not (no right, no scope). */
int inventory_estate_pictures(struct core *c, struct arena *a, int64_t estate_id, struct media_link **pictures,
			      size_t *npictures, struct media_link **area, size_t *narea, struct error *err);

/* Lower case (ASCII and Latin-1 letters in UTF-8), whitespace trimmed and collapsed. */
struct str inventory_fold(struct arena *a, struct str s);

#endif
