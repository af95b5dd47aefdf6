/*
 * process.c — the letting process (process.h): ranking at the deadline, offers, the
 * applicant's commands, the deadlines, and the landlord's reservation.
 *
 * Every function that changes an application does it with transition(): the
 * compare-and-swap on its current step (store_application_step), its event, in the
 * caller's transaction. Whatever frees a place in an offer (a no, a late answer, a
 * withdrawal, a rejected reservation) ends with fill_offers(), which offers the next ranked
 * candidates until batch_size are in an offer.
 */
#include "core/market/process.h"

#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "base/log.h"
#include "core/accounts/notify.h"
#include "core/contracts/contracts.h"
#include "core/identity/rights.h"
#include "core/listings/cards.h"
#include "core/listings/listings.h"
#include "core/market/applications.h"
#include "core/market/lottery.h"
#include "core/market/process_events.h"
#include "core/transaction.h"
#include "store/identity/store_org.h"
#include "store/market/store_market_objects.h"
#include "store/market/store_process.h"

#define US_PER_SECOND 1000000ll
#define US_PER_HOUR (3600 * US_PER_SECOND)
#define DEFAULT_BATCH_SIZE 5            /* the office default (homeq.md §9) */
#define MIN_RESPONSE_HOURS 24           /* offer_min_response_time's minimum (homeq.md §9) */

static void wake_jobs(struct core *c)
{
	if (c->jobs_wake)
		c->jobs_wake(c->jobs_wake_arg);
}

static int64_t response_time_us(const struct listing *l)
{
	int64_t h = l->f.offer_min_response_time;
	return (h < MIN_RESPONSE_HOURS ? MIN_RESPONSE_HOURS : h) * US_PER_HOUR;
}

/* A deadline job of kind for row id at step (or listing at a time), due at us. */
static int queue_deadline(struct core *c, struct arena *a, const char *kind, int64_t id, int64_t expected, int64_t us,
			  struct error *err)
{
	struct str payload = str_from_cstr(arena_printf(a, "%lld@%lld", (long long)id, (long long)expected));
	bool queued;
	if (store_job_queued(c->store, kind, payload, &queued, err) < 0)
		return -1;
	/* rounded up: a job never runs before its deadline */
	return queued ? 0 : store_job_insert(c->store, kind, payload, (us + US_PER_SECOND - 1) / US_PER_SECOND, err);
}

static int stale(struct error *err)
{
	return error_set(err, ERROR_CONFLICT, "StaleEtag",
			 "The etag is not the application's current step; read the application again.");
}

/*
 * app moves from its current step (expected) to state with data; close ends it. app is
 * updated in memory. A step that has moved on is ERROR_CONFLICT "StaleEtag".
 */
static int transition(struct core *c, struct arena *a, struct application *app, int64_t expected, const char *answer,
		      const char *state, struct str data, bool close, int64_t actor, int64_t us, struct error *err)
{
	bool moved;

	if (store_application_step(c->store, app->id, expected, str_from_cstr(answer), str_from_cstr(state), data,
				   close ? us : 0, us, &app->step_id, &moved, err) < 0)
		return -1;
	if (!moved)
		return stale(err);
	app->state = str_from_cstr(state);
	app->step_data = data;
	app->step_created_at = us;
	if (close)
		app->closed_at = us;
	return process_event_application(c, a, arena_printf(a, "application_%s", state), app, str_from_cstr(answer),
					 actor, us, err);
}

/* The listing as the process sees it (any company). */
static int load_listing(struct core *c, struct arena *a, int64_t id, struct listing *l, struct error *err)
{
	return store_listing_get(c->store, a, 0, id, l, err);
}

/* The listing of a job, which may have been purged since it was queued: *found false then. */
static int job_listing(struct core *c, struct arena *a, int64_t id, struct listing *l, bool *found, struct error *err)
{
	*found = load_listing(c, a, id, l, err) == 0;
	if (*found || err->kind != ERROR_NOT_FOUND)
		return *found ? 0 : -1;
	error_forget(err);
	return 0;
}

static int set_listing_status(struct core *c, struct listing *l, enum listing_status status, struct error *err)
{
	l->status = status;
	if (store_listing_update(c->store, l, err) < 0)
		return -1;
	return cards_sync_listing(c, l->id, err);
}

/* "Storgatan 1, Uppsala": how the e-mails name the object. */
static struct str object_name(struct core *c, struct arena *a, int64_t listing_id)
{
	struct market_object_summary o;
	struct error e;
	error_init(&e, a);
	if (store_market_object_summary(c->store, a, listing_id, &o, &e) < 0)
		return STR_LIT("lägenheten");
	return str_from_cstr(arena_printf(a, "%.*s %.*s, %.*s", STR_FMT(o.street_name), STR_FMT(o.street_number),
					  STR_FMT(o.municipality)));
}

