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

#include "core/core.h"

/* Inside the caller's transaction: (re)computes or removes the card of one listing (object ad). */
int cards_sync_listing(struct core *c, int64_t listing_id, struct error *err);
/* Inside the caller's transaction: the cards of every listing of this apartment / estate / project. */
int cards_sync_apartment(struct core *c, int64_t apartment_id, struct error *err);
int cards_sync_estate(struct core *c, int64_t estate_id, struct error *err);
int cards_sync_project(struct core *c, int64_t project_id, struct error *err);

#endif
