/* Applications and their process steps (store_applications.h). */
#include "store/market/store_applications.h"

#include "store/store_internal.h"

#define APP_COLUMNS                                                                                         \
	"a.id, a.listing_id, a.company_id, a.user_id, a.queue_type, a.queue_points, a.applied_at, a.state,"  \
	" a.step_id, a.closed_at, a.screening_approved, a.screening, a.contact_name, a.contact_phone,"       \
	" a.contact_mobile, a.contact_email, a.updated_at, s.created_at, s.data, COALESCE(r.rank, 0),"     \
	" COALESCE(a.offered_at, 0), COALESCE(r.existing_tenant, 0), COALESCE(a.rejection_reason, 0)"
#define APP_FROM                                                                                            \
	" FROM applications a JOIN application_steps s ON s.id = a.step_id"                                 \
	" LEFT JOIN application_ranks r ON r.application_id = a.id"

static const char sql_insert[] =
	"INSERT INTO applications(listing_id, company_id, user_id, queue_type, queue_points, applied_at, state,"
	" screening_approved, screening, contact_name, contact_phone, contact_mobile, contact_email, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?6) RETURNING id";
static const char sql_step_insert[] =
	"INSERT INTO application_steps(application_id, state, created_at, data) VALUES (?1, ?2, ?3, ?4) RETURNING id";
static const char sql_set_step[] = "UPDATE applications SET step_id = ?2 WHERE id = ?1";
static const char sql_get[] = "SELECT " APP_COLUMNS APP_FROM " WHERE a.id = ?1";
static const char sql_of_listing_user[] =
	"SELECT " APP_COLUMNS APP_FROM " WHERE a.listing_id = ?1 AND a.user_id = ?2"
	" AND (CAST(?3 AS INTEGER) = 1 OR a.state <> 'removed') ORDER BY a.applied_at, a.id";
static const char sql_open_exists[] =
	"SELECT 1 FROM applications WHERE listing_id = ?1 AND user_id = ?2 AND closed_at IS NULL LIMIT 1";
static const char sql_of_user[] =
	"SELECT " APP_COLUMNS APP_FROM " WHERE a.user_id = ?1 AND (a.closed_at IS NULL OR a.closed_at >= ?2)"
	" AND (CAST(?3 AS INTEGER) = 1 OR a.state <> 'removed')"
	" AND (CAST(?4 AS TEXT) IS NULL OR a.queue_type = ?4) ORDER BY a.applied_at DESC, a.id DESC";
static const char sql_history[] =
	"SELECT id, application_id, state, created_at, answer, answered_at, data FROM application_steps"
	" WHERE application_id = ?1 AND answer IS NOT NULL ORDER BY id DESC";
static const char sql_move[] =
	"UPDATE applications SET state = ?3, step_id = ?4, closed_at = ?5, updated_at = ?6"
	" WHERE id = ?1 AND step_id = ?2";
static const char sql_answer[] = "UPDATE application_steps SET answer = ?2, answered_at = ?3 WHERE id = ?1";
/* Before it: more points, or as many and applied earlier (ids break a tie of the same microsecond). */
static const char sql_place_points[] =
	"SELECT COUNT(*) FROM applications WHERE listing_id = ?1 AND closed_at IS NULL"
	" AND (queue_points > ?2 OR (queue_points = ?2 AND (applied_at < ?3 OR (applied_at = ?3 AND id < ?4))))";
static const char sql_place_first[] =
	"SELECT COUNT(*) FROM applications WHERE listing_id = ?1 AND closed_at IS NULL"
	" AND (applied_at < ?2 OR (applied_at = ?2 AND id < ?3))";
static const char sql_open_count[] = "SELECT COUNT(*) FROM applications WHERE listing_id = ?1 AND closed_at IS NULL";

static void bind_opt(struct db_stmt *st, int idx, struct str v)
{
	if (v.ptr)
		db_bind_text(st, idx, v);
	else
		db_bind_null(st, idx);
}

static int insert_step(struct store *s, int64_t application_id, struct str state, int64_t now, struct str data,
		       int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_step_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, application_id);
	db_bind_text(st, 2, state);
	db_bind_int(st, 3, now);
	db_bind_text(st, 4, data.ptr ? data : STR_LIT("{}"));
	return stmt_insert_id(st, id, err);
}

