/*
 * applications.c — may I apply, applying, and an applicant's applications (applications.h).
 */
#include "core/market/applications.h"

#include <string.h>

#include "core/events.h"
#include "core/market/process_events.h"
#include "core/listings/listings.h"
#include "core/transaction.h"
#include "store/listings/store_projects.h"

#define US_PER_DAY (86400LL * 1000000LL)

static const char *const check_names[APPLY_CHECK_COUNT] = { "applied", "open", "applicant", "login", "queue", "age" };

const char *apply_check_name(enum apply_check_type t)
{
	return t < APPLY_CHECK_COUNT ? check_names[t] : "";
}

/* ---- may I apply ---- */

static void check(struct apply_status *st, enum apply_check_type t, bool passed, const char *message)
{
	st->items[t] = (struct apply_check){ t, passed, message };
	if (!passed)
		st->passed = false;
}

static const char *minute(struct arena *a, int64_t secs)
{
	char *out = arena_alloc(a, 17);
	listings_minute_of(secs, out);
	return out;
}

/* The object's age limits: the requirement profile's when it asks for seniors or youths, else the queue's. */
static void age_limits(const struct apply_status *st, const struct queue_type *q, int *min, int *max)
{
	*min = q ? q->min_age : APPLICANT_MIN_AGE;
	*max = q ? q->max_age : 0;
	if (!st->has_rules)
		return;
	if (st->rules.f.flag[REQ_SENIOR])
		*min = (int)st->rules.f.number[REQ_SENIOR_AGE];
	if (st->rules.f.flag[REQ_YOUTH])
		*max = (int)st->rules.f.number[REQ_YOUTH_AGE];
}

static void check_open(struct arena *a, struct apply_status *st, int64_t now, enum lang lang)
{
	int64_t end = st->object.start_processing_at;
	const char *last = end ? minute(a, end - 1) : NULL; /* "t o m 23:59" of a deadline at 00:00 */

	if (st->object.reserved)
		check(st, APPLY_CHECK_OPEN, false,
		      LANG_TEXT(lang, "Annonsen tar inte längre emot intresseanmälningar",
				"The listing no longer takes applications"));
	else if (end && now >= end)
		check(st, APPLY_CHECK_OPEN, false,
		      arena_printf(a, LANG_TEXT(lang, "Intresseanmälan var möjlig t o m %s", "Applications were taken until %s"),
				   last));
	else if (end)
		check(st, APPLY_CHECK_OPEN, true,
		      arena_printf(a, LANG_TEXT(lang, "Intresseanmälan möjlig t o m %s", "Applications are taken until %s"),
				   last));
	else
		check(st, APPLY_CHECK_OPEN, true, LANG_TEXT(lang, "Intresseanmälan möjlig", "Applications are taken"));
}

static void check_person(struct arena *a, struct apply_status *st, const struct applicant *ap, enum lang lang)
{
	const char *log_in = LANG_TEXT(lang, "Logga in för att se om du uppfyller kravet",
				       "Sign in to see whether you meet the requirement");
	const char *register_first = LANG_TEXT(lang, "Registrera dig som bostadssökande först",
					       "Register as a home seeker first");
	const struct queue_type *q = applicant_queue_type(str_from_cstr(st->type->id));
	const struct queue_membership *m;
	const struct applicant_block *b;
	int min, max, age;

	check(st, APPLY_CHECK_APPLICANT, ap && ap->registered, !ap ? log_in : ap->registered ? NULL : register_first);
	check(st, APPLY_CHECK_LOGIN, ap != NULL,
	      ap ? NULL : LANG_TEXT(lang, "Logga in för att göra en intresseanmälan", "Sign in to apply"));
	if (!ap || !ap->registered) {
		check(st, APPLY_CHECK_QUEUE, false, ap ? register_first : log_in);
		check(st, APPLY_CHECK_AGE, false, ap ? register_first : log_in);
		return;
	}
	m = applicant_membership(ap, st->type->id);
	b = applicant_block_for(ap, st->type->id);
	if (b) /* the block's name is its author's, in their words */
		check(st, APPLY_CHECK_QUEUE, false,
		      arena_printf(a, LANG_TEXT(lang, "%.*s t o m %s", "%.*s until %s"), STR_FMT(b->display_name),
				   minute(a, b->blocked_until)));
	else if (!m)
		check(st, APPLY_CHECK_QUEUE, false,
		      arena_printf(a, LANG_TEXT(lang, "Du står inte i kön %s", "You are not in the queue %s"),
				   q ? q->display_name : st->type->queue_display_name));
	else
		check(st, APPLY_CHECK_QUEUE, true, NULL);
	if (m)
		st->queue_points = applicant_points(m->joined_at, ap->now);

	age_limits(st, q, &min, &max);
	age = applicant_age(ap->profile.birth_date, ap->now);
	if (age < 0)
		check(st, APPLY_CHECK_AGE, false,
		      LANG_TEXT(lang, "Ange ditt födelsedatum i din profil", "Enter your date of birth in your profile"));
	else if (age < min)
		check(st, APPLY_CHECK_AGE, false,
		      arena_printf(a, LANG_TEXT(lang, "Du behöver ha fyllt %d år", "You need to be at least %d years old"),
				   min));
	else if (max && age > max)
		check(st, APPLY_CHECK_AGE, false,
		      arena_printf(a, LANG_TEXT(lang, "Du får vara högst %d år", "You may be at most %d years old"), max));
	else
		check(st, APPLY_CHECK_AGE, true, NULL);
}