static int mail(struct core *c, struct arena *a, enum letting_mail kind, const struct application *app,
		struct str detail, struct error *err)
{
	struct user u;
	if (store_user_get(c->store, a, app->user_id, &u, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err); /* the applicant is gone: nobody to tell */
		return 0;
	}
	return notify_letting(c, a, kind, app->company_id, u.email, u.first_name, object_name(c, a, app->listing_id),
			      detail, err);
}

/* "2026-12-09 14:00" in Stockholm time, for e-mails. */
static struct str local_time(struct arena *a, int64_t us)
{
	char out[17];
	listings_minute_of(us / US_PER_SECOND, out);
	return str_from_cstr(arena_strndup(a, out, strlen(out)));
}

/* ---- offers ---- */

static int offer(struct core *c, struct arena *a, const struct listing *l, struct application *app, int64_t us,
		 struct error *err)
{
	int64_t before = us + response_time_us(l);

	if (transition(c, a, app, app->step_id, "offered", "question", process_data_question(a, us, before), false, 0,
		       us, err) < 0 ||
	    store_application_set_offered(c->store, app->id, us, err) < 0 ||
	    store_process_offered(c->store, l->id, app->rank, err) < 0 ||
	    queue_deadline(c, a, PROCESS_JOB_ANSWER, app->id, app->step_id, before, err) < 0)
		return -1;
	return mail(c, a, LETTING_OFFER, app, local_time(a, before), err);
}

/*
 * Offers the next ranked candidates until batch_size are in an offer: only while the
 * listing is active (not reserved, rented or withdrawn) and has been ranked. Candidates
 * whose screening failed are passed over, unless the listing is quick-apply (nothing is
 * verified there before an offer: everyone is offered in place order, and the landlord
 * sees who failed).
 */
