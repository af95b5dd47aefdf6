/* The public figures of a listing's applications (store_insights.h). */
#include "store/market/store_insights.h"

#include <string.h>

#include "store/store_internal.h"

static const char sql_facts[] =
	"SELECT o.candidate_sorting_mode, CASE WHEN o.soft_requirements_id IS NULL THEN 0 ELSE 1 END,"
	" CASE WHEN EXISTS (SELECT 1 FROM listing_processes p WHERE p.listing_id = o.id) THEN 1 ELSE 0 END"
	" FROM object_ads o WHERE o.id = ?1";
static const char sql_top_ranked[] =
	"SELECT a.queue_points FROM application_ranks r JOIN applications a ON a.id = r.application_id"
	" WHERE r.listing_id = ?1 ORDER BY r.rank LIMIT ?2";
/* Only the points are answered, so ties need no order: the index's (listing_id, queue_points) walked backwards. */
static const char sql_top_open[] =
	"SELECT queue_points FROM applications WHERE listing_id = ?1 AND closed_at IS NULL"
	" ORDER BY queue_points DESC LIMIT ?2";

int store_listing_insight_facts(struct store *s, struct arena *a, int64_t listing_id,
				struct listing_insight_facts *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_facts, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such listing");
	out->sorting_mode = col_str(st, 0, a);
	out->soft_requirements = db_col_int(st, 1) != 0;
	out->ranked = db_col_int(st, 2) != 0;
	db_reset(st);
	return 0;
}

int store_listing_top_points(struct store *s, int64_t listing_id, bool ranked, int64_t *points, size_t max,
			     size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, ranked ? sql_top_ranked : sql_top_open, err);
	int rc = DB_DONE;

	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, (int64_t)max);
	while (*n < max && (rc = db_step(st, err)) == DB_ROW)
		points[(*n)++] = db_col_int(st, 0);
	db_reset(st);
	return rc < 0 ? -1 : 0;
}
