/*
 * market_applications.c — may I apply, apply, and my applications (Momentum v2, momentum.md A.1–A.5).
 *
 *   GET  /v2/market/objects/{id}/status             A.1: anonymous too; F1 dates with offset
 *   POST /v2/market/{id}/applications               A.2 (also …/object/{id}/… and …/objects/{id}/…, M-02)
 *   GET  /v2/market/applications                    A.3: F2 dates; removed, closed, marketObjectType, queueType
 *   GET  /v2/market/applications/{id}               A.4
 *   POST /v2/market/{marketObjectId}/applications/{id}  A.5: {etag, command:{type}} → {"application": …} (M-11)
 *
 * The decisions are core/market/applications.c's; this file reads requests and writes the
 * seed's shapes. Errors are M-28's {"code","message"[,"field"]}; a refused apply adds the
 * failed checklist items (M-27). "screening" on the status is rentd's extension: the
 * requirement profile's named checks, "would I qualify?".
 */
#include <string.h>

#include "core/market/applications.h"
#include "core/market/process.h"
#include "dialects/dialects.h"
#include "dialects/market.h"

#define CONTACT_MAX_LEN 254
#define ETAG_MAX_LEN 32

/* ---- query flags ---- */

/* A boolean query parameter (true/false, any case) by any of its names; absent: false. */
static int query_flag(struct ctx *ctx, const char *name, const char *alias, bool *out)
{
	*out = false;
	for (size_t i = 0; i < ctx->query.n; i++) {
		struct str k = ctx->query.items[i].key, v = str_trim(ctx->query.items[i].value);
		if (!str_case_eq(k, str_from_cstr(name)) && !(alias && str_case_eq(k, str_from_cstr(alias))))
			continue;
		if (str_case_eq(v, STR_LIT("true")))
			*out = true;
		else if (!str_case_eq(v, STR_LIT("false")))
			return error_field(ctx->err, name, RULE_TYPE, "must be true or false");
	}
	return 0;
}

static struct str query_value(struct ctx *ctx, const char *name)
{
	for (size_t i = 0; i < ctx->query.n; i++)
		if (str_case_eq(ctx->query.items[i].key, str_from_cstr(name)))
			return str_trim(ctx->query.items[i].value);
	return STR_NULL;
}

/* ---- writers ---- */