int store_application_insert(struct store *s, struct application *app, struct str step_data, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, app->listing_id);
	db_bind_int(st, 2, app->company_id);
	db_bind_int(st, 3, app->user_id);
	db_bind_text(st, 4, app->queue_type);
	db_bind_int(st, 5, app->queue_points);
	db_bind_int(st, 6, app->applied_at);
	db_bind_text(st, 7, app->state);
	db_bind_int(st, 8, app->screening_approved);
	db_bind_text(st, 9, app->screening.ptr ? app->screening : STR_LIT("[]"));
	bind_opt(st, 10, app->contact_name);
	bind_opt(st, 11, app->contact_phone);
	bind_opt(st, 12, app->contact_mobile);
	bind_opt(st, 13, app->contact_email);
	if (stmt_insert_id(st, &app->id, err) < 0 ||
	    insert_step(s, app->id, app->state, app->applied_at, step_data, &app->step_id, err) < 0)
		return -1;
	if (!(st = store_stmt(s, sql_set_step, err)))
		return -1;
	db_bind_int(st, 1, app->id);
	db_bind_int(st, 2, app->step_id);
	app->updated_at = app->step_created_at = app->applied_at;
	app->step_data = step_data.ptr ? step_data : STR_LIT("{}");
	return stmt_exec(st, err);
}

static struct str col_opt(struct db_stmt *st, int col, struct arena *a)
{
	return db_col_is_null(st, col) ? STR_NULL : col_str(st, col, a);
}

static void read_application(struct db_stmt *st, struct arena *a, void *row)
{
	struct application *p = row;
	p->id = db_col_int(st, 0);
	p->listing_id = db_col_int(st, 1);
	p->company_id = db_col_int(st, 2);
	p->user_id = db_col_int(st, 3);
	p->queue_type = col_str(st, 4, a);
	p->queue_points = db_col_int(st, 5);
	p->applied_at = db_col_int(st, 6);
	p->state = col_str(st, 7, a);
	p->step_id = db_col_int(st, 8);
	p->closed_at = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
	p->screening_approved = db_col_int(st, 10) != 0;
	p->screening = col_str(st, 11, a);
	p->contact_name = col_opt(st, 12, a);
	p->contact_phone = col_opt(st, 13, a);
	p->contact_mobile = col_opt(st, 14, a);
	p->contact_email = col_opt(st, 15, a);
	p->updated_at = db_col_int(st, 16);
	p->step_created_at = db_col_int(st, 17);
	p->step_data = col_str(st, 18, a);
	p->rank = db_col_int(st, 19);
	p->offered_at = db_col_int(st, 20);
	p->existing_tenant = db_col_int(st, 21) != 0;
	p->rejection_reason = db_col_int(st, 22);
}

int store_application_get(struct store *s, struct arena *a, int64_t id, struct application *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return stmt_one(st, a, read_application, out, "application", err);
}

int store_applications_of_listing_user(struct store *s, struct arena *a, int64_t listing_id, int64_t user_id,
				       bool with_removed, struct application **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_of_listing_user, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, with_removed);
	return stmt_collect(st, a, sizeof(**out), read_application, (void **)out, n, err);
}

int store_application_open_exists(struct store *s, int64_t listing_id, int64_t user_id, bool *exists,
				  struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_open_exists, err);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, user_id);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	*exists = rc == 1;
	if (rc == 1)
		db_reset(st);
	return 0;
}

int store_applications_of_user(struct store *s, struct arena *a, int64_t user_id, int64_t closed_since,
			       bool with_removed, struct str queue_type, struct application **out, size_t *n,
			       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_of_user, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, closed_since);
	db_bind_int(st, 3, with_removed);
	bind_opt(st, 4, queue_type);
	return stmt_collect(st, a, sizeof(**out), read_application, (void **)out, n, err);
}

static void read_step(struct db_stmt *st, struct arena *a, void *row)
{
	struct application_step *p = row;
	p->id = db_col_int(st, 0);
	p->application_id = db_col_int(st, 1);
	p->state = col_str(st, 2, a);
	p->created_at = db_col_int(st, 3);
	p->answer = col_opt(st, 4, a);
	p->answered_at = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
	p->data = col_str(st, 6, a);
}

