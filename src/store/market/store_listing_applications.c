/* A listing's applications for its landlord: counts and the ranked page (store_listing_applications.h). */
#include "store/market/store_listing_applications.h"

#include "store/store_internal.h"

/*
 * One row per application: its state now and, as of ?2, its state then (NULL: applied
 * later) — the current one unless it was updated since, else its last step begun before
 * ?2 — and whether a closed one had been offered (a question step) and said no or let the
 * answer time pass: a candidate whose reservation the landlord rejected (rejection_reason)
 * had said yes, and is counted neither way once annulled.
 */
#define STATS_ROWS                                                                                          \
	"SELECT a.listing_id, a.state, a.closed_at, a.screening_approved,"                                  \
	" CASE WHEN a.applied_at >= ?2 THEN NULL WHEN a.updated_at < ?2 THEN a.state"                        \
	" ELSE (SELECT s.state FROM application_steps s WHERE s.application_id = a.id AND s.created_at < ?2" \
	" ORDER BY s.id DESC LIMIT 1) END AS then_state,"                                                    \
	" CASE WHEN a.closed_at IS NOT NULL AND a.rejection_reason IS NULL AND EXISTS (SELECT 1"              \
	" FROM application_steps q WHERE q.application_id = a.id AND q.state = 'question') THEN 1 ELSE 0 END"  \
	" AS offered"                                                                                        \
	" FROM applications a WHERE a.listing_id = ANY(?1)"

#define COUNT_IF(cond) "SUM(CASE WHEN " cond " THEN 1 ELSE 0 END)"
#define YES_STATES "('form', 'viewing', 'signing', 'contract_signed')"
#define OPEN_NOW "x.closed_at IS NULL"
#define OPEN_THEN "x.then_state IS NOT NULL AND (x.closed_at IS NULL OR x.closed_at >= ?2)"

static const char sql_stats[] =
	"SELECT x.listing_id,"
	" " COUNT_IF(OPEN_NOW " AND x.screening_approved = 1") ","
	" " COUNT_IF(OPEN_NOW " AND x.screening_approved = 0") ","
	" " COUNT_IF(OPEN_NOW " AND x.state = 'registered' AND x.screening_approved = 1") ","
	" " COUNT_IF(OPEN_NOW " AND x.state = 'registered' AND x.screening_approved = 0") ","
	" " COUNT_IF("x.state = 'annulled' AND x.offered = 1") ","
	" " COUNT_IF("x.state = 'question'") ","
	" " COUNT_IF("x.state IN " YES_STATES) ","
	" " COUNT_IF(OPEN_THEN " AND x.screening_approved = 1") ","
	" " COUNT_IF(OPEN_THEN " AND x.screening_approved = 0") ","
	" " COUNT_IF(OPEN_THEN " AND x.then_state = 'registered' AND x.screening_approved = 1") ","
	" " COUNT_IF(OPEN_THEN " AND x.then_state = 'registered' AND x.screening_approved = 0") ","
	" " COUNT_IF("x.then_state = 'annulled' AND x.offered = 1") ","
	" " COUNT_IF("x.then_state = 'question'") ","
	" " COUNT_IF("x.then_state IN " YES_STATES)
	" FROM (" STATS_ROWS ") x GROUP BY x.listing_id";

/* Ranked applications (the process fixed their places when applications closed) first, by place. */
#define LIST_COLUMNS                                                                                         \
	"SELECT a.id, a.user_id, a.queue_points, a.applied_at, a.state, a.closed_at, a.screening_approved,"  \
	" a.screening, u.first_name, u.last_name, u.email, u.personal_number, r.rank, a.offered_at,"         \
	" COALESCE(r.existing_tenant, 0), a.rejection_reason,"                                               \
	" CASE WHEN a.state = 'annulled' AND a.rejection_reason IS NULL AND EXISTS (SELECT 1"                \
	" FROM application_steps q WHERE q.application_id = a.id AND q.state = 'question') THEN 1 ELSE 0 END" \
	" FROM applications a JOIN users u ON u.id = a.user_id"                                              \
	" LEFT JOIN application_ranks r ON r.application_id = a.id"                                          \
	" WHERE a.listing_id = ?1 AND (CAST(?2 AS INTEGER) = 1 OR a.closed_at IS NULL)"                      \
	" ORDER BY CASE WHEN a.closed_at IS NULL THEN 0 ELSE 1 END,"                                         \
	" CASE WHEN r.rank IS NULL THEN 1 ELSE 0 END, r.rank, "