static int fill_offers(struct core *c, struct arena *a, const struct listing *l, int64_t us, struct error *err)
{
	int64_t batch = l->f.batch_size > 0 ? l->f.batch_size : DEFAULT_BATCH_SIZE, in_offer;
	struct listing_process p;
	struct application *next;
	size_t n;
	bool found;

	if (l->status != LISTING_ACTIVE)
		return 0;
	if (store_process_get(c->store, a, l->id, &p, &found, err) < 0)
		return -1;
	if (!found)
		return 0; /* not ranked yet: the close job offers */
	if (store_applications_in_offer(c->store, l->id, &in_offer, err) < 0)
		return -1;
	if (in_offer >= batch)
		return 0;
	if (store_applications_next_offers(c->store, a, l->id, !l->f.is_quick_apply, batch - in_offer, &next, &n,
					   err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (offer(c, a, l, &next[i], us, err) < 0)
			return -1;
	return 0;
}

/* ---- ranking ---- */

static int by_points(const void *x, const void *y)
{
	const struct rank_input *p = x, *q = y;
	if (p->queue_points != q->queue_points)
		return p->queue_points > q->queue_points ? -1 : 1;
	if (p->applied_at != q->applied_at)
		return p->applied_at < q->applied_at ? -1 : 1;
	return p->id < q->id ? -1 : p->id > q->id;
}

static int by_time(const void *x, const void *y)
{
	const struct rank_input *p = x, *q = y;
	if (p->applied_at != q->applied_at)
		return p->applied_at < q->applied_at ? -1 : 1;
	return p->id < q->id ? -1 : p->id > q->id;
}

static int by_id(const void *x, const void *y)
{
	const struct rank_input *p = x, *q = y;
	return p->id < q->id ? -1 : p->id > q->id;
}

/* Existing tenants first, each group keeping its order (a stable partition). */
static void tenants_first(struct arena *a, struct rank_input *in, size_t n)
{
	struct rank_input *tmp = arena_alloc(a, n * sizeof(*tmp));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (in[i].existing_tenant)
			tmp[k++] = in[i];
	for (size_t i = 0; i < n; i++)
		if (!in[i].existing_tenant)
			tmp[k++] = in[i];
	memcpy(in, tmp, n * sizeof(*in));
}

/* The lottery's order: the draw covers the listing's open applications, which are these. */
static int by_lottery(struct core *c, struct arena *a, int64_t listing_id, struct rank_input *in, size_t n,
		      struct error *err)
{
	struct lottery_result r;
	struct rank_input *out;
	size_t k = 0;

	if (lottery_draw_in_transaction(c, a, listing_id, &r, err) < 0)
		return -1;
	qsort(in, n, sizeof(*in), by_id);
	out = arena_alloc(a, (n ? n : 1) * sizeof(*out));
	for (size_t i = 0; i < r.n; i++) {
		struct rank_input key = { .id = r.order[i].application_id };
		struct rank_input *hit = bsearch(&key, in, n, sizeof(*in), by_id);
		if (hit)
			out[k++] = *hit;
	}
	if (k != n)
		return error_set(err, ERROR_INTERNAL, NULL, "listing %lld: the lottery drew %zu of %zu applications",
				 (long long)listing_id, k, n);
	memcpy(in, out, n * sizeof(*in));
	return 0;
}

static int close_rows(struct core *c, struct arena *a, int64_t listing_id, bool *ranked, struct error *err)
{
	int64_t us = core_now_us();
	struct listing_process p = { 0 };
	struct rank_input *in;
	struct listing l;
	bool created, found;
	size_t n;

	if (job_listing(c, a, listing_id, &l, &found, err) < 0)
		return -1;
	if (!found || l.status != LISTING_ACTIVE || !l.start_processing_at || l.start_processing_at * US_PER_SECOND > us)
		return 0;
	p.listing_id = l.id;
	p.company_id = l.company_id;
	p.ranked_at = us;
	p.rule = l.f.candidate_sorting_mode;
	if (store_process_create(c->store, &p, &created, err) < 0)
		return -1;
	if (!created)
		return 0; /* ranked before, by this process or another */
	if (store_rank_inputs(c->store, a, l.id, l.f.prioritize_existing_tenants, &in, &n, err) < 0)
		return -1;
	if (str_eq_cstr(l.f.candidate_sorting_mode, "random")) {
		if (by_lottery(c, a, l.id, in, n, err) < 0)
			return -1;
	} else {
		qsort(in, n, sizeof(*in), str_eq_cstr(l.f.candidate_sorting_mode, "first_come_first") ? by_time : by_points);
	}
	if (l.f.prioritize_existing_tenants)
		tenants_first(a, in, n);
	if (store_set_ranks(c->store, l.id, in, n, err) < 0 || store_process_set_ranked(c->store, l.id, (int64_t)n, err) < 0)
		return -1;
	*ranked = true;
	log_info("process: listing %lld ranked %zu applications by %.*s", (long long)l.id, n,
		 STR_FMT(l.f.candidate_sorting_mode));
	return fill_offers(c, a, &l, us, err);
}

int process_close(struct core *c, struct arena *a, int64_t listing_id, bool *ranked, struct error *err)
{
	*ranked = false;
	IN_TRANSACTION(c, err, close_rows(c, a, listing_id, ranked, err));
	wake_jobs(c);
	return 0;
}

/* ---- the listing's writes ---- */

/*
 * Ends the open applications of a listing that is over, CLOSE_OUT_CHUNK to a transaction (a
 * popular listing has thousands): a rented listing's are completed ("you did not get it"), a
 * withdrawn one's cancelled. The winner's application, being signed for, is not touched.
 * *more: another chunk is left.
 */
#define CLOSE_OUT_CHUNK 500
static int close_out_rows(struct core *c, struct arena *a, int64_t listing_id, bool *more, struct error *err)
{
	int64_t us = core_now_us();
	struct application *apps;
	struct listing l;
	bool rented, found;
	size_t n;

	*more = false;
	if (job_listing(c, a, listing_id, &l, &found, err) < 0)
		return -1;
	if (!found || (l.status != LISTING_RENTED && l.status != LISTING_DELETED))
		return 0;
	rented = l.status == LISTING_RENTED;
	if (store_applications_open_of_listing(c->store, a, l.id, CLOSE_OUT_CHUNK, &apps, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct str data = rented ? STR_LIT("{}")
					 : process_data_cancelled(a, "Annonsen har tagits bort av hyresvärden.");
		if (transition(c, a, &apps[i], apps[i].step_id, rented ? "completed" : "cancelled",
			       rented ? "completed" : "cancelled", data, true, 0, us, err) < 0 ||
		    mail(c, a, rented ? LETTING_NOT_ALLOCATED : LETTING_CANCELLED, &apps[i], STR_NULL, err) < 0)
			return -1;
	}
	*more = n == CLOSE_OUT_CHUNK;
	return 0;
}

static int queue_close_out(struct core *c, struct arena *a, int64_t listing_id, struct error *err)
{
	return queue_deadline(c, a, PROCESS_JOB_CLOSE_OUT, listing_id, 0, core_now_us(), err);
}

int process_listing_written(struct core *c, struct arena *a, const struct listing *l, struct error *err)
{
	if (l->status == LISTING_DELETED)
		return queue_close_out(c, a, l->id, err);
	if ((l->status != LISTING_ACTIVE && l->status != LISTING_APPROVED) || !l->start_processing_at)
		return 0;
	return queue_deadline(c, a, PROCESS_JOB_CLOSE, l->id, l->start_processing_at,
			      l->start_processing_at * US_PER_SECOND, err);
}

/* ---- the applicant's commands ---- */

/* Frees a reservation held by app (it left): the listing is active again. */
static int release_reservation(struct core *c, struct arena *a, const struct application *app, struct listing *l,
			       struct error *err)
{
	struct listing_process p;
	bool found, done;

	if (store_process_get(c->store, a, l->id, &p, &found, err) < 0)
		return -1;
	if (!found || p.reserved_application_id != app->id)
		return 0;
	if (store_process_reserve(c->store, l->id, 0, 0, 0, &done, err) < 0)
		return -1;
	return l->status == LISTING_RESERVED ? set_listing_status(c, l, LISTING_ACTIVE, err) : 0;
}

/* The form's required fields on the applicant's profile after its answers. */
static int form_complete(struct core *c, struct arena *a, int64_t user_id, struct error *err)
{
	struct applicant ap;
	if (applicant_get(c, a, user_id, &ap, err) < 0)
		return -1;
	if (ap.profile.gross_income <= 0 && !ap.profile.income_source.len)
		return error_field(err, "command.data.income", RULE_REQUIRED, "the form asks for your income");
	if (!ap.profile.accommodation.len)
		return error_field(err, "command.data.accommodation", RULE_REQUIRED,
				   "the form asks for your current accommodation");
	return 0;
}

static int sign(struct core *c, struct arena *a, struct application *app, int64_t expected, int64_t us,
		struct error *err)
{
	struct str uuid = process_data_string(a, app->step_data, "signingId");
	struct contract_signed s;
	struct listing l;

	if (!uuid.ptr)
		return error_set(err, ERROR_INTERNAL, NULL, "application %lld: a signing step without its contract",
				 (long long)app->id);
	if (contract_sign_in_transaction(c, a, uuid, app->user_id, us / US_PER_SECOND, &s, err) < 0 ||
	    load_listing(c, a, app->listing_id, &l, err) < 0 ||
	    process_event_signature(c, a, &l, &s.signer, us, err) < 0)
		return -1;
	if (!s.sealed) { /* the landlord has not signed yet: the step stays, its etag moves */
		return transition(c, a, app, expected, "sign", "signing", app->step_data, false, app->user_id, us,
				  err);
	}
	{
		struct user tenant, landlord = { 0 };
		for (size_t i = 0; i < s.contract.nsigners; i++)
			if (s.contract.signers[i].type == CONTRACT_LANDLORD &&
			    store_user_get(c->store, a, s.contract.signers[i].user_id, &landlord, err) < 0)
				return -1;
		if (store_user_get(c->store, a, app->user_id, &tenant, err) < 0 ||
		    transition(c, a, app, expected, "sign", "contract_signed", STR_LIT("{}"), true, app->user_id, us,
			       err) < 0 ||
		    store_agreement_signed(c->store, uuid, us, err) < 0)
			return -1;
		return process_event_signing_completed(c, a, &l, &s.contract, &tenant, &landlord, us, err);
	}
}

static int command_rows(struct core *c, struct arena *a, struct process_command_job *j, struct error *err)
{
	struct application *app = &j->app;
	int64_t us = core_now_us(), expected = j->expected;
	bool was_in_offer = str_eq_cstr(app->state, "question") || str_eq_cstr(app->state, "form") ||
			    str_eq_cstr(app->state, "viewing") || str_eq_cstr(app->state, "signing");
	struct listing l;

	if (load_listing(c, a, app->listing_id, &l, err) < 0)
		return -1;
	if (str_eq_cstr(j->command, "remove")) {
		if (transition(c, a, app, expected, "remove", "removed", STR_LIT("{}"), true, app->user_id, us, err) < 0)
			return -1;
		if (!was_in_offer)
			return 0;
		return release_reservation(c, a, app, &l, err) < 0 ? -1 : fill_offers(c, a, &l, us, err);
	}
	if (str_eq_cstr(j->command, "yes")) {
		int64_t before = us + response_time_us(&l);
		return transition(c, a, app, expected, "yes", "form", process_data_form(a, us, before), false,
				  app->user_id, us, err) < 0
			       ? -1
			       : queue_deadline(c, a, PROCESS_JOB_ANSWER, app->id, app->step_id, before, err);
	}
	if (str_eq_cstr(j->command, "no"))
		return transition(c, a, app, expected, "no", "annulled",
				  process_data_annulled(a, "no", STR_LIT("Du tackade nej.")), true, app->user_id, us,
				  err) < 0
			       ? -1
			       : fill_offers(c, a, &l, us, err);
	if (str_eq_cstr(j->command, "done")) {
		int64_t continues = us + PROCESS_VIEWING_DAYS * 24 * US_PER_HOUR;
		const struct process_form *f = &j->form;
		struct str text = l.f.offer_notes.ptr && l.f.offer_notes.len
					  ? l.f.offer_notes
					  : STR_LIT("Hyresvärden bjuder in till visning av lägenheten.");
		if (j->has_form &&
		    store_applicant_form(c->store, app->user_id, f->has_income ? f->income : -1, f->accommodation,
					 f->has_household ? f->adults : -1, f->has_household ? f->children : -1,
					 us / US_PER_SECOND, err) < 0)
			return -1;
		if (form_complete(c, a, app->user_id, err) < 0 ||
		    transition(c, a, app, expected, "done", "viewing", process_data_viewing(a, text, continues, false),
			       false, app->user_id, us, err) < 0)
			return -1;
		return queue_deadline(c, a, PROCESS_JOB_VIEWING, app->id, app->step_id, continues, err);
	}
	if (str_eq_cstr(j->command, "sign"))
		return sign(c, a, app, expected, us, err);
	return error_field(err, "command.type", RULE_ENUM, "is not a command this application offers now");
}

/* On core->writer, inside the batch's transaction: its own savepoint. */
static void command_run(struct workpool_job *job)
{
	struct process_command_job *j = (struct process_command_job *)job;
	struct store *s = j->c->store;

	j->rc = -1;
	if (store_savepoint(s, &j->err) < 0)
		return;
	if (command_rows(j->c, j->a, j, &j->err) < 0) {
		store_savepoint_rollback(s);
		return;
	}
	j->rc = store_savepoint_release(s, &j->err);
}

static void command_done(struct workpool_job *job)
{
	struct process_command_job *j = (struct process_command_job *)job;
	if (job->failed && j->rc == 0) {
		j->rc = -1;
		error_set(&j->err, ERROR_UNAVAILABLE, NULL, "The command could not be stored; try again.");
	}
}

static bool offered(const char *const *commands, struct str command)
{
	for (size_t i = 0; commands[i]; i++)
		if (str_eq_cstr(command, commands[i]))
			return true;
	return false;
}

int process_command_begin(struct core *c, struct arena *a, const struct applicant *ap, int64_t listing_id,
			  int64_t id, struct str etag, struct str command, const struct process_form *form,
			  struct process_command_job *j, struct error *err)
{
	memset(j, 0, sizeof(*j));
	if (store_application_get(c->store, a, id, &j->app, err) < 0)
		return -1;
	if (j->app.user_id != ap->user.id || j->app.listing_id != listing_id) /* M-27: never 403 */
		return error_set(err, ERROR_NOT_FOUND, "NotFound", "No such application of this market object.");
	if (str_to_int64(etag, &j->expected) < 0 || j->expected != j->app.step_id)
		return stale(err);
	if (!offered(application_state_view(j->app.state)->commands, command))
		return error_field(err, "command.type", RULE_ENUM, "is not a command this application offers now");
	if (form && !str_eq_cstr(command, "done"))
		return error_field(err, "command.data", RULE_FORMAT, "is taken only by the done command");
	j->c = c;
	j->a = a;
	j->ap = *ap;
	j->command = arena_str_copy(a, command);
	if (form) {
		j->has_form = true;
		j->form = *form;
		j->form.accommodation = arena_str_copy(a, form->accommodation);
	}
	j->job.run = command_run;
	j->job.done = command_done;
	error_init(&j->err, a);
	return 0;
}

int process_command_finish(struct process_command_job *j, struct error *err)
{
	if (j->rc < 0) {
		*err = j->err;
		return -1;
	}
	return 0;
}

bool process_executing(struct core *c, const struct application *app, int64_t start_processing_at)
{
	int64_t us = core_now_us(), due = 0;
	(void)c;
	if (app->closed_at)
		return false;
	if (str_eq_cstr(app->state, "registered"))
		return !app->rank && start_processing_at && start_processing_at * US_PER_SECOND <= us;
	if (str_eq_cstr(app->state, "question") || str_eq_cstr(app->state, "form"))
		due = process_data_time(app->step_data, "answerBefore");
	else if (str_eq_cstr(app->state, "viewing"))
		due = process_data_time(app->step_data, "continues");
	return due && due <= us;
}

/* ---- deadlines ---- */

static int parse_payload(struct str payload, int64_t *id, int64_t *expected, struct error *err)
{
	const char *at = payload.ptr ? memchr(payload.ptr, '@', payload.len) : NULL;
	if (!at || str_to_int64((struct str){ payload.ptr, (size_t)(at - payload.ptr) }, id) < 0 ||
	    str_to_int64((struct str){ at + 1, payload.len - (size_t)(at + 1 - payload.ptr) }, expected) < 0)
		return error_set(err, ERROR_VALIDATION, NULL, "bad payload");
	return 0;
}

static int run_close(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	int64_t id, when;
	bool ranked;
	if (parse_payload(job->payload, &id, &when, err) < 0)
		return -1;
	return process_close(c, a, id, &ranked, err);
}

/* The application of a deadline job, if it is still at the step the job was queued for. */
static int due_application(struct core *c, struct arena *a, struct str payload, struct application *app, bool *due,
			   struct error *err)
{
	int64_t id, step;
	*due = false;
	if (parse_payload(payload, &id, &step, err) < 0)
		return -1;
	if (store_application_get(c->store, a, id, app, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		return 0;
	}
	*due = app->step_id == step && !app->closed_at;
	return 0;
}

/* An offer (question or form) not answered by answerBefore: annulled, the next one offered. */
static int answer_rows(struct core *c, struct arena *a, struct str payload, struct error *err)
{
	int64_t us = core_now_us(), before;
	struct application app;
	struct listing l;
	bool due;

	if (due_application(c, a, payload, &app, &due, err) < 0 || !due)
		return due ? -1 : 0;
	before = process_data_time(app.step_data, "answerBefore");
	if (before > us) /* a clock behind the one that queued it: wait for the deadline */
		return queue_deadline(c, a, PROCESS_JOB_ANSWER, app.id, app.step_id, before, err);
	if (transition(c, a, &app, app.step_id, "late", "annulled",
		       process_data_annulled(a, "late", STR_LIT("Ej svarat i tid.")), true, 0, us, err) < 0 ||
	    load_listing(c, a, app.listing_id, &l, err) < 0)
		return -1;
	return fill_offers(c, a, &l, us, err);
}

static int run_answer(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	IN_TRANSACTION(c, err, answer_rows(c, a, job->payload, err));
	wake_jobs(c);
	return 0;
}

static int reserve_rows(struct core *c, struct arena *a, struct listing *l, struct application *app,
			const struct user *employee, struct error *err);

static bool automatic(const struct listing *l)
{
	return str_eq_cstr(l->f.contract_system, "automatic") || str_eq_cstr(l->f.contract_system, "automatic_strict");
}

/*
 * The viewing is over: with an automatic contract system and nobody reserved, the process
 * reserves the best-placed candidate who has reached the viewing; otherwise the landlord
 * chooses and nothing happens.
 */
static int viewing_rows(struct core *c, struct arena *a, struct str payload, struct error *err)
{
	int64_t us = core_now_us(), continues;
	struct application app, best;
	struct listing l;
	bool due, found;

	if (due_application(c, a, payload, &app, &due, err) < 0 || !due)
		return due ? -1 : 0;
	continues = process_data_time(app.step_data, "continues");
	if (continues > us)
		return queue_deadline(c, a, PROCESS_JOB_VIEWING, app.id, app.step_id, continues, err);
	if (load_listing(c, a, app.listing_id, &l, err) < 0)
		return -1;
	if (!automatic(&l) || l.status != LISTING_ACTIVE)
		return 0;
	if (store_application_first_in_state(c->store, a, l.id, "viewing", &best, &found, err) < 0)
		return -1;
	return found ? reserve_rows(c, a, &l, &best, NULL, err) : 0;
}

static int run_viewing(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	IN_TRANSACTION(c, err, viewing_rows(c, a, job->payload, err));
	return 0;
}

static int run_close_out(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	int64_t id, zero;
	bool more = false;
	if (parse_payload(job->payload, &id, &zero, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, close_out_rows(c, a, id, &more, err));
	if (more) /* the next chunk as a job of its own: this one is running, so it queues */
		IN_TRANSACTION(c, err, queue_close_out(c, a, id, err));
	wake_jobs(c);
	return 0;
}

const struct job_kind process_job_kinds[] = {
	{ PROCESS_JOB_CLOSE, run_close },
	{ PROCESS_JOB_CLOSE_OUT, run_close_out },
	{ PROCESS_JOB_ANSWER, run_answer },
	{ PROCESS_JOB_VIEWING, run_viewing },
};
const size_t process_job_kinds_count = sizeof(process_job_kinds) / sizeof(process_job_kinds[0]);

/* ---- the landlord's reservation ---- */

/* The listing of a landlord call: the right, then the listing in the caller's office subtree. */
static int landlord_listing(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id,
			    struct listing *l, struct error *err)
{
	if (caller_require_right(who, RIGHT_OBJECT_AD_UPDATE, err) < 0)
		return -1;
	return listings_visible(c, a, who, listing_id, l, err);
}

static int reserve_rows(struct core *c, struct arena *a, struct listing *l, struct application *app,
			const struct user *employee, struct error *err)
{
	int64_t us = core_now_us();
	struct user applicant;
	struct str text;
	bool reserved;

	if (l->status != LISTING_ACTIVE)
		return error_set(err, ERROR_PRECONDITION, "InvalidStatus",
				 "Only an active listing can be reserved; this one is %s.", listing_status_names[l->status]);
	if (app->listing_id != l->id || app->closed_at ||
	    !(str_eq_cstr(app->state, "form") || str_eq_cstr(app->state, "viewing")))
		return error_field(err, "application", RULE_FORMAT,
				   "is not a candidate of this listing who has accepted an offer");
	if (store_process_reserve(c->store, l->id, app->id, employee ? employee->id : 0, us, &reserved, err) < 0)
		return -1;
	if (!reserved)
		return error_set(err, ERROR_PRECONDITION, "AlreadyReserved", "Another candidate is reserved already.");
	text = process_data_string(a, app->step_data, "text"); /* the viewing's, when reserved from it */
	if (transition(c, a, app, app->step_id, "reserved", "viewing",
		       process_data_viewing(a, text.ptr ? text : STR_LIT("Du är reserverad."), 0, true), false,
		       employee ? employee->id : 0, us, err) < 0 ||
	    set_listing_status(c, l, LISTING_RESERVED, err) < 0 ||
	    store_user_get(c->store, a, app->user_id, &applicant, err) < 0)
		return -1;
	return process_event_reservation(c, a, l, &applicant, employee, us, err);
}

static int reserve_by(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id,
		      int64_t application_id, struct error *err)
{
	struct application app;
	struct listing l;

	if (landlord_listing(c, a, who, listing_id, &l, err) < 0)
		return -1;
	if (store_application_get(c->store, a, application_id, &app, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		return error_field(err, "application", RULE_FORMAT, "is no application of this listing");
	}
	if (app.listing_id != l.id)
		return error_field(err, "application", RULE_FORMAT, "is no application of this listing");
	return reserve_rows(c, a, &l, &app, &who->user, err);
}

int process_reserve(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id,
		    int64_t application_id, struct error *err)
{
	IN_TRANSACTION(c, err, reserve_by(c, a, who, listing_id, application_id, err));
	return 0;
}

/* The reserved candidate of a listing the caller may change. */
static int reserved_candidate(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id,
			      struct listing *l, struct application *app, struct error *err)
{
	struct listing_process p;
	bool found;

	if (landlord_listing(c, a, who, listing_id, l, err) < 0 ||
	    store_process_get(c->store, a, l->id, &p, &found, err) < 0)
		return -1;
	if (!found || !p.reserved_application_id || l->status != LISTING_RESERVED)
		return error_set(err, ERROR_PRECONDITION, "NoReservation", "Nobody is reserved for this listing.");
	return store_application_get(c->store, a, p.reserved_application_id, app, err);
}

static int reject_rows(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id, int64_t reason,
		       struct error *err)
{
	int64_t us = core_now_us();
	struct rejection_reason_row *reasons;
	struct str description = STR_NULL;
	struct application app;
	struct listing l;
	bool done;
	size_t n;

	if (reserved_candidate(c, a, who, listing_id, &l, &app, err) < 0 ||
	    store_rejection_reasons(c->store, a, &reasons, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (reasons[i].id == reason)
			description = reasons[i].description;
	if (!description.ptr)
		return error_field(err, "reason", RULE_FORMAT, "is no rejection reason (GET /api/v1/rejection_reasons/)");
	if (transition(c, a, &app, app.step_id, "rejected", "annulled", process_data_annulled(a, "rejected", description),
		       true, who->user.id, us, err) < 0 ||
	    store_application_set_rejection(c->store, app.id, reason, err) < 0 ||
	    store_process_reserve(c->store, l.id, 0, 0, 0, &done, err) < 0 ||
	    set_listing_status(c, &l, LISTING_ACTIVE, err) < 0 ||
	    mail(c, a, LETTING_REJECTED, &app, description, err) < 0)
		return -1;
	return fill_offers(c, a, &l, us, err);
}

int process_reject(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id, int64_t reason,
		   struct error *err)
{
	IN_TRANSACTION(c, err, reject_rows(c, a, who, listing_id, reason, err));
	wake_jobs(c);
	return 0;
}

static int confirm_rows(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id,
			int64_t *agreement_id, struct error *err)
{
	int64_t us = core_now_us();
	struct agreement_row ag = { 0 };
	struct application app;
	struct contract k;
	struct contract_signed s;
	struct listing l;

	if (reserved_candidate(c, a, who, listing_id, &l, &app, err) < 0 ||
	    contract_create_in_transaction(c, a, app.id, who->user.id, us / US_PER_SECOND, &k, err) < 0 ||
	    contract_sign_in_transaction(c, a, k.uuid, who->user.id, us / US_PER_SECOND, &s, err) < 0 ||
	    transition(c, a, &app, app.step_id, "confirmed", "signing", process_data_signing(a, k.uuid), false,
		       who->user.id, us, err) < 0 ||
	    process_event_signature(c, a, &l, &s.signer, us, err) < 0 ||
	    mail(c, a, LETTING_ALLOCATED, &app, STR_NULL, err) < 0)
		return -1;
	ag.company_id = l.company_id;
	ag.office_id = l.office_id;
	ag.listing_id = l.id;
	ag.apartment_id = l.apartment_id;
	ag.application_id = app.id;
	ag.user_id = app.user_id;
	ag.landlord_user_id = who->user.id;
	ag.contract_uuid = k.uuid;
	ag.created_at = us;
	if (set_listing_status(c, &l, LISTING_RENTED, err) < 0 || store_agreement_insert(c->store, &ag, err) < 0 ||
	    process_event_agreement(c, a, &l, ag.id, &who->user, us, err) < 0 ||
	    queue_close_out(c, a, l.id, err) < 0) /* the others: completed by the job, within seconds */
		return -1;
	*agreement_id = ag.id;
	return 0;
}

int process_confirm(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id,
		    int64_t *agreement_id, struct error *err)
{
	IN_TRANSACTION(c, err, confirm_rows(c, a, who, listing_id, agreement_id, err));
	wake_jobs(c);
	return 0;
}

int process_rejection_reasons(struct core *c, struct arena *a, struct rejection_reason **out, size_t *n,
			      struct error *err)
{
	struct rejection_reason_row *rows;
	if (store_rejection_reasons(c->store, a, &rows, n, err) < 0)
		return -1;
	*out = arena_alloc(a, (*n ? *n : 1) * sizeof(**out));
	for (size_t i = 0; i < *n; i++)
		(*out)[i] = (struct rejection_reason){ rows[i].id, rows[i].description };
	return 0;
}

/* ---- the explainable position ---- */

static void inputs_of(const struct application *app, struct place_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->place = app->rank;
	in->queue_points = app->queue_points;
	in->applied_at = app->applied_at;
	in->existing_tenant = app->existing_tenant;
}

/* The lottery ticket of an application of a drawn listing (hex), or "". */
static int ticket_of(struct core *c, struct arena *a, const struct listing *l, struct place_inputs *in, int64_t id,
		     struct error *err)
{
	struct lottery_public lp;
	unsigned char seed[LOTTERY_SEED_BYTES], t[LOTTERY_HASH_BYTES];
	bool has;

	if (lottery_of_listing(c, a, l, &lp, &has, err) < 0)
		return -1;
	if (!has || !lp.drawn || !lp.seed_hex.ptr || lp.seed_hex.len != 2 * LOTTERY_SEED_BYTES)
		return 0;
	for (size_t i = 0; i < LOTTERY_SEED_BYTES; i++) {
		char byte[3] = { lp.seed_hex.ptr[2 * i], lp.seed_hex.ptr[2 * i + 1], 0 };
		seed[i] = (unsigned char)strtoul(byte, NULL, 16);
	}
	lottery_ticket(seed, id, t);
	lottery_hex(t, sizeof(t), in->ticket);
	return 0;
}

static const char *explain_text(struct arena *a, const struct place_explanation *e, enum lang lang)
{
	const char *why = !strcmp(e->rule, "random") ? LANG_TEXT(lang, "lottning", "a lottery")
			  : !strcmp(e->rule, "first_come_first")
				  ? LANG_TEXT(lang, "först till kvarn (ansökningstid)", "first come, first served (the time of applying)")
				  : LANG_TEXT(lang, "köpoäng, vid lika poäng ansökningstid",
					      "queue points, and the time of applying between equal points");
	if (!e->ranked)
		return arena_printf(a, LANG_TEXT(lang, "Ordningen avgörs av %s när ansökningstiden har gått ut.%s",
						 "The order is decided by %s when the time to apply has ended.%s"),
				    why,
				    e->own.place ? arena_printf(a, LANG_TEXT(lang, " Just nu är du på plats %lld.",
									     " Right now you are in place %lld."),
								(long long)e->own.place)
						 : "");
	if (!e->offered_through)
		return arena_printf(a, LANG_TEXT(lang, "Ordningen avgjordes av %s. Du är på plats %lld av %lld. Inga erbjudanden ännu.",
						 "The order was decided by %s. You are in place %lld of %lld. No offers yet."),
				    why, (long long)e->own.place, (long long)e->ranked_count);
	return arena_printf(a, LANG_TEXT(lang, "Ordningen avgjordes av %s. Erbjudanden har gått till plats 1–%lld; du är på plats %lld av %lld.%s",
					 "The order was decided by %s. Offers have gone to places 1–%lld; you are in place %lld of %lld.%s"),
			    why, (long long)e->offered_through, (long long)e->own.place, (long long)e->ranked_count,
			    e->has_last_offered && !strcmp(e->rule, "queue_points")
				    ? arena_printf(a, LANG_TEXT(lang, " Plats %lld hade %lld köpoäng.", " Place %lld had %lld queue points."),
						   (long long)e->offered_through, (long long)e->last_offered.queue_points)
				    : "");
}

int process_explain(struct core *c, struct arena *a, const struct application *app, int64_t live_place,
		    enum lang lang, struct place_explanation *out, struct error *err)
{
	struct listing_process p;
	struct listing l;
	bool found;

	memset(out, 0, sizeof(*out));
	if (load_listing(c, a, app->listing_id, &l, err) < 0 ||
	    store_process_get(c->store, a, app->listing_id, &p, &found, err) < 0)
		return -1;
	out->rule = arena_strdup_str(a, l.f.candidate_sorting_mode);
	out->prioritize_existing_tenants = l.f.prioritize_existing_tenants;
	inputs_of(app, &out->own);
	out->ranked = found;
	if (found) {
		out->ranked_count = p.ranked;
		out->offered_through = p.offered_through;
		if (p.offered_through) {
			struct application last;
			if (store_application_at_rank(c->store, a, app->listing_id, p.offered_through, &last,
						      &out->has_last_offered, err) < 0)
				return -1;
			if (out->has_last_offered) {
				inputs_of(&last, &out->last_offered);
				if (!strcmp(out->rule, "random") &&
				    ticket_of(c, a, &l, &out->last_offered, last.id, err) < 0)
					return -1;
			}
		}
		if (!strcmp(out->rule, "random") && ticket_of(c, a, &l, &out->own, app->id, err) < 0)
			return -1;
	} else {
		out->own.place = live_place;
	}
	out->text = explain_text(a, out, lang);
	return 0;
}
