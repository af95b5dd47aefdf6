/*
 * landlord_reservations.c — the landlord's side of the letting process (homeq.md §11c
 * Reservations; core/market/process.h; docs/API.md "Reservations", docs/DECISIONS.md
 * "Reservations"):
 *
 *   GET  /api/v1/rejection_reasons/                 any employee token
 *   POST /api/v1/object_ad/{id}/reservation/         {"application": int}  (our path: HomeQ
 *                                                    documents only confirm and reject)
 *   POST /api/v1/object_ad/{id}/reservation/confirm/ no body
 *   POST /api/v1/object_ad/{id}/reservation/reject/  {"reason": int}
 *
 * The three reservation commands need the right entity.object_ad.update (as a listing's
 * PATCH) and a listing the caller sees (its company's, in its office subtree); any other
 * listing is 412 NoSuchObjectAd, as DELETE object_ad answers it. Each answers 200 with the
 * listing's status after it: reserve {"application", "status"}, reject {"status"}, confirm
 * {"agreement", "status"} (the agreement is our member; GET /api/v1/agreements/ lists it).
 * The engine's refusals keep its names: 412 InvalidStatus, NotACandidate, NoReservation;
 * 412 ValidationError naming reason for an unknown rejection reason.
 */
#include "core/identity/rights.h"
#include "core/listings/listings.h"
#include "core/market/process.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

static int get_rejection_reasons(struct ctx *ctx)
{
	struct rejection_reason *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    process_rejection_reasons(ctx->core, ctx->req->arena, &list, &n, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "reasons");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(w);
		jw_kv_str(w, "description", list[i].description);
		jw_kv_int(w, "id", list[i].id);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

/*
 * The checks every reservation command makes before the engine: an employee with the
 * update right, and a listing it sees (412 NoSuchObjectAd otherwise).
 */
static int reservation_listing(struct ctx *ctx, int64_t *id)
{
	struct listing l;

	*id = route_param_int(&ctx->params, "id");
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || caller_require_right(&ctx->caller, RIGHT_OBJECT_AD_UPDATE, ctx->err) < 0)
		return -1;
	if (listings_visible(ctx->core, ctx->req->arena, &ctx->caller, *id, &l, ctx->err) < 0) {
		if (ctx->err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(ctx->err);
		return error_set(ctx->err, ERROR_PRECONDITION, "NoSuchObjectAd", "There is no such ad with this id");
	}
	return 0;
}

/* One required positive integer member of the body (an empty body is an object without it). */
static int body_id(struct ctx *ctx, const char *key, int64_t *out)
{
	json_t *empty = ctx->body ? NULL : json_object();
	struct jr r = jr_root(ctx->err, ctx->body ? ctx->body : empty);
	jr_int(&r, key, JR_REQUIRED, 1, INT64_MAX, out);
	json_decref(empty);
	return error_failed(ctx->err) ? -1 : 0;
}

/* 200 with the listing's status after the command, and one member (key NULL: none). */
static int answer(struct ctx *ctx, int64_t listing_id, const char *key, int64_t value)
{
	struct listing l;
	struct jw *w;

	if (listings_visible(ctx->core, ctx->req->arena, &ctx->caller, listing_id, &l, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	if (key)
		jw_kv_int(w, key, value);
	jw_kv_cstr(w, "status", listing_status_names[l.status]);
	jw_object_end(w);
	return 0;
}

static int post_reserve(struct ctx *ctx)
{
	int64_t id, application;

	if (reservation_listing(ctx, &id) < 0 || body_id(ctx, "application", &application) < 0 ||
	    process_reserve(ctx->core, ctx->req->arena, &ctx->caller, id, application, ctx->err) < 0)
		return -1;
	return answer(ctx, id, "application", application);
}

static int post_reject(struct ctx *ctx)
{
	int64_t id, reason;

	if (reservation_listing(ctx, &id) < 0 || body_id(ctx, "reason", &reason) < 0 ||
	    process_reject(ctx->core, ctx->req->arena, &ctx->caller, id, reason, ctx->err) < 0)
		return -1;
	return answer(ctx, id, NULL, 0);
}

static int post_confirm(struct ctx *ctx)
{
	int64_t id, agreement = 0;

	if (reservation_listing(ctx, &id) < 0 ||
	    process_confirm(ctx->core, ctx->req->arena, &ctx->caller, id, &agreement, ctx->err) < 0)
		return -1;
	return answer(ctx, id, "agreement", agreement);
}

const struct route landlord_reservations_routes[] = {
	{ HTTP_GET, "/api/v1/rejection_reasons", get_rejection_reasons, DIALECT_LANDLORD, 0 },
	{ HTTP_POST, "/api/v1/object_ad/{id:int}/reservation", post_reserve, DIALECT_LANDLORD, ROUTE_JSON },
	{ HTTP_POST, "/api/v1/object_ad/{id:int}/reservation/confirm", post_confirm, DIALECT_LANDLORD, ROUTE_JSON },
	{ HTTP_POST, "/api/v1/object_ad/{id:int}/reservation/reject", post_reject, DIALECT_LANDLORD, ROUTE_JSON },
};
const size_t landlord_reservations_routes_count =
	sizeof(landlord_reservations_routes) / sizeof(landlord_reservations_routes[0]);
