/*
 * store_listing_applications.h — a listing's applications as its landlord sees them
 * (migration 0023): the counts of HomeQ's ApplyStats for a set of listings in one grouped
 * statement, and one page of a listing's applications in rank order with the applicant's
 * name, e-mail and personal number.
 *
 * What the counts mean is decided here only as far as SQL must (docs/DECISIONS.md,
 * "ApplyStats"): approval counts are over open applications (closed_at NULL), split by the
 * screening verdict stored at apply time; "not offered" is the same among those still
 * 'registered'; the offer counts are by state: 'question' pending, 'form', 'viewing',
 * 'signing', 'contract_signed' yes, 'annulled' after a question step no — unless the landlord
 * rejected its reservation (rejection_reason): that candidate had said yes, and is no "no".
 *
 * As of an earlier instant (the nightly figures) an application counts when it was applied
 * before it, is open when it was not closed before it, and has the state of its last step
 * begun before it. That rests on one invariant of store_applications.c: updated_at is at
 * least the start of the application's current step, so an application not updated since
 * the instant still has the state it had then, and only the others look at their steps.
 */
#ifndef RENTD_STORE_LISTING_APPLICATIONS_H
#define RENTD_STORE_LISTING_APPLICATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/market/store_applications.h"
#include "store/store.h"

/* HomeQ's ApplyStats counts (homeq.md §12.4). processing is always 0 (no screening is pending). */
struct application_stats {
	int64_t accepted, processing, rejected;                         /* approval_status */
	int64_t not_offered_accepted, not_offered_processing, not_offered_rejected; /* …_for_contract_not_offered */
	int64_t offer_no, offer_pending, offer_yes;                     /* offer_status */
};

struct listing_application_stats {
	int64_t listing_id;
	struct application_stats current; /* now */
	struct application_stats then;    /* as of the instant asked for */
};

/*
 * The counts of each of the n listings that has any application, in no particular order
 * (a listing without one is not in *out: every count 0). then_us (µs) is the earlier
 * instant of `then`; 0 leaves `then` all 0 and reads no step.
 */
int store_listing_application_stats(struct store *s, struct arena *a, const int64_t *listing_ids, size_t n,
				    int64_t then_us, struct listing_application_stats **out, size_t *n_out,
				    struct error *err);

/* One application of a listing with its applicant (the user row). */
struct listing_application {
	int64_t id;
	int64_t user_id;
	int64_t queue_points;
	int64_t applied_at; /* µs */
	struct str state;
	int64_t closed_at;  /* µs; 0 open */
	bool screening_approved;
	struct str screening; /* JSON array of the checks when applying */
	struct str first_name, last_name, email, personal_number;
	int64_t rank;             /* the place fixed when applications closed; 0: not ranked */
	int64_t offered_at;       /* µs; 0: never offered */
	bool existing_tenant;     /* ranked first as an existing tenant */
	int64_t rejection_reason; /* the landlord rejected its reservation for this reason; 0: no */
	bool declined;            /* annulled after an offer, not by a rejection: said no or too late */
};

/*
 * A page of a listing's applications: the open ones in rank order — by the place the process
 * fixed when applications closed, then those without a place by order (ties by apply time,
 * then id) — then, with closed, the closed ones in the same order. *total counts every
 * application the page is taken from.
 */
int store_listing_applications(struct store *s, struct arena *a, int64_t listing_id, enum application_order order,
			       bool closed, int64_t offset, int64_t limit, struct listing_application **out,
			       size_t *n, int64_t *total, struct error *err);

#endif
