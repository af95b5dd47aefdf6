/*
 * process.h — the letting process: from "applications open" to "rented with a signed
 * contract" (issue 15; momentum.md A.5, A.7, A.8; homeq.md §11c reservations, §3, §8, §13).
 *
 * One engine, two dialects: the market dialect's commands (yes, no, done, sign, remove) and
 * the landlord dialect's reservation (reserve, reject, confirm) call the functions below,
 * and the deadlines run as durable jobs (process_job_kinds). Every transition of an
 * application, whoever causes it, is one store_application_step() compare-and-swap on its
 * current step (the etag), a history step and an outbox event, in one transaction; a stale
 * etag is ERROR_CONFLICT "StaleEtag".
 *
 * The states (momentum.md A.7, decisions.md M-29's default order):
 *
 *   registered ── applications close: ranked; the first batch_size approved ones offered ──►
 *   question (questionYesNo "Fortsatt intresse?", answerBefore = now + the listing's
 *             offer_min_response_time hours)
 *        yes ──► form (the requirement profile's fields: income, accommodation, household;
 *                 done saves them to the applicant's profile)
 *        no, or answerBefore passed ──► annulled; the next ranked candidate is offered
 *   form ── done ──► viewing (viewingInfo {text, notes, continues = now + PROCESS_VIEWING_DAYS})
 *   viewing ── continues passed: with an automatic contract system and nobody reserved, the
 *              best-placed candidate who has reached viewing is reserved by the process
 *   (reserve: the listing → reserved, the candidate's step shows it; reject: the candidate
 *    annulled with the reason, the listing active again, the next candidate offered)
 *   viewing ── confirm ──► signing {signingId = the contract's uuid}: the lease is made and
 *              the confirming employee signs it for the landlord; the listing → rented; an
 *              agreement is created; every other open application → completed by a job
 *              within seconds (homeq.md: "a background process closes the ad")
 *   signing ── sign (the applicant) ──► contract_signed: the contract is sealed
 *   any open state ── remove ──► removed;  the listing withdrawn (deleted) ──► cancelled (by the
 *   same job)
 *
 * Times come from core_now_us() (core/core.h), which tests replace, so deadlines are tested
 * by moving a clock, not by sleeping.
 *
 * A step's data (application_steps.data, the presentation's data; times are µs integers,
 * the dialect writes them in its date format):
 *   question   {"question": "Fortsatt intresse?", "created": µs, "answerBefore": µs}
 *   form       {"message": "…", "created": µs, "answerBefore": µs, "fields": ["income",
 *               "accommodation", "household"]}   (the profile fields the form asks for)
 *   viewing    {"text": "…", "notes": "…", "continues": µs, "reserved": bool}
 *   signing    {"signingId": "<contract uuid>"}
 *   cancelled  {"description": "…"}
 *   annulled   {"reason": "no" | "late" | "rejected", "description": "…"}
 *   others     {}
 * An answered step's answer: yes, no, done, sign, remove, late, rejected, reserved,
 * confirmed, completed, cancelled.
 */
#ifndef RENTD_MARKET_PROCESS_H
#define RENTD_MARKET_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/core.h"
#include "core/identity/auth.h"
#include "core/job_kind.h"
#include "core/market/applicants.h"
#include "store/listings/store_listings.h"
#include "store/market/store_applications.h"

#define PROCESS_VIEWING_DAYS 3 /* from the form's done to the viewing's continues */

/* Job kinds (payload "<id>@<expected>": the job does nothing when the row has moved on). */
#define PROCESS_JOB_CLOSE "process_close"     /* listing id @ start_processing_at: rank and offer */
#define PROCESS_JOB_ANSWER "process_answer"   /* application id @ step id: an offer not answered in time */
#define PROCESS_JOB_VIEWING "process_viewing" /* application id @ step id: the viewing continues */
#define PROCESS_JOB_CLOSE_OUT "process_close_out" /* listing id @ 0: end the open applications of a rented
							 or withdrawn listing, in chunks */
extern const struct job_kind process_job_kinds[];
extern const size_t process_job_kinds_count;

/*
 * Called by every listing write, inside its transaction: queues the close job when the
 * listing is active (or approved) with a start_processing_at, and when the listing is
 * withdrawn (deleted) the job that cancels its open applications.
 */
int process_listing_written(struct core *c, struct arena *a, const struct listing *l, struct error *err);

