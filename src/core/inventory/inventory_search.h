/*
 * inventory_search.h — GET /api/v1/inventory/ (homeq.md §11b, §15 rule 24): a
 * company's estates, apartments and listings in one paged list.
 *
 * Scope: the caller's selected office and everything below it; with
 * use_root_office, its root office's subtree instead (the selected office falls
 * back to the root office when it is unset or outside the root's subtree). Any
 * employee may search: the documents carry nothing the caller could not read
 * through the estate and apartment endpoints.
 *
 * The listing filters (project.id, listing.employee.id, listing.status) and
 * type=object_ad match listing documents only; exclude_projects removes project
 * listings only. The order, paging and filter semantics are
 * store_inventory_search.h's. A listing's application counts come from one grouped
 * statement for the whole page (core/listings/listing_applications.h), and so do the
 * estates' pictures and the apartments' (store_media_link_list_of).
 */
#ifndef RENTD_INVENTORY_SEARCH_H
#define RENTD_INVENTORY_SEARCH_H

#include "core/identity/auth.h"
#include "core/core.h"
#include "store/inventory/store_inventory_search.h"
#include "store/market/store_listing_applications.h"

#define INVENTORY_AMOUNT_DEFAULT 10
#define INVENTORY_AMOUNT_MAX 1000
#define INVENTORY_OFFSET_MAX 100000000
#define INVENTORY_EXTERNAL_ID_MAX 256

/* ObjectAdStatus, in the seed's order; bit i of inventory_query.statuses is status i. */
extern const char *const inventory_listing_statuses[];
enum { INVENTORY_LISTING_STATUS_COUNT = 10 };

struct inventory_query {
	unsigned types; /* enum inventory_type bits; 0: every type */
	int64_t estate_id, apartment_id, project_id, employee_id; /* 0: any */
	struct str estate_external_id, apartment_external_id;      /* ptr NULL: any */
	unsigned statuses;                                          /* 0: any */
	bool exclude_projects;
	bool use_root_office;
	int64_t amount;
	int64_t offset;
};

struct inventory_page {
	struct inventory_item *items;
	size_t n;
	int64_t total;
	/* per item, the ApplyStats of its listing (0 when it has none): now and as of the last UTC midnight */
	struct application_stats *current_stats, *nightly_stats;
	int64_t midnight; /* the instant of nightly_stats (seconds) */
};

int inventory_search(struct core *c, struct arena *a, const struct caller *who, const struct inventory_query *q,
		     struct inventory_page *out, struct error *err);

#endif