static const char *already_applied(enum lang lang)
{
	return LANG_TEXT(lang, "Intresseanmälan redan gjord", "You have already applied");
}

int market_apply_status(struct core *c, struct arena *a, const struct applicant *ap, int64_t listing_id,
			bool with_removed, enum lang lang, struct apply_status *out, struct error *err)
{
	int64_t now = ap ? ap->now : core_now();
	unsigned audience = 0;
	bool found;

	memset(out, 0, sizeof(*out));
	if (store_market_object_facts(c->store, a, listing_id, now, &out->object, &found, err) < 0)
		return -1;
	if (!found)
		return error_set(err, ERROR_NOT_FOUND, "NotFound", "No such market object.");
	if (out->object.requirement_id) {
		if (store_requirement_get_by_id(c->store, a, out->object.requirement_id, &out->rules, err) < 0)
			return -1;
		out->has_rules = true;
		audience = (out->rules.f.flag[REQ_STUDENT] ? 8u : 0u) | (out->rules.f.flag[REQ_SENIOR] ? 2u : 0u) |
			   (out->rules.f.flag[REQ_YOUTH] ? 4u : 0u);
	}
	out->type = market_type_of(audience);
	out->signed_in = ap != NULL;
	out->allow_contact = ap && ap->registered;
	out->passed = true;
	out->screening.approved = true;

	if (ap && store_applications_of_listing_user(c->store, a, listing_id, ap->user.id, with_removed,
						     &out->applications, &out->napplications, err) < 0)
		return -1;
	for (size_t i = 0; i < out->napplications; i++)
		if (!out->applications[i].closed_at)
			out->applied = true;

	check(out, APPLY_CHECK_APPLIED, !out->applied, out->applied ? already_applied(lang) : NULL);
	check_open(a, out, now, lang);
	check_person(a, out, ap, lang);
	if (ap && ap->registered && out->has_rules)
		screening_evaluate(a, &out->rules.f, ap, out->object.rent, now, lang, &out->screening);
	return 0;
}

/* ---- applying ---- */

static int insert_application(struct core *c, struct arena *a, struct application *app, struct error *err)
{
	if (store_application_insert(c->store, app, STR_LIT("{}"), err) < 0)
		return -1;
	return process_event_application(c, a, "application_created", app, STR_NULL, app->user_id, app->applied_at, err);
}

/* On core->writer, inside the batch's transaction: its own savepoint, so a failure takes back only its writes. */
static void apply_run(struct workpool_job *job)
{
	struct market_apply_job *j = (struct market_apply_job *)job;
	struct store *s = j->c->store;

	j->rc = -1;
	if (store_savepoint(s, &j->err) < 0)
		return;
	if (insert_application(j->c, j->a, &j->app, &j->err) < 0) {
		store_savepoint_rollback(s);
		return;
	}
	j->rc = store_savepoint_release(s, &j->err);
}

