/*
 * store_cards.h — the card tables behind listing search (migration 0014_cards.sql).
 *
 * Writing: core/listings/cards.c reads what a card derives from (store_cards_listing_source,
 * store_cards_project_source), adds what only C knows (the SCB codes of its place, the
 * unit vector of its position) and writes the row with store_cards_put_listing /
 * store_cards_put_project, or removes it with store_cards_delete. All of it runs inside
 * the caller's write transaction.
 *
 * Reading: core/listings/cards.c says what it wants in a struct card_query (filters, order, page);
 * store_cards_plan() decides how the rows are found (which walking index, the R*Tree or a
 * few ids), store_cards_search() steps one statement and hands each row to a visitor as
 * it comes (the answer is streamed, never collected whole), and store_cards_count() counts the
 * same rows.
 */
#ifndef RENTD_STORE_CARDS_H
#define RENTD_STORE_CARDS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

enum card_kind { CARD_INDIVIDUAL = 0, CARD_PROJECT = 1, CARD_PROJECT_AD = 2 };

/* cards.state bits */
#define CARD_ACTIVE 1
#define CARD_RESERVED 2
#define CARD_PAUSED 4

/* cards.id of a listing's row and of a project's row */
static inline int64_t card_id_listing(int64_t listing_id) { return 2 * listing_id; }
static inline int64_t card_id_project(int64_t project_id) { return 2 * project_id + 1; }

/* ---- writing ---- */

struct card_listing_source {
	int64_t id;
	int64_t project_id;     /* 0: none */
	bool project_published; /* the project is published (a project ad is public only then) */
	struct str status;      /* ObjectAdStatus */
	double latitude, longitude;
	struct str zip_code, county_name, municipality_name;
};

/* ERROR_NOT_FOUND when the listing does not exist. */
int store_cards_listing_source(struct store *s, struct arena *a, int64_t listing_id, struct card_listing_source *out,
			       struct error *err);

/* What C adds to a row: the place codes and the unit vector of the position (lat, lon: a project's). */
struct card_place {
	int64_t county, municipality;
	double x, y, z;
	double lat, lon;
};

/* Replaces the row (and its doc and geo entry) of a listing with kind and state. */
int store_cards_put_listing(struct store *s, int64_t listing_id, enum card_kind kind, int state,
			    const struct card_place *place, struct error *err);
int store_cards_delete(struct store *s, int64_t card_id, struct error *err);

struct card_project_source {
	int64_t id;
	bool published, closed;
	int64_t active_ads;   /* its active listings with a row */
	bool has_location;    /* the project's own location; else the mean of its active listings' */
	double latitude, longitude;
	struct str city;      /* the location's city, else "" */
};

int store_cards_project_source(struct store *s, struct arena *a, int64_t project_id,
			       struct card_project_source *out, struct error *err);
int store_cards_put_project(struct store *s, int64_t project_id, const struct card_place *place,
			    struct str county_name, struct str municipality_name, struct str city, struct error *err);

/* The listings of an apartment / estate / project, and those whose row still names it. */
enum card_owner { CARD_OWNER_APARTMENT, CARD_OWNER_ESTATE, CARD_OWNER_PROJECT };
int store_cards_listings_of(struct store *s, struct arena *a, enum card_owner owner, int64_t id, int64_t **ids,
			    size_t *n, struct error *err);
/* Takes (and clears) the projects whose card must be recomputed. */
int store_cards_take_dirty(struct store *s, struct arena *a, int64_t **ids, size_t *n, struct error *err);
/* Marks a project's card for recomputation. */
int store_cards_mark_dirty(struct store *s, int64_t project_id, struct error *err);

/* ---- reading ---- */

enum card_sort_key {
	CARD_SORT_PUBLISH_DATE,
	CARD_SORT_AREA,
	CARD_SORT_FLOOR,
	CARD_SORT_RENT,
	CARD_SORT_ROOMS,
	CARD_SORT_DISTANCE,
	CARD_SORT_BOOST_VALUE,
};

/* A range bound: set false means unbounded. */
struct card_bound {
	bool set;
	double value;
};

/*
 * A validated search (core/listings/cards.c builds it): what rows, in what order, which page;
 * every bound value is already checked. How they are found is the store's (plan).
 */
struct card_query {
	unsigned kinds;       /* bit per enum card_kind */
	unsigned states;      /* CARD_ACTIVE | … */
	int64_t own_company;  /* paused rows are shown only to this company (0: none) */
	unsigned modes;       /* bits of cards.modes */
	unsigned amenities;   /* every bit must be set */
	unsigned audience;    /* 0: any; else at least one bit */
	struct card_bound min_rent, max_rent, min_area, max_area, min_room, max_room, min_floor, max_floor;
	int64_t company, estate, project; /* 0: no filter */
	const int64_t *ids;   /* card ids, NULL: no filter (n_ids 0 then matches nothing) */
	size_t n_ids;
	bool shapes;          /* the shape lists below apply */
	const int64_t *counties, *municipalities; /* codes */
	size_t n_counties, n_municipalities;
	int64_t one_shape;    /* the code when the shapes are exactly one (n_counties: a county), else 0 */
	bool bounds;          /* min_lat … max_lon apply (a radius sets them to its enclosing box) */
	double min_lat, max_lat, min_lon, max_lon;
	bool radius;          /* the chord test applies */
	double cx, cy, cz, chord2; /* the centre's unit vector, squared chord of the radius */
	enum card_sort_key sort;
	bool desc;
	struct str available_by; /* YYYY-MM-DD: access on or before it, or on agreement (ptr NULL: no filter) */
	const struct str *area_names; /* municipality or county names (any); NULL: no filter */
	size_t n_area_names;
	bool market;          /* the rows carry card_doc.guid and estate_name */
	bool after;           /* newest first only: the rows after this one (then offset counts from it) */
	int64_t after_publish_date, after_id;
	int64_t offset, limit;
	int plan;             /* store_cards_plan(): how the rows are found; 0 (zeroed) walks every card */
};

