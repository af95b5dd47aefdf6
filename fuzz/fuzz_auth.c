/*
 * fuzz_auth.c — the Authorization header and JWTs: auth_header_token(), then
 * jwt_verify() with a fixed key, and jwt_verify() on the raw bytes as well.
 *
 * Invariants: the token found in a header is a trimmed slice of it that follows a
 * "JWT " or "Bearer " scheme; jwt_verify leaves no claim set unless it says JWT_OK
 * or JWT_EXPIRED; and JWT_OK is only ever said of a token whose claims, signed
 * again with jwt_sign, give a token that verifies to the same claims — so a token
 * that verifies is one the signer could have made. The first input bytes also pick
 * whether to test a freshly signed token built from the input, so the fuzzer
 * reaches the claim checks without having to forge HMACs.
 */
#include <sodium.h>
#include <string.h>

#include "base/arena.h"
#include "core/identity/auth.h"
#include "core/identity/jwt.h"
#include "fuzz.h"

#define NOW 1700000000LL

static struct arena *arena;
static uint8_t key[JWT_KEY_BYTES];

static bool claims_equal(const struct jwt_claims *a, const struct jwt_claims *b)
{
	if (a->typ != b->typ || a->sub != b->sub || a->iat != b->iat || a->exp != b->exp)
		return false;
	if (a->typ == JWT_CHECKIN)
		return strcmp(a->personal_number, b->personal_number) == 0;
	return a->company == b->company && a->office == b->office;
}

static void check_verify(struct str token)
{
	struct jwt_claims cl, again;
	enum jwt_status st = jwt_verify(key, token, NOW, &cl);
	struct str resigned;

	FUZZ_CHECK(st == JWT_OK || st == JWT_MALFORMED || st == JWT_BAD_SIGNATURE || st == JWT_EXPIRED,
		   "status %d", (int)st);
	if (st != JWT_OK) {
		/* the payload is not even read when the signature is wrong */
		FUZZ_CHECK(st != JWT_BAD_SIGNATURE || cl.sub == 0, "claims read from a badly signed token");
		return;
	}
	FUZZ_CHECK(token.len <= JWT_MAX_LEN, "a token of %zu bytes verified", token.len);
	FUZZ_CHECK(cl.typ >= 0 && cl.typ < JWT_TYPE_COUNT, "typ %d", (int)cl.typ);
	FUZZ_CHECK(cl.sub > 0, "sub %lld", (long long)cl.sub);
	FUZZ_CHECK(cl.exp > NOW, "exp %lld is not after now", (long long)cl.exp);
	FUZZ_CHECK(cl.typ != JWT_CHECKIN || cl.personal_number[0], "checkin token without a personal number");
	FUZZ_CHECK(memchr(cl.personal_number, '\0', sizeof(cl.personal_number)), "personal_number not terminated");

	resigned = jwt_sign(arena, key, &cl);
	FUZZ_CHECK(jwt_verify(key, resigned, NOW, &again) == JWT_OK, "re-signed token does not verify");
	FUZZ_CHECK(claims_equal(&cl, &again), "re-signed token has other claims");
	/* and the key matters */
	{
		uint8_t other[JWT_KEY_BYTES];
		memcpy(other, key, sizeof(other));
		other[0] ^= 1;
		FUZZ_CHECK(jwt_verify(other, token, NOW, &again) == JWT_BAD_SIGNATURE, "verified under another key");
	}
}

static void check_header(struct str h)
{
	struct str t = auth_header_token(h);
	if (!t.ptr)
		return;
	FUZZ_CHECK(t.ptr >= h.ptr && t.ptr + t.len <= h.ptr + h.len, "token is not a slice of the header");
	FUZZ_CHECK(t.len > 0, "an empty token from a header");
	FUZZ_CHECK(t.ptr[0] != ' ' && t.ptr[t.len - 1] != ' ', "token not trimmed");
	{
		struct str before = { h.ptr, (size_t)(t.ptr - h.ptr) };
		struct str scheme = str_trim(before);
		FUZZ_CHECK(str_case_eq(scheme, STR_LIT("JWT")) || str_case_eq(scheme, STR_LIT("Bearer")),
			   "token after an unknown scheme");
	}
	check_verify(t);
}

/* Claims made from the input, signed: exercises a correct signature with odd values. */
static void check_signed_from(const uint8_t *data, size_t size)
{
	struct jwt_claims c;
	int64_t v[5] = { 0 };
	struct jwt_claims out;

	if (size < 1 + sizeof(v))
		return;
	memset(&c, 0, sizeof(c));
	c.typ = (enum jwt_type)(data[0] % JWT_TYPE_COUNT);
	memcpy(v, data + 1, sizeof(v));
	c.sub = v[0];
	c.company = v[1];
	c.office = v[2];
	c.iat = v[3];
	c.exp = v[4];
	{
		size_t rest = size - 1 - sizeof(v);
		size_t n = rest < sizeof(c.personal_number) - 1 ? rest : sizeof(c.personal_number) - 1;
		memcpy(c.personal_number, data + 1 + sizeof(v), n);
		c.personal_number[n] = '\0';
	}
	{
		struct str t = jwt_sign(arena, key, &c);
		enum jwt_status st = jwt_verify(key, t, NOW, &out);
		size_t pnlen = strlen(c.personal_number);
		bool ok_claims = c.sub > 0 && (c.typ != JWT_CHECKIN || pnlen > 0);
		bool ascii = true;

		for (size_t i = 0; i < pnlen; i++)
			ascii &= (unsigned char)c.personal_number[i] < 0x80;
		FUZZ_CHECK(st != JWT_BAD_SIGNATURE, "our own signature refused");
		/* non-ASCII bytes may be replaced on the way out, so only ASCII numbers must survive */
		if (ok_claims && (c.typ != JWT_CHECKIN || ascii))
			FUZZ_CHECK(st == (c.exp > NOW ? JWT_OK : JWT_EXPIRED), "status %d for valid claims", (int)st);
		if (!ok_claims)
			FUZZ_CHECK(st == JWT_MALFORMED, "status %d for sub %lld", (int)st, (long long)c.sub);
		check_verify(t);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct str raw = { (const char *)data, size };

	if (!arena) {
		if (sodium_init() < 0)
			abort();
		memset(key, 0x5a, sizeof(key));
		arena = arena_create(16 * 1024);
	}
	arena_reset(arena);

	check_header(raw);
	check_verify(raw);
	check_signed_from(data, size);
	return 0;
}