/*
 * The close job's work, runnable by hand (tests, `rentd`): if applications of listing_id have
 * closed (start_processing_at at or before now) and it has not been ranked, ranks them and
 * offers the first batch. *ranked says whether this call did the ranking (false: not due,
 * or ranked before — by another process, too).
 */
int process_close(struct core *c, struct arena *a, int64_t listing_id, bool *ranked, struct error *err);

/*
 * An applicant's command on one of their applications (A.5): the etag must be its current
 * step (ERROR_CONFLICT "StaleEtag"), command one the application offers now
 * (ERROR_VALIDATION on command.type). form (NULL: none): the done command's answers, saved
 * to the applicant's profile before the form's required fields are checked (a missing one
 * is ERROR_VALIDATION naming "command.data.<field>"). Runs the transition on core->writer
 * (the group commit) through the begin/finish pair: begin on the request's thread, the job
 * on core->writer, finish after it.
 */
struct process_form {
	bool has_income;
	int64_t income;            /* gross SEK a month (profile gross_income) */
	struct str accommodation;  /* ptr NULL: not given; one of applicant_accommodations */
	bool has_household;
	int64_t adults, children;  /* the household: residents including the applicant, children */
};
struct process_command_job {
	struct workpool_job job;
	struct core *c;
	struct arena *a;
	struct application app;
	struct applicant ap;
	int64_t expected;
	struct str command;
	bool has_form;
	struct process_form form;
	struct error err;
	int rc;
};
int process_command_begin(struct core *c, struct arena *a, const struct applicant *ap, int64_t listing_id,
			  int64_t id, struct str etag, struct str command, const struct process_form *form,
			  struct process_command_job *j, struct error *err);
int process_command_finish(struct process_command_job *j, struct error *err);

/*
 * Whether a transition of app is due but not yet run (its answerBefore or continues has
 * passed, or its listing's applications have closed and it is not ranked yet): the
 * market dialect's presentation.execution.
 */
bool process_executing(struct core *c, const struct application *app, int64_t start_processing_at);

/* ---- the landlord's side (homeq.md §11c Reservations) ---- */

/*
 * Reserves application_id on listing_id for who (an employee who may see the listing): the
 * candidate must have said yes (form or viewing; else ERROR_VALIDATION naming application)
 * and the listing must be active (ERROR_PRECONDITION "InvalidStatus") with nobody reserved
 * ("AlreadyReserved"). The listing → reserved.
 */
int process_reserve(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id,
		    int64_t application_id, struct error *err);

/*
 * Rejects the reserved candidate with a rejection reason (ERROR_VALIDATION on reason when it
 * is no reason's id; ERROR_PRECONDITION "NoReservation" when nobody is reserved): the
 * candidate annulled with the reason (and e-mailed), the listing active again, the next
 * candidate offered.
 */
int process_reject(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id, int64_t reason,
		   struct error *err);

/*
 * Confirms the reservation: the lease made and signed for the landlord by who, the candidate
 * → signing, the listing → rented, an agreement (*agreement_id); the job that completes
 * every other open application. ERROR_PRECONDITION "NoReservation" when nobody is reserved.
 */
int process_confirm(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id,
		    int64_t *agreement_id, struct error *err);

struct rejection_reason {
	int64_t id;
	struct str description;
};
int process_rejection_reasons(struct core *c, struct arena *a, struct rejection_reason **out, size_t *n,
			      struct error *err);

/* ---- the explainable position ---- */

/* What decides one application's place, and what the last offered place had. */
struct place_inputs {
	int64_t place;          /* 0: none */
	int64_t queue_points;
	int64_t applied_at;     /* µs */
	bool existing_tenant;
	char ticket[65];        /* the lottery ticket (hex); "" unless random and drawn */
};
struct place_explanation {
	const char *rule;       /* "queue_points", "first_come_first", "random" */
	bool ranked;            /* the applications have closed: places are final */
	bool prioritize_existing_tenants;
	int64_t ranked_count;   /* applications with a place */
	struct place_inputs own;
	int64_t offered_through; /* offers went to places 1..offered_through (0: none yet) */
	bool has_last_offered;
	struct place_inputs last_offered; /* the place offered_through */
	const char *text;       /* in lang: sv "Erbjudanden har gått till plats 1–5 …", en "Offers have gone …" */
};
/* live_place: the application's place now when not ranked (its view's, 0: none); the text in lang. */
int process_explain(struct core *c, struct arena *a, const struct application *app, int64_t live_place,
		    enum lang lang, struct place_explanation *out, struct error *err);

#endif
