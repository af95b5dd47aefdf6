/*
 * landlord_webhooks.c — a company's webhook subscriptions (issue 16; homeq.md §13 with
 * H-18's type names, H-42; core/webhooks/webhooks.h; docs/API.md "Webhooks",
 * docs/DECISIONS.md "Webhooks"). HomeQ configures webhooks in its portal; this is our API
 * for it, in the landlord dialect's manner:
 *
 *   GET|POST              /api/v1/webhooks/
 *   GET|PATCH|PUT|DELETE  /api/v1/webhooks/{id}/
 *   POST                  /api/v1/webhooks/{id}/test/            202 {"uuid"}
 *   POST                  /api/v1/webhooks/{id}/rotate_secret/   200 the subscription with its new secret
 *   GET                   /api/v1/webhooks/{id}/deliveries/?offset&amount   newest first, {"results", "total"}
 *   POST                  /api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver/   202 {"uuid"}
 *
 * An employee token with the right entity.organization (webhooks_authorize()); another
 * company's subscription is 404 as an unknown one. PUT is PATCH (G-02); unknown and
 * read-only members are ignored (G-03); a bad member is 412 ValidationError naming it. The
 * secret is in the answers of create and rotate_secret only.
 */
#include <string.h>

#include "core/webhooks/webhooks.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

#define EVENT_TYPES_ITEMS_MAX 16 /* five names, repeated at most so often */
#define EVENT_TYPE_NAME_MAX 64

void landlord_write_webhook(struct jw *w, const struct webhook *h)
{
	jw_object_begin(w);
	landlord_kv_time_us(w, "created", h->created_us);
	jw_kv_str(w, "description", h->description);
	jw_key(w, "event_types");
	jw_array_begin(w);
	for (unsigned i = 0; i < WEBHOOK_EVENT_COUNT; i++)
		if (h->events & (1u << i))
			jw_cstr(w, webhook_event_names[i]);
	jw_array_end(w);
	jw_kv_int(w, "id", h->id);
	jw_kv_bool(w, "is_active", h->active);
	if (h->secret.ptr)
		jw_kv_str(w, "secret", h->secret);
	jw_key(w, "status");
	jw_object_begin(w);
	landlord_kv_time_us(w, "failing_since", h->failing_since_us);
	landlord_kv_time_us(w, "next_attempt", h->next_attempt_us);
	jw_kv_bool(w, "pending", h->head_seq > h->position);
	jw_object_end(w);
	landlord_kv_time_us(w, "updated", h->updated_us);
	jw_kv_str(w, "url", h->url);
	jw_object_end(w);
}

static void write_delivery(struct jw *w, const struct webhook_delivery *d)
{
	jw_object_begin(w);
	jw_kv_int(w, "attempt", d->attempt);
	landlord_kv_time_us(w, "attempted_at", d->attempted_us);
	if (d->error.len)
		jw_kv_str(w, "error", d->error);
	else
		jw_kv_null(w, "error");
	jw_kv_str(w, "event_type", d->event_type);
	jw_kv_str(w, "event_uuid", d->event_uuid);
	jw_kv_int(w, "id", d->id);
	jw_key(w, "latency_ms");
	jw_double(w, (double)d->latency_us / 1000.0);
	jw_kv_bool(w, "manual", d->manual);
	jw_kv_str(w, "outcome", d->outcome);
	jw_kv_str(w, "response", d->response.ptr ? d->response : STR_LIT(""));
	if (d->status)
		jw_kv_int(w, "status_code", d->status);
	else
		jw_kv_null(w, "status_code");
	jw_object_end(w);
}

void landlord_write_webhooks(struct jw *w, const struct webhook *list, size_t n)
{
	jw_object_begin(w);
	jw_key(w, "results");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		landlord_write_webhook(w, &list[i]);
	jw_array_end(w);
	jw_object_end(w);
}

