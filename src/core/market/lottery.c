/*
 * lottery.c — the verifiable lottery (lottery.h): the algorithm, the commitment made when a
 * random listing is published, the draw, and the check `rentd lottery verify` prints.
 */
#include "core/market/lottery.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/events.h"
#include "core/transaction.h"

/* ---- the algorithm ---- */

void lottery_commitment(const unsigned char seed[LOTTERY_SEED_BYTES], unsigned char out[LOTTERY_HASH_BYTES])
{
	crypto_hash_sha256(out, seed, LOTTERY_SEED_BYTES);
}

void lottery_ticket(const unsigned char seed[LOTTERY_SEED_BYTES], int64_t id, unsigned char out[LOTTERY_HASH_BYTES])
{
	crypto_hash_sha256_state st;
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%lld", (long long)id);

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, seed, LOTTERY_SEED_BYTES);
	crypto_hash_sha256_update(&st, (const unsigned char *)digits, (unsigned long long)len);
	crypto_hash_sha256_final(&st, out);
}

static int by_ticket(const void *pa, const void *pb)
{
	const struct lottery_entry *x = pa, *y = pb;
	int c = memcmp(x->ticket, y->ticket, LOTTERY_HASH_BYTES);
	if (c)
		return c;
	return (x->application_id > y->application_id) - (x->application_id < y->application_id);
}

void lottery_order(const unsigned char seed[LOTTERY_SEED_BYTES], const int64_t *ids, size_t n,
		   struct lottery_entry *out)
{
	for (size_t i = 0; i < n; i++) {
		out[i].application_id = ids[i];
		lottery_ticket(seed, ids[i], out[i].ticket);
	}
	if (n > 1)
		qsort(out, n, sizeof(*out), by_ticket);
}

void lottery_hex(const unsigned char *bytes, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, bytes, n);
}

/* 64 hex digits → 32 bytes; -1 on anything else (a damaged row). */
static int unhex(struct str hex, unsigned char out[LOTTERY_SEED_BYTES])
{
	size_t len;
	if (hex.len != LOTTERY_HEX_LEN ||
	    sodium_hex2bin(out, LOTTERY_SEED_BYTES, hex.ptr, hex.len, NULL, &len, NULL) != 0 ||
	    len != LOTTERY_SEED_BYTES)
		return -1;
	return 0;
}

/* ---- the commitment ---- */

static bool is_random(const struct listing *l)
{
	return str_eq_cstr(l->f.candidate_sorting_mode, "random");
}

/* A new secret seed and its commitment for the listing, unless it has one. */
static int commit(struct core *c, int64_t listing_id, struct error *err)
{
	unsigned char seed[LOTTERY_SEED_BYTES], commitment[LOTTERY_HASH_BYTES];
	char seed_hex[LOTTERY_HEX_LEN + 1], commitment_hex[LOTTERY_HEX_LEN + 1];
	bool inserted;
	int rc;

	randombytes_buf(seed, sizeof(seed));
	lottery_commitment(seed, commitment);
	lottery_hex(seed, sizeof(seed), seed_hex);
	lottery_hex(commitment, sizeof(commitment), commitment_hex);
	rc = store_lottery_commit(c->store, listing_id, (struct str){ seed_hex, LOTTERY_HEX_LEN },
				  (struct str){ commitment_hex, LOTTERY_HEX_LEN }, core_now_us(), &inserted, err);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(seed_hex, sizeof(seed_hex));
	return rc;
}

int lottery_listing_written(struct core *c, const struct listing *l, struct error *err)
{
	if (!is_random(l) || (l->status != LISTING_APPROVED && l->status != LISTING_ACTIVE &&
			      l->status != LISTING_PAUSED && l->status != LISTING_RESERVED))
		return 0;
	return commit(c, l->id, err);
}

int lottery_commit_missing(struct core *c, struct arena *a, int64_t first, int64_t last, size_t *made,
			   struct error *err)
{
	int64_t *ids;

	if (store_lottery_uncommitted(c->store, a, first, last, &ids, made, err) < 0)
		return -1;
	for (size_t i = 0; i < *made; i++)
		if (commit(c, ids[i], err) < 0)
			return -1;
	return 0;
}

