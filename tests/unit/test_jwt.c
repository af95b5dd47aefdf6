/*
 * test_jwt.c — HS256 tokens: round trips of each type, and every way jwt_verify()
 * must refuse a token (each jwt_status). Hand-made tokens are signed here with
 * libsodium directly, so a refusal is about the content, not the signature.
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "core/identity/jwt.h"

static struct arena *arena;
static uint8_t key[JWT_KEY_BYTES];
static uint8_t other_key[JWT_KEY_BYTES];

#define NOW 1700000000LL
#define HS256_HEADER "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

static void setup(void)
{
	cr_assert_geq(sodium_init(), 0);
	arena = arena_create(8192);
	memset(key, 0x42, sizeof(key));
	memset(other_key, 0x43, sizeof(other_key));
}
static void teardown(void) { arena_destroy(arena); }

TestSuite(jwt, .init = setup, .fini = teardown);

static char *b64url(const void *bin, size_t len)
{
	size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(arena, cap);
	sodium_bin2base64(out, cap, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* header.payload signed with k (NULL: signature part left empty). */
static struct str make_token(const char *header, const char *payload, const uint8_t *k)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char *signing = arena_printf(arena, "%s.%s", b64url(header, strlen(header)), b64url(payload, strlen(payload)));
	if (!k)
		return str_from_cstr(arena_printf(arena, "%s.", signing));
	crypto_auth_hmacsha256(mac, (const unsigned char *)signing, strlen(signing), k);
	return str_from_cstr(arena_printf(arena, "%s.%s", signing, b64url(mac, sizeof(mac))));
}

static struct str landlord_payload_token(const char *payload)
{
	return make_token(HS256_HEADER, payload, key);
}

static enum jwt_status verify(struct str token, struct jwt_claims *cl)
{
	return jwt_verify(key, token, NOW, cl);
}

static struct jwt_claims landlord_claims(void)
{
	struct jwt_claims c;
	memset(&c, 0, sizeof(c));
	c.typ = JWT_LANDLORD;
	c.sub = 7;
	c.company = 3;
	c.office = 11;
	c.iat = NOW - 10;
	c.exp = NOW + 3600;
	return c;
}

Test(jwt, landlord_round_trip)
{
	struct jwt_claims in = landlord_claims(), out;
	struct str t = jwt_sign(arena, key, &in);

	cr_assert_eq(t.ptr[t.len], '\0', "signed tokens are NUL-terminated");
	cr_assert_eq(strlen(t.ptr), t.len);
	cr_assert_null(memchr(t.ptr, '=', t.len), "no padding");
	cr_assert_eq(verify(t, &out), JWT_OK);
	cr_assert_eq(out.typ, JWT_LANDLORD);
	cr_assert_eq(out.sub, 7);
	cr_assert_eq(out.company, 3);
	cr_assert_eq(out.office, 11);
	cr_assert_eq(out.iat, NOW - 10);
	cr_assert_eq(out.exp, NOW + 3600);
	cr_assert_str_empty(out.personal_number);
}

Test(jwt, consumer_round_trip)
{
	struct jwt_claims in = landlord_claims(), out;
	in.typ = JWT_CONSUMER;
	in.company = 0;
	in.office = 0;
	cr_assert_eq(verify(jwt_sign(arena, key, &in), &out), JWT_OK);
	cr_assert_eq(out.typ, JWT_CONSUMER);
	cr_assert_eq(out.sub, 7);
}

Test(jwt, checkin_round_trip_carries_the_personal_number)
{
	struct jwt_claims in, out;
	memset(&in, 0, sizeof(in));
	in.typ = JWT_CHECKIN;
	in.sub = 99;
	snprintf(in.personal_number, sizeof(in.personal_number), "198112189876");
	in.iat = NOW;
	in.exp = NOW + 300;
	cr_assert_eq(verify(jwt_sign(arena, key, &in), &out), JWT_OK);
	cr_assert_eq(out.typ, JWT_CHECKIN);
	cr_assert_eq(out.sub, 99);
	cr_assert_str_eq(out.personal_number, "198112189876");
	cr_assert_eq(out.company, 0);

	/* the longest that fits: 15 characters */
	snprintf(in.personal_number, sizeof(in.personal_number), "123456789012345");
	cr_assert_eq(verify(jwt_sign(arena, key, &in), &out), JWT_OK);
	cr_assert_str_eq(out.personal_number, "123456789012345");
}

