/*
 * store_process.h — the letting process's own rows (migration 0027): a listing's process
 * (its ranking, how far offers went, the reservation), the rejection reasons, the
 * agreements it creates, and the form's answers written to an applicant's profile. The
 * applications themselves are store_applications.h's.
 */
#ifndef RENTD_STORE_PROCESS_H
#define RENTD_STORE_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

struct listing_process {
	int64_t listing_id;
	int64_t company_id;
	int64_t ranked_at;   /* µs */
	struct str rule;
	int64_t ranked;
	int64_t offered_through;
	int64_t reserved_application_id; /* 0: none */
	int64_t reserved_by;             /* 0: the process */
	int64_t reserved_at;
};

/*
 * The ranking's guard: inserts the listing's process row unless it exists. *created is
 * true for the one caller that inserted it (ON CONFLICT DO NOTHING … RETURNING), whichever
 * process or thread runs at the same time.
 */
int store_process_create(struct store *s, const struct listing_process *p, bool *created, struct error *err);

/* *found false when the listing has not been ranked. */
int store_process_get(struct store *s, struct arena *a, int64_t listing_id, struct listing_process *out,
		      bool *found, struct error *err);

int store_process_set_ranked(struct store *s, int64_t listing_id, int64_t ranked, struct error *err);
/* offered_through = max(offered_through, place) */
int store_process_offered(struct store *s, int64_t listing_id, int64_t place, struct error *err);

/*
 * Reserves application_id unless somebody is reserved: *reserved false then. by 0: the
 * process. application_id 0 ends the reservation (always succeeds).
 */
int store_process_reserve(struct store *s, int64_t listing_id, int64_t application_id, int64_t by, int64_t now,
			  bool *reserved, struct error *err);

struct rejection_reason_row {
	int64_t id;
	struct str description;
};
int store_rejection_reasons(struct store *s, struct arena *a, struct rejection_reason_row **out, size_t *n,
			    struct error *err);

struct agreement_row {
	int64_t id;
	int64_t company_id, office_id, listing_id, apartment_id, application_id;
	int64_t user_id;          /* the tenant */
	int64_t landlord_user_id; /* the employee who confirmed */
	struct str contract_uuid;
	int64_t created_at;       /* µs */
	int64_t signed_at;        /* µs; 0: not yet */
};
/* Inserts a (its id set). */
int store_agreement_insert(struct store *s, struct agreement_row *a, struct error *err);
/* The agreement of a contract signed at now. */
int store_agreement_signed(struct store *s, struct str contract_uuid, int64_t now, struct error *err);

/* The form's answers on the applicant's profile; a negative value or ptr NULL: unchanged. */
int store_applicant_form(struct store *s, int64_t user_id, int64_t income, struct str accommodation, int64_t adults,
			 int64_t children, int64_t now, struct error *err);

#endif
