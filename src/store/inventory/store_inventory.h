/*
 * store_inventory.h — estates, apartments, the apartments' 3D views and notes, and the
 * pictures and videos of both (media links).
 *
 * Rows come back as plain structs whose strings live in the caller's arena. The
 * store checks nothing but what the arguments say: core/inventory/inventory.c decides who
 * may see or change what and passes the company in; an id that does not exist
 * (or belongs to another company) is ERROR_NOT_FOUND. A string field whose ptr
 * is NULL is SQL NULL (the wire's null) where the column allows it.
 */
#ifndef RENTD_STORE_INVENTORY_H
#define RENTD_STORE_INVENTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"
#include "store/listings/store_views.h"

/* Every estate column a create or update can set. */
struct estate_fields {
	struct str name; /* legal_name */
	struct str city;
	struct str landlord_object_id; /* ptr NULL: none */
	struct str estate_owner;
	struct str org_number;
	struct str bankgiro;
	struct str postgiro;
	struct str area_caption;
	struct str area_description;
	struct str area_image_caption;
	struct str cover_caption;
	struct str cover_description;
};

/* CommonAttributes (homeq.md §12.3): true when every apartment of the estate has it. */
enum estate_common {
	COMMON_BALCONY, COMMON_BATHTUB, COMMON_DISHWASHER, COMMON_DRIER, COMMON_ELECTRICITY_INCLUDED,
	COMMON_ELEVATOR, COMMON_GARAGE, COMMON_HANDICAP_FRIENDLY, COMMON_HEATING_INCLUDED,
	COMMON_INTERNET_INCLUDED, COMMON_KITCHEN_FAN, COMMON_PARKING, COMMON_PATIO, COMMON_TV_INCLUDED,
	COMMON_WASHING_MACHINE, COMMON_COUNT
};

struct estate {
	int64_t id;
	int64_t company_id;
	int64_t office_id;
	struct str office_path; /* the office's "/1/4/" */
	struct estate_fields f;
	int64_t apartment_count;
	bool common[COMMON_COUNT];
	struct str created_at;
};

/* Apartment booleans, in column order (the wire names are in core/inventory/inventory.h). */
enum apartment_flag {
	APT_ACCESSIBILITY_ADAPTED, APT_CABLE_PACKAGE_INCLUDED, APT_ELECTRICITY_INCLUDED, APT_ELEVATOR,
	APT_HANDICAP_ADAPTED, APT_HEATING_INCLUDED, APT_INTERNET_INCLUDED, APT_LAUNDRY_ROOM, APT_PANTRY,
	APT_PATIO, APT_SECURITY_DOOR, APT_SHOWER, APT_CAN_CREATE_AD_LISTING, APT_FLAG_COUNT
};

/* Apartment enum-valued features, in column order. */
enum apartment_choice {
	APT_BALCONY, APT_BATHTUB, APT_DISHWASHER, APT_DRYER, APT_KITCHEN_FAN, APT_WASHING_MACHINE,
	APT_GARAGE, APT_PARKING, APT_WATER, APT_CHOICE_COUNT
};

/* Every apartment column a create or update can set. */
struct apartment_fields {
	struct str national_id;
	struct str street_name;
	struct str street_number;
	struct str zip_code;
	double latitude;
	double longitude;
	double area;
	double floor;
	int64_t rent;
	double rooms;
	struct str description;
	struct str landlord_object_id;       /* ptr NULL: none */
	struct str renovation_date;          /* ptr NULL: none */
	struct str floor_plan_reference;     /* ptr NULL: none */
	struct str promotion_file_reference; /* ptr NULL: none */
	struct str choice[APT_CHOICE_COUNT]; /* the enum values as text */
	bool flag[APT_FLAG_COUNT];
};

/* The identity of an apartment (decisions.md H-30), already folded by core/. */
struct apartment_identity {
	struct str national_id;
	struct str city_key;
	struct str street_key;
	struct str number_key;
};

struct apartment {
	int64_t id;
	int64_t estate_id;
	int64_t company_id;     /* the estate's */
	struct str office_path; /* the estate office's */
	struct str city;        /* the estate's */
	struct str county;
	struct str municipality;
	struct apartment_fields f;
	struct str created_at;
};

struct apartment_note {
	int64_t id;
	int64_t apartment_id;
	int64_t author_id; /* 0: none (deleted) */
	struct str author_name;
	struct str context; /* "A" or "R" */
	struct str text;
	struct str created_at;
	struct str updated_at;
};

/* Estates. company_id 0 on get: any company (the public view). */
int store_estate_insert(struct store *s, int64_t company_id, int64_t office_id, const struct estate_fields *f,
			int64_t *id, struct error *err);
