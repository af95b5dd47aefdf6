/*
 * The lottery's algorithm (core/market/lottery.h, docs/LOTTERY.md) against an independent
 * implementation: the expected commitments, tickets and orders below were computed with
 * Python's hashlib, not with rentd, by
 *
 *     import hashlib
 *     def order(seed_hex, ids):
 *         seed = bytes.fromhex(seed_hex)
 *         t = lambda i: hashlib.sha256(seed + str(i).encode()).digest()
 *         return sorted(ids, key=lambda i: (t(i), i))
 *     hashlib.sha256(bytes.fromhex(seed_hex)).hexdigest()          # the commitment
 *     hashlib.sha256(bytes.fromhex(seed_hex) + b"17").hexdigest()  # a ticket
 *
 * with SEED_1 = bytes(range(32)).hex() and SEED_2 = sha256(b"rentd lottery test vector 2").
 * tests/lottery_example.py checks the same figures with the example of docs/LOTTERY.md.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/market/lottery.h"

#define SEED_1 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define COMMITMENT_1 "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd"
#define SEED_2 "b02697f0f0080249357d59780acb09c2e79d1ab9b94d3ac10c5474b211315daa"
#define COMMITMENT_2 "71ed9328b0b6bc9f95e3f2ac53a9a2dd7f865df43192aa40182a820804d85753"

static const int64_t ids[] = { 3, 7, 17, 42, 100, 1001, 12345678901 };
#define NIDS (sizeof(ids) / sizeof(ids[0]))
static const int64_t order_1[NIDS] = { 17, 1001, 42, 12345678901, 100, 7, 3 };
static const int64_t order_2[NIDS] = { 42, 12345678901, 17, 1001, 7, 100, 3 };

/* ids 1 … 100 under SEED_1 */
static const int64_t order_100[100] = {
	44, 17, 58, 67, 32, 81, 5,  19, 20, 75, 87, 59, 57,  54, 79, 26, 34, 41, 70, 91, 74, 50, 22, 47, 12,
	85, 38, 27, 21, 14, 48, 49, 77, 73, 93, 98, 42, 84,  39, 9,  13, 65, 80, 78, 82, 83, 23, 63, 31, 69,
	89, 92, 33, 4,  86, 24, 100, 51, 18, 6, 64, 97, 36, 68, 55, 1,  2,  56, 60, 94, 71, 90, 7,  16, 76,
	53, 11, 30, 45, 61, 37, 52, 3,  35, 8, 29, 96, 62,  95, 28, 10, 99, 25, 40, 43, 46, 72, 88, 66, 15,
};

static void seed_of(const char *hex, unsigned char seed[LOTTERY_SEED_BYTES])
{
	for (size_t i = 0; i < LOTTERY_SEED_BYTES; i++) {
		unsigned v;
		cr_assert_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		seed[i] = (unsigned char)v;
	}
}

static void expect_order(const char *seed_hex, const int64_t *in, size_t n, const int64_t *want)
{
	unsigned char seed[LOTTERY_SEED_BYTES];
	struct lottery_entry out[128];

	cr_assert_leq(n, 128);
	seed_of(seed_hex, seed);
	lottery_order(seed, in, n, out);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(out[i].application_id, want[i], "place %zu: %lld, want %lld", i + 1,
			     (long long)out[i].application_id, (long long)want[i]);
}

static void expect_commitment(const char *seed_hex, const char *want)
{
	unsigned char seed[LOTTERY_SEED_BYTES], c[LOTTERY_HASH_BYTES];
	char hex[LOTTERY_HEX_LEN + 1];

	seed_of(seed_hex, seed);
	lottery_commitment(seed, c);
	lottery_hex(c, sizeof(c), hex);
	cr_assert_str_eq(hex, want);
}

Test(lottery, commitment_is_sha256_of_the_seed)
{
	expect_commitment(SEED_1, COMMITMENT_1);
	expect_commitment(SEED_2, COMMITMENT_2);
}

Test(lottery, tickets_are_sha256_of_seed_and_decimal_id)
{
	unsigned char seed[LOTTERY_SEED_BYTES], t[LOTTERY_HASH_BYTES];
	char hex[LOTTERY_HEX_LEN + 1];

	seed_of(SEED_1, seed);
	lottery_ticket(seed, 17, t);
	lottery_hex(t, sizeof(t), hex);
	cr_assert_str_eq(hex, "062f8a385ce086fc18c328646fe056b407cab870cd12d05635466569eeb733f4");
	lottery_ticket(seed, 1001, t);
	lottery_hex(t, sizeof(t), hex);
	cr_assert_str_eq(hex, "5d1df642e0ff930668795f077b676483c6d8f674a5ec8ae7652b816385e62894");
	seed_of(SEED_2, seed);
	lottery_ticket(seed, 42, t);
	lottery_hex(t, sizeof(t), hex);
	cr_assert_str_eq(hex, "49889dd99a2c0ab21db9fb8ca4e312222b28e483ee1a7af2054caff0cfdbed8d");
}

Test(lottery, order_matches_the_independent_implementation)
{
	int64_t hundred[100];

	expect_order(SEED_1, ids, NIDS, order_1);
	expect_order(SEED_2, ids, NIDS, order_2);
	for (int i = 0; i < 100; i++)
		hundred[i] = i + 1;
	expect_order(SEED_1, hundred, 100, order_100);
}

Test(lottery, a_changed_seed_changes_the_order)
{
	unsigned char seed[LOTTERY_SEED_BYTES];
	struct lottery_entry a[NIDS], b[NIDS];
	char hex[LOTTERY_HEX_LEN + 1];
	bool same = true;

	seed_of(SEED_1, seed);
	lottery_order(seed, ids, NIDS, a);
	seed[31] ^= 1; /* one bit */
	lottery_order(seed, ids, NIDS, b);
	for (size_t i = 0; i < NIDS; i++)
		same = same && a[i].application_id == b[i].application_id;
	cr_assert(!same, "flipping one bit of the seed left the order as it was");
	for (size_t i = 0; i < NIDS; i++) { /* and every ticket with it */
		unsigned char t1[LOTTERY_HASH_BYTES], t2[LOTTERY_HASH_BYTES];
		lottery_ticket(seed, ids[i], t2);
		seed[31] ^= 1;
		lottery_ticket(seed, ids[i], t1);
		seed[31] ^= 1;
		cr_assert_neq(memcmp(t1, t2, LOTTERY_HASH_BYTES), 0, "id %lld", (long long)ids[i]);
	}
	lottery_hex(seed, sizeof(seed), hex);
	cr_assert_str_neq(hex, SEED_1);
	expect_order(SEED_2, ids, NIDS, order_2); /* and the other seed's order is its own */
	cr_assert_neq(memcmp(order_1, order_2, sizeof(order_1)), 0);
}

Test(lottery, the_order_of_the_input_does_not_matter)
{
	static const int64_t shuffled[NIDS] = { 12345678901, 100, 3, 1001, 42, 7, 17 };
	expect_order(SEED_1, shuffled, NIDS, order_1);
	expect_order(SEED_2, shuffled, NIDS, order_2);
}

Test(lottery, edge_cases)
{
	static const int64_t one[] = { 5 };
	unsigned char seed[LOTTERY_SEED_BYTES];
	struct lottery_entry out[1];

	seed_of(SEED_1, seed);
	lottery_order(seed, NULL, 0, out); /* no applications: nothing to do */
	lottery_order(seed, one, 1, out);
	cr_assert_eq(out[0].application_id, 5);
}
