/*
 * inventory_seed.h — `rentd seed --apartments N [--company ID]`: realistic test
 * inventory from the Swedish geography data (data/geo, core/geo/geo.h).
 *
 * Postal codes are drawn from postal_to_municipality.csv (so places with many
 * codes — the big cities — get most estates, and Stockholm, Göteborg and Malmö
 * are weighted up further); each estate is one building: 5–40 apartments on one
 * invented street address in that postal code's municipality, with coordinates
 * jittered around the municipality's representative point and kept only if
 * geo_lookup() still places them inside it. Apartments: rooms 1–6, 20–160 m²,
 * rent around 115 SEK/m²/month in Stockholm and less elsewhere, national_id
 * (the "lgh" number, 1001…) unique per address. Everything goes into the
 * company's root office, in transactions of a few thousand apartments, through
 * the batch inserts of store/inventory/store_inventory_search.h. The generator is
 * deterministic; an address another run already used is skipped (next number).
 */
#ifndef RENTD_INVENTORY_SEED_H
#define RENTD_INVENTORY_SEED_H

#include "core/core.h"

#define INVENTORY_SEED_MAX 10000000

struct inventory_seed_result {
	int64_t company_id;
	int64_t office_id;
	int64_t estates;
	int64_t apartments;
};

/* company_id 0: the company with the lowest id. */
int inventory_seed(struct core *c, struct arena *a, int64_t company_id, int64_t apartments,
		   struct inventory_seed_result *out, struct error *err);

#endif
