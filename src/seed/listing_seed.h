/*
 * listing_seed.h — `rentd seed --listings N [--company ID]`: N generated listings over
 * generated inventory, with their search cards, to run search at realistic volume.
 *
 * Apartments come first: when the company has fewer than N apartments without a live
 * listing, inventory_seed() (seed/inventory_seed.h) makes the rest. About 3 % of the
 * estates that get listings become published projects (located at their first apartment,
 * with two pictures), so their listings are project rentals. Every listed apartment gets
 * one to three pictures drawn from a few generated JPEGs (stored once through the media
 * storage, thumbnails made). The spread of statuses, rental modes, audiences, publish
 * dates and access dates is described in store/listings/store_cards.c (sql_seed_listings); rents,
 * rooms, areas and places are the inventory generator's (Sweden-wide, weighted to the
 * cities).
 *
 * Everything is inserted in batches of BATCH listings per transaction, and each batch's
 * cards are built by a few INSERT … SELECT statements (the codes of the municipalities
 * from a small table this run fills from the geography data), then the project cards.
 * A run adds to what is there; running it again lists the next free apartments.
 */
#ifndef RENTD_LISTING_SEED_H
#define RENTD_LISTING_SEED_H

#include "core/core.h"

#define LISTING_SEED_MAX 5000000

struct listing_seed_result {
	int64_t company_id;
	int64_t apartments_created; /* by the inventory generator, for lack of free apartments */
	int64_t listings;
	int64_t projects;
	int64_t cards;              /* rows searchable now (all companies) */
};

/* company_id 0: the company with the lowest id. */
int listing_seed(struct core *c, struct arena *a, int64_t company_id, int64_t listings, struct listing_seed_result *out,
		 struct error *err);

/*
 * Stores one JPEG the way an upload ends: content-addressed under
 * "<category>/<sha256>.jpg" in the media storage, a stored file, an uploaded file
 * reference of entity type entity for the company (ref: its 32 hex digits, derived
 * from the bytes, so a rerun finds it) and its thumbnails: made now
 * (media_thumbnails_make), or with queue set left to the server's job workers as
 * for an upload (a "thumbnails" job, due now).
 */
int listing_seed_store_picture(struct core *c, struct arena *a, int64_t company, int64_t user, const void *jpg,
			       size_t len, const char *entity, const char *category, bool queue, char ref[33],
			       struct error *err);

#endif
