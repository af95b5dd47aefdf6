/*
 * landlord_applications.c — a listing's applications for its landlord (issue 14; our own
 * endpoint beside HomeQ's object_ad, docs/DECISIONS.md "Landlord applications"):
 *
 *   GET /api/v1/object_ad/{id}/applications/   employee token
 *
 * Query: amount (1..1000, default 10), offset (0..100000000, default 0), closed
 * (true|false, default false: the open applications only; true adds the closed ones after
 * them). A bad value is 412 ValidationError naming the parameter; a listing the caller
 * does not see (another company's, outside its office subtree, unknown) is 404, as GET
 * object_ad answers it.
 *
 * Answer {"candidate_sorting_mode", "current_stats", "process", "results": [item…],
 * "total"}: the items in rank order (core/listings/listing_applications.h: the places fixed
 * when applications closed, once they have). current_stats is the listing's ApplyStats
 * (homeq.md §12.4) now; process is null until applications close, then {ranked_at, rule,
 * ranked, offered_through, reserved_application, reserved_at}. An item is HomeQ's
 * ApplicationInfo (homeq.md §12.4: conversations_count, id, profiles, queue_points) with our
 * members applied_at, approval_checks (ApprovalCheck objects of its screening),
 * approval_status, claims (always []: rentd keeps no claim documents), closed,
 * existing_tenant, offer_status ("pending", "yes", "no" or null), offered_at, rank (null
 * until ranked), rejection_reason (the id, or null), removed, reserved and state. Times are
 * UTC with microseconds, "YYYY-MM-DDTHH:MM:SS.ffffffZ".
 */
#include <stdio.h>
#include <time.h>

#include "core/listings/listing_applications.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

/* µs since the epoch → "YYYY-MM-DDTHH:MM:SS.ffffffZ"; 0 writes null. */
static void kv_time_us(struct jw *w, const char *key, int64_t us)
{
	time_t secs = (time_t)(us / 1000000);
	struct tm tm;
	char day[24], out[40];
	if (!us) {
		jw_kv_null(w, key);
		return;
	}
	gmtime_r(&secs, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, sizeof(out), "%s.%06lldZ", day, (long long)(us % 1000000));
	jw_kv_cstr(w, key, out);
}

static void kv_int_or_null(struct jw *w, const char *key, int64_t v)
{
	if (v)
		jw_kv_int(w, key, v);
	else
		jw_kv_null(w, key);
}

/*
 * ApprovalCheck (§12.4): id the rule's name, label its message, status success or
 * failure (a stored check is decided), is_value/ought_value what was held and needed; a
 * yes/no rule has no such values: 1 or 0 for whether it holds, against 1.
 */
static void write_check(struct jw *w, const struct application_check *ch)
{
	jw_object_begin(w);
	jw_key(w, "details");
	jw_object_begin(w);
	jw_kv_null(w, "profile_id"); /* the applicant group's check, as the seed's example */
	jw_kv_str(w, "type", ch->type);
	jw_kv_str(w, "unit", ch->unit);
	jw_object_end(w);
	jw_kv_str(w, "id", ch->rule);
	jw_kv_int(w, "is_value", ch->has_values ? ch->held : ch->passed);
	jw_kv_str(w, "label", ch->message);
	jw_kv_int(w, "ought_value", ch->has_values ? ch->needed : 1);
	jw_kv_cstr(w, "status", ch->passed ? "success" : "failure");
	jw_object_end(w);
}

/* ApplicationInfo.profiles: the applicant, the main one (connection_type "A"). */
static void write_profiles(struct ctx *ctx, struct jw *w, const struct listing_application *p)
{
	const char *full = arena_printf(ctx->req->arena, "%.*s%s%.*s", STR_FMT(p->first_name),
					p->first_name.len && p->last_name.len ? " " : "", STR_FMT(p->last_name));
	jw_key(w, "profiles");
	jw_array_begin(w);
	jw_object_begin(w);
	jw_kv_cstr(w, "connection_type", "A");
	jw_kv_str(w, "email", p->email);
	jw_kv_str(w, "first_name", p->first_name);
	jw_kv_cstr(w, "full_name", full);
	jw_kv_int(w, "id", p->user_id);
	jw_kv_str(w, "last_name", p->last_name);
	jw_kv_bool(w, "main_applicant", true);
	jw_kv_str(w, "personal_number", p->personal_number);
	jw_object_end(w);
	jw_array_end(w);
}

