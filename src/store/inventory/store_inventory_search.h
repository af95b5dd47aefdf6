/*
 * store_inventory_search.h — the inventory search (GET /api/v1/inventory/) and the
 * batch inserts of `rentd seed`.
 *
 * The search lists a company's estates and apartments inside one office subtree,
 * estate by estate in estate-id order, each estate followed by its apartments in
 * apartment-id order. Paging is by offset; migration 0008 keeps per-estate and
 * per-office counts so that `total` is a sum over offices and a deep offset skips
 * whole estates (one index entry each) instead of every apartment before it.
 *
 * Filter semantics follow the Elasticsearch documents they stand in for: an
 * apartment document embeds its estate, so estate.id / estate.external_id match
 * the estate, its apartments and their listings; apartment.id /
 * apartment.external_id match apartments and their listings. Listings (object ads)
 * follow their estate's apartments, in listing-id order, from creation until the
 * purge job removes them (migration 0013 counts them per estate and office; the
 * project ones apart, for exclude_projects). The listing filters (project,
 * employee, status) match listings only.
 *
 * Documents and items live in the caller's arena. A page costs a fixed number of
 * statements whatever its size: the totals, the walk (a chunk of estate counts, more only
 * when the page reaches past it), then one statement each for the page's estates,
 * apartments, listings, the listings' apartments, the apartments' live listings and the
 * listings' assignments (x = ANY(?N)); a filtered page its one or two matching statements
 * instead of the walk.
 */
#ifndef RENTD_STORE_INVENTORY_SEARCH_H
#define RENTD_STORE_INVENTORY_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"
#include "store/inventory/store_inventory.h"
#include "store/listings/store_listings.h"

enum inventory_type { INVENTORY_ESTATE = 1, INVENTORY_APARTMENT = 2, INVENTORY_OBJECT_AD = 4 };

struct inventory_filter {
	int64_t company_id;
	struct str office_path;           /* the scope: offices at or below this path ("/1/4/") */
	unsigned types;                   /* enum inventory_type bits */
	int64_t estate_id;                /* 0: any */
	struct str estate_external_id;    /* ptr NULL: any */
	int64_t apartment_id;             /* 0: any */
	struct str apartment_external_id; /* ptr NULL: any */
	/* listings only (a filter set here leaves INVENTORY_OBJECT_AD the only type) */
	int64_t project_id;               /* 0: any */
	int64_t employee_id;              /* assigned to this employee; 0: any */
	unsigned statuses;                /* bit i: ObjectAdStatus i (store_listings.h); 0: any */
	bool exclude_projects;            /* no project listings */
};

/* ElasticApartment amenities, in the wire's (alphabetical) order. */
enum inventory_amenity {
	INV_ELECTRICITY_INCLUDED, INV_HANDICAP_FRIENDLY, INV_HAS_BALCONY, INV_HAS_BATHTUB, INV_HAS_DISHWASHER,
	INV_HAS_DRIER, INV_HAS_ELEVATOR, INV_HAS_GARAGE, INV_HAS_KITCHEN_FAN, INV_HAS_PANTRY, INV_HAS_PARKING,
	INV_HAS_PATIO, INV_HAS_SHOWER, INV_HAS_WASHING_MACHINE, INV_HEATING_INCLUDED, INV_INTERNET_INCLUDED,
	INV_TV_INCLUDED, INV_WATER_INCLUDED, INV_AMENITY_COUNT
};

struct inventory_estate_doc {
	int64_t id;
	int64_t company_id;
	int64_t office_id;
	int64_t apartments;
	struct str name;
	struct str city;
	struct str external_id; /* ptr NULL: none */
	struct str company_name;
	struct str office_name;
	struct str updated_at; /* YYYY-MM-DDTHH:MM:SSZ */
};

