#include "core/identity/auth.h"

#include <sodium.h>
#include <stdio.h>

#include "core/identity/rights.h"

struct str auth_header_token(struct str h)
{
	h = str_trim(h);
	if (h.len > 4 && str_case_eq((struct str){ h.ptr, 4 }, STR_LIT("JWT ")))
		return str_trim((struct str){ h.ptr + 4, h.len - 4 });
	if (h.len > 7 && str_case_eq((struct str){ h.ptr, 7 }, STR_LIT("Bearer ")))
		return str_trim((struct str){ h.ptr + 7, h.len - 7 });
	return STR_NULL;
}

static int unauthorized(struct error *err, const char *reason)
{
	return error_set(err, ERROR_UNAUTHORIZED, "Unauthorized", "%s", reason);
}

int auth_token(struct core *c, struct arena *a, struct str token, struct caller *out, struct error *err)
{
	struct jwt_claims cl;

	memset(out, 0, sizeof(*out));
	if (!token.ptr || token.len == 0)
		return unauthorized(err, "Please provide a token");
	switch (jwt_verify(c->secrets.jwt, token, core_now(), &cl)) {
	case JWT_OK:
		break;
	case JWT_MALFORMED:
		return unauthorized(err, "Could not decode JWT token");
	case JWT_BAD_SIGNATURE:
		return unauthorized(err, "There was a problem with verifying your token");
	case JWT_EXPIRED:
		return unauthorized(err, "Signature of the token is expired");
	}
	if (cl.typ == JWT_CHECKIN || cl.typ == JWT_APPLICANT_REFRESH)
		return unauthorized(err, "The token needs to be a landlord token");
	if (store_user_get(c->store, a, cl.sub, &out->user, err) < 0) {
		if (err->kind == ERROR_NOT_FOUND)
			return unauthorized(err, "User specified in the token was not found");
		return -1;
	}
	if (cl.typ == JWT_AGENT) {
		if (out->user.kind != USER_OPERATOR || !out->user.joined)
			return unauthorized(err, "User specified in the token was not found");
		out->kind = CALLER_AGENT;
		out->token = token;
		return 0;
	}
	out->token_generation = cl.generation;
	if (cl.typ == JWT_CONSUMER || cl.typ == JWT_APPLICANT) {
		if (out->user.kind != USER_CONSUMER)
			return unauthorized(err, "User specified in the token was not found");
		out->kind = cl.typ == JWT_APPLICANT ? CALLER_APPLICANT : CALLER_CONSUMER;
		out->token = token;
		return 0;
	}
	if (out->user.kind != USER_EMPLOYEE)
		return unauthorized(err, "User specified in the token was not found");
	if (out->user.company_id != cl.company)
		return unauthorized(err, "You need to reissue the token as your company id changed.");
	out->kind = CALLER_EMPLOYEE;
	out->token = token;
	if (out->user.right_profile_id) {
		/* the name came with the user's row; only the rights are read here */
		if (store_right_profile_rights(c->store, a, out->user.right_profile_id, &out->rights, &out->nrights,
					       err) < 0)
			return -1;
		out->right_profile_id = out->user.right_profile_id;
		out->right_profile_name = out->user.right_profile_name;
	}
	return 0;
}

struct str auth_issue(struct core *c, struct arena *a, const struct user *u)
{
	struct jwt_claims cl;
	memset(&cl, 0, sizeof(cl));
	cl.typ = u->kind == USER_CONSUMER ? JWT_CONSUMER : u->kind == USER_OPERATOR ? JWT_AGENT : JWT_LANDLORD;
	cl.sub = u->id;
	cl.company = u->company_id;
	cl.office = u->root_office_id;
	cl.iat = core_now();
	cl.exp = cl.iat + c->token_ttl;
	return jwt_sign(a, c->secrets.jwt, &cl);
}

struct str auth_issue_applicant(struct core *c, struct arena *a, const struct user *u, int64_t generation,
				bool refresh)
{
	struct jwt_claims cl;
	memset(&cl, 0, sizeof(cl));
	cl.typ = refresh ? JWT_APPLICANT_REFRESH : JWT_APPLICANT;
	cl.sub = u->id;
	cl.generation = generation;
	cl.iat = core_now();
	cl.exp = cl.iat + (refresh ? AUTH_REFRESH_TTL : c->token_ttl);
	return jwt_sign(a, c->secrets.jwt, &cl);
}

bool caller_has_right(const struct caller *who, const char *right)
{
	if (who->kind != CALLER_EMPLOYEE)
		return false;
	for (size_t i = 0; i < who->nrights; i++)
		if (str_eq_cstr(who->rights[i], right))
			return true;
	return false;
}

int caller_require_right(const struct caller *who, const char *right, struct error *err)
{
	if (caller_has_right(who, right))
		return 0;
	return error_set(err, ERROR_FORBIDDEN, "PermissionDenied", "You need the right: %s", right);
}

bool caller_sees_path(const struct caller *who, struct str office_path)
{
	return who->kind == CALLER_EMPLOYEE && office_path.len &&
	       str_has_prefix(office_path, who->user.root_office_path);
}

struct str auth_intercom_hash(struct core *c, struct arena *a, const struct user *u)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char msg[32];
	char *hex = arena_alloc(a, sizeof(mac) * 2 + 1);
	int n = snprintf(msg, sizeof(msg), "%lld", (long long)u->id);

	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (size_t)n, c->secrets.intercom);
	sodium_bin2hex(hex, sizeof(mac) * 2 + 1, mac, sizeof(mac));
	return (struct str){ hex, sizeof(mac) * 2 };
}
