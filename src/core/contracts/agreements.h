/*
 * agreements.h — a letting's agreement as its parties read it (issue 15; homeq.md §3,
 * §12.8; docs/DECISIONS.md "Agreements").
 *
 * The letting process makes the agreement when the landlord confirms a reservation
 * (process_confirm(), core/market/process.h); the tenant and the landlord then sign its
 * digital contract (contracts.h). This module reads them:
 *
 *   who sees which: an employee, its company's agreements whose office lies at or below
 *   its root office (as listings); a consumer — an applicant's token of the market dialect
 *   (refused once signed out) or a consumer token — the agreements it is the tenant of
 *   (decisions.md H-37). Any other caller is ERROR_FORBIDDEN; an agreement the caller does
 *   not see does not exist for it (ERROR_NOT_FOUND).
 *
 *   filters: the apartment, the rental (the listing the agreement let), signed after an
 *   instant (an agreement is signed when its contract is sealed; an unsigned one never
 *   matches). Pages of AGREEMENTS_PAGE_SIZE, newest first.
 */
#ifndef RENTD_AGREEMENTS_H
#define RENTD_AGREEMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/core.h"
#include "core/identity/auth.h"
#include "store/contracts/store_agreements.h"

#define AGREEMENTS_PAGE_SIZE 20
#define AGREEMENTS_PAGE_MAX 5000000 /* offsets up to 10^8, as the other lists */

struct agreements_query {
	int64_t page;         /* 1-based */
	int64_t apartment_id; /* 0: any */
	int64_t listing_id;   /* 0: any (the dialect's rental_id) */
	bool has_signed_after;
	int64_t signed_after; /* µs */
};

struct agreements_page {
	struct agreement_info *items;
	size_t n;
	int64_t total; /* every agreement of the query, on every page */
};

int agreements_list(struct core *c, struct arena *a, const struct caller *who, const struct agreements_query *q,
		    struct agreements_page *out, struct error *err);

/* One agreement the caller sees. */
int agreements_get(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct agreement_info *out,
		   struct error *err);

/* The agreement's contract file (contract_file(): the sealed one once sealed, else the lease). */
int agreements_contract_file(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct str *pdf,
			     bool *sealed, struct error *err);

#endif
