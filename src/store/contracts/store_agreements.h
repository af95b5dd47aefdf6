/*
 * store_agreements.h — the reads of agreements (migration 0027; homeq.md §3, §12.8).
 *
 * The letting process (core/market/process.c) inserts an agreement when a landlord
 * confirms a reservation; this file only reads them, with what an Agreement shows: the
 * apartment's address and first picture, the company's name and the contract's uuid.
 * Who may see which agreement is core's rule (core/contracts/agreements.h); here it is a
 * filter: a company and an office subtree, or a tenant.
 *
 * An agreement outlives its listing and may outlive its apartment (both are kept as plain
 * ids): the apartment's members are then empty, never an error.
 */
#ifndef RENTD_STORE_AGREEMENTS_H
#define RENTD_STORE_AGREEMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

struct agreement_info {
	int64_t id;
	int64_t company_id, office_id, listing_id, apartment_id, application_id;
	int64_t user_id;          /* the tenant */
	int64_t landlord_user_id; /* the employee who confirmed */
	struct str contract_uuid;
	int64_t created_at;       /* µs */
	int64_t signed_at;        /* µs; 0: not sealed yet */
	struct str office_path;   /* "" when the office is gone */
	struct str company_name;
	struct str city, street, street_number; /* the estate's city, the apartment's street; "" when gone */
	struct str display_image; /* the storage key of the apartment's first picture; ptr NULL: none */
};

/*
 * Which agreements: every member that is set must hold. A company filter (company_id) is
 * always with an office subtree (office_path, "/1/4/": the agreement's office at or below
 * it); user_id the tenant's.
 */
struct agreement_filter {
	int64_t company_id;     /* 0: any company */
	struct str office_path; /* with company_id */
	int64_t user_id;        /* 0: any tenant */
	int64_t apartment_id;   /* 0: any */
	int64_t listing_id;     /* 0: any */
	bool has_signed_after;
	int64_t signed_after;   /* µs: signed strictly after it (an unsigned one never matches) */
};

/* A page, newest first (id descending); *total counts every agreement of the filter. */
int store_agreements_list(struct store *s, struct arena *a, const struct agreement_filter *f, int64_t offset,
			  int64_t limit, struct agreement_info **out, size_t *n, int64_t *total, struct error *err);

/* One agreement; ERROR_NOT_FOUND "no such agreement". */
int store_agreement_get(struct store *s, struct arena *a, int64_t id, struct agreement_info *out, struct error *err);

#endif