void landlord_write_webhook_deliveries(struct jw *w, const struct webhook_delivery *list, size_t n, int64_t total)
{
	jw_object_begin(w);
	jw_key(w, "results");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_delivery(w, &list[i]);
	jw_array_end(w);
	jw_kv_int(w, "total", total);
	jw_object_end(w);
}

/* The company the caller manages subscriptions of (401/403 otherwise). */
static int authorize(struct ctx *ctx, int64_t *company_id)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	return webhooks_authorize(&ctx->caller, company_id, ctx->err);
}

/* The writable members: url, event_types, description (null: ""), is_active. */
static int read_input(struct ctx *ctx, bool create, struct webhook_input *in)
{
	json_t *empty = ctx->body ? NULL : json_object();
	struct jr r = jr_root(ctx->err, ctx->body ? ctx->body : empty);
	unsigned required = create ? JR_REQUIRED : 0;
	struct str *names;
	size_t n;
	int rc;

	memset(in, 0, sizeof(*in));
	in->has_url = jr_string(&r, "url", required, 1, WEBHOOK_URL_MAX, &in->url) == JR_SET;
	if (landlord_string_array(ctx, &r, "event_types", required, EVENT_TYPES_ITEMS_MAX, EVENT_TYPE_NAME_MAX, &names,
				  &n) == JR_SET) {
		in->has_events = true;
		for (size_t i = 0; i < n; i++) {
			unsigned bit = webhook_event_bit(names[i]);
			if (!bit)
				error_field(ctx->err, "event_types", RULE_ENUM,
					    "\"%.*s\" is not one of agreement_created, project_interaction, reservation,"
					    " application_signature, signing_completed",
					    STR_FMT(names[i]));
			in->events |= bit;
		}
	}
	rc = jr_string(&r, "description", JR_NULLABLE, 0, WEBHOOK_DESCRIPTION_MAX, &in->description);
	if (rc == JR_NULL)
		in->description = STR_LIT("");
	in->has_description = rc == JR_SET || rc == JR_NULL;
	in->has_active = jr_bool(&r, "is_active", 0, &in->active) == JR_SET;
	json_decref(empty);
	return error_failed(ctx->err) ? -1 : 0;
}

static int get_webhooks(struct ctx *ctx)
{
	struct webhook *list;
	size_t n;
	int64_t company;

	if (authorize(ctx, &company) < 0 ||
	    webhooks_list(ctx->core, ctx->req->arena, company, &list, &n, ctx->err) < 0)
		return -1;
	landlord_write_webhooks(ctx_json(ctx, 200), list, n);
	return 0;
}

static int post_webhook(struct ctx *ctx)
{
	struct webhook_input in;
	struct webhook h;
	int64_t company;

	if (authorize(ctx, &company) < 0 || read_input(ctx, true, &in) < 0 ||
	    webhooks_create(ctx->core, ctx->req->arena, company, &in, &h, ctx->err) < 0)
		return -1;
	landlord_write_webhook(ctx_json(ctx, 201), &h);
	return 0;
}

static int get_webhook(struct ctx *ctx)
{
	struct webhook h;
	int64_t company;

	if (authorize(ctx, &company) < 0 ||
	    webhooks_get(ctx->core, ctx->req->arena, company, route_param_int(&ctx->params, "id"), &h, ctx->err) < 0)
		return -1;
	landlord_write_webhook(ctx_json(ctx, 200), &h);
	return 0;
}

static int patch_webhook(struct ctx *ctx)
{
	struct webhook_input in;
	struct webhook h;
	int64_t company;

	if (authorize(ctx, &company) < 0 || read_input(ctx, false, &in) < 0 ||
	    webhooks_update(ctx->core, ctx->req->arena, company, route_param_int(&ctx->params, "id"), &in, &h,
			    ctx->err) < 0)
		return -1;
	landlord_write_webhook(ctx_json(ctx, 200), &h);
	return 0;
}