static void write_checklist(struct jw *w, const struct apply_status *st)
{
	jw_array_begin(w);
	for (int i = 0; i < APPLY_CHECK_COUNT; i++) {
		const struct apply_check *k = &st->items[i];
		jw_object_begin(w);
		jw_kv_bool(w, "passed", k->passed);
		jw_kv_cstr(w, "type", apply_check_name(k->type));
		if (k->message)
			jw_kv_cstr(w, "message", k->message);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void write_failed_checklist(struct jw *w, const struct apply_status *st)
{
	jw_key(w, "checklist");
	jw_array_begin(w);
	for (int i = 0; i < APPLY_CHECK_COUNT; i++) {
		const struct apply_check *k = &st->items[i];
		if (k->passed)
			continue;
		jw_object_begin(w);
		jw_kv_bool(w, "passed", false);
		jw_kv_cstr(w, "type", apply_check_name(k->type));
		if (k->message)
			jw_kv_cstr(w, "message", k->message);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void write_screening(struct jw *w, const struct screening *s)
{
	jw_key(w, "screening");
	jw_object_begin(w);
	jw_kv_bool(w, "approved", s->approved);
	jw_key(w, "checks");
	jw_array_begin(w);
	for (size_t i = 0; i < s->nchecks; i++) {
		const struct screening_check *k = &s->checks[i];
		jw_object_begin(w);
		jw_kv_cstr(w, "type", k->type);
		jw_kv_bool(w, "passed", k->passed);
		if (k->has_values) {
			jw_kv_int(w, "needed", k->needed);
			jw_kv_int(w, "held", k->held);
			if (k->unit && *k->unit)
				jw_kv_cstr(w, "unit", k->unit);
		}
		if (k->message)
			jw_kv_cstr(w, "message", k->message);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

/* A date in the endpoint's format: F1 with offset on the status (#1), F2 elsewhere (M-08). */
static void kv_date(struct jw *w, const char *key, int64_t us, bool f1)
{
	jw_key(w, key);
	if (f1)
		market_f1(w, us / 1000, true);
	else
		market_f2(w, us / 1000);
}

static void write_commands(struct jw *w, const char *const *commands)
{
	if (!commands || !commands[0])
		return;
	jw_key(w, "commands");
	jw_array_begin(w);
	for (size_t i = 0; commands[i]; i++) {
		jw_object_begin(w);
		jw_kv_cstr(w, "command", commands[i]);
		jw_kv_cstr(w, "displayName", application_command_display_name(commands[i]));
		jw_object_end(w);
	}
	jw_array_end(w);
}

/* data: stored JSON object text; "{}" when it does not parse (never a broken response). */
static void write_data(struct jw *w, struct str data)
{
	json_error_t e;
	json_t *j = data.ptr ? json_loadb(data.ptr, data.len, 0, &e) : NULL;
	jw_key(w, "data");
	if (j && json_is_object(j))
		jw_raw(w, data);
	else
		jw_raw(w, STR_LIT("{}"));
	json_decref(j);
}

static void write_history(struct jw *w, const struct application_view *v, bool f1)
{
	if (!v->nhistory)
		return;
	jw_key(w, "history");
	jw_object_begin(w);
	jw_key(w, "steps");
	jw_array_begin(w);
	for (size_t i = 0; i < v->nhistory; i++) {
		const struct application_step *s = &v->history[i];
		const struct application_state_view *st = application_state_view(s->state);
		jw_object_begin(w);
		jw_key(w, "id");
		market_id(w, s->id);
		kv_date(w, "occurred", s->answered_at, f1); /* M-01 */
		jw_kv_cstr(w, "statusDisplayName", st->display_name);
		if (st->presentation) {
			jw_key(w, "presentation");
			jw_object_begin(w);
			jw_kv_cstr(w, "type", st->presentation);
			write_data(w, s->data); /* M-05: type and data only */
			jw_object_end(w);
		}
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

/* The object an application is for (A.3's marketObject, F2 dates). */
static void write_market_object(struct ctx *ctx, struct jw *w, const struct market_object_summary *o)
{
	struct arena *a = ctx->req->arena;
	const struct market_type *t =
		market_type_of((o->student ? 8u : 0u) | (o->senior ? 2u : 0u) | (o->youth ? 4u : 0u));
	int64_t day;

	jw_key(w, "marketObject");
	jw_object_begin(w);
	jw_key(w, "id");
	market_id(w, o->id);
	jw_kv_cstr(w, "number", arena_printf(a, "AN-%lld", (long long)o->id));
	jw_kv_cstr(w, "type", t->id);
	jw_kv_cstr(w, "displayName",
		   arena_printf(a, "%.*s %.*s", STR_FMT(o->street_name), STR_FMT(o->street_number)));
	if (o->description.len)
		jw_kv_str(w, "description", o->description);
	jw_key(w, "pricing");
	jw_object_begin(w);
	jw_key(w, "price");
	market_decimal4(w, (double)o->rent);
	jw_object_end(w);
	jw_key(w, "location");
	jw_object_begin(w);
	if (o->estate_name.len) {
		jw_key(w, "area");
		jw_object_begin(w);
		jw_kv_str(w, "displayName", o->estate_name);
		jw_object_end(w);
	}
	market_area_path(w, o->municipality, o->county);
	jw_kv_cstr(w, "floor", arena_printf(a, "%g", o->floor));
	jw_object_end(w);
	if (o->access_date.ptr && listings_parse_instant(o->access_date, &day) == 0) {
		jw_key(w, "availability");
		jw_object_begin(w);
		kv_date(w, "availableFrom", day * 1000000, false);
		jw_object_end(w);
	}
	if (o->date_publish) {
		jw_key(w, "publishing");
		jw_object_begin(w);
		kv_date(w, "publishedFrom", o->date_publish * 1000000, false);
		jw_object_end(w);
		jw_key(w, "application");
		jw_object_begin(w);
		kv_date(w, "openFrom", o->date_publish * 1000000, false);
		if (o->start_processing_at)
			kv_date(w, "openTo", o->start_processing_at * 1000000, false);
		jw_object_end(w);
	}
	jw_key(w, "size");
	jw_object_begin(w);
	jw_key(w, "area");
	market_decimal4(w, o->area);
	jw_key(w, "rooms");
	market_decimal4(w, o->rooms);
	market_rooms_names(a, w, o->rooms, true);
	jw_object_end(w);
	if (o->thumbnail_caption.ptr) {
		jw_key(w, "thumbnail");
		jw_object_begin(w);
		jw_kv_str(w, "displayName", o->thumbnail_caption);
		jw_object_end(w);
	}
	jw_object_end(w);
}

/*
 * An application: on the status (f1, no marketObject, no place) or in the lists (F2, A.3's
 * item). Absent optional members are omitted; active and removed always written (M-20).
 */
static void write_application(struct ctx *ctx, struct jw *w, const struct application_view *v, bool status)
{
	const struct application *p = &v->app;

	jw_object_begin(w);
	jw_key(w, "id");
	market_id(w, p->id);
	kv_date(w, "created", p->applied_at, status);
	jw_kv_bool(w, "removed", str_eq_cstr(p->state, "removed"));
	jw_key(w, "etag");
	market_id(w, p->step_id);
	if (!status && v->has_place) {
		jw_key(w, "placeSorted");
		market_id(w, v->place);
	}
	if (!status)
		write_market_object(ctx, w, &v->object);
	jw_kv_cstr(w, "statusDisplayName", v->status_display_name);
	jw_kv_bool(w, "active", v->active);
	if (p->closed_at)
		kv_date(w, "closed", p->closed_at, status);
	if (v->presentation) {
		jw_key(w, "presentation");
		jw_object_begin(w);
		jw_kv_cstr(w, "type", v->presentation);
		write_data(w, p->step_data);
		jw_kv_bool(w, "execution", false); /* M-04 */
		jw_object_end(w);
	}
	write_commands(w, v->commands);
	write_history(w, v, status);
	jw_object_end(w);
}

/* ---- the object: may I apply, apply ---- */

static int resolve(struct ctx *ctx, const char *param, int64_t *id)
{
	return market_object_resolve(ctx->core, route_param(&ctx->params, param), id, ctx->err);
}

/* The signed-in applicant, or none (an anonymous caller); a bad token is still 401 (M-27). */
static int optional_applicant(struct ctx *ctx, struct applicant *ap, bool *signed_in)
{
	*signed_in = false;
	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0)
		return -1;
	if (ctx->caller.kind != CALLER_APPLICANT)
		return 0;
	*signed_in = true;
	return applicant_load(ctx->core, ctx->req->arena, &ctx->caller, ap, ctx->err);
}

static int get_status(struct ctx *ctx)
{
	struct applicant ap;
	struct apply_status st;
	bool signed_in, removed;
	int64_t id;
	struct jw *w;

	if (optional_applicant(ctx, &ap, &signed_in) < 0 ||
	    query_flag(ctx, "removedApplications", "removed", &removed) < 0 || resolve(ctx, "id", &id) < 0 ||
	    market_apply_status(ctx->core, ctx->req->arena, signed_in ? &ap : NULL, id, removed, &st, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_bool(w, "applied", st.applied);
	jw_kv_bool(w, "allowContact", st.allow_contact);
	jw_key(w, "commands");
	jw_array_begin(w);
	jw_object_begin(w);
	jw_kv_cstr(w, "command", "apply");
	jw_kv_cstr(w, "displayName", application_command_display_name("apply"));
	jw_key(w, "checklist");
	write_checklist(w, &st);
	jw_object_end(w);
	jw_array_end(w);
	jw_key(w, "applications");
	jw_array_begin(w);
	for (size_t i = 0; i < st.napplications; i++) {
		struct application_view v;
		if (market_application_view(ctx->core, ctx->req->arena, &st.applications[i], &v, ctx->err) < 0)
			return -1;
		write_application(ctx, w, &v, true);
	}
	jw_array_end(w);
	if (st.screening.has_profile)
		write_screening(w, &st.screening);
	jw_object_end(w);
	return 0;
}

/* M-28: a command.type that names no command offered is "UnknownCommand", other bad input "BadRequest". */
static void unknown_command(struct ctx *ctx)
{
	for (size_t i = 0; i < ctx->err->nfields; i++)
		if (!strcmp(ctx->err->fields[i].path, "command.type") && !strcmp(ctx->err->fields[i].rule, RULE_ENUM))
			ctx->err->code = "UnknownCommand";
}

static void opt_contact(struct jr *r, const char *key, struct str *out)
{
	if (jr_string(r, key, JR_NULLABLE, 0, CONTACT_MAX_LEN, out) != JR_SET)
		*out = STR_NULL;
}

/* A refused apply names its failed checklist items (M-27, M-28). */
static int refuse_apply(struct ctx *ctx, const struct apply_status *st)
{
	struct jw *w;
	if (ctx->err->kind != ERROR_FORBIDDEN && ctx->err->kind != ERROR_CONFLICT)
		return -1;
	w = ctx_json(ctx, ctx->err->kind == ERROR_FORBIDDEN ? 403 : 409);
	jw_object_begin(w);
	jw_kv_cstr(w, "code", ctx->err->code);
	jw_kv_cstr(w, "message", ctx->err->message);
	write_failed_checklist(w, st);
	jw_object_end(w);
	error_forget(ctx->err);
	return 0;
}

/* Checked here, written on core->writer with other applies (one commit for a burst), answered on resume. */
static int post_apply(struct ctx *ctx)
{
	static const char *const commands[] = { "apply", NULL };
	struct market_apply_job *j = ctx_async_state(ctx);
	struct applicant ap;
	struct apply_contact contact, *cp = NULL;
	struct jr r, cmd, c;
	int which, rc;
	int64_t listing, id;
	struct jw *w;

	if (j) {
		if (market_apply_finish(j, &id, ctx->err) < 0)
			return refuse_apply(ctx, &j->st);
		w = ctx_json(ctx, 200); /* M-09 */
		jw_object_begin(w);
		jw_key(w, "id");
		jw_array_begin(w);
		market_id(w, id);
		jw_array_end(w);
		jw_object_end(w);
		return 0;
	}
	if (market_applicant(ctx, &ap) < 0 || market_body(ctx, &r) < 0)
		return -1;
	if (jr_object(&r, "command", JR_REQUIRED, &cmd) == JR_SET)
		jr_enum(&cmd, "type", JR_REQUIRED, commands, &which);
	memset(&contact, 0, sizeof(contact));
	rc = jr_object(&r, "contact", JR_NULLABLE, &c);
	if (rc == JR_SET) {
		opt_contact(&c, "name", &contact.name);
		opt_contact(&c, "phone", &contact.phone);
		opt_contact(&c, "mobile", &contact.mobile);
		opt_contact(&c, "email", &contact.email);
		cp = &contact;
	}
	if (error_failed(ctx->err)) {
		unknown_command(ctx);
		return -1;
	}
	if (resolve(ctx, "id", &listing) < 0)
		return -1;
	j = arena_alloc(ctx->req->arena, sizeof(*j));
	if (market_apply_begin(ctx->core, ctx->req->arena, &ap, listing, cp, j, ctx->err) < 0)
		return refuse_apply(ctx, &j->st);
	return ctx_suspend_on(ctx, ctx->core->writer, j, &j->job);
}

/* ---- my applications ---- */

static int application_id(struct ctx *ctx, int64_t *id)
{
	struct str s = route_param(&ctx->params, "applicationId");
	if (str_to_int64(s, id) < 0 || *id <= 0)
		return error_set(ctx->err, ERROR_NOT_FOUND, "NotFound", "No such application.");
	return 0;
}

static int get_applications(struct ctx *ctx)
{
	struct applicant ap;
	struct applications_query q;
	struct application_view *v;
	const struct applicant_block *b;
	struct str type = query_value(ctx, "marketObjectType"), queue = query_value(ctx, "queueType");
	size_t n;
	struct jw *w;

	memset(&q, 0, sizeof(q));
	if (market_applicant(ctx, &ap) < 0 || query_flag(ctx, "removed", "removedApplications", &q.removed) < 0 ||
	    query_flag(ctx, "closed", NULL, &q.closed) < 0)
		return -1;
	/* both filters name a type (M-23): two different ones match nothing */
	q.queue_type = type.len ? type : queue.len ? queue : STR_NULL;
	if (type.len && queue.len && !str_eq(type, queue))
		q.queue_type = STR_LIT("-");
	if (market_applications_list(ctx->core, ctx->req->arena, &ap, &q, &v, &n, ctx->err) < 0)
		return -1;
	b = applicant_block_for(&ap, q.queue_type.len ? arena_printf(ctx->req->arena, "%.*s", STR_FMT(q.queue_type))
						      : "residential");
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_int(w, "itemsCount", (int64_t)n);
	if (b) {
		jw_key(w, "block");
		jw_object_begin(w);
		jw_kv_str(w, "displayName", b->display_name);
		if (b->description.len)
			jw_kv_str(w, "displayDescription", b->description);
		jw_key(w, "blockedUntilDate");
		market_f3(w, b->blocked_until);
		jw_object_end(w);
	}
	jw_key(w, "items");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_application(ctx, w, &v[i], false);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int get_application(struct ctx *ctx)
{
	struct applicant ap;
	struct application_view v;
	int64_t id;
	struct jw *w;

	if (market_applicant(ctx, &ap) < 0 || application_id(ctx, &id) < 0 ||
	    market_application_get(ctx->core, ctx->req->arena, &ap, id, &v, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "application");
	write_application(ctx, w, &v, false);
	jw_object_end(w);
	return 0;
}

static int post_command(struct ctx *ctx)
{
	struct applicant ap;
	struct application_view v;
	struct jr r, cmd;
	struct str etag = STR_NULL, type = STR_NULL;
	int64_t listing, id;
	struct jw *w;

	if (market_applicant(ctx, &ap) < 0 || market_body(ctx, &r) < 0)
		return -1;
	jr_string(&r, "etag", JR_REQUIRED, 1, ETAG_MAX_LEN, &etag);
	if (jr_object(&r, "command", JR_REQUIRED, &cmd) == JR_SET)
		jr_string(&cmd, "type", JR_REQUIRED, 1, 64, &type);
	if (error_failed(ctx->err))
		return -1;
	if (application_id(ctx, &id) < 0 || resolve(ctx, "id", &listing) < 0 ||
	    process_command(ctx->core, ctx->req->arena, &ap, listing, id, etag, type, NULL, ctx->err) < 0 ||
	    market_application_get(ctx->core, ctx->req->arena, &ap, id, &v, ctx->err) < 0) {
		unknown_command(ctx);
		return -1;
	}
	w = ctx_json(ctx, 200); /* M-11 */
	jw_object_begin(w);
	jw_key(w, "application");
	write_application(ctx, w, &v, false);
	jw_object_end(w);
	return 0;
}

#define M DIALECT_MARKET

const struct route market_applications_routes[] = {
	{ HTTP_GET, "/v2/market/objects/{id}/status", get_status, M, 0 },
	{ HTTP_GET, "/v2/market/applications", get_applications, M, 0 },
	{ HTTP_GET, "/v2/market/applications/{applicationId}", get_application, M, 0 },
	{ HTTP_POST, "/v2/market/object/{id}/applications", post_apply, M, ROUTE_JSON },
	{ HTTP_POST, "/v2/market/objects/{id}/applications", post_apply, M, ROUTE_JSON },
	{ HTTP_POST, "/v2/market/{id}/applications", post_apply, M, ROUTE_JSON },
	{ HTTP_POST, "/v2/market/{id}/applications/{applicationId}", post_command, M, ROUTE_JSON },
};
const size_t market_applications_routes_count =
	sizeof(market_applications_routes) / sizeof(market_applications_routes[0]);