int store_application_history(struct store *s, struct arena *a, int64_t application_id,
			      struct application_step **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_history, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, application_id);
	return stmt_collect(st, a, sizeof(**out), read_step, (void **)out, n, err);
}

int store_application_step(struct store *s, int64_t application_id, int64_t expected_step, struct str answer,
			   struct str state, struct str data, int64_t closed_at, int64_t now, int64_t *new_step,
			   bool *moved, struct error *err)
{
	struct db_stmt *st;

	*moved = false;
	if (insert_step(s, application_id, state, now, data, new_step, err) < 0 ||
	    !(st = store_stmt(s, sql_move, err)))
		return -1;
	db_bind_int(st, 1, application_id);
	db_bind_int(st, 2, expected_step);
	db_bind_text(st, 3, state);
	db_bind_int(st, 4, *new_step);
	if (closed_at)
		db_bind_int(st, 5, closed_at);
	else
		db_bind_null(st, 5);
	db_bind_int(st, 6, now);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) != 1)
		return 0; /* the caller rolls back, so the step inserted above goes too */
	*moved = true;
	if (!(st = store_stmt(s, sql_answer, err)))
		return -1;
	db_bind_int(st, 1, expected_step);
	db_bind_text(st, 2, answer);
	db_bind_int(st, 3, now);
	return stmt_exec(st, err);
}

static int count(struct db_stmt *st, int64_t *n, struct error *err)
{
	int rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	*n = rc == 1 ? db_col_int(st, 0) : 0;
	if (rc == 1)
		db_reset(st);
	return 0;
}

int store_application_place(struct store *s, const struct application *app, enum application_order order,
			    int64_t *place, struct error *err)
{
	struct db_stmt *st =
		store_stmt(s, order == APPLICATION_ORDER_QUEUE_POINTS ? sql_place_points : sql_place_first, err);
	int64_t before;
	int k = order == APPLICATION_ORDER_QUEUE_POINTS ? 1 : 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, app->listing_id);
	if (k)
		db_bind_int(st, 2, app->queue_points);
	db_bind_int(st, 2 + k, app->applied_at);
	db_bind_int(st, 3 + k, app->id);
	if (count(st, &before, err) < 0)
		return -1;
	*place = before + 1;
	return 0;
}

int store_application_open_count(struct store *s, int64_t listing_id, int64_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_open_count, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	return count(st, n, err);
}

/* ---- a listing's applications in the letting process ---- */

static const char sql_open_of_listing[] =
	"SELECT " APP_COLUMNS APP_FROM " WHERE a.listing_id = ?1 AND a.closed_at IS NULL AND a.state <> 'signing'"
	" ORDER BY r.rank IS NULL, r.rank, a.applied_at, a.id LIMIT ?2";
static const char sql_next_offers[] =
	"SELECT " APP_COLUMNS APP_FROM " WHERE r.listing_id = ?1 AND a.closed_at IS NULL"
	" AND a.state = 'registered' AND (CAST(?2 AS INTEGER) = 0 OR a.screening_approved = 1)"
	" ORDER BY r.rank LIMIT ?3";
static const char sql_in_offer[] =
	"SELECT COUNT(*) FROM applications WHERE listing_id = ?1 AND closed_at IS NULL"
	" AND state IN ('question', 'form', 'viewing', 'signing')";
static const char sql_first_in_state[] =
	"SELECT " APP_COLUMNS APP_FROM " WHERE a.listing_id = ?1 AND a.closed_at IS NULL AND a.state = ?2"
	" ORDER BY r.rank IS NULL, r.rank, a.applied_at, a.id LIMIT 1";
static const char sql_at_rank[] = "SELECT " APP_COLUMNS APP_FROM " WHERE r.listing_id = ?1 AND r.rank = ?2";
static const char sql_set_offered[] = "UPDATE applications SET offered_at = ?2 WHERE id = ?1";
static const char sql_set_rejection[] = "UPDATE applications SET rejection_reason = ?2 WHERE id = ?1";
/* from the index applications_listing_open alone */
static const char sql_rank_inputs[] =
	"SELECT a.id, a.queue_points, a.applied_at, a.screening_approved, 0"
	" FROM applications a WHERE a.listing_id = ?1 AND a.closed_at IS NULL AND a.state = 'registered'";
