/*
 * login.h — the employee login of POST /api/v2/tokens/, in three steps so the
 * expensive password check runs on the workpool, not on a request thread:
 *
 *   login_begin()   request thread: required fields, throttling, user lookup
 *   login.job       workpool: argon2id check (or a dummy one for unknown users)
 *   login_finish()  request thread: failure counting, right profile, TOTP, device
 *                   tokens, the token
 *
 * Errors are the seed's table (homeq.md §1): 412 UsernameMissing, PasswordMissing,
 * MissingTotpToken, InvalidTotpToken, MissingDeviceToken, MissingCheckinToken,
 * MissmatchPersonalNumber; 409 MissingRightProfile; 403 PermissionDenied. Too many
 * failures for a username or a client address: 429 RateLimited with Retry-After.
 */
#ifndef RENTD_LOGIN_H
#define RENTD_LOGIN_H

#include <stdbool.h>

#include "base/workpool.h"
#include "core/identity/auth.h"

#define LOGIN_WINDOW_SECONDS (15 * 60)
#define LOGIN_MAX_USER_FAILURES 5
#define LOGIN_MAX_ADDR_FAILURES 20

struct login_input {
	struct str username; /* ptr NULL: absent */
	struct str password;
	struct str two_factor_token;
	struct str device_token;
	struct str checkin_token;
	struct str client_addr;
	/*
	 * The market dialect's sign-in (core/market/applicants.h): consumers log in instead of
	 * employees and agents, and login_finish() leaves the token to the caller (*token empty,
	 * out->user the consumer), which issues an applicant token of its sign-out generation.
	 */
	bool applicant;
};

struct login {
	struct workpool_job job; /* run on the pool by the caller */
	struct login_input in;
	bool user_found;
	struct user user;
	bool password_ok; /* set by job */
};

/* Copies in into a (the request's arena), so the body may be freed before the job runs. */
int login_begin(struct core *c, struct arena *a, const struct login_input *in, struct login *l,
		struct error *err);

/* On success: out is the logged-in caller, *token its new token. */
int login_finish(struct core *c, struct arena *a, struct login *l, struct caller *out, struct str *token,
		 struct error *err);

/* A checkin token for a verified personal number (issued by an identity check). */
struct str login_checkin_token(struct core *c, struct arena *a, int64_t user_id, struct str personal_number,
			       int64_t ttl);

#endif