/* What may be shown of a row: the seed and the ids only once drawn. */
static void public_of(const struct lottery_draw_row *row, struct lottery_public *out)
{
	memset(out, 0, sizeof(*out));
	out->commitment_hex = row->commitment_hex;
	out->committed_at = row->committed_at;
	if (!row->drawn_at)
		return;
	out->drawn = true;
	out->seed_hex = row->seed_hex;
	out->drawn_at = row->drawn_at;
	out->application_ids = row->application_ids;
	out->n_application_ids = row->n_application_ids;
}

int lottery_of_listing(struct core *c, struct arena *a, const struct listing *l, struct lottery_public *out,
		       bool *has, struct error *err)
{
	struct lottery_draw_row row;

	*has = false;
	memset(out, 0, sizeof(*out));
	if (!is_random(l))
		return 0;
	if (store_lottery_get(c->store, a, l->id, &row, has, err) < 0)
		return -1;
	if (*has)
		public_of(&row, out);
	return 0;
}

/* ---- the draw ---- */

/* The order of a drawn row from its seed and ids. */
static int order_of(struct arena *a, const struct lottery_draw_row *row, struct lottery_entry **order, size_t *n,
		    struct error *err)
{
	unsigned char seed[LOTTERY_SEED_BYTES];

	if (unhex(row->seed_hex, seed) < 0)
		return error_set(err, ERROR_INTERNAL, NULL, "listing %lld: the stored lottery seed is not 64 hex digits",
				 (long long)row->listing_id);
	*n = row->n_application_ids;
	*order = *n ? arena_alloc(a, *n * sizeof(**order)) : NULL;
	lottery_order(seed, row->application_ids, *n, *order);
	return 0;
}

int lottery_draw_in_transaction(struct core *c, struct arena *a, int64_t listing_id, struct lottery_result *out,
				struct error *err)
{
	struct lottery_draw_row row;
	bool found, done;

	memset(out, 0, sizeof(*out));
	if (store_lottery_get(c->store, a, listing_id, &row, &found, err) < 0)
		return -1;
	if (!found)
		return error_set(err, ERROR_PRECONDITION, "LotteryNotCommitted",
				 "Listing %lld has no lottery commitment to draw.", (long long)listing_id);
	if (!row.drawn_at) {
		int64_t *ids, now = core_now_us();
		size_t n;
		if (store_lottery_open_applications(c->store, a, listing_id, &ids, &n, err) < 0 ||
		    store_lottery_reveal(c->store, a, listing_id, now, ids, n, &done, err) < 0)
			return -1;
		if (!done) /* the row was read undrawn in this transaction: only a broken lock gets here */
			return error_set(err, ERROR_CONFLICT, NULL, "listing %lld: a concurrent lottery draw",
					 (long long)listing_id);
		row.drawn_at = now;
		row.application_ids = ids;
		row.n_application_ids = n;
	}
	public_of(&row, &out->lottery);
	return order_of(a, &row, &out->order, &out->n, err);
}

int lottery_draw(struct core *c, struct arena *a, int64_t listing_id, struct lottery_result *out, struct error *err)
{
	IN_TRANSACTION(c, err, lottery_draw_in_transaction(c, a, listing_id, out, err));
	return 0;
}

/* ---- verification ---- */

int lottery_verify(struct core *c, struct arena *a, int64_t listing_id, struct lottery_verification *out,
		   struct error *err)
{
	unsigned char seed[LOTTERY_SEED_BYTES], commitment[LOTTERY_HASH_BYTES];
	char hex[LOTTERY_HEX_LEN + 1];
	bool found;

	memset(out, 0, sizeof(*out));
	if (store_lottery_get(c->store, a, listing_id, &out->row, &found, err) < 0)
		return -1;
	if (!found)
		return error_set(err, ERROR_NOT_FOUND, NULL, "listing %lld has no lottery", (long long)listing_id);
	out->revealed = out->row.drawn_at != 0;
	if (!out->revealed)
		return 0;
	if (unhex(out->row.seed_hex, seed) < 0)
		return error_set(err, ERROR_INTERNAL, NULL, "listing %lld: the stored lottery seed is not 64 hex digits",
				 (long long)listing_id);
	lottery_commitment(seed, commitment);
	lottery_hex(commitment, sizeof(commitment), hex);
	out->commitment_ok = out->row.commitment_hex.len == LOTTERY_HEX_LEN &&
			     memcmp(hex, out->row.commitment_hex.ptr, LOTTERY_HEX_LEN) == 0;
	return order_of(a, &out->row, &out->order, &out->n, err);
}
