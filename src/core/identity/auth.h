/*
 * auth.h — who is calling: tokens in, a struct caller out; rights and office scope.
 *
 * Landlord tokens are JWTs (core/identity/jwt.h) naming a user, its company and root office.
 * auth_token() checks one in the order the seed's verify endpoint reports reasons:
 * decodable, signed by us, not expired, a landlord token, a live user, same company.
 * Every failure is ERROR_UNAUTHORIZED with the seed's reason text.
 *
 * Scope: an employee reaches exactly what lies at or below its root office; office
 * paths ("/1/4/") make that a prefix test (caller_sees_path).
 */
#ifndef RENTD_AUTH_H
#define RENTD_AUTH_H

#include <stdbool.h>

#include "core/core.h"
#include "core/identity/jwt.h"
#include "store/identity/store_org.h"

/* CALLER_AGENT: the marketplace operator's staff (users of kind operator, "agents" in the
 * accounts dialect); only the accounts dialect accepts them (ctx_auth, AUTH_ACCOUNTS). */
/* CALLER_APPLICANT: a consumer signed in through the market dialect (an applicant token);
 * only /v2/ routes accept it (ctx_auth, AUTH_APPLICANT). */
enum caller_kind { CALLER_ANONYMOUS, CALLER_EMPLOYEE, CALLER_CONSUMER, CALLER_AGENT, CALLER_APPLICANT };

struct caller {
	enum caller_kind kind;
	struct user user;
	struct str token;
	int64_t token_generation; /* applicant: the token's sign-out generation (core/market/applicants.h) */
	struct str *rights; /* employee: the rights of its right profile */
	size_t nrights;
	int64_t right_profile_id;
	struct str right_profile_name;
};

/* "JWT <token>" or "Bearer <token>" → the token; STR_NULL if the scheme is neither. */
struct str auth_header_token(struct str authorization);

/* Verifies a token and loads its caller. */
int auth_token(struct core *c, struct arena *a, struct str token, struct caller *out, struct error *err);

/* A signed token for this user (landlord for employees, consumer for consumers, agent for operators). */
struct str auth_issue(struct core *c, struct arena *a, const struct user *u);

/*
 * An applicant token (JWT_APPLICANT, --token-ttl) for a consumer user, of its current sign-out
 * generation; refresh: a refresh token instead (JWT_APPLICANT_REFRESH, AUTH_REFRESH_TTL), which
 * no endpoint accepts as a credential (auth_token refuses it).
 */
#define AUTH_REFRESH_TTL (30 * 24 * 3600)
struct str auth_issue_applicant(struct core *c, struct arena *a, const struct user *u, int64_t generation,
				bool refresh);

bool caller_has_right(const struct caller *who, const char *right);
/* ERROR_FORBIDDEN "You need the right: <right>" when missing. */
int caller_require_right(const struct caller *who, const char *right, struct error *err);
/* True when path (an office path) lies at or below the caller's root office. */
bool caller_sees_path(const struct caller *who, struct str office_path);

/* HMAC of the user for the intercom_hash field. */
struct str auth_intercom_hash(struct core *c, struct arena *a, const struct user *u);

#endif