static void write_item(struct ctx *ctx, struct jw *w, const struct listing_application_item *it)
{
	const struct listing_application *p = &it->app;
	jw_object_begin(w);
	kv_time_us(w, "applied_at", p->applied_at);
	jw_key(w, "approval_checks");
	jw_array_begin(w);
	for (size_t i = 0; i < it->n_checks; i++)
		write_check(w, &it->checks[i]);
	jw_array_end(w);
	jw_kv_cstr(w, "approval_status", p->screening_approved ? "accepted" : "rejected");
	jw_key(w, "claims"); /* rentd keeps no claim documents (docs/DECISIONS.md) */
	jw_array_begin(w);
	jw_array_end(w);
	kv_time_us(w, "closed", p->closed_at);
	jw_kv_int(w, "conversations_count", 0); /* rentd has no conversations */
	jw_kv_bool(w, "existing_tenant", p->existing_tenant);
	jw_kv_int(w, "id", p->id);
	jw_kv_cstr(w, "offer_status", it->offer_status);
	kv_time_us(w, "offered_at", p->offered_at);
	write_profiles(ctx, w, p);
	jw_kv_int(w, "queue_points", p->queue_points);
	kv_int_or_null(w, "rank", p->rank);
	kv_int_or_null(w, "rejection_reason", p->rejection_reason);
	jw_kv_bool(w, "removed", str_eq_cstr(p->state, "removed"));
	jw_kv_bool(w, "reserved", it->reserved);
	jw_kv_str(w, "state", p->state);
	jw_object_end(w);
}

/* The letting process of the listing once its applications have closed, else null. */
static void write_process(struct jw *w, const struct listing_applications_page *page)
{
	const struct listing_process *p = &page->process;
	jw_key(w, "process");
	if (!page->ranked) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_kv_int(w, "offered_through", p->offered_through);
	jw_kv_int(w, "ranked", p->ranked);
	kv_time_us(w, "ranked_at", p->ranked_at);
	kv_int_or_null(w, "reserved_application", p->reserved_application_id);
	kv_time_us(w, "reserved_at", p->reserved_at);
	jw_kv_str(w, "rule", p->rule);
	jw_object_end(w);
}

static int get_applications(struct ctx *ctx)
{
	struct listing_applications_query q = { 0 };
	struct listing_applications_page page;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	landlord_query_range(ctx, "amount", 1, LISTING_APPLICATIONS_AMOUNT_MAX, LISTING_APPLICATIONS_AMOUNT_DEFAULT,
			     &q.amount);
	landlord_query_range(ctx, "offset", 0, LISTING_APPLICATIONS_OFFSET_MAX, 0, &q.offset);
	landlord_query_bool(ctx, "closed", &q.closed);
	if (error_failed(ctx->err) ||
	    listing_applications_list(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"),
				      &q, &page, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_str(w, "candidate_sorting_mode", page.sorting_mode);
	{
		char now[40];
		time_t secs = (time_t)core_now();
		struct tm tm;
		gmtime_r(&secs, &tm);
		strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
		landlord_write_apply_stats(w, "current_stats", &page.stats, true, now);
	}
	write_process(w, &page);
	jw_key(w, "results");
	jw_array_begin(w);
	for (size_t i = 0; i < page.n; i++)
		write_item(ctx, w, &page.items[i]);
	jw_array_end(w);
	jw_kv_int(w, "total", page.total);
	jw_object_end(w);
	return 0;
}

const struct route landlord_applications_routes[] = {
	{ .method = HTTP_GET,
	  .pattern = "/api/v1/object_ad/{id:int}/applications",
	  .handler = get_applications,
	  .dialect = DIALECT_LANDLORD },
};
const size_t landlord_applications_routes_count =
	sizeof(landlord_applications_routes) / sizeof(landlord_applications_routes[0]);