static int delete_webhook(struct ctx *ctx)
{
	int64_t company;

	if (authorize(ctx, &company) < 0 ||
	    webhooks_delete(ctx->core, ctx->req->arena, company, route_param_int(&ctx->params, "id"), ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

static int post_rotate_secret(struct ctx *ctx)
{
	struct webhook h;
	int64_t company;

	if (authorize(ctx, &company) < 0 ||
	    webhooks_rotate_secret(ctx->core, ctx->req->arena, company, route_param_int(&ctx->params, "id"), &h,
				   ctx->err) < 0)
		return -1;
	landlord_write_webhook(ctx_json(ctx, 200), &h);
	return 0;
}

/* 202 {"uuid"}: the request is queued, its outcome shows in the delivery log. */
static void answer_queued(struct ctx *ctx, struct str uuid)
{
	struct jw *w = ctx_json(ctx, 202);
	jw_object_begin(w);
	jw_kv_str(w, "uuid", uuid);
	jw_object_end(w);
}

static int post_test(struct ctx *ctx)
{
	struct str uuid;
	int64_t company;

	if (authorize(ctx, &company) < 0 ||
	    webhooks_test(ctx->core, ctx->req->arena, company, route_param_int(&ctx->params, "id"), &uuid, ctx->err) < 0)
		return -1;
	answer_queued(ctx, uuid);
	return 0;
}

static int post_redeliver(struct ctx *ctx)
{
	struct str uuid;
	int64_t company;

	if (authorize(ctx, &company) < 0 ||
	    webhooks_redeliver(ctx->core, ctx->req->arena, company, route_param_int(&ctx->params, "id"),
			       route_param_int(&ctx->params, "delivery_id"), &uuid, ctx->err) < 0)
		return -1;
	answer_queued(ctx, uuid);
	return 0;
}

static int get_deliveries(struct ctx *ctx)
{
	struct webhook_delivery *list;
	size_t n;
	int64_t company, offset, amount, total;

	if (authorize(ctx, &company) < 0)
		return -1;
	landlord_query_range(ctx, "offset", 0, INT32_MAX, 0, &offset);
	landlord_query_range(ctx, "amount", 1, WEBHOOK_DELIVERIES_AMOUNT_MAX, WEBHOOK_DELIVERIES_AMOUNT_DEFAULT, &amount);
	if (error_failed(ctx->err) ||
	    webhooks_deliveries(ctx->core, ctx->req->arena, company, route_param_int(&ctx->params, "id"), offset,
				amount, &list, &n, &total, ctx->err) < 0)
		return -1;
	landlord_write_webhook_deliveries(ctx_json(ctx, 200), list, n, total);
	return 0;
}

/* designated initializers: struct route may grow fields that these routes leave zero */
#define R(m, pattern_, fn, flags_) \
	{ .method = (m), .pattern = (pattern_), .handler = (fn), .dialect = DIALECT_LANDLORD, .flags = (flags_) }
#define J ROUTE_JSON

const struct route landlord_webhooks_routes[] = {
	R(HTTP_GET, "/api/v1/webhooks", get_webhooks, 0),
	R(HTTP_POST, "/api/v1/webhooks", post_webhook, J),
	R(HTTP_GET, "/api/v1/webhooks/{id:int}", get_webhook, 0),
	R(HTTP_PATCH, "/api/v1/webhooks/{id:int}", patch_webhook, J),
	R(HTTP_PUT, "/api/v1/webhooks/{id:int}", patch_webhook, J),
	R(HTTP_DELETE, "/api/v1/webhooks/{id:int}", delete_webhook, 0),
	R(HTTP_POST, "/api/v1/webhooks/{id:int}/test", post_test, J),
	R(HTTP_POST, "/api/v1/webhooks/{id:int}/rotate_secret", post_rotate_secret, J),
	R(HTTP_GET, "/api/v1/webhooks/{id:int}/deliveries", get_deliveries, 0),
	R(HTTP_POST, "/api/v1/webhooks/{id:int}/deliveries/{delivery_id:int}/redeliver", post_redeliver, J),
};
const size_t landlord_webhooks_routes_count = sizeof(landlord_webhooks_routes) / sizeof(landlord_webhooks_routes[0]);