static void apply_done(struct workpool_job *job)
{
	struct market_apply_job *j = (struct market_apply_job *)job;
	if (job->failed && j->rc == 0) {
		j->rc = -1;
		error_set(&j->err, ERROR_UNAVAILABLE, NULL, "The application could not be stored; try again.");
	}
}

int market_apply_begin(struct core *c, struct arena *a, const struct applicant *ap, int64_t listing_id,
		       const struct apply_contact *contact, enum lang lang, struct market_apply_job *j, struct error *err)
{
	struct apply_status *st = &j->st;
	struct application *app = &j->app;
	struct screening stored;

	memset(j, 0, sizeof(*j));
	j->lang = lang;
	if (market_apply_status(c, a, ap, listing_id, false, lang, st, err) < 0)
		return -1;
	if (contact && !st->allow_contact)
		return error_field(err, "contact", RULE_FORMAT, "contact may be sent only when allowContact is true");
	if (!st->items[APPLY_CHECK_APPLIED].passed)
		return error_set(err, ERROR_CONFLICT, "AlreadyApplied", "You have already applied for this market object.");
	if (!st->items[APPLY_CHECK_OPEN].passed)
		return error_set(err, ERROR_CONFLICT, "ApplicationClosed",
				 "This market object does not take applications now.");
	if (!st->passed)
		return error_set(err, ERROR_FORBIDDEN, "NotEligible", "You may not apply for this market object.");

	app->listing_id = listing_id;
	app->company_id = st->object.company_id;
	app->user_id = ap->user.id;
	app->queue_type = str_from_cstr(st->type->id);
	app->queue_points = st->queue_points;
	app->applied_at = core_now_us();
	app->state = STR_LIT("registered");
	app->screening_approved = st->screening.approved;
	stored = st->screening;
	if (lang != LANG_SV && st->screening.has_profile) /* the landlord reads it: stored in Swedish */
		screening_evaluate(a, &st->rules.f, ap, st->object.rent, ap->now, LANG_SV, &stored);
	app->screening = screening_json(a, &stored);
	if (contact) { /* copied: the request body they point into is gone when the write runs */
		app->contact_name = arena_str_copy(a, contact->name);
		app->contact_phone = arena_str_copy(a, contact->phone);
		app->contact_mobile = arena_str_copy(a, contact->mobile);
		app->contact_email = arena_str_copy(a, contact->email);
	}
	j->c = c;
	j->a = a;
	j->job.run = apply_run;
	j->job.done = apply_done;
	error_init(&j->err, a);
	return 0;
}

int market_apply_finish(struct market_apply_job *j, int64_t *id, struct error *err)
{
	if (j->rc < 0) {
		if (j->err.kind == ERROR_CONFLICT) { /* the unique index: another apply of the same person won */
			j->st.applied = true;
			check(&j->st, APPLY_CHECK_APPLIED, false, already_applied(j->lang));
			return error_set(err, ERROR_CONFLICT, "AlreadyApplied",
					 "You have already applied for this market object.");
		}
		*err = j->err;
		return -1;
	}
	*id = j->app.id;
	return 0;
}

/* ---- the applicant's applications ---- */

/* What each state shows (momentum.md A.7's table, A.6.4's names). */

static const char *const cmd_remove[] = { "remove", NULL };
static const char *const cmd_yes_no[] = { "yes", "no", NULL };
static const char *const cmd_form[] = { "remove", "done", NULL };
static const char *const cmd_sign[] = { "sign", NULL };
static const char *const cmd_none[] = { NULL };

static const struct application_state_view state_views[] = {
	{ "registered", "Intresseanmäld", NULL, false, cmd_remove },
	{ "question", "Fortsatt intresse", "questionYesNo", true, cmd_yes_no },
	{ "form", "Dina uppgifter", "form", true, cmd_form },
	{ "viewing", "Visning", "viewingInfo", false, cmd_none },
	{ "signing", "Signering", "signing", true, cmd_sign },
	{ "contract_signed", "Kontrakt signerat", "contractSigned", false, cmd_none },
	{ "completed", "Avslutad", "completed", false, cmd_none },
	{ "cancelled", "Annonsen har tagits bort", "cancelled", false, cmd_none },
	{ "annulled", "Avslutad", "annulled", false, cmd_none },
	{ "removed", "Borttagen", "removed", false, cmd_none },
	{ "locked", "Låst", "lock", false, cmd_none },
};

