/*
 * listings.h — listings (object ads): the rules of homeq.md §11c, §12.4 and §15
 * rules 36–42 for any dialect, the public object view, and the two background jobs
 * that publish scheduled listings and purge deleted ones.
 *
 * Every landlord function takes the caller and checks, in this order, its right (a
 * missing one is ERROR_FORBIDDEN naming it) and its scope: a listing of another
 * company or outside the caller's office subtree does not exist for it (GET
 * ERROR_NOT_FOUND, PATCH 412 AdDoesNotExist, DELETE 412 NoSuchObjectAd — the seed's
 * names). Writes are one transaction each and keep the search cards in step
 * (cards_sync_listing) inside it.
 *
 * Life of a listing: created as a draft (requirement may be missing) or published.
 * Published with a date_publish still ahead it is `approved` and a durable
 * LISTINGS_JOB_PUBLISH job makes it `active` at that instant; otherwise it is
 * `active` at once. PATCH status pauses (active → paused) and resumes (paused →
 * active), publishes a draft (→ active or approved), publishes a scheduled listing
 * now (approved → active) or takes it back (approved → draft). DELETE marks it
 * `deleted` (only from approved, active, draft, paused) and LISTINGS_JOB_PURGE
 * removes the row. The first time a company's listing becomes active, the accounts
 * dialect's FirstListingWasPublished event is appended in the same transaction.
 *
 * A random listing that is published commits to its lottery seed in the same transaction
 * (lottery_listing_written(), core/market/lottery.h); its views show the commitment.
 *
 * Defaults: candidate_sorting_mode and contract_system come from the apartment's
 * office unless given; the office's batch_size and offer settings are copied. A
 * project rental (is_project_rental) needs its estate in a project (NoLinkedProject)
 * that is active (ProjectNotActive; a draft may wait for an unpublished project) and
 * takes candidate_sorting_mode, contract_system, is_short_lease,
 * prioritize_existing_tenants and access_date from it when absent (decisions.md H-06).
 *
 * Times: date_publish is an instant (unix seconds); the calendar dates a landlord
 * types (access date, short-lease dates) are Europe/Stockholm dates, YYYY-MM-DD.
 */
#ifndef RENTD_LISTINGS_H
#define RENTD_LISTINGS_H

#include "core/identity/auth.h"
#include "core/core.h"
#include "core/job_kind.h"
#include "core/market/lottery.h"
#include "store/inventory/store_inventory.h"
#include "store/listings/store_listings.h"
#include "store/market/store_listing_applications.h"

/* GET /api/v1/object_ad/{id}: 60 requests a minute per caller (homeq.md §15 rule 42, H-39). */
#define LISTINGS_DETAIL_RATE_LIMIT 60
#define LISTINGS_DETAIL_RATE_WINDOW 60

/*
 * The listings area's job kinds (core/job_kind.h, listings_job_kinds): a scheduled listing
 * goes public at its run time; a deleted listing's row is removed.
 */
#define LISTINGS_JOB_PUBLISH "listing_publish" /* payload "<id>@<date_publish>" */
#define LISTINGS_JOB_PURGE "listing_purge"     /* payload "<id>" */

/* What a create or update sets; has_* say which members the request carried. */
struct listing_input {
	int64_t apartment;      /* create only */
	bool is_draft;          /* create only */
	bool is_project_rental; /* create only */
	struct listing_fields f; /* date_publish: an instant; dates YYYY-MM-DD (listings_parse_*) */
	enum listing_status status; /* update only, with has_status */
	bool has_description, has_access_date, has_prior_access, has_date_publish, has_candidate_sorting_mode,
		has_contract_system, has_is_quick_apply, has_is_short_lease, has_short_lease_min_date,
		has_short_lease_max_date, has_prioritize_existing_tenants, has_offer_notes, has_requirement,
		has_soft_requirements, has_status;
};

/* A listing with everything its detail and the public object view show. */
struct listing_view {
	struct listing l;
	struct apartment apartment;
	struct estate estate;
	struct str company_name;
	struct media_link *apartment_images, *apartment_videos, *estate_images;
	size_t n_apartment_images, n_apartment_videos, n_estate_images;
	struct listing_assignment *assignments; /* the landlord's detail only; none in the public view */
	size_t n_assignments;
	bool has_requirement; /* requirement filled */
	struct listing_requirement_flags requirement;
	struct application_stats stats; /* the landlord's detail only: ApplyStats now (listing_applications.h) */
	bool has_lottery; /* a random listing with a commitment: its lottery (core/market/lottery.h), seed once drawn */
	struct lottery_public lottery;
};

/* Right entity.object_ad.create (+ entity.object_ad.update.advanced to change the sorting mode or contract system). */
int listings_create(struct core *c, struct arena *a, const struct caller *who, const struct listing_input *in,
		    int64_t *id, struct error *err);
/* Any employee who sees the listing's office. */
int listings_get(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct listing_view *out,
		 struct error *err);
/*
 * The listing row as the caller sees it: one of its company in its office subtree, else
 * ERROR_NOT_FOUND "no such listing" (what listings_get answers; no right is needed).
 */
int listings_visible(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct listing *out,
		     struct error *err);
/* Right entity.object_ad.update (+ advanced as on create); out: the listing after the change. */
int listings_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		    const struct listing_input *in, struct listing_view *out, struct error *err);
/* Right entity.object_ad.delete. */
int listings_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err);

/*
 * The public object view: an active or reserved listing of any company that is
 * published (date_publish reached), else ERROR_NOT_FOUND.
 *
 * listings_public_version() is one statement: whether the listing is public and which
 * version of its view is current, so a caller that keeps rendered views (base/memo.h)
 * serves a kept one only while it is true. listings_public_get() reads everything the
 * view shows in one read snapshot, and *version the version of exactly that snapshot.
 */
int listings_public_version(struct core *c, int64_t id, struct listing_view_version *version, struct error *err);
int listings_public_get(struct core *c, struct arena *a, int64_t id, struct listing_view *out,
			struct listing_view_version *version, struct error *err);

/* LISTINGS_JOB_PUBLISH and LISTINGS_JOB_PURGE with what runs them, for jobs_register(). */
extern const struct job_kind listings_job_kinds[];
extern const size_t listings_job_kinds_count;

/*
 * Calendar helpers (Europe/Stockholm, the market's zone):
 * listings_parse_day: "YYYY-MM-DD", or an ISO-8601 date-time reduced to its Stockholm date
 * (decisions.md H-17), into out (11 bytes); listings_parse_instant: a date-time (no zone:
 * UTC, H-44), or a date meaning its Stockholm midnight. Both return -1 on anything else.
 */
int listings_parse_day(struct str s, char out[11]);
int listings_parse_instant(struct str s, int64_t *out);
/* The Stockholm calendar date of an instant, YYYY-MM-DD. */
void listings_day_of(int64_t t, char out[11]);
/* The Stockholm local time of an instant to the minute, "YYYY-MM-DD HH:MM" (the market's F3). */
void listings_minute_of(int64_t t, char out[17]);
/* Europe/Stockholm's offset from UTC at the instant t, in seconds (3600 or 7200). */
int64_t listings_stockholm_offset(int64_t t);

/* The contract system's internal name for a listing name or a project letter (H-16); NULL if neither. */
const char *listings_contract_system(struct str s);

#endif
