/*
 * jwt.h — JSON Web Tokens, HS256 only.
 *
 * The algorithm is pinned: a header that names anything but HS256 (including
 * "none") is refused before any signature work, so a token cannot choose how it is
 * checked. Every claim rentd relies on is required: typ, sub, company, office, iat,
 * exp (checkin tokens carry personal_number instead of company and office; agent
 * tokens carry neither; applicant tokens carry gen instead).
 * Parsing is strict: exactly three base64url parts without padding, JSON objects
 * in each, integers where integers are due.
 */
#ifndef RENTD_JWT_H
#define RENTD_JWT_H

#include <stdint.h>

#include "base/arena.h"
#include "base/str.h"

#define JWT_KEY_BYTES 32
#define JWT_MAX_LEN 4096

/*
 * agent: the operator's staff (the accounts dialect's agents); it carries no company or office.
 * applicant: a consumer signed in through the market dialect (POST /v2/auth); accepted on /v2/
 * only, so a market token never opens the landlord API (and a landlord token never /v2/).
 */
enum jwt_type {
	JWT_LANDLORD,
	JWT_CONSUMER,
	JWT_CHECKIN,
	JWT_AGENT,
	JWT_APPLICANT,
	JWT_APPLICANT_REFRESH, /* "applicant_refresh": only buys new applicant tokens (POST /v2/auth) */
	JWT_TYPE_COUNT
};

struct jwt_claims {
	enum jwt_type typ;
	int64_t sub;     /* user id */
	int64_t company; /* landlord: company id */
	int64_t office;  /* landlord: root office id */
	int64_t iat;
	int64_t exp;
	char personal_number[16]; /* checkin: the verified personal number */
	int64_t generation;       /* applicant, applicant_refresh ("gen"): the sign-out generation */
};

enum jwt_status {
	JWT_OK,
	JWT_MALFORMED,     /* cannot be decoded, wrong algorithm, missing or mistyped claims */
	JWT_BAD_SIGNATURE,
	JWT_EXPIRED,
};

const char *jwt_type_name(enum jwt_type t);

/* A signed token in the arena. */
struct str jwt_sign(struct arena *a, const uint8_t key[JWT_KEY_BYTES], const struct jwt_claims *c);

/* Checks structure, algorithm, signature, then claims and expiry (against now). */
enum jwt_status jwt_verify(const uint8_t key[JWT_KEY_BYTES], struct str token, int64_t now,
			   struct jwt_claims *out);

#endif