const struct application_state_view *application_state_view(struct str state)
{
	for (size_t i = 0; i < sizeof(state_views) / sizeof(state_views[0]); i++)
		if (str_eq_cstr(state, state_views[i].state))
			return &state_views[i];
	return &state_views[0];
}

const char *application_command_display_name(const char *command)
{
	static const char *const names[][2] = { { "apply", "Intresseanmäl" }, { "remove", "Ta bort" },
						{ "yes", "Ja" },	     { "no", "Nej" },
						{ "done", "Klar" },	     { "sign", "Signera" } };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(command, names[i][0]))
			return names[i][1];
	return command;
}

int market_application_view(struct core *c, struct arena *a, const struct application *app,
			    struct application_view *out, struct error *err)
{
	const struct application_state_view *sv = application_state_view(app->state);

	memset(out, 0, sizeof(*out));
	out->app = *app;
	out->status_display_name = sv->display_name;
	out->presentation = sv->presentation;
	out->active = sv->active;
	out->commands = sv->commands;
	if (store_market_object_summary(c->store, a, app->listing_id, &out->object, err) < 0 ||
	    store_application_history(c->store, a, app->id, &out->history, &out->nhistory, err) < 0)
		return -1;
	/* annulled because the offer was not answered in time (momentum.md A.6.4) */
	if (str_eq_cstr(app->state, "annulled") &&
	    str_eq_cstr(process_data_string(a, app->step_data, "reason"), "late"))
		out->status_display_name = "Ej svarat i tid";
	/* the place: fixed once ranked (a closed application keeps it), else the live one; a
	   lottery has no order until its draw */
	if (app->rank) {
		out->place = app->rank;
		out->has_place = true;
	} else if (!app->closed_at && !str_eq_cstr(out->object.sorting_mode, "random")) {
		enum application_order order = str_eq_cstr(out->object.sorting_mode, "first_come_first")
						       ? APPLICATION_ORDER_FIRST_COME
						       : APPLICATION_ORDER_QUEUE_POINTS;
		if (store_application_place(c->store, app, order, &out->place, err) < 0)
			return -1;
		out->has_place = true;
	}
	return 0;
}

/* The caller's application id; another applicant's is ERROR_NOT_FOUND (M-27). */
static int own_application(struct core *c, struct arena *a, const struct applicant *ap, int64_t id,
			   struct application *out, struct error *err)
{
	if (store_application_get(c->store, a, id, out, err) < 0)
		return -1;
	if (out->user_id != ap->user.id)
		return error_set(err, ERROR_NOT_FOUND, "NotFound", "No such application.");
	return 0;
}

int market_application_get(struct core *c, struct arena *a, const struct applicant *ap, int64_t id,
			   struct application_view *out, struct error *err)
{
	struct application app;
	if (own_application(c, a, ap, id, &app, err) < 0)
		return -1;
	return market_application_view(c, a, &app, out, err);
}

int market_applications_list(struct core *c, struct arena *a, const struct applicant *ap,
			     const struct applications_query *q, struct application_view **out, size_t *n,
			     struct error *err)
{
	int64_t since = q->closed ? 0 : ap->now * 1000000 - APPLICATIONS_CLOSED_DAYS * US_PER_DAY;
	struct str queue = STR_NULL;
	struct application *apps;
	size_t napps;

	*out = NULL;
	*n = 0;
	if (q->queue_type.ptr) {
		const struct market_type *t = market_type_find(q->queue_type);
		if (!t)
			return 0; /* M-23: an unknown type matches nothing */
		queue = str_from_cstr(t->id);
	}
	if (store_applications_of_user(c->store, a, ap->user.id, since, q->removed, queue, &apps, &napps, err) < 0)
		return -1;
	if (!napps)
		return 0;
	*out = arena_alloc(a, napps * sizeof(**out));
	for (size_t i = 0; i < napps; i++)
		if (market_application_view(c, a, &apps[i], &(*out)[i], err) < 0)
			return -1;
	*n = napps;
	return 0;
}
