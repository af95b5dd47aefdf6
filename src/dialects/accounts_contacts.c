/*
 * accounts_contacts.c — an account's contacts and contact types (spotahome.md §2.5, §2.6):
 *
 *   POST       /api/landlords/accounts/{id}/contacts
 *   PUT|DELETE /api/landlords/accounts/{id}/contacts/{contactId}
 *   PUT        /api/landlords/accounts/{id}/contact-types
 *   POST       /api/landlords/accounts/{id}/contacts/{contactId}/obfuscate   (rentd extension, agents only)
 *   and the deprecated /api/accommodation-providers/{id}/contacts[/{contactId}] and
 *   /api/accommodation-providers/{id}/contact-types, which run the same handlers and answer
 *   with a Deprecation header (docs/DECISIONS.md).
 *
 * Validation failures of the current create and update are 409 with the E422 body (S-03,
 * the ROUTE_INVALID_409 routes); of the deprecated twins 422. Deleting a contact that
 * holds a contact type is 409 on both paths (S-46). Another account's id is 404 (no
 * contacts endpoint documents 403, S-40).
 */
#include <stdio.h>

#include "core/accounts/accounts.h"
#include "dialects/accounts.h"
#include "dialects/dialects.h"
#include "json/json_read.h"

#define NAME_MAX_LEN 255
#define EMAIL_MAX_LEN 254
#define PHONE_MAX_LEN 64 /* the store keeps the digits of at most this many characters */
#define ADDRESS_MAX_LEN 255
#define ZIP_MAX_LEN 32
#define NOTES_MAX_LEN 5000

static bool deprecated_path(const struct ctx *ctx)
{
	return str_has_prefix(ctx->req->path, STR_LIT("/api/accommodation-providers/"));
}

/* Authentication, the Deprecation marker of the legacy paths, and the path's account (404 if not the caller's). */
static int path_account(struct ctx *ctx, int64_t *company_id)
{
	if (deprecated_path(ctx))
		accounts_deprecated(ctx);
	if (accounts_auth(ctx) < 0)
		return -1;
	return accounts_company_for(ctx, route_param(&ctx->params, "id"), false, company_id);
}

/* A nullable text: JR_NULL for null and for the string "null" of the seed's examples (S-07). */
static void read_nullable(struct jr *r, const char *key, size_t max, struct str *out)
{
	int rc = jr_string(r, key, JR_NULLABLE, 0, max, out);
	if (rc != JR_SET || str_eq_cstr(*out, "null"))
		*out = STR_NULL;
}

/* The contact input of §2.5 (#17, #18, #21, #22). */
static int read_contact(struct ctx *ctx, struct contact *k)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	const char *at;

	memset(k, 0, sizeof(*k));
	jr_string(&r, "firstName", JR_REQUIRED, 1, NAME_MAX_LEN, &k->first_name);
	jr_string(&r, "lastName", JR_REQUIRED, 1, NAME_MAX_LEN, &k->last_name);
	if (jr_string(&r, "email", JR_REQUIRED, 1, EMAIL_MAX_LEN, &k->email) == JR_SET) {
		at = memchr(k->email.ptr, '@', k->email.len);
		if (!at || at == k->email.ptr || at == k->email.ptr + k->email.len - 1 ||
		    memchr(k->email.ptr, ' ', k->email.len))
			error_field(ctx->err, "email", RULE_FORMAT, "The input is not a valid email address");
	}
	jr_string(&r, "phone", JR_REQUIRED, 1, PHONE_MAX_LEN, &k->phone);
	read_nullable(&r, "address", ADDRESS_MAX_LEN, &k->address);
	read_nullable(&r, "zipCode", ZIP_MAX_LEN, &k->zip_code);
	read_nullable(&r, "position", NAME_MAX_LEN, &k->position);
	read_nullable(&r, "notes", NOTES_MAX_LEN, &k->notes);
	return error_failed(ctx->err) ? -1 : 0;
}

/* 201/204 with the seed's Content-Type and no body (§1.1). */
static int no_content(struct ctx *ctx, int status)
{
	ctx_status(ctx, status);
	ctx->resp->content_type = STR_LIT("application/json");
	return 0;
}

