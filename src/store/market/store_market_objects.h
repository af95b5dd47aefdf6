/*
 * store_market_objects.h — what the market dialect's objects need beyond the card search
 * (store/listings/store_cards.h) and the listing view (store/listings/store_listings.h):
 * an object's local id from its guid or access key (migration 0021), the files a public
 * object serves (its pictures, its floor plan) and the figures of a market-object type.
 *
 * "Public" is the listing view's rule (core/listings/listings.c): status active or
 * reserved and date_publish reached (now is bound from C). Strings live in the caller's
 * arena.
 */
#ifndef RENTD_STORE_MARKET_OBJECTS_H
#define RENTD_STORE_MARKET_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

enum market_id_kind { MARKET_ID_LOCAL, MARKET_ID_GUID, MARKET_ID_ACCESS_KEY };

/*
 * The listing id of a guid (object_ads.uuid) or an access key (object_ads.access_key; a
 * key that is not one is tried as a uuid too: a v4 UUID without a letter is possible);
 * *id 0 when none.
 */
int store_market_object_find(struct store *s, enum market_id_kind kind, struct str key, int64_t *id,
			     struct error *err);

/* A file of a public object, ready to serve. */
struct market_object_file {
	int64_t id;          /* the picture's media link id / the floor plan's stored file id */
	struct str key;      /* storage key */
	struct str sha256;   /* of the bytes: the ETag */
	struct str mime_type;
	struct str name;     /* the caption / the uploaded file name ("" when none) */
	struct str category; /* "apartment_images" … (thumbnails are stored per category) */
	bool thumbnails;     /* every thumbnail width is stored */
};

/* A picture (the apartment's or its estate's) of public listing id by its media link id; ERROR_NOT_FOUND. */
int store_market_object_image(struct store *s, struct arena *a, int64_t listing_id, int64_t image_id, int64_t now,
			      struct market_object_file *out, struct error *err);
/* The first picture of a public listing's apartment; ERROR_NOT_FOUND when it has none. */
int store_market_object_thumbnail(struct store *s, struct arena *a, int64_t listing_id, int64_t now,
				  struct market_object_file *out, struct error *err);
/* The floor plan of a listing's apartment (file_id 0: whichever it has); *found false when none. */
int store_market_object_floorplan(struct store *s, struct arena *a, int64_t listing_id, int64_t file_id,
				  int64_t now, struct market_object_file *out, bool *found, struct error *err);

/* What "may I apply?" needs of a public object (one statement). */
struct market_object_facts {
	int64_t id;
	int64_t company_id;
	bool reserved;              /* status 'reserved': public, but not taking applications */
	int64_t start_processing_at; /* applications close then (seconds; 0: no deadline) */
	int64_t requirement_id;      /* 0: none */
	int64_t rent;
	struct str sorting_mode;     /* candidate_sorting_mode */
};
/* *found false when listing_id is not public at now. */
int store_market_object_facts(struct store *s, struct arena *a, int64_t listing_id, int64_t now,
			      struct market_object_facts *out, bool *found, struct error *err);

/* The object an application is for, as its lists show it (whether public now or not). */
struct market_object_summary {
	int64_t id;
	struct str street_name, street_number, description, estate_name, municipality, county;
	int64_t rent;
	double area, rooms, floor;
	struct str access_date;      /* YYYY-MM-DD; ptr NULL: on agreement */
	int64_t date_publish;        /* seconds; 0: never published */
	int64_t start_processing_at; /* seconds; 0: none */
	struct str thumbnail_caption; /* the first picture's; ptr NULL: no picture */
	bool student, senior, youth;  /* the requirement profile's audience */
	struct str sorting_mode;      /* candidate_sorting_mode */
};
/* ERROR_NOT_FOUND when the listing no longer exists. */
int store_market_object_summary(struct store *s, struct arena *a, int64_t listing_id,
				struct market_object_summary *out, struct error *err);

/* Figures of the public objects of a type (audience bits; 0: none) of a company (0: all). */
struct market_type_stats {
	int64_t count;
	double min_rooms, max_rooms, min_area, max_area;
	int64_t min_rent, max_rent;
};
int store_market_type_stats(struct store *s, unsigned audience, int64_t company_id, struct market_type_stats *out,
			    struct error *err);

#endif