static const char sql_list_points[] =
	LIST_COLUMNS "a.queue_points DESC, a.applied_at, a.id LIMIT ?3 OFFSET ?4";
static const char sql_list_first[] = LIST_COLUMNS "a.applied_at, a.id LIMIT ?3 OFFSET ?4";
static const char sql_count[] =
	"SELECT COUNT(*) FROM applications WHERE listing_id = ?1 AND (CAST(?2 AS INTEGER) = 1 OR closed_at IS NULL)";

static void read_stats(struct db_stmt *st, struct arena *a, void *row)
{
	struct listing_application_stats *p = row;
	struct application_stats *when[2] = { &p->current, &p->then };
	(void)a;
	p->listing_id = db_col_int(st, 0);
	for (int i = 0; i < 2; i++) {
		struct application_stats *s = when[i];
		int c = 1 + 7 * i;
		*s = (struct application_stats){ 0 };
		s->accepted = db_col_int(st, c);
		s->rejected = db_col_int(st, c + 1);
		s->not_offered_accepted = db_col_int(st, c + 2);
		s->not_offered_rejected = db_col_int(st, c + 3);
		s->offer_no = db_col_int(st, c + 4);
		s->offer_pending = db_col_int(st, c + 5);
		s->offer_yes = db_col_int(st, c + 6);
	}
}

int store_listing_application_stats(struct store *s, struct arena *a, const int64_t *listing_ids, size_t n,
				    int64_t then_us, struct listing_application_stats **out, size_t *n_out,
				    struct error *err)
{
	struct db_stmt *st;

	*out = NULL;
	*n_out = 0;
	if (!n)
		return 0;
	if (!(st = store_stmt(s, sql_stats, err)))
		return -1;
	db_bind_int_array(st, 1, listing_ids, n);
	/* 0: every application is "applied later", so `then` stays 0 without a step read */
	db_bind_int(st, 2, then_us);
	return stmt_collect(st, a, sizeof(**out), read_stats, (void **)out, n_out, err);
}

static void read_application(struct db_stmt *st, struct arena *a, void *row)
{
	struct listing_application *p = row;
	p->id = db_col_int(st, 0);
	p->user_id = db_col_int(st, 1);
	p->queue_points = db_col_int(st, 2);
	p->applied_at = db_col_int(st, 3);
	p->state = col_str(st, 4, a);
	p->closed_at = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
	p->screening_approved = db_col_int(st, 6) != 0;
	p->screening = col_str(st, 7, a);
	p->first_name = col_str(st, 8, a);
	p->last_name = col_str(st, 9, a);
	p->email = col_str(st, 10, a);
	p->personal_number = col_str(st, 11, a);
	p->rank = db_col_is_null(st, 12) ? 0 : db_col_int(st, 12);
	p->offered_at = db_col_is_null(st, 13) ? 0 : db_col_int(st, 13);
	p->existing_tenant = db_col_int(st, 14) != 0;
	p->rejection_reason = db_col_is_null(st, 15) ? 0 : db_col_int(st, 15);
	p->declined = db_col_int(st, 16) != 0;
}

int store_listing_applications(struct store *s, struct arena *a, int64_t listing_id, enum application_order order,
			       bool closed, int64_t offset, int64_t limit, struct listing_application **out,
			       size_t *n, int64_t *total, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_count, err);
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, closed);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	*total = rc == 1 ? db_col_int(st, 0) : 0;
	if (rc == 1)
		db_reset(st);
	if (!*total)
		return 0;
	if (!(st = store_stmt(s, order == APPLICATION_ORDER_QUEUE_POINTS ? sql_list_points : sql_list_first, err)))
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, closed);
	db_bind_int(st, 3, limit);
	db_bind_int(st, 4, offset);
	return stmt_collect(st, a, sizeof(**out), read_application, (void **)out, n, err);
}
