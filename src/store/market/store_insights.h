/*
 * store_insights.h — the public figures of a listing's applications (HomeQ's free_insights,
 * core/market/insights.h): how its candidates are sorted, whether it has a soft requirement
 * profile, whether its applications have been ranked, and the queue points at the top.
 *
 * Rows only; what they mean is core's. Points are the ones held when applying
 * (applications.queue_points), the same the ranking and the explanation use.
 */
#ifndef RENTD_STORE_INSIGHTS_H
#define RENTD_STORE_INSIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

struct listing_insight_facts {
	struct str sorting_mode; /* candidate_sorting_mode */
	bool soft_requirements;  /* soft_requirements_id is set */
	bool ranked;             /* a listing_processes row: the applications have closed and are ranked */
};

/* ERROR_NOT_FOUND when the listing does not exist. */
int store_listing_insight_facts(struct store *s, struct arena *a, int64_t listing_id,
				struct listing_insight_facts *out, struct error *err);

/*
 * The queue points of at most max applications of the listing, best first: when ranked, of
 * places 1, 2, … (the ranked applications in rank order, closed ones too: a place once
 * given stays); otherwise of the open applications by points (the live order of
 * store_application_place(), whose tie-breaks do not change the points listed).
 */
int store_listing_top_points(struct store *s, int64_t listing_id, bool ranked, int64_t *points, size_t max,
			     size_t *n, struct error *err);

#endif