struct inventory_apartment_doc {
	int64_t id;
	int64_t estate_id;
	struct str national_id;
	struct str street_name;
	struct str street_number;
	struct str zip_code;
	struct str county;
	struct str municipality;
	struct str external_id; /* ptr NULL: none */
	struct str updated_at;
	double latitude, longitude, area, floor, rooms;
	int64_t rent;
	int64_t notes_count;
	bool amenity[INV_AMENITY_COUNT];
	bool has_ad;           /* a live listing that is not a draft */
	bool has_draft;        /* a draft listing */
	int64_t has_rentals;   /* rented listings (H-20: an integer) */
	int64_t live_listing;  /* the live (not deleted, not rented) listing; 0: none */
};

/* ElasticObjectAd and what the item shows next to it (project, requirements). */
struct inventory_listing_doc {
	int64_t id;
	int64_t apartment_id;
	int64_t estate_id;
	struct str status;
	struct str access_date;          /* YYYY-MM-DD; ptr NULL: access on agreement */
	int64_t date_publish;            /* unix seconds; 0: none */
	struct str created_at;           /* YYYY-MM-DDTHH:MM:SSZ */
	struct str updated_at;
	bool is_short_lease, prior_access;
	struct str short_lease_min_date; /* ptr NULL: none */
	struct str short_lease_max_date;
	int64_t project_id;              /* 0: none */
	struct str project_name;
	int64_t requirement_id;          /* 0: none (a draft) */
	bool pets, smoking, senior, student, youth; /* the requirement profile's flags */
	struct listing_assignment *assignments;
	size_t n_assignments;
};

struct inventory_item {
	enum inventory_type type;
	const struct inventory_estate_doc *estate;       /* always set */
	const struct inventory_apartment_doc *apartment; /* INVENTORY_APARTMENT, INVENTORY_OBJECT_AD */
	/* INVENTORY_OBJECT_AD: the listing; INVENTORY_APARTMENT: its live listing or NULL */
	const struct inventory_listing_doc *listing;
	/* pictures in position order, filled by the core: the apartment's, and its estate's */
	struct media_link *apartment_images;
	size_t n_apartment_images;
	struct media_link *estate_images;
	size_t n_estate_images;
};

/* One page from offset (>= 0), at most amount (>= 1) items, and the total that matches. */
/*
 * Whether f's page is found by the walk over the estates' counts (no apartment or listing
 * filter: a fixed set of statements, each planned once for all values) rather than by
 * matching every listing or apartment first.
 */
bool store_inventory_walks(const struct inventory_filter *f);

int store_inventory_search(struct store *s, struct arena *a, const struct inventory_filter *f, int64_t offset,
			   int64_t amount, struct inventory_item **items, size_t *n, int64_t *total,
			   struct error *err);

/* ---- batch inserts for `rentd seed` (call inside store_begin/store_commit) ---- */

/* The company with the lowest id; ERROR_NOT_FOUND "no such company" when there is none. */
int store_inventory_first_company(struct store *s, int64_t *company_id, struct error *err);
/* The company's root office; ERROR_NOT_FOUND "no such company" when it has none. */
int store_inventory_root_office(struct store *s, int64_t company_id, int64_t *office_id, struct error *err);

int store_inventory_seed_estate(struct store *s, int64_t company_id, int64_t office_id, struct str name,
				struct str city, struct str external_id, int64_t *id, struct error *err);

struct inventory_seed_apartment {
	int64_t estate_id;
	struct str national_id, city_key, street_key, number_key; /* the identity, folded */
	struct str street_name, street_number, zip_code, county, municipality, external_id;
	double latitude, longitude, area, floor, rooms;
	int64_t rent;
	const char *balcony, *dishwasher, *washing_machine, *water; /* enum values */
	bool elevator, heating_included, internet_included, laundry_room;
};
/* id (may be NULL): the new apartment's; ERROR_CONFLICT when its address (identity) is taken. */
int store_inventory_seed_apartment(struct store *s, const struct inventory_seed_apartment *p, int64_t *id,
				   struct error *err);

#endif