/* POST …/{id}/contacts (#17, #21): 201, Location of the new contact (S-24). */
static int post_contact(struct ctx *ctx)
{
	struct event_actor actor;
	struct contact k;
	int64_t company_id, id;

	if (path_account(ctx, &company_id) < 0 || read_contact(ctx, &k) < 0)
		return -1;
	accounts_actor(ctx, &actor);
	if (accounts_contact_create(ctx->core, ctx->req->arena, &ctx->caller, company_id, &k, &actor, &id,
				    ctx->err) < 0)
		return -1;
	no_content(ctx, 201);
	response_header(ctx->resp, "Location",
			str_from_cstr(arena_printf(ctx->req->arena, "/api/landlords/accounts/%.*s/contacts/%lld",
						   STR_FMT(route_param(&ctx->params, "id")), (long long)id)));
	return 0;
}

/* PUT …/{id}/contacts/{contactId} (#18, #22): a full replacement. */
static int put_contact(struct ctx *ctx)
{
	struct event_actor actor;
	struct contact k;
	int64_t company_id;

	if (path_account(ctx, &company_id) < 0 || read_contact(ctx, &k) < 0)
		return -1;
	accounts_actor(ctx, &actor);
	if (accounts_contact_update(ctx->core, ctx->req->arena, &ctx->caller, company_id,
				    route_param_int(&ctx->params, "contactId"), &k, &actor, ctx->err) < 0)
		return -1;
	return no_content(ctx, 204);
}

/* DELETE …/{id}/contacts/{contactId} (#19, #23): soft; 409 while it holds a contact type (S-46). */
static int delete_contact(struct ctx *ctx)
{
	struct event_actor actor;
	int64_t company_id;

	if (path_account(ctx, &company_id) < 0)
		return -1;
	accounts_actor(ctx, &actor);
	if (accounts_contact_delete(ctx->core, ctx->req->arena, &ctx->caller, company_id,
				    route_param_int(&ctx->params, "contactId"), &actor, ctx->err) < 0)
		return -1;
	return no_content(ctx, 204);
}

/* PUT …/{id}/contact-types (#20, #24): all three roles, each a live contact of the account (S-47). */
static int put_contact_types(struct ctx *ctx)
{
	struct event_actor actor;
	int64_t company_id, roles[ROLE_COUNT] = { 0 };
	struct jr r;

	if (path_account(ctx, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	for (int i = 0; i < ROLE_COUNT; i++)
		jr_int(&r, contact_role_names[i], JR_REQUIRED, 1, INT64_MAX, &roles[i]);
	if (error_failed(ctx->err))
		return -1;
	accounts_actor(ctx, &actor);
	if (accounts_contact_types(ctx->core, ctx->req->arena, &ctx->caller, company_id, roles, &actor, ctx->err) < 0)
		return -1;
	return no_content(ctx, 204);
}

/* POST …/{id}/contacts/{contactId}/obfuscate (rentd extension): GDPR erasure of one contact, agents only. */
static int post_contact_obfuscate(struct ctx *ctx)
{
	struct event_actor actor;
	int64_t company_id;

	if (path_account(ctx, &company_id) < 0)
		return -1;
	accounts_actor(ctx, &actor);
	if (accounts_contact_obfuscate(ctx->core, ctx->req->arena, &ctx->caller, company_id,
				       route_param_int(&ctx->params, "contactId"), &actor, ctx->err) < 0)
		return -1;
	return no_content(ctx, 204);
}

/* designated initializers: struct route may grow fields that these routes leave zero */
#define R(m, pattern_, fn, flags_) \
	{ .method = (m), .pattern = (pattern_), .handler = (fn), .dialect = DIALECT_ACCOUNTS, .flags = (flags_) }
#define J ROUTE_JSON
#define J409 (ROUTE_JSON | ROUTE_INVALID_409)

const struct route accounts_contacts_routes[] = {
	R(HTTP_POST, "/api/landlords/accounts/{id}/contacts", post_contact, J409),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/contacts/{contactId:int}", put_contact, J409),
	R(HTTP_DELETE, "/api/landlords/accounts/{id}/contacts/{contactId:int}", delete_contact, 0),
	R(HTTP_POST, "/api/landlords/accounts/{id}/contacts/{contactId:int}/obfuscate", post_contact_obfuscate, J),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/contact-types", put_contact_types, J),
	R(HTTP_POST, "/api/accommodation-providers/{id}/contacts", post_contact, J),
	R(HTTP_PUT, "/api/accommodation-providers/{id}/contacts/{contactId:int}", put_contact, J),
	R(HTTP_DELETE, "/api/accommodation-providers/{id}/contacts/{contactId:int}", delete_contact, 0),
	R(HTTP_PUT, "/api/accommodation-providers/{id}/contact-types", put_contact_types, J),
};
const size_t accounts_contacts_routes_count = sizeof(accounts_contacts_routes) / sizeof(accounts_contacts_routes[0]);
