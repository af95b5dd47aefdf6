#include "core/identity/login.h"

#include <sodium.h>
#include <stdio.h>

#include "core/identity/password.h"
#include "core/identity/totp.h"

static struct str key_for(struct arena *a, const char *kind, struct str value)
{
	char *k = arena_printf(a, "%s:%.*s", kind, STR_FMT(value));
	for (char *p = k; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return str_from_cstr(k);
}

static int check_throttle(struct core *c, struct str key, int64_t max, struct error *err)
{
	int64_t now = core_now(), failures, start;

	if (store_login_failures(c->store, key, now - LOGIN_WINDOW_SECONDS, &failures, &start, err) < 0)
		return -1;
	if (failures >= max) {
		error_set(err, ERROR_RATE_LIMITED, "RateLimited", NULL);
		err->retry_after = (int)(start + LOGIN_WINDOW_SECONDS - now);
		if (err->retry_after < 1)
			err->retry_after = 1;
		return -1;
	}
	return 0;
}

static void check_password(struct workpool_job *job)
{
	struct login *l = (struct login *)job;
	if (l->user_found)
		l->password_ok = password_check(l->user.password_hash.ptr,
						l->in.password);
	else
		password_dummy_check(l->in.password);
}

int login_begin(struct core *c, struct arena *a, const struct login_input *in, struct login *l,
		struct error *err)
{
	memset(l, 0, sizeof(*l));
	/* copies: the request's JSON tree is gone when the pool job runs */
	l->in.username = in->username.ptr ? (struct str){ arena_strdup_str(a, in->username), in->username.len } : STR_NULL;
	l->in.password = in->password.ptr ? (struct str){ arena_strdup_str(a, in->password), in->password.len } : STR_NULL;
	l->in.two_factor_token = in->two_factor_token.ptr
		? (struct str){ arena_strdup_str(a, in->two_factor_token), in->two_factor_token.len } : STR_NULL;
	l->in.device_token = in->device_token.ptr
		? (struct str){ arena_strdup_str(a, in->device_token), in->device_token.len } : STR_NULL;
	l->in.checkin_token = in->checkin_token.ptr
		? (struct str){ arena_strdup_str(a, in->checkin_token), in->checkin_token.len } : STR_NULL;
	l->in.client_addr = in->client_addr;
	l->in.applicant = in->applicant;
	if (!in->username.ptr || in->username.len == 0)
		return error_set(err, ERROR_PRECONDITION, "UsernameMissing", "Please provide a username.");
	if (!in->password.ptr || in->password.len == 0)
		return error_set(err, ERROR_PRECONDITION, "PasswordMissing", "Please provide a password.");
	if (check_throttle(c, key_for(a, "user", in->username), LOGIN_MAX_USER_FAILURES, err) < 0 ||
	    (in->client_addr.len &&
	     check_throttle(c, key_for(a, "addr", in->client_addr), LOGIN_MAX_ADDR_FAILURES, err) < 0))
		return -1;
	if (store_user_get_by_username(c->store, a, in->username, &l->user, err) == 0) {
		/* employees and the operator's agents (a disabled agent cannot log in) */
		if (in->applicant)
			l->user_found = l->user.kind == USER_CONSUMER && l->user.password_hash.len > 0;
		else
			l->user_found = (l->user.kind == USER_EMPLOYEE ||
					 (l->user.kind == USER_OPERATOR && l->user.joined)) &&
					l->user.password_hash.len > 0;
	} else if (err->kind == ERROR_NOT_FOUND) {
		error_forget(err);
	} else {
		return -1;
	}
	l->job.run = check_password;
	return 0;
}

static int record_failure(struct core *c, struct arena *a, struct login *l, struct error *err)
{
	int64_t now = core_now();
	if (store_begin(c->store, err) < 0)
		return -1;
	if (store_login_failure_add(c->store, key_for(a, "user", l->in.username), now, LOGIN_WINDOW_SECONDS, err) < 0 ||
	    (l->in.client_addr.len &&
	     store_login_failure_add(c->store, key_for(a, "addr", l->in.client_addr), now, LOGIN_WINDOW_SECONDS, err) < 0)) {
		store_rollback(c->store);
		return -1;
	}
	return store_commit(c->store, err);
}

static struct str sha256_hex(struct arena *a, struct str s)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char *hex = arena_alloc(a, sizeof(h) * 2 + 1);
	crypto_hash_sha256(h, (const unsigned char *)s.ptr, s.len);
	sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
	return (struct str){ hex, sizeof(h) * 2 };
}

