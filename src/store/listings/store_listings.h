/*
 * store_listings.h — listings (object ads, migration 0013_listings.sql): their rows,
 * assignments, the one-live-listing-per-apartment lookup and the first publication
 * of a company.
 *
 * Rows come back as plain structs whose strings live in the caller's arena. The
 * store checks nothing but what the arguments say: core/listings/listings.c decides who may
 * see or change what and passes the company in (0: any company, for the public view
 * and the jobs); an id that does not exist, or belongs to another company, is
 * ERROR_NOT_FOUND "no such listing". A string field whose ptr is NULL is SQL NULL.
 */
#ifndef RENTD_STORE_LISTINGS_H
#define RENTD_STORE_LISTINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

/* ObjectAdStatus (homeq.md §12.1) in the seed's order; stored as its wire name. */
enum listing_status {
	LISTING_CLOSING, LISTING_APPROVED, LISTING_ACTIVE, LISTING_RENTED, LISTING_DRAFT, LISTING_DELETED,
	LISTING_RESERVED, LISTING_PAUSED, LISTING_REJECTED, LISTING_PUBLISHING, LISTING_STATUS_COUNT
};
/* The wire names, NULL-terminated (a jr_enum value list). */
extern const char *const listing_status_names[LISTING_STATUS_COUNT + 1];

/* Every listing column a create or update can set. */
struct listing_fields {
	struct str description;            /* Markdown; "" when none */
	struct str access_date;            /* YYYY-MM-DD; ptr NULL: access on agreement */
	bool prior_access;
	int64_t date_publish;              /* unix seconds; 0: none (a draft never published) */
	struct str candidate_sorting_mode; /* "queue_points" | "random" | "first_come_first" */
	struct str contract_system;        /* "external" … "automatic_strict" */
	int64_t batch_size;                /* the office's offer settings, copied at creation */
	int64_t offer_per_ad;
	int64_t offers_per_person;
	int64_t offer_min_response_time;
	int64_t time_to_next_engagement;
	bool is_quick_apply;
	bool is_short_lease;
	struct str short_lease_min_date;   /* YYYY-MM-DD; ptr NULL: none */
	struct str short_lease_max_date;
	bool prioritize_existing_tenants;
	struct str offer_notes;            /* ptr NULL: none */
	int64_t requirement_id;            /* 0: none (drafts only) */
	int64_t soft_requirements_id;      /* 0: none */
};

struct listing {
	int64_t id;
	struct str uuid;
	int64_t company_id;
	int64_t apartment_id;
	int64_t estate_id;
	int64_t office_id;       /* the estate's (read only) */
	struct str office_path;  /* its path (read only) */
	int64_t project_id;      /* 0: a succession ad */
	struct str project_name; /* read only; ptr NULL when no project */
	struct str requirement_name; /* read only; ptr NULL when no requirement */
	enum listing_status status;
	struct listing_fields f;
	int64_t start_processing_at; /* unix seconds; 0: not set */
	struct str approval_rejection_text; /* ptr NULL: none */
	int64_t created_by;          /* 0: unknown */
	struct str created_at;       /* YYYY-MM-DDTHH:MM:SSZ */
	struct str updated_at;
};

struct listing_assignment {
	int64_t id;
	int64_t listing_id;
	int64_t user_id;
	struct str first_name;
	struct str last_name;
};

/* ElasticRequirements (homeq.md §12.5): the flags of the listing's requirement profile. */
struct listing_requirement_flags {
	int64_t id;
	bool pets, smoking, senior, student, youth;
};

/*
 * What says whether a public view of the listing is still true (migration 0017): its
 * status and publication instant, its company, and that company's view counter, which
 * every change to a row its listings' views show moves on; and the listing's open
 * applications (listing_application_counts, migration 0024: an application is not a row
 * the view shows, and moving the company's counter on every apply would drop its every
 * kept view). One statement.
 */
struct listing_view_version {
	int64_t company_id;
	int64_t generation;
	enum listing_status status;
	int64_t date_publish; /* 0: none */
	int64_t open_applications; /* the listing's open applications (the market's nrApplications) */
};
int store_listing_view_version(struct store *s, int64_t id, struct listing_view_version *out, struct error *err);

/* Inserts l (every field but the read-only ones) with a new uuid; *id gets its id. */
int store_listing_insert(struct store *s, const struct listing *l, int64_t *id, struct error *err);
int store_listing_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct listing *out,
		      struct error *err);
/* Writes l's status, fields, start_processing_at and approval_rejection_text. */
int store_listing_update(struct store *s, const struct listing *l, struct error *err);
/* status 'deleted' and deleted_at now. */
int store_listing_mark_deleted(struct store *s, int64_t id, struct error *err);
/*
 * Removes a listing marked deleted (and its assignments) unless it had applications (they
 * stay, cancelled, for their applicants); *removed 0 when nothing was removed.
 */
int store_listing_purge(struct store *s, int64_t id, int *removed, struct error *err);
/* The apartment's live listing (not deleted, not rented); *id 0 when none. */
int store_listing_live(struct store *s, int64_t apartment_id, int64_t *id, struct error *err);

int store_listing_assign(struct store *s, int64_t listing_id, int64_t user_id, struct error *err);
int store_listing_assignments(struct store *s, struct arena *a, int64_t listing_id, struct listing_assignment **out,
			      size_t *n, struct error *err);
/* Those of several listings at once (an inventory page), by listing id, then assignment id. */
int store_listing_assignments_of(struct store *s, struct arena *a, const int64_t *listing_ids, size_t nlistings,
				 struct listing_assignment **out, size_t *n, struct error *err);

/* The company owning a requirement profile; *company_id 0 when there is no such profile. */
int store_listing_requirement_company(struct store *s, int64_t requirement_id, int64_t *company_id,
				      struct error *err);
/* The flags of a requirement profile; ERROR_NOT_FOUND when there is none. */
int store_listing_requirement_flags(struct store *s, int64_t requirement_id, struct listing_requirement_flags *out,
				    struct error *err);
/* The company's minimum_up_time in hours (start_processing_at = publication + that). */
int store_listing_company_up_time(struct store *s, int64_t company_id, int64_t *hours, struct error *err);
/*
 * Records that the company's first listing was published at `at` (YYYY-MM-DDTHH:MM:SSZ)
 * unless one was before: *first is true only for the call that set it.
 */
int store_listing_first_published(struct store *s, int64_t company_id, struct str at, bool *first,
				  struct error *err);

#endif