int store_estate_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct estate *out,
		     struct error *err);
/* Writes f; city_key is f->city folded, copied to the estate's apartments (their identity). */
int store_estate_update(struct store *s, int64_t id, const struct estate_fields *f, struct str city_key,
			struct error *err);
/* Removes the estate and, through the foreign keys, anything still hanging off it. */
int store_estate_delete(struct store *s, int64_t id, struct error *err);

/* Apartments */
int store_apartment_insert(struct store *s, int64_t estate_id, const struct apartment_fields *f,
			   const struct apartment_identity *key, struct str county, struct str municipality,
			   int64_t *id, struct error *err);
int store_apartment_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct apartment *out,
			struct error *err);
/* The id of the apartment (of any company) with this identity other than exclude_id; 0: none. */
int store_apartment_find(struct store *s, const struct apartment_identity *key, int64_t exclude_id, int64_t *found,
			 struct error *err);
int store_apartment_update(struct store *s, int64_t id, const struct apartment_fields *f,
			   const struct apartment_identity *key, struct str county, struct str municipality,
			   struct error *err);
int store_apartment_delete(struct store *s, int64_t id, struct error *err);

/* 3D views: store/listings/store_views.h (VIEW3D_APARTMENT). */

/* Apartment notes, oldest first. */
int store_apartment_note_insert(struct store *s, int64_t apartment_id, int64_t author_id, struct str context,
				struct str text, int64_t *id, struct error *err);
int store_apartment_note_get(struct store *s, struct arena *a, int64_t apartment_id, int64_t id,
			     struct apartment_note *out, struct error *err);
int store_apartment_note_list(struct store *s, struct arena *a, int64_t apartment_id, struct apartment_note **out,
			      size_t *n, struct error *err);
int store_apartment_note_update(struct store *s, int64_t apartment_id, int64_t id, struct str text,
				struct error *err);
int store_apartment_note_delete(struct store *s, int64_t apartment_id, int64_t id, struct error *err);

/*
 * Media links: the pictures and videos of apartments and estates. Each list is one
 * kind of one owner (the apartment or the estate); positions are dense, 0..n-1, in
 * (position, id) order. A link names a file reference; what is served comes from the
 * reference's stored file (store_media.h), or from its compressed version once the
 * compress_video job has made one.
 */
enum media_link_kind {
	MEDIA_LINK_APARTMENT_PICTURE, MEDIA_LINK_APARTMENT_VIDEO, MEDIA_LINK_ESTATE_PICTURE,
	MEDIA_LINK_ESTATE_AREA_PICTURE, MEDIA_LINK_KIND_COUNT
};

struct media_link {
	int64_t id;
	int64_t owner_id;    /* the apartment or the estate */
	int64_t position;
	struct str caption;
	bool is_private;     /* videos */
	struct str reference;
	struct str key;      /* storage key to serve: the compressed video if any, else the original */
	struct str category; /* of the original ("apartment_images") */
	struct str sha256;   /* of the original: the thumbnails' names */
	bool thumbnails;     /* the thumbnail job has stored every width */
};

/* The kind's name as stored ("apartment_picture"). */
const char *store_media_link_kind_name(enum media_link_kind kind);
int store_media_link_list(struct store *s, struct arena *a, enum media_link_kind kind, int64_t owner_id,
			  struct media_link **out, size_t *n, struct error *err);
/* The lists of several owners at once (an inventory page): by owner id, then (position, id). */
int store_media_link_list_of(struct store *s, struct arena *a, enum media_link_kind kind, const int64_t *owner_ids,
			     size_t nowners, struct media_link **out, size_t *n, struct error *err);
int store_media_link_count(struct store *s, enum media_link_kind kind, int64_t owner_id, int64_t *n,
			   struct error *err);
/* Appends the link at position n (the last). */
int store_media_link_insert(struct store *s, enum media_link_kind kind, int64_t owner_id, struct str caption,
			    bool is_private, struct str reference, int64_t *id, struct error *err);
int store_media_link_get(struct store *s, struct arena *a, enum media_link_kind kind, int64_t owner_id, int64_t id,
			 struct media_link *out, struct error *err);
/* caption ptr NULL: unchanged; position < 0: unchanged, else moved there (clamped to n-1). */
int store_media_link_update(struct store *s, enum media_link_kind kind, int64_t owner_id, int64_t id,
			    struct str caption, int64_t position, struct error *err);
int store_media_link_delete(struct store *s, enum media_link_kind kind, int64_t owner_id, int64_t id,
			    struct error *err);

#endif
