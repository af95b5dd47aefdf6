/*
 * market_applications.c — may I apply, apply, and my applications (Momentum v2, momentum.md A.1–A.5).
 *
 *   GET  /v2/market/objects/{id}/status             A.1: anonymous too; F1 dates with offset
 *   POST /v2/market/{id}/applications               A.2 (also …/object/{id}/… and …/objects/{id}/…, M-02)
 *   GET  /v2/market/applications                    A.3: F2 dates; removed, closed, marketObjectType, queueType
 *   GET  /v2/market/applications/{id}               A.4
 *   POST /v2/market/{marketObjectId}/applications/{id}  A.5: {etag, command:{type[, data]}} → {"application": …} (M-11)
 *
 * The decisions are core/market/applications.c's and the letting process's
 * (core/market/process.h); this file reads requests and writes the seed's shapes. A
 * presentation's data is its step's stored data in the seed's members (A.6.3, M-16) with the
 * endpoint's dates (M-08); history steps add their answer (M-17). Errors are M-28's
 * {"code","message"[,"field"]}; a refused apply adds the failed checklist items (M-27).
 * rentd's extensions: "screening" on the status (the requirement profile's named checks,
 * "would I qualify?") and "placeExplanation" on #3–#5 (why the application has its place).
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

/* ---- presentations (A.6.3, M-16): the step's stored data (process.h) in the wire's shape ---- */

#define FORM_TYPE "Momentum.Pm.PortalApi.Version2.Client.Interfaces.ViewElement, Momentum.Pm.PortalApi.Client.Interfaces"

/* The form's sections: the profile fields a form step may ask for (A.6.3's grammar, the seed's titles). */
static const struct form_field {
	const char *field, *title;
	bool required;
} form_fields[] = {
	{ "income", "Vad har ni för inkomst?", true },
	{ "accommodation", "Var bor ni idag?", true },
	{ "household", "Hur många ingår i hushållet?", false },
};

/* A form element's id: 10 characters of [0-9A-Za-z] derived from what it is, so it never changes. */
static void element_id(struct jw *w, const char *kind, const char *field)
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	uint64_t x = 14695981039346656037ULL;
	char id[11];

	for (const char *p = kind; *p; p++)
		x = (x ^ (unsigned char)*p) * 1099511628211ULL;
	x = (x ^ '/') * 1099511628211ULL;
	for (const char *p = field; *p; p++)
		x = (x ^ (unsigned char)*p) * 1099511628211ULL;
	for (int i = 0; i < 10; i++) {
		id[i] = digits[x % 62];
		x /= 62;
		if (!x)
			x = 0x9E3779B97F4A7C15ULL;
	}
	id[10] = '\0';
	jw_kv_cstr(w, "id", id);
}