Test(jwt, type_names)
{
	cr_assert_str_eq(jwt_type_name(JWT_LANDLORD), "landlord");
	cr_assert_str_eq(jwt_type_name(JWT_CONSUMER), "consumer");
	cr_assert_str_eq(jwt_type_name(JWT_CHECKIN), "checkin");
	cr_assert_str_eq(jwt_type_name(JWT_TYPE_COUNT), "unknown");
	cr_assert_str_eq(jwt_type_name((enum jwt_type)-1), "unknown");
}

Test(jwt, hand_made_token_matches_the_signer)
{
	struct jwt_claims out;
	struct str t = landlord_payload_token(
		"{\"typ\":\"landlord\",\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}");
	cr_assert_eq(verify(t, &out), JWT_OK);
	cr_assert_eq(out.sub, 7);
	/* the header may leave typ out (RFC 7515: optional) */
	t = make_token("{\"alg\":\"HS256\"}",
		       "{\"typ\":\"landlord\",\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}", key);
	cr_assert_eq(verify(t, &out), JWT_OK);
}

Test(jwt, bad_signature)
{
	struct jwt_claims in = landlord_claims(), out;
	struct str t = jwt_sign(arena, key, &in);
	char *copy;
	const char *dot;

	cr_assert_eq(jwt_verify(other_key, t, NOW, &out), JWT_BAD_SIGNATURE, "another key");

	copy = arena_strndup(arena, t.ptr, t.len);
	dot = strrchr(copy, '.');
	copy[dot - copy + 1] = copy[dot - copy + 1] == 'A' ? 'B' : 'A'; /* first signature char */
	cr_assert_eq(verify(str_from_cstr(copy), &out), JWT_BAD_SIGNATURE, "signature changed");

	copy = arena_strndup(arena, t.ptr, t.len);
	dot = strchr(copy, '.');
	copy[dot - copy + 2] = copy[dot - copy + 2] == 'x' ? 'y' : 'x'; /* inside the payload */
	cr_assert_eq(verify(str_from_cstr(copy), &out), JWT_BAD_SIGNATURE, "payload changed");
	cr_assert_eq(out.sub, 0, "claims are not filled for a refused token");

	/* a different, well-formed payload under the original signature */
	in.sub = 8;
	{
		struct str t2 = jwt_sign(arena, key, &in);
		const char *p1 = strchr(t.ptr, '.'), *s1 = strrchr(t.ptr, '.');
		const char *p2 = strchr(t2.ptr, '.'), *s2 = strrchr(t2.ptr, '.');
		char *spliced = arena_printf(arena, "%.*s%.*s%s", (int)(p1 - t.ptr), t.ptr, (int)(s2 - p2), p2, s1);
		cr_assert_eq(verify(str_from_cstr(spliced), &out), JWT_BAD_SIGNATURE, "payload swapped");
	}

	/* signature is checked before expiry and before the payload is read */
	in = landlord_claims();
	in.exp = NOW - 1;
	cr_assert_eq(jwt_verify(other_key, jwt_sign(arena, key, &in), NOW, &out), JWT_BAD_SIGNATURE);
	cr_assert_eq(verify(make_token(HS256_HEADER, "not json", other_key), &out), JWT_BAD_SIGNATURE);
}

Test(jwt, expired_at_and_after_exp)
{
	struct jwt_claims in = landlord_claims(), out;
	in.exp = NOW;
	cr_assert_eq(verify(jwt_sign(arena, key, &in), &out), JWT_EXPIRED, "exp exactly now");
	in.exp = NOW - 3600;
	cr_assert_eq(verify(jwt_sign(arena, key, &in), &out), JWT_EXPIRED);
	in.exp = NOW + 1;
	cr_assert_eq(verify(jwt_sign(arena, key, &in), &out), JWT_OK, "one second left");
	in.exp = 0;
	cr_assert_eq(verify(jwt_sign(arena, key, &in), &out), JWT_EXPIRED);
}

/* "header.payload" exactly as given (any bytes), signed with key. */
static struct str sign_raw(const char *signing)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256(mac, (const unsigned char *)signing, strlen(signing), key);
	return str_from_cstr(arena_printf(arena, "%s.%s", signing, b64url(mac, sizeof(mac))));
}

