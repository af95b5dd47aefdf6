#include "core/identity/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/memo.h"
#include "core/core.h"

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

/*
 * The user behind a token, with its profile's rights, as one statement reads them — kept
 * (core->callers) while nothing in the database changes (the kept epoch, core_kept_epoch): a
 * user deleted, a password, a right or an office changed, by this process or another, moves
 * the epoch first. Kept as bytes: the struct, then each string's length, bytes and NUL.
 */
#define USER_STRINGS(u)                                                                                      \
	{ &(u)->uuid, &(u)->username, &(u)->email, &(u)->password_hash, &(u)->first_name, &(u)->last_name,    \
	  &(u)->personal_number, &(u)->phone, &(u)->totp_secret, &(u)->date_joined, &(u)->right_profile_name, \
	  &(u)->root_office_name, &(u)->root_office_path, &(u)->selected_office_name, &(u)->selected_office_path }

#define NO_STR UINT32_MAX /* the length of a string that is not there (ptr NULL) */

static void pack_str(struct buf *b, struct str s)
{
	uint32_t len = s.ptr ? (uint32_t)s.len : NO_STR;
	buf_append(b, (const char *)&len, sizeof(len));
	if (s.ptr && s.len)
		buf_append(b, s.ptr, s.len);
	if (s.ptr)
		buf_append(b, "", 1);
}

static bool unpack_str(struct str *in, struct str *out)
{
	uint32_t len;
	if (in->len < sizeof(len))
		return false;
	memcpy(&len, in->ptr, sizeof(len));
	if (len == NO_STR) {
		*out = STR_NULL;
		in->ptr += sizeof(len);
		in->len -= sizeof(len);
		return true;
	}
	if (in->len - sizeof(len) < (size_t)len + 1)
		return false;
	*out = (struct str){ in->ptr + sizeof(len), len };
	in->ptr += sizeof(len) + len + 1;
	in->len -= sizeof(len) + len + 1;
	return true;
}

static int user_with_rights(struct core *c, struct arena *a, int64_t id, struct user *u, struct str **rights,
			    size_t *nrights, struct error *err)
{
	uint64_t epoch = core_kept_epoch(c);
	char k[1 + sizeof(id)] = { 'U' };
	struct str key = { k, sizeof(k) }, version = { (const char *)&epoch, sizeof(epoch) }, kept;
	struct str *strs[] = USER_STRINGS(u);
	struct buf b;
	uint32_t n;

	memcpy(k + 1, &id, sizeof(id));
	if (epoch && memo_get(c->callers, key, version, a, &kept) && kept.len >= sizeof(*u) + sizeof(n)) {
		bool ok = true;
		memcpy(u, kept.ptr, sizeof(*u));
		memcpy(&n, kept.ptr + sizeof(*u), sizeof(n));
		kept.ptr += sizeof(*u) + sizeof(n);
		kept.len -= sizeof(*u) + sizeof(n);
		for (size_t i = 0; ok && i < sizeof(strs) / sizeof(strs[0]); i++)
			ok = unpack_str(&kept, strs[i]);
		*rights = n ? arena_alloc(a, n * sizeof(**rights)) : NULL;
		for (uint32_t i = 0; ok && i < n; i++)
			ok = unpack_str(&kept, &(*rights)[i]);
		*nrights = n;
		if (ok)
			return 0;
	}
	if (store_user_get_with_rights(c->store, a, id, u, rights, nrights, err) < 0)
		return -1;
	if (epoch) {
		buf_init(&b, a, 512);
		buf_append(&b, (const char *)u, sizeof(*u));
		n = (uint32_t)*nrights;
		buf_append(&b, (const char *)&n, sizeof(n));
		for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
			pack_str(&b, *strs[i]);
		for (size_t i = 0; i < *nrights; i++)
			pack_str(&b, (*rights)[i]);
		memo_put(c->callers, key, version, buf_str(&b));
	}
	return 0;
}

static int unauthorized(struct error *err, const char *reason)
{
	return error_set(err, ERROR_UNAUTHORIZED, "Unauthorized", "%s", reason);
}

int auth_token(struct core *c, struct arena *a, struct str token, struct caller *out, struct error *err)
{
	struct jwt_claims cl;
	struct str *rights;
	size_t nrights;

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
	/* the user's row and its profile's rights (every authenticated request) */
	if (user_with_rights(c, a, cl.sub, &out->user, &rights, &nrights, err) < 0) {
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
		out->rights = rights;
		out->nrights = nrights;
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