/* form.form: one section with one applicant input per field the step asks for, in the step's order. */
static void write_form(struct jw *w, json_t *fields)
{
	size_t i;
	json_t *f;

	jw_key(w, "form");
	jw_object_begin(w);
	jw_kv_cstr(w, "__type", FORM_TYPE);
	jw_key(w, "elements");
	jw_array_begin(w);
	json_array_foreach(fields, i, f) {
		const struct form_field *ff = NULL;
		for (size_t k = 0; k < sizeof(form_fields) / sizeof(form_fields[0]); k++)
			if (json_is_string(f) && !strcmp(json_string_value(f), form_fields[k].field))
				ff = &form_fields[k];
		if (!ff)
			continue;
		jw_object_begin(w);
		element_id(w, "section", ff->field);
		jw_kv_cstr(w, "type", "section");
		jw_key(w, "section");
		jw_object_begin(w);
		jw_kv_cstr(w, "title", ff->title);
		jw_key(w, "elements");
		jw_array_begin(w);
		jw_object_begin(w);
		element_id(w, "input", ff->field);
		jw_kv_cstr(w, "type", "input");
		jw_key(w, "input");
		jw_object_begin(w);
		jw_kv_cstr(w, "storage", "applicant");
		jw_kv_cstr(w, "field", ff->field);
		jw_key(w, "options");
		jw_object_begin(w);
		jw_kv_bool(w, "required", ff->required);
		jw_object_end(w);
		jw_object_end(w);
		jw_object_end(w);
		jw_array_end(w);
		jw_object_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

/* A string member of the stored data, when it is one. */
static void copy_text(struct jw *w, json_t *data, const char *key)
{
	json_t *v = json_object_get(data, key);
	if (json_is_string(v))
		jw_kv_str(w, key, (struct str){ json_string_value(v), json_string_length(v) });
}

/* A time member of the stored data (µs) in the endpoint's date format. */
static void copy_date(struct jw *w, json_t *data, const char *key, bool f1)
{
	json_t *v = json_object_get(data, key);
	if (json_is_integer(v) && json_integer_value(v) > 0)
		kv_date(w, key, json_integer_value(v), f1);
}

/*
 * presentation.data of a step of type (A.6.3): the members the seed names for it, from the
 * step's stored data; dates in the endpoint's format (M-08). A history step (answer.ptr set)
 * adds its answer (M-17) and leaves the form's elements out (the seed's history shows the
 * message only). Stored data that does not parse gives {} (never a broken response).
 */
static void write_step_data(struct jw *w, const char *type, struct str stored, struct str answer, bool f1)
{
	json_error_t e;
	json_t *d = stored.ptr ? json_loadb(stored.ptr, stored.len, 0, &e) : NULL;

	if (d && !json_is_object(d)) {
		json_decref(d);
		d = NULL;
	}
	jw_key(w, "data");
	jw_object_begin(w);
	if (d && !strcmp(type, "questionYesNo")) {
		copy_text(w, d, "question");
		copy_date(w, d, "created", f1);
		copy_date(w, d, "answerBefore", f1);
	} else if (d && !strcmp(type, "form")) {
		copy_text(w, d, "message");
		copy_date(w, d, "created", f1);
		copy_date(w, d, "answerBefore", f1);
		if (!answer.ptr && json_is_array(json_object_get(d, "fields")))
			write_form(w, json_object_get(d, "fields"));
	} else if (d && !strcmp(type, "viewingInfo")) {
		copy_text(w, d, "text");
		copy_text(w, d, "notes");
		copy_date(w, d, "continues", f1);
	} else if (d && !strcmp(type, "signing")) {
		copy_text(w, d, "signingId");
	} else if (d && (!strcmp(type, "cancelled") || !strcmp(type, "annulled"))) {
		copy_text(w, d, "description");
	} else if (d && !strcmp(type, "lock")) {
		copy_text(w, d, "type");
		copy_text(w, d, "description");
	}
	if (answer.ptr)
		jw_kv_str(w, "answer", answer);
	jw_object_end(w);
	json_decref(d);
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
			write_step_data(w, st->presentation, s->data, s->answer.ptr ? s->answer : STR_LIT(""), f1);
			jw_object_end(w); /* M-05: type and data only */
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

/* presentation.execution (M-04): a transition of the application is due but has not run yet. */
static bool executing(struct ctx *ctx, const struct application_view *v)
{
	return process_executing(ctx->core, &v->app, v->object.start_processing_at);
}

/* One place of the explanation: its inputs (process.h, struct place_inputs). */
static void write_place_inputs(struct jw *w, const char *key, const struct place_inputs *p, bool f1)
{
	jw_key(w, key);
	jw_object_begin(w);
	if (p->place)
		jw_kv_int(w, "place", p->place);
	jw_kv_int(w, "points", p->queue_points);
	if (p->applied_at)
		kv_date(w, "appliedAt", p->applied_at, f1);
	jw_kv_bool(w, "existingTenant", p->existing_tenant);
	if (p->ticket[0])
		jw_kv_cstr(w, "ticket", p->ticket);
	jw_object_end(w);
}

/* placeExplanation: rentd's extension, why the application has its place (docs/API.md). */
static void write_explanation(struct jw *w, const struct place_explanation *e, bool f1)
{
	jw_key(w, "placeExplanation");
	jw_object_begin(w);
	jw_kv_cstr(w, "rule", e->rule);
	jw_kv_bool(w, "ranked", e->ranked);
	jw_kv_bool(w, "prioritizeExistingTenants", e->prioritize_existing_tenants);
	jw_kv_int(w, "rankedCount", e->ranked_count);
	write_place_inputs(w, "own", &e->own, f1);
	jw_kv_int(w, "offeredThrough", e->offered_through);
	if (e->has_last_offered)
		write_place_inputs(w, "lastOffered", &e->last_offered, f1);
	if (e->text)
		jw_kv_cstr(w, "text", e->text);
	jw_object_end(w);
}

/* The explanations of n applications (read before the answer is begun: a failed read is the answer). */
static int explain(struct ctx *ctx, const struct application_view *v, size_t n, struct place_explanation **out)
{
	*out = n ? arena_alloc(ctx->req->arena, n * sizeof(**out)) : NULL;
	for (size_t i = 0; i < n; i++)
		if (process_explain(ctx->core, ctx->req->arena, &v[i].app, v[i].has_place ? v[i].place : 0,
				    market_language(ctx), &(*out)[i], ctx->err) < 0)
			return -1;
	return 0;
}

static void write_application(struct ctx *ctx, struct jw *w, const struct application_view *v, bool status,
			      const struct place_explanation *ex)
{
	const struct application *p = &v->app;

	jw_object_begin(w);
	jw_key(w, "id");
	market_id(w, p->id);
	kv_date(w, "created", p->applied_at, status);
	jw_kv_bool(w, "removed", str_eq_cstr(p->state, "removed"));
	jw_key(w, "etag");
	market_id(w, p->step_id);
	if (v->has_place && (p->rank || !status)) { /* the rank is fixed once the applications have closed */
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
		write_step_data(w, v->presentation, p->step_data, STR_NULL, status);
		jw_kv_bool(w, "execution", executing(ctx, v)); /* M-04 */
		jw_object_end(w);
	}
	write_commands(w, v->commands);
	write_history(w, v, status);
	if (ex)
		write_explanation(w, ex, status);
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
	enum lang lang = market_language(ctx);
	bool signed_in, removed;
	int64_t id;
	struct jw *w;

	if (optional_applicant(ctx, &ap, &signed_in) < 0 ||
	    query_flag(ctx, "removedApplications", "removed", &removed) < 0 || resolve(ctx, "id", &id) < 0 ||
	    market_apply_status(ctx->core, ctx->req->arena, signed_in ? &ap : NULL, id, removed, lang, &st, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	market_content_language(ctx, lang);
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
		write_application(ctx, w, &v, true, NULL);
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
	if (market_apply_begin(ctx->core, ctx->req->arena, &ap, listing, cp, market_language(ctx), j, ctx->err) < 0)
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
	struct place_explanation *ex;
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
	if (market_applications_list(ctx->core, ctx->req->arena, &ap, &q, &v, &n, ctx->err) < 0 ||
	    explain(ctx, v, n, &ex) < 0)
		return -1;
	b = applicant_block_for(&ap, q.queue_type.len ? arena_printf(ctx->req->arena, "%.*s", STR_FMT(q.queue_type))
						      : "residential");
	w = ctx_json(ctx, 200);
	market_content_language(ctx, market_language(ctx));
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
		write_application(ctx, w, &v[i], false, &ex[i]);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

/* {"application": …}: A.4, and A.5's answer (M-11). */
static void write_one(struct ctx *ctx, const struct application_view *v, const struct place_explanation *ex)
{
	struct jw *w = ctx_json(ctx, 200);
	market_content_language(ctx, market_language(ctx));
	jw_object_begin(w);
	jw_key(w, "application");
	write_application(ctx, w, v, false, ex);
	jw_object_end(w);
}

static int get_application(struct ctx *ctx)
{
	struct applicant ap;
	struct application_view v;
	struct place_explanation *ex;
	int64_t id;

	if (market_applicant(ctx, &ap) < 0 || application_id(ctx, &id) < 0 ||
	    market_application_get(ctx->core, ctx->req->arena, &ap, id, &v, ctx->err) < 0 || explain(ctx, &v, 1, &ex) < 0)
		return -1;
	write_one(ctx, &v, ex);
	return 0;
}

/*
 * command.data of done: the form's answers in the profile's shapes (GET/PATCH
 * /v2/market/applicant/profile): income {gross}, accommodation {type}, household {adults,
 * children}. Every member is optional here; the engine names a missing required one.
 */
static void read_form(struct jr *data, struct process_form *f)
{
	struct jr income, acc, household;
	int64_t n;
	int which;

	if (jr_object(data, "income", 0, &income) == JR_SET &&
	    jr_int(&income, "gross", JR_REQUIRED, 0, APPLICANT_INCOME_MAX, &n) == JR_SET) {
		f->has_income = true;
		f->income = n;
	}
	if (jr_object(data, "accommodation", 0, &acc) == JR_SET &&
	    jr_enum(&acc, "type", JR_REQUIRED, applicant_accommodations, &which) == JR_SET)
		f->accommodation = str_from_cstr(applicant_accommodations[which]);
	if (jr_object(data, "household", 0, &household) == JR_SET) {
		f->has_household = jr_int(&household, "adults", JR_REQUIRED, 1, 20, &f->adults) == JR_SET;
		if (jr_int(&household, "children", 0, 0, APPLICANT_CHILDREN_MAX, &f->children) != JR_SET)
			f->children = 0;
	}
}

/*
 * A.5: {"etag", "command": {"type", "data"?}} → {"application": …} (M-11). Checked here,
 * the transition written on core->writer with other commands (one commit for a burst),
 * answered on resume with the application as it is then.
 */
static int post_command(struct ctx *ctx)
{
	static const char *const commands[] = { "yes", "no", "done", "sign", "remove", NULL };
	struct process_command_job *j = ctx_async_state(ctx);
	struct applicant ap;
	struct application_view v;
	struct place_explanation *ex;
	struct process_form form, *fp = NULL;
	struct jr r, cmd, data;
	struct str etag = STR_NULL;
	int which = -1, rc;
	int64_t listing, id;

	if (j) {
		if (process_command_finish(j, ctx->err) < 0 || application_id(ctx, &id) < 0 ||
		    market_application_get(ctx->core, ctx->req->arena, &j->ap, id, &v, ctx->err) < 0 ||
		    explain(ctx, &v, 1, &ex) < 0) {
			unknown_command(ctx);
			return -1;
		}
		write_one(ctx, &v, ex); /* M-11 */
		return 0;
	}
	if (market_applicant(ctx, &ap) < 0 || market_body(ctx, &r) < 0)
		return -1;
	jr_string(&r, "etag", JR_REQUIRED, 1, ETAG_MAX_LEN, &etag);
	memset(&form, 0, sizeof(form));
	if (jr_object(&r, "command", JR_REQUIRED, &cmd) == JR_SET) {
		jr_enum(&cmd, "type", JR_REQUIRED, commands, &which);
		rc = jr_object(&cmd, "data", JR_NULLABLE, &data);
		if (rc == JR_SET && which >= 0 && strcmp(commands[which], "done"))
			error_field(ctx->err, "command.data", RULE_FORMAT, "only the done command takes data");
		else if (rc == JR_SET) {
			read_form(&data, &form);
			fp = &form;
		}
	}
	if (error_failed(ctx->err)) {
		unknown_command(ctx);
		return -1;
	}
	if (application_id(ctx, &id) < 0 || resolve(ctx, "id", &listing) < 0)
		return -1;
	j = arena_alloc(ctx->req->arena, sizeof(*j));
	if (process_command_begin(ctx->core, ctx->req->arena, &ap, listing, id, etag, str_from_cstr(commands[which]),
				  fp, j, ctx->err) < 0) {
		unknown_command(ctx);
		return -1;
	}
	return ctx_suspend_on(ctx, ctx->core->writer, j, &j->job);
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
