/*
 * insights.h — what anyone may know about the competition for a listing (HomeQ's
 * GET /api/v3/free_insights/{id}/, homeq.md §14 observed; docs/DECISIONS.md "free_insights").
 *
 * The figures are the ones the market dialect's explanation of a place gives (process.h,
 * process_explain): the queue points held when applying by the best-placed applications.
 * Before the applications close they are the live top (the open applications by points,
 * then apply time); once the listing is ranked, the points of places 1–10 as ranked. Who
 * holds them is never said.
 *
 * The frame says how the listing sorts its candidates: queue_points → "queue_points_info"
 * with the points; first_come_first → "first_to_apply" and random → "random", both without
 * points (points decide nothing there).
 */
#ifndef RENTD_MARKET_INSIGHTS_H
#define RENTD_MARKET_INSIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "core/core.h"

#define INSIGHTS_TOP 10

struct free_insights {
	bool soft_requirements; /* is_using_soft_requirements: the listing has a soft requirement profile */
	const char *frame;      /* "queue_points_info", "first_to_apply", "random" */
	bool ranked;            /* the applications have closed: the points are of places 1… */
	int64_t top[INSIGHTS_TOP];
	size_t ntop;            /* 0 unless frame is queue_points_info */
};

/* The insights of a public listing (active or reserved, published); ERROR_NOT_FOUND otherwise. */
int insights_free(struct core *c, struct arena *a, int64_t listing_id, struct free_insights *out,
		  struct error *err);

#endif