Test(jwt, structure_is_strict)
{
	struct jwt_claims in = landlord_claims(), out;
	struct str t = jwt_sign(arena, key, &in);
	const char *d1 = strchr(t.ptr, '.'), *d2 = strrchr(t.ptr, '.');
	int hlen = (int)(d1 - t.ptr), plen = (int)(d2 - d1 - 1);
	char *big = arena_alloc(arena, JWT_MAX_LEN + 2);
	const char *const bad[] = {
		"", ".", "..", "...", "abc", "abc.def", "a.b.c", "a.b.c.d",
		arena_printf(arena, "%s.", t.ptr),                                 /* trailing dot */
		arena_printf(arena, ".%s", t.ptr),                                 /* leading dot */
		arena_printf(arena, "%s.%s", t.ptr, "AAAA"),                       /* four parts */
		arena_printf(arena, "%.*s", (int)(d2 - t.ptr), t.ptr),             /* two parts */
		arena_printf(arena, ".%s", d1 + 1),                                /* empty header */
		arena_printf(arena, "%.*s.", (int)(d2 - t.ptr), t.ptr),            /* empty signature */
		arena_printf(arena, "%s=", t.ptr),                                 /* padded signature */
		arena_printf(arena, "%.*s=%s", hlen, t.ptr, d1),                   /* padded header */
		arena_printf(arena, " %s", t.ptr),                                 /* whitespace */
		arena_printf(arena, "%s ", t.ptr),
		arena_printf(arena, "%s\n", t.ptr),
		arena_printf(arena, "%.*s%s", (int)(d2 - t.ptr), t.ptr, ".AAAA"),   /* short signature */
		arena_printf(arena, "%.*s.%s%s", (int)(d2 - t.ptr), t.ptr, d2 + 1, "AAAA"), /* long signature */
	};
	/* payload problems are found after the signature check: sign them properly */
	const char *const bad_signed[] = {
		arena_printf(arena, "%.*s.", hlen, t.ptr),                              /* empty payload */
		arena_printf(arena, "%.*s=", (int)(d2 - t.ptr), t.ptr),                 /* padded payload */
		arena_printf(arena, "%.*s==", (int)(d2 - t.ptr), t.ptr),
		arena_printf(arena, "%.*s+%.*s", hlen + 2, t.ptr, plen - 2, d1 + 2),    /* standard alphabet */
		arena_printf(arena, "%.*s/%.*s", hlen + 2, t.ptr, plen - 2, d1 + 2),
		arena_printf(arena, "%.*s %.*s", hlen + 2, t.ptr, plen - 2, d1 + 2),
		arena_printf(arena, "%.*s.%s", hlen, t.ptr, b64url("{\"typ\"", 6)),    /* truncated JSON */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(verify(str_from_cstr(bad[i]), &out), JWT_MALFORMED, "[%zu] \"%s\"", i, bad[i]);
	for (size_t i = 0; i < sizeof(bad_signed) / sizeof(bad_signed[0]); i++)
		cr_assert_eq(verify(sign_raw(bad_signed[i]), &out), JWT_MALFORMED, "signed [%zu] \"%s\"", i,
			     bad_signed[i]);

	memset(big, 'A', JWT_MAX_LEN + 1);
	big[JWT_MAX_LEN + 1] = '\0';
	big[10] = '.';
	big[20] = '.';
	cr_assert_eq(verify(str_from_cstr(big), &out), JWT_MALFORMED, "longer than JWT_MAX_LEN");
	cr_assert_eq(verify((struct str){ t.ptr, 0 }, &out), JWT_MALFORMED);
	/* embedded NUL */
	{
		char *nul = arena_strndup(arena, t.ptr, t.len);
		nul[5] = '\0';
		cr_assert_eq(verify((struct str){ nul, t.len }, &out), JWT_MALFORMED);
	}
	/* the length given counts, not the NUL: a prefix of a good token is not good */
	cr_assert_eq(verify((struct str){ t.ptr, t.len - 1 }, &out), JWT_MALFORMED);
}

Test(jwt, algorithm_is_pinned)
{
	const char *payload = "{\"typ\":\"landlord\",\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}";
	const char *const headers[] = {
		"{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"alg\":\"HS512\",\"typ\":\"JWT\"}",
		"{\"alg\":\"HS384\"}",                "{\"alg\":\"RS256\"}",
		"{\"alg\":\"hs256\"}",                "{\"alg\":\"HS256 \"}",
		"{\"typ\":\"JWT\"}",                  "{\"alg\":null}",
		"{\"alg\":256}",                      "{\"alg\":[\"HS256\"]}",
		"{\"alg\":\"HS256\",\"typ\":\"JWS\"}", "{\"alg\":\"HS256\",\"typ\":1}",
		"{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", "{\"alg\":\"HS256\",\"alg\":\"HS256\"}",
		"[\"HS256\"]",                        "\"HS256\"",
		"{\"alg\":\"HS256\"",                 "{\"alg\":\"HS256\"}x",
		"{}",
	};
	struct jwt_claims out;
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		cr_assert_eq(verify(make_token(headers[i], payload, key), &out), JWT_MALFORMED, "header %s", headers[i]);
		cr_assert_eq(verify(make_token(headers[i], payload, NULL), &out), JWT_MALFORMED,
			     "header %s, no signature", headers[i]);
	}
	/* alg none with a forged HS256 header signature of nothing */
	cr_assert_eq(verify(make_token("{\"alg\":\"none\"}", payload, NULL), &out), JWT_MALFORMED);

	/* an HS512 token made with the right key is still refused */
	{
		unsigned char mac[crypto_auth_hmacsha512_BYTES];
		char *signing = arena_printf(arena, "%s.%s", b64url("{\"alg\":\"HS512\"}", 15),
					     b64url(payload, strlen(payload)));
		crypto_auth_hmacsha512_state st;
		crypto_auth_hmacsha512_init(&st, key, sizeof(key));
		crypto_auth_hmacsha512_update(&st, (const unsigned char *)signing, strlen(signing));
		crypto_auth_hmacsha512_final(&st, mac);
		cr_assert_eq(verify(str_from_cstr(arena_printf(arena, "%s.%s", signing, b64url(mac, sizeof(mac)))), &out),
			     JWT_MALFORMED);
	}
}

