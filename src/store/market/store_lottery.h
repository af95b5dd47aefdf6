/*
 * store_lottery.h — the lottery draws of random listings (migration 0025_lottery_draws.sql):
 * one row per listing with its secret seed, the published commitment, and once drawn the
 * time and the ids of the applications drawn. The rules (what is secret when, the
 * algorithm) are core/market/lottery.h's; the store keeps the row.
 *
 * Times are microseconds since the epoch (UTC), bound from C. Strings live in the
 * caller's arena.
 */
#ifndef RENTD_STORE_LOTTERY_H
#define RENTD_STORE_LOTTERY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

struct lottery_draw_row {
	int64_t listing_id;
	struct str seed_hex;       /* 64 lower-case hex digits */
	struct str commitment_hex; /* SHA-256 of the seed, 64 lower-case hex digits */
	int64_t committed_at;      /* µs */
	int64_t drawn_at;          /* µs; 0: not drawn */
	int64_t *application_ids;  /* drawn only: ascending */
	size_t n_application_ids;
};

/* Stores a commitment unless the listing has one: *inserted says whether this call did. */
int store_lottery_commit(struct store *s, int64_t listing_id, struct str seed_hex, struct str commitment_hex,
			 int64_t committed_at, bool *inserted, struct error *err);

/* The listing's draw row; *found false when it has none. */
int store_lottery_get(struct store *s, struct arena *a, int64_t listing_id, struct lottery_draw_row *out,
		      bool *found, struct error *err);

/*
 * Marks the draw done at drawn_at with the ids drawn (ascending; their text is built in a),
 * unless it is already: *done false when another draw was first (read the row again).
 */
int store_lottery_reveal(struct store *s, struct arena *a, int64_t listing_id, int64_t drawn_at, const int64_t *ids,
			 size_t n, bool *done, struct error *err);

/*
 * The published random listings (approved, active, paused, reserved) with ids first..last
 * that have no commitment, ascending.
 */
int store_lottery_uncommitted(struct store *s, struct arena *a, int64_t first, int64_t last, int64_t **ids,
			      size_t *n, struct error *err);

/* The ids of the listing's open applications (closed_at NULL), ascending. */
int store_lottery_open_applications(struct store *s, struct arena *a, int64_t listing_id, int64_t **ids, size_t *n,
				    struct error *err);

#endif
