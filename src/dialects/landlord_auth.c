/*
 * landlord_auth.c — HomeQ authentication and the deprecation test endpoint.
 *
 *   POST /api/v2/tokens/          log in (homeq.md §1): JWT + company, employee, right profile
 *   POST /api/v2/tokens/verify/   check a token and describe its owner
 *   GET  /api/v1/deprecation/     a permanently deprecated endpoint (decisions.md H-26)
 */
#include <time.h>

#include "core/identity/login.h"
#include "core/identity/org.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"
#include "json/json_read.h"

/* The TokenResponse of the seed (L575ff), shared by login and verify. */
static int render_token_response(struct ctx *ctx, const struct caller *who, struct str token)
{
	struct arena *a = ctx->req->arena;
	struct company co;
	struct jw *w;
	const struct user *u = &who->user;

	if (who->kind == CALLER_AGENT) {
		/* the operator's staff: no company, office or rights; the accounts dialect's Agent */
		w = ctx_json(ctx, 200);
		jw_object_begin(w);
		jw_key(w, "agent");
		jw_object_begin(w);
		jw_kv_str(w, "email", u->email);
		jw_kv_bool(w, "enabled", u->joined);
		jw_kv_cstr(w, "fullName", arena_printf(a, "%.*s%s%.*s", STR_FMT(u->first_name),
						       u->first_name.len && u->last_name.len ? " " : "",
						       STR_FMT(u->last_name)));
		jw_kv_str(w, "id", u->uuid);
		jw_object_end(w);
		jw_kv_str(w, "token", token);
		jw_kv_cstr(w, "type", "agent");
		jw_object_end(w);
		return 0;
	}
	if (org_company_get(ctx->core, a, who, &co, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "company");
	jw_object_begin(w);
	jw_kv_bool(w, "beta_program", co.beta_program);
	jw_key(w, "enabled_features");
	landlord_write_csv_array(w, co.enabled_features);
	jw_kv_int(w, "id", co.id);
	jw_kv_str(w, "name", co.name);
	jw_object_end(w);
	jw_key(w, "employee");
	jw_object_begin(w);
	jw_kv_str(w, "email", u->email);
	jw_kv_str(w, "first_name", u->first_name);
	jw_kv_int(w, "id", u->id);
	jw_kv_str(w, "intercom_hash", auth_intercom_hash(ctx->core, a, u));
	jw_kv_str(w, "last_name", u->last_name);
	jw_kv_str(w, "personal_number", u->personal_number);
	jw_kv_str(w, "phone", u->phone);
	jw_kv_int(w, "root_office", u->root_office_id);
	jw_kv_int(w, "selected_office", u->selected_office_id);
	jw_kv_str(w, "username", u->username);
	jw_object_end(w);
	jw_key(w, "right_profile");
	jw_object_begin(w);
	jw_kv_int(w, "id", who->right_profile_id);
	jw_kv_str(w, "name", who->right_profile_name);
	jw_key(w, "rights");
	jw_array_begin(w);
	for (size_t i = 0; i < who->nrights; i++)
		jw_string(w, who->rights[i]);
	jw_array_end(w);
	jw_object_end(w);
	jw_kv_str(w, "token", token);
	jw_object_end(w);
	return 0;
}

static int post_tokens(struct ctx *ctx)
{
	struct login *l = ctx_async_state(ctx);
	struct caller who;
	struct str token;

	if (!l) {
		struct login_input in;
		struct jr r = { ctx->err, ctx->body && json_is_object(ctx->body) ? ctx->body : NULL, "" };

		memset(&in, 0, sizeof(in));
		if (ctx->body && !json_is_object(ctx->body))
			return error_field(ctx->err, "", RULE_TYPE, "the body must be a JSON object");
		/* absent and empty both get the seed's named errors, from login_begin */
		jr_string(&r, "username", JR_NULLABLE, 0, 150, &in.username);
		jr_string(&r, "password", JR_NULLABLE, 0, 1024, &in.password);
		/* generous caps: a wrong token must get its documented error, not a ValidationError */
		jr_string(&r, "two_factor_token", JR_NULLABLE, 0, 1024, &in.two_factor_token);
		jr_string(&r, "device_token", JR_NULLABLE, 0, 1024, &in.device_token);
		jr_string(&r, "checkin_token", JR_NULLABLE, 0, JWT_MAX_LEN, &in.checkin_token);
		if (error_failed(ctx->err))
			return -1;
		in.client_addr = ctx->req->client_addr;
		l = arena_calloc(ctx->req->arena, 1, sizeof(*l));
		if (login_begin(ctx->core, ctx->req->arena, &in, l, ctx->err) < 0)
			return -1;
		return ctx_suspend(ctx, l, &l->job);
	}
	if (login_finish(ctx->core, ctx->req->arena, l, &who, &token, ctx->err) < 0)
		return -1;
	return render_token_response(ctx, &who, token);
}

static int post_tokens_verify(struct ctx *ctx)
{
	struct jr r = { ctx->err, ctx->body && json_is_object(ctx->body) ? ctx->body : NULL, "" };
	struct str token = STR_NULL;
	struct caller who;

	if (ctx->body && !json_is_object(ctx->body))
		return error_field(ctx->err, "", RULE_TYPE, "the body must be a JSON object");
	if (jr_string(&r, "token", JR_NULLABLE, 0, JWT_MAX_LEN, &token) == JR_INVALID)
		return -1;
	if (auth_token(ctx->core, ctx->req->arena, token, &who, ctx->err) < 0)
		return -1;
	if (who.kind != CALLER_EMPLOYEE)
		return error_set(ctx->err, ERROR_UNAUTHORIZED, "Unauthorized", "The token needs to be a landlord token");
	return render_token_response(ctx, &who, token);
}

static int get_deprecation(struct ctx *ctx)
{
	time_t sunset = (time_t)core_now() + 92 * 24 * 3600; /* at least the dialect's three months */
	struct tm tm;
	char *date = arena_alloc(ctx->req->arena, 64);
	struct jw *w;

	gmtime_r(&sunset, &tm);
	strftime(date, 64, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	response_header(ctx->resp, "Deprecation", STR_LIT("true"));
	response_header(ctx->resp, "Sunset", str_from_cstr(date));
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_bool(w, "deprecated", true);
	jw_kv_cstr(w, "description", "This endpoint is permanently deprecated and exists for testing.");
	jw_object_end(w);
	return 0;
}

const struct route landlord_auth_routes[] = {
	{ HTTP_POST, "/api/v2/tokens", post_tokens, DIALECT_LANDLORD, ROUTE_JSON },
	{ HTTP_POST, "/api/v2/tokens/verify", post_tokens_verify, DIALECT_LANDLORD, ROUTE_JSON },
	{ HTTP_GET, "/api/v1/deprecation", get_deprecation, DIALECT_LANDLORD, 0 },
};
const size_t landlord_auth_routes_count = sizeof(landlord_auth_routes) / sizeof(landlord_auth_routes[0]);