Test(jwt, claims_are_required_and_typed)
{
	const char *const bad[] = {
		/* typ */
		"{\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"admin\",\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"Landlord\",\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":1,\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":null,\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		/* sub */
		"{\"typ\":\"landlord\",\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":0,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":-7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":7.5,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":7.0,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":true,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":null,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":\"seven\",\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":\"7x\",\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":\"\",\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":[7],\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":{},\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":99999999999999999999,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		/* company, office */
		"{\"typ\":\"landlord\",\"sub\":7,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":7,\"company\":3,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":7,\"company\":3.5,\"office\":11,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"consumer\",\"sub\":7,\"iat\":1,\"exp\":1800000000}",
		/* iat, exp */
		"{\"typ\":\"landlord\",\"sub\":7,\"company\":3,\"office\":11,\"exp\":1800000000}",
		"{\"typ\":\"landlord\",\"sub\":7,\"company\":3,\"office\":11,\"iat\":1}",
		"{\"typ\":\"landlord\",\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1.8e9}",
		"{\"typ\":\"landlord\",\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":\"tomorrow\"}",
		"{\"typ\":\"landlord\",\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,\"exp\":false}",
		/* checkin */
		"{\"typ\":\"checkin\",\"sub\":7,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"checkin\",\"sub\":7,\"personal_number\":\"\",\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"checkin\",\"sub\":7,\"personal_number\":198112189876,\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"checkin\",\"sub\":7,\"personal_number\":\"1234567890123456\",\"iat\":1,\"exp\":1800000000}",
		"{\"typ\":\"checkin\",\"sub\":7,\"personal_number\":\"19811218\\u00009876\",\"iat\":1,\"exp\":1800000000}",
		/* not an object, not JSON, duplicate keys */
		"[]", "7", "\"landlord\"", "null", "", "{", "not json",
		"{\"typ\":\"landlord\",\"sub\":7,\"sub\":8,\"company\":3,\"office\":11,\"iat\":1,\"exp\":1800000000}",
	};
	struct jwt_claims out;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum jwt_status st = verify(landlord_payload_token(bad[i]), &out);
		cr_assert_eq(st, JWT_MALFORMED, "[%zu] payload %s → %d", i, bad[i], st);
	}
}

Test(jwt, unknown_claims_are_ignored)
{
	struct jwt_claims out;
	struct str t = landlord_payload_token("{\"typ\":\"landlord\",\"sub\":7,\"company\":3,\"office\":11,\"iat\":1,"
					      "\"exp\":1800000000,\"role\":\"admin\",\"personal_number\":\"x\"}");
	cr_assert_eq(verify(t, &out), JWT_OK);
	cr_assert_str_empty(out.personal_number, "personal_number is read only from checkin tokens");
}

Test(jwt, signed_token_fits_the_limit)
{
	struct jwt_claims in, out;
	memset(&in, 0, sizeof(in));
	in.typ = JWT_LANDLORD;
	in.sub = INT64_MAX;
	in.company = INT64_MAX;
	in.office = INT64_MAX;
	in.iat = INT64_MIN;
	in.exp = INT64_MAX;
	{
		struct str t = jwt_sign(arena, key, &in);
		cr_assert_leq(t.len, JWT_MAX_LEN);
		cr_assert_eq(verify(t, &out), JWT_OK);
		cr_assert_eq(out.sub, INT64_MAX);
		cr_assert_eq(out.iat, INT64_MIN);
	}
}
