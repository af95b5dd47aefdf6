/*
 * lottery.h — the verifiable lottery of a listing whose candidate_sorting_mode is "random"
 * (issue 15; docs/LOTTERY.md is the algorithm for a third party, docs/DECISIONS.md "The
 * verifiable lottery" the why).
 *
 * Commit, then reveal:
 *   1. When such a listing is published (approved, active, paused, reserved), or becomes random while it is,
 *      rentd draws a 32-byte seed (libsodium randombytes_buf) and stores it, secret, with its
 *      commitment SHA-256(seed) (lottery_listing_written(), called by every listing write in
 *      its transaction). The commitment is published at once on the listing (the landlord's
 *      detail, the market object's detail); the seed is not.
 *   2. At the deadline the letting process calls lottery_draw(): the listing's open
 *      applications are fixed (their ids stored with the draw), the seed is revealed
 *      (drawn_at set), and the order is returned. Drawing again returns the same order.
 *   3. Anyone recomputes the order from the revealed seed and the published ids, and checks
 *      SHA-256(seed) == the commitment published before (`rentd lottery verify LISTING`).
 *
 * The order (lottery_order(), pure, no I/O): each application's ticket is
 * SHA-256(seed || the application id in ASCII decimal, no sign, no leading zeros); places
 * go by ticket ascending, compared as unsigned bytes; equal tickets (never seen in
 * practice) by the smaller id. The order does not depend on the order the ids are given in.
 *
 * The seed never leaves core before the draw: lottery_of_listing() (what the views show)
 * leaves seed empty until drawn_at is set.
 */
#ifndef RENTD_MARKET_LOTTERY_H
#define RENTD_MARKET_LOTTERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/core.h"
#include "store/listings/store_listings.h"
#include "store/market/store_lottery.h"

#define LOTTERY_SEED_BYTES 32
#define LOTTERY_HASH_BYTES 32 /* SHA-256 */
#define LOTTERY_HEX_LEN (2 * LOTTERY_HASH_BYTES)
/* The name of the algorithm below, published with every lottery: a changed one gets a new name. */
#define LOTTERY_ALGORITHM "sha256-tickets-v1"

/* ---- the algorithm (pure) ---- */

/* SHA-256(seed): what is published before the draw. */
void lottery_commitment(const unsigned char seed[LOTTERY_SEED_BYTES], unsigned char out[LOTTERY_HASH_BYTES]);

/* An application's ticket: SHA-256(seed || ASCII decimal of id). id >= 0. */
void lottery_ticket(const unsigned char seed[LOTTERY_SEED_BYTES], int64_t id, unsigned char out[LOTTERY_HASH_BYTES]);

struct lottery_entry {
	int64_t application_id;
	unsigned char ticket[LOTTERY_HASH_BYTES];
};

/*
 * The places of the n applications ids (unique, >= 0) under seed: out[0] is place 1. out
 * has room for n entries and gets each id with its ticket.
 */
void lottery_order(const unsigned char seed[LOTTERY_SEED_BYTES], const int64_t *ids, size_t n,
		   struct lottery_entry *out);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void lottery_hex(const unsigned char *bytes, size_t n, char *out);

/* ---- a listing's lottery ---- */

/*
 * What a listing shows of its lottery: the commitment always; the seed, the draw's time and
 * the ids drawn only once drawn (seed.ptr NULL before).
 */
struct lottery_public {
	struct str commitment_hex;
	int64_t committed_at; /* µs */
	bool drawn;
	struct str seed_hex;  /* ptr NULL until drawn */
	int64_t drawn_at;     /* µs; 0 until drawn */
	int64_t *application_ids; /* ascending; NULL until drawn */
	size_t n_application_ids;
};

/*
 * Called by every write of a listing (core/listings/listings.c, inside its transaction):
 * a random listing that is published (approved, active, paused or reserved) gets its
 * commitment if it has none. Anything else does nothing; an existing commitment is never
 * replaced, drawn or not.
 */
int lottery_listing_written(struct core *c, const struct listing *l, struct error *err);

/*
 * Commits every published random listing with an id in first..last that has no commitment
 * (*made counts them): listings written in SQL by the generator (seed/listing_seed.c) rather
 * than through core/listings, and listings published before migration 0025. In the caller's
 * transaction.
 */
int lottery_commit_missing(struct core *c, struct arena *a, int64_t first, int64_t last, size_t *made,
			   struct error *err);

/*
 * The lottery a view of l shows: *has false for a listing that is not random or has no
 * commitment (one published before migration 0025 and not written since).
 */
int lottery_of_listing(struct core *c, struct arena *a, const struct listing *l, struct lottery_public *out,
		       bool *has, struct error *err);

/* A draw and the order it gives: order[0] is place 1. */
struct lottery_result {
	struct lottery_public lottery; /* drawn */
	struct lottery_entry *order;
	size_t n;
};

/*
 * The draw, at the deadline (the letting process calls it): in one transaction, the
 * listing's open applications are fixed, the seed is revealed and the order returned. A
 * listing already drawn returns the order of that draw again (its stored ids), whatever
 * happened to the applications since. No commitment: ERROR_PRECONDITION
 * "LotteryNotCommitted". lottery_draw_in_transaction() is the same for a caller that has a
 * transaction open (the deadline job's one ranking).
 */
int lottery_draw(struct core *c, struct arena *a, int64_t listing_id, struct lottery_result *out, struct error *err);
int lottery_draw_in_transaction(struct core *c, struct arena *a, int64_t listing_id, struct lottery_result *out,
				struct error *err);

/*
 * What `rentd lottery verify` prints: the stored draw, whether the seed is revealed, and
 * then whether SHA-256(seed) is the commitment and the order recomputed from the seed and
 * the drawn ids. No commitment: ERROR_NOT_FOUND.
 */
struct lottery_verification {
	struct lottery_draw_row row;
	bool revealed;
	bool commitment_ok; /* revealed only */
	struct lottery_entry *order; /* revealed only */
	size_t n;
};
int lottery_verify(struct core *c, struct arena *a, int64_t listing_id, struct lottery_verification *out,
		   struct error *err);

#endif
