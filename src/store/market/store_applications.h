/*
 * store_applications.h — applications and their process steps (migration 0023).
 *
 * Rows only: who may apply, what a state means and what a command does are decided in
 * core/market/applications.c. Times are microseconds since the epoch; strings live in the
 * caller's arena.
 */
#ifndef RENTD_STORE_APPLICATIONS_H
#define RENTD_STORE_APPLICATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

struct application {
	int64_t id;
	int64_t listing_id;
	int64_t company_id;
	int64_t user_id;
	struct str queue_type;
	int64_t queue_points; /* when applying */
	int64_t applied_at;
	struct str state;     /* registered, question, form, viewing, signing, contract_signed, completed,
	                         cancelled, annulled, removed, locked */
	int64_t step_id;      /* the current step: the etag */
	int64_t closed_at;    /* 0: open */
	bool screening_approved;
	struct str screening; /* JSON array of the checks when applying */
	struct str contact_name, contact_phone, contact_mobile, contact_email; /* ptr NULL: none */
	int64_t updated_at;
	int64_t rank;             /* the place fixed when applications closed; 0: not ranked */
	int64_t offered_at;       /* µs; 0: never offered */
	bool existing_tenant;     /* ranked first as an existing tenant of the landlord */
	int64_t rejection_reason; /* rejection_reasons.id; 0: none */
	/* the current step's */
	int64_t step_created_at;
	struct str step_data; /* JSON object */
};

struct application_step {
	int64_t id;
	int64_t application_id;
	struct str state;
	int64_t created_at;
	struct str answer; /* ptr NULL: not answered */
	int64_t answered_at;
	struct str data;
};

/*
 * Inserts app and its first step (state app->state, data step_data): app->id and
 * app->step_id are set. Call inside a transaction.
 */
int store_application_insert(struct store *s, struct application *app, struct str step_data, struct error *err);

/* ERROR_NOT_FOUND "no such application". */
int store_application_get(struct store *s, struct arena *a, int64_t id, struct application *out, struct error *err);

/* A user's applications of one listing, oldest first; removed ones only when with_removed. */
int store_applications_of_listing_user(struct store *s, struct arena *a, int64_t listing_id, int64_t user_id,
				       bool with_removed, struct application **out, size_t *n, struct error *err);

/* Whether the user has an open, not removed application on the listing. */
int store_application_open_exists(struct store *s, int64_t listing_id, int64_t user_id, bool *exists,
				  struct error *err);

/*
 * A user's applications, newest first: the open ones, the closed ones closed at or after
 * closed_since (0: every closed one); removed ones only when with_removed. queue_type
 * (ptr NULL: any) filters by the queue they were made in.
 */
int store_applications_of_user(struct store *s, struct arena *a, int64_t user_id, int64_t closed_since,
			       bool with_removed, struct str queue_type, struct application **out, size_t *n,
			       struct error *err);

/* The answered steps of an application (its history), newest first. */
int store_application_history(struct store *s, struct arena *a, int64_t application_id,
			      struct application_step **out, size_t *n, struct error *err);

/*
 * A transition: if the application's current step is still expected_step, it is answered
 * with answer at now, a new step (state, data) begins and becomes the current one, and
 * closed_at (0: stays open) is set. *moved is false, and nothing is written, when the
 * current step is another (a stale etag, or a concurrent command that won). Call inside a
 * transaction.
 */
int store_application_step(struct store *s, int64_t application_id, int64_t expected_step, struct str answer,
			   struct str state, struct str data, int64_t closed_at, int64_t now, int64_t *new_step,
			   bool *moved, struct error *err);

/* Ranking orders of the open applications of a listing (candidate_sorting_mode). */
enum application_order { APPLICATION_ORDER_QUEUE_POINTS, APPLICATION_ORDER_FIRST_COME };

/* The 1-based place of an open application among the listing's open applications. */
int store_application_place(struct store *s, const struct application *app, enum application_order order,
			    int64_t *place, struct error *err);

/* The number of open applications of a listing (nrApplications). */
int store_application_open_count(struct store *s, int64_t listing_id, int64_t *n, struct error *err);


/* ---- a listing's applications in the letting process (core/market/process.c) ---- */

/*
 * The listing's first limit open applications but one being signed for, by place (unranked
 * ones last, by apply time).
 */
int store_applications_open_of_listing(struct store *s, struct arena *a, int64_t listing_id, int64_t limit,
				       struct application **out, size_t *n, struct error *err);

/*
 * The next ranked applications to offer: registered, open, by place; approved_only leaves
 * out those whose screening failed. At most limit.
 */
int store_applications_next_offers(struct store *s, struct arena *a, int64_t listing_id, bool approved_only,
				   int64_t limit, struct application **out, size_t *n, struct error *err);

/* The listing's open applications in an offer (question, form, viewing, signing). */
int store_applications_in_offer(struct store *s, int64_t listing_id, int64_t *n, struct error *err);

/* The best-placed open application of the listing in state (*found false: none). */
int store_application_first_in_state(struct store *s, struct arena *a, int64_t listing_id, const char *state,
				     struct application *out, bool *found, struct error *err);

/* The application at a place of the listing (*found false: none). */
int store_application_at_rank(struct store *s, struct arena *a, int64_t listing_id, int64_t rank,
			      struct application *out, bool *found, struct error *err);

int store_application_set_offered(struct store *s, int64_t id, int64_t now, struct error *err);
int store_application_set_rejection(struct store *s, int64_t id, int64_t reason, struct error *err);

/* What ranking needs of each open, registered application of a listing. */
struct rank_input {
	int64_t id;
	int64_t queue_points;
	int64_t applied_at;
	bool approved;
	bool existing_tenant; /* the applicant's personal number is among the company's existing tenants */
};
/* tenants: look existing_tenant up (else false: it costs two lookups an application). Unordered. */
int store_rank_inputs(struct store *s, struct arena *a, int64_t listing_id, bool tenants, struct rank_input **out,
		      size_t *n, struct error *err);

/* Writes the places (application_ranks): ordered[i] gets place i + 1, with its existing_tenant flag. */
int store_set_ranks(struct store *s, int64_t listing_id, const struct rank_input *ordered, size_t n,
		    struct error *err);

#endif