/*
 * Device verification: a known device passes; a new one needs a checkin token for this
 * person, and *new_device is then its hash, for the caller to register once every
 * check has passed.
 */
static int check_device(struct core *c, struct arena *a, struct login *l, struct str *new_device,
			struct error *err)
{
	struct str hash;
	bool known;
	struct jwt_claims cl;

	*new_device = STR_NULL;
	if (!l->user.device_verification)
		return 0;
	if (!l->in.device_token.ptr || l->in.device_token.len == 0)
		return error_set(err, ERROR_PRECONDITION, "MissingDeviceToken",
				 "You need to provide a device token in order to log in.");
	hash = sha256_hex(a, l->in.device_token);
	if (store_device_token_known(c->store, l->user.id, hash, &known, err) < 0)
		return -1;
	if (known)
		return 0;
	if (!l->in.checkin_token.ptr || l->in.checkin_token.len == 0)
		return error_set(err, ERROR_PRECONDITION, "MissingCheckinToken",
				 "To register device token you need to provide checkin token.");
	if (jwt_verify(c->secrets.jwt, l->in.checkin_token, core_now(), &cl) != JWT_OK || cl.typ != JWT_CHECKIN ||
	    cl.sub != l->user.id || !l->user.personal_number.len ||
	    !str_eq_cstr(l->user.personal_number, cl.personal_number))
		return error_set(err, ERROR_PRECONDITION, "MissmatchPersonalNumber",
				 "The checkin token does not contain the right personal number.");
	*new_device = hash;
	return 0;
}

int login_finish(struct core *c, struct arena *a, struct login *l, struct caller *out, struct str *token,
		 struct error *err)
{
	int64_t step = -1;
	struct str new_device;

	if (!l->user_found || !l->password_ok) {
		if (record_failure(c, a, l, err) < 0)
			return -1;
		return error_set(err, ERROR_FORBIDDEN, "PermissionDenied", "Please provide correct username and password");
	}
	if (l->user.kind == USER_EMPLOYEE && !l->user.right_profile_id)
		return error_set(err, ERROR_CONFLICT, "MissingRightProfile", "The user has no right profile associated.");
	if (l->user.totp_secret.len) {
		if (!l->in.two_factor_token.ptr || l->in.two_factor_token.len == 0)
			return error_set(err, ERROR_PRECONDITION, "MissingTotpToken",
					 "You require a two_factor_token in order to log in.");
		step = totp_verify(arena_strdup_str(a, l->user.totp_secret), str_trim(l->in.two_factor_token),
				   core_now(), l->user.totp_last_step);
		if (step < 0) {
			if (record_failure(c, a, l, err) < 0)
				return -1;
			return error_set(err, ERROR_PRECONDITION, "InvalidTotpToken",
					 "The two factor token that you provided is not correct.");
		}
	}
	if (check_device(c, a, l, &new_device, err) < 0)
		return -1;
	/* writes only once every check passed: a failed login must not use up the TOTP code */
	if (store_begin(c->store, err) < 0)
		return -1;
	if ((step >= 0 && store_user_set_totp_step(c->store, l->user.id, step, err) < 0) ||
	    (new_device.ptr && store_device_token_add(c->store, l->user.id, new_device, err) < 0) ||
	    store_login_failures_clear(c->store, key_for(a, "user", l->in.username), err) < 0) {
		store_rollback(c->store);
		if (err->kind == ERROR_CONFLICT) /* a concurrent login used this code first */
			return error_set(err, ERROR_PRECONDITION, "InvalidTotpToken",
					 "The two factor token that you provided is not correct.");
		return -1;
	}
	if (store_commit(c->store, err) < 0)
		return -1;
	if (l->in.applicant) {
		memset(out, 0, sizeof(*out));
		out->kind = CALLER_APPLICANT;
		out->user = l->user;
		*token = STR_NULL;
		return 0;
	}
	*token = auth_issue(c, a, &l->user);
	return auth_token(c, a, *token, out, err);
}

struct str login_checkin_token(struct core *c, struct arena *a, int64_t user_id, struct str personal_number,
			       int64_t ttl)
{
	struct jwt_claims cl;
	memset(&cl, 0, sizeof(cl));
	cl.typ = JWT_CHECKIN;
	cl.sub = user_id;
	snprintf(cl.personal_number, sizeof(cl.personal_number), "%.*s", STR_FMT(personal_number));
	cl.iat = core_now();
	cl.exp = cl.iat + ttl;
	return jwt_sign(a, c->secrets.jwt, &cl);
}
