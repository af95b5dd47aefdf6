/*
 * test_totp.c — RFC 6238 codes (Appendix B, SHA-1), the ±1 step window, replay
 * protection through last_step, and bad codes and secrets.
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/identity/totp.h"

/* "12345678901234567890" in base32 */
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static void setup(void) { cr_assert_geq(sodium_init(), 0); }

TestSuite(totp, .init = setup);

static const struct {
	int64_t time;
	int code; /* the last six digits of the RFC's eight */
} vectors[] = {
	{ 59, 287082 },         { 1111111109, 81804 },  { 1111111111, 50471 },
	{ 1234567890, 5924 },   { 2000000000, 279037 }, { 20000000000LL, 353130 },
};

static struct str code_str(int code, char buf[8])
{
	snprintf(buf, 8, "%06d", code);
	return (struct str){ buf, 6 };
}

Test(totp, rfc6238_appendix_b_sha1)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		int got = totp_code(RFC_SECRET, vectors[i].time / TOTP_STEP_SECONDS);
		cr_assert_eq(got, vectors[i].code, "T=%lld: %06d, want %06d", (long long)vectors[i].time, got,
			     vectors[i].code);
	}
}

Test(totp, verify_accepts_the_vectors_at_their_time)
{
	char buf[8];
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		int64_t step = vectors[i].time / TOTP_STEP_SECONDS;
		cr_assert_eq(totp_verify(RFC_SECRET, code_str(vectors[i].code, buf), vectors[i].time, 0), step,
			     "T=%lld", (long long)vectors[i].time);
	}
}

Test(totp, secret_is_case_insensitive_and_ignores_padding)
{
	cr_assert_eq(totp_code("gezdgnbvgy3tqojqgezdgnbvgy3tqojq", 1), 287082);
	cr_assert_eq(totp_code("GEZDGNBVGY3TQOJQ GEZDGNBVGY3TQOJQ", 1), 287082);
	/* 10 bytes "1234567890" with padding: a valid, shorter key */
	cr_assert_eq(totp_code("GEZDGNBVGY3TQOJQ", 1), totp_code("GEZDGNBVGY3TQOJQ====", 1));
}

Test(totp, window_is_one_step_either_side)
{
	const int64_t t = 1234567890, step = t / TOTP_STEP_SECONDS;
	char buf[8];
	struct str code = code_str(totp_code(RFC_SECRET, step), buf);

	cr_assert_eq(totp_verify(RFC_SECRET, code, t, 0), step);
	cr_assert_eq(totp_verify(RFC_SECRET, code, t + TOTP_STEP_SECONDS, 0), step, "one step late");
	cr_assert_eq(totp_verify(RFC_SECRET, code, t - TOTP_STEP_SECONDS, 0), step, "one step early");
	cr_assert_eq(totp_verify(RFC_SECRET, code, t + 2 * TOTP_STEP_SECONDS, 0), -1, "two steps late");
	cr_assert_eq(totp_verify(RFC_SECRET, code, t - 2 * TOTP_STEP_SECONDS, 0), -1, "two steps early");
	cr_assert_eq(totp_verify(RFC_SECRET, code, t + 3600, 0), -1, "an hour late");
}

Test(totp, a_code_is_accepted_once)
{
	const int64_t t = 2000000000, step = t / TOTP_STEP_SECONDS;
	char buf[8], buf2[8];
	struct str code = code_str(totp_code(RFC_SECRET, step), buf);
	struct str next = code_str(totp_code(RFC_SECRET, step + 1), buf2);
	int64_t last = totp_verify(RFC_SECRET, code, t, 0);

	cr_assert_eq(last, step);
	cr_assert_eq(totp_verify(RFC_SECRET, code, t, last), -1, "replayed at once");
	cr_assert_eq(totp_verify(RFC_SECRET, code, t + TOTP_STEP_SECONDS, last), -1, "replayed a step later");
	/* the next step's code still works, and then an older one does not */
	cr_assert_eq(totp_verify(RFC_SECRET, next, t, last), step + 1);
	cr_assert_eq(totp_verify(RFC_SECRET, code, t, step + 1), -1, "an older step after a newer one");
}

Test(totp, bad_codes)
{
	const int64_t t = 59;
	const char *const bad[] = { "", "28708", "2870820", "28708a", "abcdef", " 287082", "287082 ",
				    "+87082", "-87082", "287 82", "２８７０８２", "000000" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(totp_verify(RFC_SECRET, str_from_cstr(bad[i]), t, 0), -1, "\"%s\" accepted", bad[i]);
	/* the right digits with a NUL after them are still six bytes plus one */
	cr_assert_eq(totp_verify(RFC_SECRET, (struct str){ "287082\0", 7 }, t, 0), -1);
	cr_assert_eq(totp_verify(RFC_SECRET, (struct str){ "28708\0", 6 }, t, 0), -1);
}

Test(totp, bad_secrets)
{
	const char *const bad[] = { "", "====", "GEZDGNBV1", "GEZDGNBV0", "GEZDGNBV8", "GEZD-GNBV", "GEZDGNBVé" };
	char buf[8];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(totp_code(bad[i], 1), -1, "secret \"%s\" accepted", bad[i]);
		cr_assert_eq(totp_verify(bad[i], code_str(0, buf), 59, 0), -1);
	}
}

Test(totp, secret_longer_than_an_hmac_block_is_refused_not_overflowed)
{
	char secret[200];
	memset(secret, 'A', sizeof(secret) - 1);
	secret[sizeof(secret) - 1] = '\0'; /* 199 base32 chars ≈ 124 bytes */
	cr_assert_eq(totp_code(secret, 1), -1);
}

Test(totp, new_secrets_are_base32_and_distinct)
{
	char a[TOTP_SECRET_B32_LEN + 1], b[TOTP_SECRET_B32_LEN + 1];
	totp_new_secret(a);
	totp_new_secret(b);
	cr_assert_eq(strlen(a), TOTP_SECRET_B32_LEN);
	cr_assert_str_neq(a, b);
	for (size_t i = 0; i < TOTP_SECRET_B32_LEN; i++)
		cr_assert(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", a[i]) && a[i], "char %zu of %s", i, a);
	cr_assert_geq(totp_code(a, 12345), 0);
	cr_assert_lt(totp_code(a, 12345), 1000000);
}
