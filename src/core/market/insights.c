/* What anyone may know about the competition for a listing (insights.h). */
#include "core/market/insights.h"

#include <string.h>

#include "core/listings/listings.h"
#include "store/market/store_insights.h"

static int read_insights(struct core *c, struct arena *a, int64_t listing_id, struct free_insights *out,
			 struct error *err)
{
	struct listing_view_version ver;
	struct listing_insight_facts f;

	if (listings_public_version(c, listing_id, &ver, err) < 0 ||
	    store_listing_insight_facts(c->store, a, listing_id, &f, err) < 0)
		return -1;
	out->soft_requirements = f.soft_requirements;
	out->ranked = f.ranked;
	if (str_eq_cstr(f.sorting_mode, "first_come_first")) {
		out->frame = "first_to_apply";
		return 0;
	}
	if (str_eq_cstr(f.sorting_mode, "random")) {
		out->frame = "random";
		return 0;
	}
	out->frame = "queue_points_info";
	return store_listing_top_points(c->store, listing_id, f.ranked, out->top, INSIGHTS_TOP, &out->ntop, err);
}

int insights_free(struct core *c, struct arena *a, int64_t listing_id, struct free_insights *out,
		  struct error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_read_begin(c->store, err) < 0)
		return -1;
	rc = read_insights(c, a, listing_id, out, err);
	store_read_end(c->store);
	return rc;
}
