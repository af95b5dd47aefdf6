/*
 * cards.h — listing search (homeq.md §6, §12.7, §14): POST /api/v3/cards/ and
 * POST /api/v3/search over precomputed card rows.
 *
 * A card row holds everything a search filters, sorts or shows for one published
 * listing (and one row per project for project cards). Rows are kept in step with
 * their listing in the SAME transaction as the change: every write of a listing, an
 * apartment, an estate or a project that can change a card calls the matching
 * cards_sync_* function before committing.
 */
#ifndef RENTD_CARDS_H
#define RENTD_CARDS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/identity/auth.h"
#include "core/core.h"
#include "store/listings/store_cards.h"

/* Inside the caller's transaction: (re)computes or removes the card of one listing (object ad). */
int cards_sync_listing(struct core *c, int64_t listing_id, struct error *err);
/* Inside the caller's transaction: the cards of every listing of this apartment / estate / project. */
int cards_sync_apartment(struct core *c, int64_t apartment_id, struct error *err);
int cards_sync_estate(struct core *c, int64_t estate_id, struct error *err);
int cards_sync_project(struct core *c, int64_t project_id, struct error *err);

/*
 * ---- search ----
 *
 * The dialect reads a CardSearchRequest (or a /api/v3/search body) into struct
 * cards_request; cards_search() checks what the wire types cannot (shape ids, bounds
 * in order, a centre for distance, the paging limits), picks the mode, says which rows
 * in which order and page it wants (struct card_query) and leaves how to find them to
 * the store (store_cards_plan), counts them and then streams them one by one to the visitor,
 * which writes each while the statement is on it: no answer is collected in memory
 * (a page's ids, at most `amount` of them, are).
 *
 * Modes (homeq.md §6): `project` set → the project's listings (ExtendedIndividualCard);
 * else `company`, `estate`, `ads` or `project_ads` set → listings, project rentals
 * included, as IndividualCards; else the normal search → IndividualCards for succession
 * rentals and one ProjectCard per project. `card_pin` turns any of them into pins.
 *
 * Visibility: active listings always; reserved ones with `reserved`; paused ones with
 * `paused`, and then only the caller's own company's (a paused listing is not public,
 * docs/DECISIONS.md). Drafts, scheduled, deleted, rented and closing listings, and the
 * listings of unpublished projects, have no card at all.
 */

#define CARDS_AMOUNT_DEFAULT 10000
#define CARDS_AMOUNT_MAX 10000
#define CARDS_OFFSET_MAX 10000000
#define CARDS_IDS_MAX 1000      /* ads, project_ads */
#define CARDS_SHAPES_MAX 50
#define CARDS_RADIUS_MAX_M 2000000.0 /* 2000 km */
#define CARDS_RADIUS_DEFAULT_M 50000.0 /* the seed's example, "50km" */
#define SEARCH_AMOUNT_DEFAULT 20
#define SEARCH_AMOUNT_MAX 1000
#define SEARCH_PAGE_MAX 1000000

/* The amenity filters, in the order of cards.amenities' bits. */
enum cards_amenity {
	CARDS_BALCONY, CARDS_BATHTUB, CARDS_DISHWASHER, CARDS_DRIER, CARDS_ELEVATOR, CARDS_GARAGE,
	CARDS_HANDICAP_FRIENDLY, CARDS_KITCHEN_FAN, CARDS_PARKING, CARDS_PATIO, CARDS_PETS, CARDS_WASHING_MACHINE,
	CARDS_AMENITY_COUNT
};
extern const char *const cards_amenity_names[CARDS_AMENITY_COUNT];

/* SearchAmenities of ExtendedIndividualCard, in the order of card_docs.features' bits. */
enum cards_feature {
	CARDS_F_BALCONY, CARDS_F_BATHTUB, CARDS_F_DISHWASHER, CARDS_F_DRIER, CARDS_F_ELECTRICITY, CARDS_F_ELEVATOR,
	CARDS_F_GARAGE, CARDS_F_HANDICAP_FRIENDLY, CARDS_F_HEAT, CARDS_F_INTERNET, CARDS_F_KITCHEN_FAN,
	CARDS_F_PARKING, CARDS_F_PATIO, CARDS_F_PETS, CARDS_F_TV, CARDS_F_WASHER, CARDS_F_WATER, CARDS_FEATURE_COUNT
};
extern const char *const cards_feature_names[CARDS_FEATURE_COUNT];

/* Audience bits (cards.audience) and their names: everyone, senior, youth, student. */
#define CARDS_AUDIENCE_COUNT 4
extern const char *const cards_audience_names[CARDS_AUDIENCE_COUNT];

enum cards_type { CARDS_TYPE_ANY, CARDS_TYPE_PROJECTS, CARDS_TYPE_NORMAL };

struct cards_request {
	bool amenity[CARDS_AMENITY_COUNT];
	bool card_pin;
	enum cards_type card_type;
	int64_t company, estate, project;  /* 0: absent */
	const int64_t *ads, *project_ads;  /* NULL: absent */
	size_t n_ads, n_project_ads;
	bool queue_points, random, first_come_first; /* default true */
	bool paused, reserved;                       /* default false */
	unsigned tags;                     /* audience bits; 0: no filter */
	struct card_bound min_area, max_area, min_floor, max_floor, min_rent, max_rent, min_room, max_room;
	const struct str *shapes;          /* NULL: absent */
	size_t n_shapes;
	const char *shapes_member;         /* the member they came from, named in errors (NULL: "shapes") */
	bool shapes_scalar;                /* sent as one string, not an array (an error names the member alone) */
	bool has_bounds;
	double min_lat, max_lat, min_lng, max_lng;
	bool has_radius, radius_center;    /* radius_center: latitude and longitude given */
	double latitude, longitude, radius_m;
	enum card_sort_key sort;           /* default publish_date, descending */
	bool desc;
	int64_t offset, amount;
};

/* A request with the documented defaults. */
void cards_request_defaults(struct cards_request *r);

enum cards_mode { CARDS_MODE_NORMAL, CARDS_MODE_LISTINGS, CARDS_MODE_PROJECT };

/*
 * Runs a search as who (anonymous callers: kind CALLER_ANONYMOUS). run->total is the
 * true number of matching cards, known before the first row is visited: start is called
 * with it, then visit per row of the page, all inside one read transaction (the count
 * and the page see the same cards). Counts that need more than a few rows of
 * card_counts are kept per process until a card changes (core/listings/cards.c). Bad input →
 * ERROR_VALIDATION naming the field.
 */
struct cards_run {
	enum cards_mode mode;
	int64_t total;
	void *arg;
	int (*start)(void *arg, const struct cards_run *run, struct error *err);
	card_visit visit; /* each row with its doc (doc NULL for pins) */
};
/*
 * What says whether a rendered search page is still true: the cards' generation, which
 * every change to a card moves (core->card_pages).
 */
int cards_generation(struct core *c, int64_t *generation, struct error *err);
int cards_search(struct core *c, struct arena *a, const struct caller *who, const struct cards_request *in,
		 struct cards_run *run, struct error *err);

/*
 * The same run for a query another area built itself (the market dialect's objects,
 * core/market/objects.c): plan, count (kept as above) and page in one read snapshot.
 * q's values must already be checked; run->mode is left as it is.
 */
int cards_run_query(struct core *c, struct arena *a, struct card_query *q, bool pins, struct cards_run *run,
		    struct error *err);

#endif