/* One row as the search returns it (a pin fills id … active_ads only). */
struct card_hit {
	int64_t id;
	enum card_kind kind;
	int64_t ref_id;
	int state;
	double lat, lon;
	int64_t active_ads;
	int64_t company_id, office_id, estate_id, apartment_id, project_id;
	int64_t publish_date;
	int64_t rent, rent_max;
	double area, area_max, rooms, rooms_max, floor, boost_value;
	unsigned audience, modes;
};

/* What a card shows beyond its row; the strings are valid only during the visit. */
struct card_doc {
	struct str title, city, county_name, municipality_name, images, videos, date_access;
	int short_lease;
	bool is_quick_apply, access_on_agreement, prior_access;
	struct str street, street_number, zip, description, floor_plan, landlord_object_id, sorting_mode;
	unsigned features;
	struct str indexed_at;
	/* with card_query.market only (else ptr NULL): the listing's uuid (kinds 0 and 2), its estate's name */
	struct str guid, estate_name;
};

/* Called per row: doc NULL for pins. Non-zero stops the walk (negative: with err set). */
typedef int (*card_visit)(void *arg, const struct card_hit *hit, const struct card_doc *doc, struct error *err);

/*
 * Decides how q's rows are found first — the walking index of one county, municipality or
 * company, the whole country's, the R*Tree for a small box, or a few ids — and records it
 * in q->plan; the other filters then test each row. A small box is first probed in the
 * R*Tree, so call it inside the read snapshot (store_read_begin) of the count and search
 * that follow. Any plan finds the same rows; only the time differs.
 */
int store_cards_plan(struct store *s, struct card_query *q, struct error *err);

/*
 * Steps the rows of q in order (as planned), calling visit for each as it comes: pins straight from
 * the index walk, cards in two steps (the walk finds the page's ids from the index
 * alone, then their rows and docs are read by id, 64 at a time, and handed on in page order).
 */
int store_cards_search(struct store *s, struct arena *a, const struct card_query *q, bool pins, card_visit visit,
		       void *arg, struct error *err);
/*
 * The number of rows of q: summed from card_counts when q filters by nothing but kinds,
 * states without paused, modes and shapes of one type (card_query_countable: counties
 * and municipalities mixed could overlap), else counted.
 */
bool card_query_countable(const struct card_query *q);
int store_cards_count(struct store *s, const struct card_query *q, int64_t *total, struct error *err);
/* The current card_generation: changes with every change of a card. */
int store_cards_generation(struct store *s, int64_t *generation, struct error *err);

/* ---- the listing generator (seed/listing_seed.c): bulk rows, one batch per call ---- */

/* Apartments of the company without a live listing; the company's first employee. */
int store_cards_seed_free_apartments(struct store *s, int64_t company_id, int64_t *n, struct error *err);
int store_cards_seed_admin(struct store *s, int64_t company_id, int64_t *user_id, struct error *err);
int store_cards_seed_requirement(struct store *s, int64_t company_id, const char *name, const char *audience,
				 bool pets, int64_t *id, struct error *err);

struct card_seed_image {
	const char *entity_type, *category; /* "apartment_image", "apartment_images" */
	struct str key, sha256, md5, reference;
	int64_t size;
};
/* A stored file and an uploaded file reference to it (kept when the key exists). */
int store_cards_seed_image(struct store *s, int64_t company_id, int64_t user_id, const struct card_seed_image *img,
			   int64_t *stored_file_id, struct error *err);

/* About per_mille of the company's estates that are in no project and have a free apartment. */
int store_cards_seed_project_estates(struct store *s, struct arena *a, int64_t company_id, int per_mille,
				     int64_t **ids, size_t *n, struct error *err);
/* A published project for one estate, located at its first apartment, with two pictures. */
int store_cards_seed_project(struct store *s, int64_t estate_id, struct str picture0, struct str picture1,
			     int64_t *project_id, struct error *err);

struct card_seed_batch {
	int64_t company_id;
	int64_t after_apartment; /* apartments with a greater id */
	int64_t limit;
	int64_t now;
	int64_t requirement[5];  /* everyone, everyone with pets, senior, student, youth */
	struct str picture[3];   /* file references for the apartments' pictures */
};
/* Listings (with pictures for their apartments) on free apartments; ids first..last, *n of them. */
int store_cards_seed_listings(struct store *s, const struct card_seed_batch *b, int64_t *first, int64_t *last,
			      int64_t *last_apartment, int64_t *n, struct error *err);

/* The municipality names of the apartments with listings in ids first..last. */
int store_cards_seed_place_names(struct store *s, struct arena *a, int64_t first, int64_t last, struct str **names,
				 size_t *n, struct error *err);
/* A name's codes for the bulk cards (a temporary table of this connection). */
int store_cards_seed_place(struct store *s, struct str name, int64_t county, int64_t municipality,
			   struct error *err);
/* Every card row. */
int store_cards_total(struct store *s, int64_t *n, struct error *err);
/* The cards, docs and geo entries of listings first..last at once (SQL computes the unit vectors). */
int store_cards_seed_cards(struct store *s, int64_t first, int64_t last, struct error *err);

#endif
