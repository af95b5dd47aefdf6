/*
 * listing_applications.h — a listing's applications as its landlord sees them (issue 14;
 * docs/DECISIONS.md "Landlord applications"): the ranked candidate list and the ApplyStats
 * counts of the listing detail and the inventory.
 *
 * Who may read: any employee who sees the listing (its company, the caller's office
 * subtree), as for the listing detail (listings_get); another company's listing, or one
 * outside the subtree, does not exist for the caller (ERROR_NOT_FOUND). Another kind of
 * caller is ERROR_FORBIDDEN.
 *
 * Order: once the listing's applications have closed, the places the letting process fixed
 * then (applications.rank, core/market/process.h), whatever the rule. Before that (and for an
 * application without a place) the listing's candidate_sorting_mode — queue_points: more
 * points first, then the earlier application; first_come_first: the earlier application
 * first; random: as first_come_first until the lottery draws. Ties of the same microsecond
 * by id. Open applications come first; closed ones (cancelled, completed, removed …) only
 * when asked.
 *
 * Offer status of one candidate, as the ApplyStats count it: pending (offered, not answered:
 * question), yes (form, viewing, signing, contract_signed), no (annulled after an offer,
 * having said no or let the answer time pass); a candidate whose reservation the landlord
 * rejected is none of them (it carries the rejection reason instead), nor is one never
 * offered.
 *
 * The approval checks are the screening stored with the application when it was made
 * (core/market/screening.h), decoded here from its stored JSON.
 */
#ifndef RENTD_LISTING_APPLICATIONS_H
#define RENTD_LISTING_APPLICATIONS_H

#include "core/core.h"
#include "core/identity/auth.h"
#include "store/market/store_listing_applications.h"
#include "store/market/store_process.h"

#define LISTING_APPLICATIONS_AMOUNT_DEFAULT 10
#define LISTING_APPLICATIONS_AMOUNT_MAX 1000
#define LISTING_APPLICATIONS_OFFSET_MAX 100000000

struct listing_applications_query {
	bool closed; /* also the closed applications, after the open ones */
	int64_t offset, amount;
};

/* One named check of an application's screening, as stored (a member it lacks: 0, "" or false). */
struct application_check {
	struct str rule;    /* requirement_rule_name(): "APPLICANT_GROUP_INCOME", …, "PETS" */
	struct str type;    /* "income", "paymentRemarks", … */
	bool passed;
	bool has_values;    /* needed and held were stored */
	int64_t needed, held;
	struct str unit;    /* "kr/mån", "" none */
	struct str message; /* sv-SE */
};

struct listing_application_item {
	struct listing_application app;
	struct application_check *checks;
	size_t n_checks;
	const char *offer_status; /* "pending", "yes", "no"; NULL: none */
	bool reserved;            /* the listing's reserved candidate */
};

struct listing_applications_page {
	struct str sorting_mode; /* the listing's candidate_sorting_mode, which ordered the page */
	bool ranked;             /* applications have closed: process holds the letting's state */
	struct listing_process process; /* store/market/store_process.h */
	struct application_stats stats; /* the listing's ApplyStats now */
	struct listing_application_item *items;
	size_t n;
	int64_t total; /* every application the page is taken from */
};

int listing_applications_list(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id,
			      const struct listing_applications_query *q, struct listing_applications_page *out,
			      struct error *err);

/* The offer status of an application (above); NULL: none. */
const char *listing_application_offer_status(const struct listing_application *p);

/*
 * The ApplyStats of n listings (ids), into current[i] and, when nightly is not NULL,
 * nightly[i] as of the instant then (seconds; the inventory's last UTC midnight). One
 * statement.
 */
int listing_applications_stats(struct core *c, struct arena *a, const int64_t *ids, size_t n,
			       struct application_stats *current, struct application_stats *nightly, int64_t then,
			       struct error *err);

/* The last UTC midnight at or before the instant now (seconds). */
int64_t listing_applications_midnight(int64_t now);

#endif
