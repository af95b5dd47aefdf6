/*
 * objects.h — market objects (momentum.md B.2, B.3): a published listing seen by the
 * market dialect. No second copy and no second search: the list is the card search
 * (core/listings/cards.h) with the market's filters, the detail is the public listing
 * view (core/listings/listings.h), and the files are the listing's stored pictures and
 * floor plan.
 *
 * Ids (B.1, decisions.md M-14): an object is named by its local id (object_ads.id, all
 * digits), its guid (object_ads.uuid: 21–64 of [A-Za-z0-9-] with a letter) or its access
 * key (object_ads.access_key, migration 0021: anything else). Unknown, or not public
 * (a draft, scheduled, paused, deleted or rented listing) → ERROR_NOT_FOUND.
 *
 * Types (M-23, M-26, docs/DECISIONS.md): the market-object types are the queue types
 * residential, student, senior, youth and parking. A listing's type is its requirement
 * profile's audience: student, else senior, else youth, else residential; parking has no
 * listing kind yet (HomeQ lists apartments only), so it is offered with no objects.
 */
#ifndef RENTD_MARKET_OBJECTS_H
#define RENTD_MARKET_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/core.h"
#include "core/listings/cards.h"
#include "core/listings/listings.h"
#include "store/market/store_market_objects.h"

#define MARKET_OBJECTS_LIMIT_DEFAULT 50 /* B.2 */
#define MARKET_OBJECTS_LIMIT_MAX 500    /* issue 14: the largest page real clients ask for */
#define MARKET_OBJECTS_OFFSET_MAX 100000000
#define MARKET_OBJECTS_AREAS_MAX 50     /* locationAreaDisplayName values */
#define MARKET_OBJECTS_AREA_LEN_MAX 200

struct market_type {
	const char *id;                 /* "residential" … (the type and its queue type) */
	const char *display_name;       /* "Bostad" */
	const char *queue_display_name; /* queueTypeDisplayName */
	const char *description;
	unsigned audience;              /* cards.audience bits; 0: no listing has this type */
	int max_applications;           /* maxNumberOfApplications */
};
extern const struct market_type market_types[];
extern const size_t market_types_count;

/* By id, or case-insensitively by display name (M-26); NULL when neither. */
const struct market_type *market_type_find(struct str id_or_name);
/* The type of a listing with these audience bits. */
const struct market_type *market_type_of(unsigned audience);

/* The list's order: newest first (the API's), or rentd's extension `sort` (docs/API.md). */
enum market_objects_sort { MARKET_SORT_NEWEST, MARKET_SORT_PRICE_ASC, MARKET_SORT_PRICE_DESC, MARKET_SORT_AREA_ASC,
			   MARKET_SORT_AREA_DESC };

/* GET /v2/market/objects: bounds already parsed; the core checks their order. */
struct market_objects_query {
	enum market_objects_sort sort;
	int64_t company_id;                /* 0: every company's objects */
	bool has_type;
	const struct market_type *type;    /* has_type and NULL: an unknown type, no objects (M-23) */
	struct card_bound rooms_min, rooms_max, area_min, area_max, price_min, price_max;
	struct str available_by;           /* YYYY-MM-DD (ptr NULL: none) */
	const struct str *areas;           /* NULL: no area filter */
	size_t n_areas;
	int64_t offset, limit;
	int64_t generation;                /* the card generation read before (0: unknown, no cursors) */
};

/*
 * Runs the list: run->start with run->total (the true count, the same on every page while
 * nothing changes), then run->visit per object of the page with its card row and doc
 * (doc->guid, doc->estate_name filled), in newest-first order, ties by id. Bad bounds →
 * ERROR_VALIDATION naming the parameter.
 *
 * Deep pages: a client pages offset += limit through the whole market, and an OFFSET
 * steps over every row before the page. So the core remembers, under the generation,
 * where the pages it served end (every 25th row: core->market_cursors), and a later page
 * that starts there seeks to that row instead (store/listings/store_cards.c, AFTER).
 */
int market_objects_list(struct core *c, struct arena *a, const struct market_objects_query *q,
			struct cards_run *run, struct error *err);

/* The local id of a public object named by any of its three ids; ERROR_NOT_FOUND. */
int market_object_resolve(struct core *c, struct str id, int64_t *listing_id, struct error *err);

/* One object: the public view, and its floor plan. */
struct market_object {
	struct listing_view v;
	struct listing_view_version version;
	bool has_floorplan;
	struct market_object_file floorplan;
};
/* The version of a public object's view (one statement), for a kept rendering. */
int market_object_version(struct core *c, int64_t listing_id, struct listing_view_version *out, struct error *err);
int market_object_get(struct core *c, struct arena *a, int64_t listing_id, struct market_object *out,
		      struct error *err);

/* The files of a public object; ERROR_NOT_FOUND when it has no such file. */
int market_object_image(struct core *c, struct arena *a, int64_t listing_id, int64_t image_id,
			struct market_object_file *out, struct error *err);
int market_object_thumbnail(struct core *c, struct arena *a, int64_t listing_id, struct market_object_file *out,
			    struct error *err);
int market_object_floorplan(struct core *c, struct arena *a, int64_t listing_id, int64_t file_id,
			    struct market_object_file *out, struct error *err);

/* numberOfMarketObjects and the ranges of a type's public objects. */
int market_type_stats(struct core *c, const struct market_type *t, int64_t company_id, struct market_type_stats *out,
		      struct error *err);

/* The thumbnail version of a stored key "<category>/<sha256>.<ext>": "f-" and 16 hex digits; "" when none. */
void market_thumbnail_version(struct str key, char out[19]);

#endif