/* an applicant is an existing tenant when their personal number is among the company's (homeq.md §9) */
static const char sql_rank_inputs_tenants[] =
	"SELECT a.id, a.queue_points, a.applied_at, a.screening_approved,"
	" EXISTS (SELECT 1 FROM users u JOIN existing_tenants t ON t.company_id = a.company_id"
	"   AND t.ssn = u.personal_number WHERE u.id = a.user_id AND u.personal_number <> '')"
	" FROM applications a WHERE a.listing_id = ?1 AND a.closed_at IS NULL AND a.state = 'registered'";
static const char sql_set_rank[] =
	"INSERT INTO application_ranks(listing_id, rank, application_id, existing_tenant) VALUES (?1, ?2, ?3, ?4)";

int store_applications_open_of_listing(struct store *s, struct arena *a, int64_t listing_id, int64_t limit,
				       struct application **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_open_of_listing, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, limit);
	return stmt_collect(st, a, sizeof(**out), read_application, (void **)out, n, err);
}

int store_applications_next_offers(struct store *s, struct arena *a, int64_t listing_id, bool approved_only,
				   int64_t limit, struct application **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_next_offers, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, approved_only);
	db_bind_int(st, 3, limit);
	return stmt_collect(st, a, sizeof(**out), read_application, (void **)out, n, err);
}

int store_applications_in_offer(struct store *s, int64_t listing_id, int64_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_in_offer, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	return count(st, n, err);
}

/* One application or none: *found. */
static int maybe_one(struct db_stmt *st, struct arena *a, struct application *out, bool *found, struct error *err)
{
	struct application *rows;
	size_t n;
	if (stmt_collect(st, a, sizeof(*rows), read_application, (void **)&rows, &n, err) < 0)
		return -1;
	*found = n > 0;
	if (n)
		*out = rows[0];
	return 0;
}

int store_application_first_in_state(struct store *s, struct arena *a, int64_t listing_id, const char *state,
				     struct application *out, bool *found, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_first_in_state, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_text(st, 2, str_from_cstr(state));
	return maybe_one(st, a, out, found, err);
}

int store_application_at_rank(struct store *s, struct arena *a, int64_t listing_id, int64_t rank,
			      struct application *out, bool *found, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_at_rank, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, rank);
	return maybe_one(st, a, out, found, err);
}

static int set_int(struct store *s, const char *sql, int64_t id, int64_t v, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, v);
	return stmt_exec(st, err);
}

int store_application_set_offered(struct store *s, int64_t id, int64_t now, struct error *err)
{
	return set_int(s, sql_set_offered, id, now, err);
}

int store_application_set_rejection(struct store *s, int64_t id, int64_t reason, struct error *err)
{
	return set_int(s, sql_set_rejection, id, reason, err);
}

static void read_rank_input(struct db_stmt *st, struct arena *a, void *row)
{
	struct rank_input *p = row;
	(void)a;
	p->id = db_col_int(st, 0);
	p->queue_points = db_col_int(st, 1);
	p->applied_at = db_col_int(st, 2);
	p->approved = db_col_int(st, 3) != 0;
	p->existing_tenant = db_col_int(st, 4) != 0;
}

int store_rank_inputs(struct store *s, struct arena *a, int64_t listing_id, bool tenants, struct rank_input **out,
		      size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, tenants ? sql_rank_inputs_tenants : sql_rank_inputs, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	return stmt_collect(st, a, sizeof(**out), read_rank_input, (void **)out, n, err);
}

int store_set_ranks(struct store *s, int64_t listing_id, const struct rank_input *ordered, size_t n,
		    struct error *err)
{
	for (size_t i = 0; i < n; i++) {
		struct db_stmt *st = store_stmt(s, sql_set_rank, err);
		if (!st)
			return -1;
		db_bind_int(st, 1, listing_id);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_int(st, 3, ordered[i].id);
		db_bind_int(st, 4, ordered[i].existing_tenant);
		if (stmt_exec(st, err) < 0)
			return -1;
	}
	return 0;
}
