/*
 * applications.h — "may I apply?", applying, and an applicant's applications (momentum.md
 * A.1–A.5, decisions.md M-09 … M-27).
 *
 * One function decides whether a person may apply for a market object:
 * market_apply_status(). The status endpoint shows its answer, apply refuses with it, and
 * the landlord side and the letting process read the same answer. Its checklist is the
 * seed's, in the seed's order:
 *   applied    no open application of this applicant on the object yet
 *   open       the object takes applications: not reserved, and before start_processing_at
 *              (the message always states the last minute, "t o m 2021-02-17 23:59", M-24)
 *   applicant  a registered applicant (has a profile)
 *   login      signed in
 *   queue      a member of the object's queue, and not blocked in it
 *   age        the object's age limits: the requirement profile's senior_age / youth_age
 *              when it asks for seniors / youths, else the queue's limits (at least 18)
 * An anonymous caller gets the list with login failing, and applicant, queue and age failing
 * with "log in" messages (they cannot be known).
 *
 * Screening (core/market/screening.h) is not on the checklist: failing a requirement does
 * not stop an application (the landlord may still consider it, homeq.md "almost
 * approved"); the status shows it as "would I qualify?", apply stores its verdict, and the
 * letting process offers only approved applications.
 *
 * Applying stores, in one transaction with an "application_created" outbox event: the
 * queue (the object's type), the points held in it at that moment (applicant_points()),
 * the apply time in microseconds, and the screening verdict with its checks. One open
 * application per applicant and object is enforced by a unique index, so two applies at
 * once give one application and one 409.
 *
 * Applications are named by their numeric id as a string. Another applicant's application
 * is ERROR_NOT_FOUND, never 403 (M-27).
 */
#ifndef RENTD_MARKET_APPLICATIONS_H
#define RENTD_MARKET_APPLICATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/core.h"
#include "core/market/applicants.h"
#include "core/market/objects.h"
#include "core/market/screening.h"
#include "store/market/store_applications.h"
#include "store/market/store_market_objects.h"

enum apply_check_type {
	APPLY_CHECK_APPLIED, APPLY_CHECK_OPEN, APPLY_CHECK_APPLICANT, APPLY_CHECK_LOGIN, APPLY_CHECK_QUEUE,
	APPLY_CHECK_AGE, APPLY_CHECK_COUNT
};

struct apply_check {
	enum apply_check_type type;
	bool passed;
	const char *message; /* in the status's language (sv by default); NULL when there is nothing to say */
};

/* The "apply" command of an object for one person, and what they already have there. */
struct apply_status {
	struct market_object_facts object;
	const struct market_type *type;   /* the object's type, which is its queue */
	struct requirement_profile rules; /* has_rules: the object's requirement profile */
	bool has_rules;
	bool signed_in;
	bool applied;          /* an open application exists */
	bool allow_contact;    /* contact may be sent with apply: a signed-in applicant */
	struct apply_check items[APPLY_CHECK_COUNT];
	bool passed;           /* every item passed: apply would succeed */
	int64_t queue_points;  /* in the object's queue now (0: not a member) */
	struct screening screening; /* has_profile false when not evaluated (anonymous, no profile) */
	struct application *applications; /* this person's applications of the object, oldest first */
	size_t napplications;
};

const char *apply_check_name(enum apply_check_type t);

/*
 * The status of listing_id for ap (NULL: anonymous), its messages and screening in lang.
 * Removed applications are listed only with with_removed. ERROR_NOT_FOUND when the object is
 * not public.
 */
int market_apply_status(struct core *c, struct arena *a, const struct applicant *ap, int64_t listing_id,
			bool with_removed, enum lang lang, struct apply_status *out, struct error *err);

struct apply_contact {
	struct str name, phone, mobile, email; /* ptr NULL: not given */
};

/*
 * Applying, in two halves around its write, which runs on core->writer (the group commit,
 * core/core.h) so that many applies share a commit:
 *   market_apply_begin()  decides (on the request's thread): refusals fill j->st (the
 *                         checklist) and err: ERROR_CONFLICT "AlreadyApplied" or
 *                         "ApplicationClosed" (409), ERROR_FORBIDDEN "NotEligible" (403,
 *                         applicant/queue/age), a field error on contact when it is not
 *                         allowed; otherwise j->job is ready to run on core->writer;
 *   market_apply_finish() after the job: *id, or the write's error (a concurrent apply of
 *                         the same person: "AlreadyApplied"; a failed commit: 503).
 */
struct market_apply_job {
	struct workpool_job job;
	struct core *c;
	struct arena *a;
	struct apply_status st;
	struct application app;
	struct error err;
	enum lang lang; /* of the checklist's messages; the stored screening is Swedish */
	int rc;
};
int market_apply_begin(struct core *c, struct arena *a, const struct applicant *ap, int64_t listing_id,
		       const struct apply_contact *contact, enum lang lang, struct market_apply_job *j, struct error *err);
int market_apply_finish(struct market_apply_job *j, int64_t *id, struct error *err);

/* What an application shows: its object summary, live place, history and commands. */
struct application_view {
	struct application app;
	struct market_object_summary object;
	bool has_place;
	int64_t place;                     /* placeSorted: 1-based among the object's open applications */
	struct application_step *history;  /* answered steps, newest first */
	size_t nhistory;
	const char *status_display_name;   /* "Intresseanmäld", "Borttagen" … */
	const char *presentation;          /* presentation.type; NULL: none */
	bool active;                       /* waiting for the applicant */
	const char *const *commands;       /* NULL-terminated ("remove") */
};

/* What an application in a state shows (momentum.md A.7's table, A.6.4's names). */
struct application_state_view {
	const char *state;
	const char *display_name;         /* statusDisplayName */
	const char *presentation;         /* presentation.type; NULL: none */
	bool active;                      /* waiting for the applicant */
	const char *const *commands;      /* NULL-terminated */
};
/* The view of a state (an unknown one shows as registered). */
const struct application_state_view *application_state_view(struct str state);

/* The view of one of the caller's applications (object summary, live place, history). */
int market_application_view(struct core *c, struct arena *a, const struct application *app,
			    struct application_view *out, struct error *err);

/* The display name of a command ("remove" → "Ta bort"). */
const char *application_command_display_name(const char *command);

/* An applicant's application; ERROR_NOT_FOUND when it is not theirs. */
int market_application_get(struct core *c, struct arena *a, const struct applicant *ap, int64_t id,
			   struct application_view *out, struct error *err);

/* GET /v2/market/applications (A.3, M-13): open + closed within 90 days; closed: every closed one. */
struct applications_query {
	bool removed;
	bool closed;
	struct str queue_type; /* ptr NULL: any; an unknown one matches nothing (M-23) */
};
#define APPLICATIONS_CLOSED_DAYS 90
int market_applications_list(struct core *c, struct arena *a, const struct applicant *ap,
			     const struct applications_query *q, struct application_view **out, size_t *n,
			     struct error *err);

#endif
