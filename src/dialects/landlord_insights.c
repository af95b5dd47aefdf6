/*
 * landlord_insights.c — HomeQ's public insights of a listing (homeq.md §14 observed;
 * decisions.md H-38; docs/DECISIONS.md "free_insights"; core/market/insights.h).
 *
 *   GET /api/v3/free_insights/{id}/   anyone → {is_using_soft_requirements, frame, queue_points_top_10}
 *
 * Public like GET /api/v1/object/{id} (a bad token is still 401, H-36) and callable
 * cross-origin; a listing that is not public (unknown, draft, unpublished, rented, deleted)
 * is 404 as there.
 */
#include "core/market/insights.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

static int get_free_insights(struct ctx *ctx)
{
	struct free_insights in;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0 ||
	    insights_free(ctx->core, ctx->req->arena, route_param_int(&ctx->params, "id"), &in, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_bool(w, "is_using_soft_requirements", in.soft_requirements);
	jw_kv_cstr(w, "frame", in.frame);
	jw_key(w, "queue_points_top_10");
	jw_array_begin(w);
	for (size_t i = 0; i < in.ntop; i++)
		jw_int(w, in.top[i]);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

const struct route landlord_insights_routes[] = {
	{ HTTP_GET, "/api/v3/free_insights/{id:int}", get_free_insights, DIALECT_LANDLORD, 0 },
};
const size_t landlord_insights_routes_count = sizeof(landlord_insights_routes) / sizeof(landlord_insights_routes[0]);
