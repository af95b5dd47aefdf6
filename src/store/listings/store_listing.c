/* Listings (object ads), their assignments, and the company's first publication (store_listings.h). */
#include <string.h>

#include "store/store_epoch.h"
#include "store/store_internal.h"
#include "store/listings/store_listings.h"

const char *const listing_status_names[LISTING_STATUS_COUNT + 1] = {
	"closing", "approved", "active", "rented", "draft", "deleted", "reserved", "paused", "rejected", "publishing",
	NULL,
};

static enum listing_status status_of(struct str s)
{
	for (int i = 0; i < LISTING_STATUS_COUNT; i++)
		if (str_eq_cstr(s, listing_status_names[i]))
			return (enum listing_status)i;
	return LISTING_DELETED; /* the CHECK constraint keeps anything else out */
}

/* Column order: identity and joins, then struct listing_fields in its order, then the rest. */
#define LISTING_COLUMNS                                                                                   \
	"l.id, l.uuid, l.company_id, l.apartment_id, l.estate_id, e.office_id, o.path, COALESCE(l.project_id, 0)," \
	" pr.name, rq.name, l.status,"                                                                            \
	" l.description, l.access_date, l.prior_access, COALESCE(l.date_publish, 0), l.candidate_sorting_mode,"   \
	" l.contract_system, l.batch_size, l.offer_per_ad, l.offers_per_person, l.offer_min_response_time,"      \
	" l.time_to_next_engagement, l.is_quick_apply, l.is_short_lease, l.short_lease_min_date,"                \
	" l.short_lease_max_date, l.prioritize_existing_tenants, l.offer_notes, COALESCE(l.requirement_id, 0),"   \
	" COALESCE(l.soft_requirements_id, 0),"                                                                   \
	" COALESCE(l.start_processing_at, 0), l.approval_rejection_text, COALESCE(l.created_by, 0), l.created_at," \
	" l.updated_at"

#define LISTING_FROM                                                                                   \
	" FROM object_ads l JOIN estates e ON e.id = l.estate_id JOIN offices o ON o.id = e.office_id"  \
	" LEFT JOIN projects pr ON pr.id = l.project_id LEFT JOIN requirement_profiles rq ON rq.id = l.requirement_id"

static void read_listing(struct db_stmt *st, struct arena *a, void *row)
{
	struct listing *l = row;
	int c = 0;
	l->id = db_col_int(st, c++);
	l->uuid = col_str(st, c++, a);
	l->company_id = db_col_int(st, c++);
	l->apartment_id = db_col_int(st, c++);
	l->estate_id = db_col_int(st, c++);
	l->office_id = db_col_int(st, c++);
	l->office_path = col_str(st, c++, a);
	l->project_id = db_col_int(st, c++);
	l->project_name = col_str(st, c++, a);
	l->requirement_name = col_str(st, c++, a);
	l->status = status_of(db_col_text(st, c++));
	l->f.description = col_str(st, c++, a);
	l->f.access_date = col_str(st, c++, a);
	l->f.prior_access = db_col_int(st, c++) != 0;
	l->f.date_publish = db_col_int(st, c++);
	l->f.candidate_sorting_mode = col_str(st, c++, a);
	l->f.contract_system = col_str(st, c++, a);
	l->f.batch_size = db_col_int(st, c++);
	l->f.offer_per_ad = db_col_int(st, c++);
	l->f.offers_per_person = db_col_int(st, c++);
	l->f.offer_min_response_time = db_col_int(st, c++);
	l->f.time_to_next_engagement = db_col_int(st, c++);
	l->f.is_quick_apply = db_col_int(st, c++) != 0;
	l->f.is_short_lease = db_col_int(st, c++) != 0;
	l->f.short_lease_min_date = col_str(st, c++, a);
	l->f.short_lease_max_date = col_str(st, c++, a);
	l->f.prioritize_existing_tenants = db_col_int(st, c++) != 0;
	l->f.offer_notes = col_str(st, c++, a);
	l->f.requirement_id = db_col_int(st, c++);
	l->f.soft_requirements_id = db_col_int(st, c++);
	l->start_processing_at = db_col_int(st, c++);
	l->approval_rejection_text = col_str(st, c++, a);
	l->created_by = db_col_int(st, c++);
	l->created_at = col_str(st, c++, a);
	l->updated_at = col_str(st, c++, a);
}

static void bind_nonzero(struct db_stmt *st, int idx, int64_t v)
{
	if (v)
		db_bind_int(st, idx, v);
	else
		db_bind_null(st, idx);
}

/* Binds status, the fields, start_processing_at and approval_rejection_text from first on (22 values). */
static void bind_listing(struct db_stmt *st, int first, const struct listing *l)
{
	const struct listing_fields *f = &l->f;
	int c = first;
	db_bind_text(st, c++, str_from_cstr(listing_status_names[l->status]));
	db_bind_text(st, c++, f->description.ptr ? f->description : STR_LIT(""));
	db_bind_text(st, c++, f->access_date);
	db_bind_int(st, c++, f->prior_access);
	bind_nonzero(st, c++, f->date_publish);
	db_bind_text(st, c++, f->candidate_sorting_mode);
	db_bind_text(st, c++, f->contract_system);
	db_bind_int(st, c++, f->batch_size);
	db_bind_int(st, c++, f->offer_per_ad);
	db_bind_int(st, c++, f->offers_per_person);
	db_bind_int(st, c++, f->offer_min_response_time);
	db_bind_int(st, c++, f->time_to_next_engagement);
	db_bind_int(st, c++, f->is_quick_apply);
	db_bind_int(st, c++, f->is_short_lease);
	db_bind_text(st, c++, f->short_lease_min_date);
	db_bind_text(st, c++, f->short_lease_max_date);
	db_bind_int(st, c++, f->prioritize_existing_tenants);
	db_bind_text(st, c++, f->offer_notes);
	bind_nonzero(st, c++, f->requirement_id);
	bind_nonzero(st, c++, f->soft_requirements_id);
	bind_nonzero(st, c++, l->start_processing_at);
	db_bind_text(st, c++, l->approval_rejection_text);
}

static const char sql_insert[] =
	"INSERT INTO object_ads(uuid, company_id, apartment_id, estate_id, project_id, created_by, status,"
	" description, access_date, prior_access, date_publish, candidate_sorting_mode, contract_system,"
	" batch_size, offer_per_ad, offers_per_person, offer_min_response_time, time_to_next_engagement,"
	" is_quick_apply, is_short_lease, short_lease_min_date, short_lease_max_date,"
	" prioritize_existing_tenants, offer_notes, requirement_id, soft_requirements_id, start_processing_at,"
	" approval_rejection_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
	" ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)"
	" RETURNING id";

int store_listing_insert(struct store *s, const struct listing *l, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	char uuid[37];

	if (!st)
		return -1;
	uuid_v4(uuid);
	db_bind_text(st, 1, str_from_cstr(uuid));
	db_bind_int(st, 2, l->company_id);
	db_bind_int(st, 3, l->apartment_id);
	db_bind_int(st, 4, l->estate_id);
	bind_nonzero(st, 5, l->project_id);
	bind_nonzero(st, 6, l->created_by);
	bind_listing(st, 7, l);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

static const char sql_get[] =
	"SELECT " LISTING_COLUMNS LISTING_FROM " WHERE l.id = ?1 AND (?2 = 0 OR l.company_id = ?2)";

static const char sql_view_version[] =
	"SELECT l.company_id, COALESCE(g.value, 0), l.status, COALESCE(l.date_publish, 0), COALESCE(n.open, 0)"
	" FROM object_ads l LEFT JOIN listing_view_generations g ON g.company_id = l.company_id"
	" LEFT JOIN listing_application_counts n ON n.listing_id = l.id WHERE l.id = ?1";

/* The version itself is kept while the kept epoch says nothing changed (store_epoch.c). */
int store_listing_view_version(struct store *s, int64_t id, struct listing_view_version *out, struct error *err)
{
	char k[1 + sizeof(id)] = { 'L' };
	struct str key = { k, sizeof(k) };
	struct db_stmt *st;
	uint64_t epoch;
	int rc;

	memcpy(k + 1, &id, sizeof(id));
	memset(out, 0, sizeof(*out)); /* kept as bytes: no stray padding */
	epoch = store_kept_epoch(s);
	if (store_epoch_get(store_epoch_of(s), epoch, key, out, sizeof(*out)))
		return 0;
	if (!(st = store_stmt(s, sql_view_version, err)))
		return -1;
	db_bind_int(st, 1, id);
	if ((rc = db_step(st, err)) < 0)
		return -1;
	if (rc == DB_ROW) {
		out->company_id = db_col_int(st, 0);
		out->generation = db_col_int(st, 1);
		out->status = status_of(db_col_text(st, 2));
		out->date_publish = db_col_int(st, 3);
		out->open_applications = db_col_int(st, 4);
	}
	db_reset(st);
	if (rc != DB_ROW)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such listing");
	store_epoch_keep(store_epoch_of(s), epoch, key, out, sizeof(*out));
	return 0;
}

int store_listing_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct listing *out,
		      struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	return stmt_one(st, a, read_listing, out, "listing", err);
}

static const char sql_update[] =
	"UPDATE object_ads SET status = ?2, description = ?3, access_date = ?4, prior_access = ?5, date_publish = ?6,"
	" candidate_sorting_mode = ?7, contract_system = ?8, batch_size = ?9, offer_per_ad = ?10,"
	" offers_per_person = ?11, offer_min_response_time = ?12, time_to_next_engagement = ?13,"
	" is_quick_apply = ?14, is_short_lease = ?15, short_lease_min_date = ?16, short_lease_max_date = ?17,"
	" prioritize_existing_tenants = ?18, offer_notes = ?19, requirement_id = ?20, soft_requirements_id = ?21,"
	" start_processing_at = ?22, approval_rejection_text = ?23,"
	" updated_at = ?24 WHERE id = ?1";

int store_listing_update(struct store *s, const struct listing *l, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	if (!st)
		return -1;
	store_bind_now(st, 24);
	db_bind_int(st, 1, l->id);
	bind_listing(st, 2, l);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such listing");
	return 0;
}

static const char sql_mark_deleted[] =
	"UPDATE object_ads SET status = 'deleted', deleted_at = ?2,"
	" updated_at = ?2 WHERE id = ?1";

int store_listing_mark_deleted(struct store *s, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_mark_deleted, err);
	if (!st)
		return -1;
	store_bind_now(st, 2);
	db_bind_int(st, 1, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such listing");
	return 0;
}

/* a withdrawn listing that had applications stays (deleted): its applicants keep seeing them cancelled */
static const char sql_purge[] = "DELETE FROM object_ads WHERE id = ?1 AND status = 'deleted'"
				" AND NOT EXISTS (SELECT 1 FROM applications WHERE listing_id = ?1)";

int store_listing_purge(struct store *s, int64_t id, int *removed, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_purge, err);
	*removed = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	*removed = store_changes(s) > 0;
	return 0;
}

/* the partial unique index object_ads_apartment_live answers this */
static const char sql_live[] =
	"SELECT id FROM object_ads WHERE apartment_id = ?1 AND status NOT IN ('deleted', 'rented')";

int store_listing_live(struct store *s, int64_t apartment_id, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_live, err);
	int rc;
	*id = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, apartment_id);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	*id = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

/* ---- assignments ---- */

static const char sql_assign[] = "INSERT INTO object_ad_assignments(object_ad_id, user_id) VALUES (?1, ?2)"
				  " ON CONFLICT (object_ad_id, user_id) DO NOTHING";

int store_listing_assign(struct store *s, int64_t listing_id, int64_t user_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_assign, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, user_id);
	return stmt_exec(st, err);
}

#define ASSIGNMENT_SELECT                                                                         \
	"SELECT g.id, g.user_id, u.first_name, u.last_name, g.object_ad_id FROM object_ad_assignments g" \
	" JOIN users u ON u.id = g.user_id"

static const char sql_assignments[] =
	ASSIGNMENT_SELECT " WHERE g.object_ad_id = ?1 AND u.deleted_at IS NULL ORDER BY g.id";
static const char sql_assignments_of[] =
	ASSIGNMENT_SELECT " WHERE g.object_ad_id = ANY(?1) AND u.deleted_at IS NULL ORDER BY g.object_ad_id, g.id";

static void read_assignment(struct db_stmt *st, struct arena *a, void *row)
{
	struct listing_assignment *g = row;
	g->id = db_col_int(st, 0);
	g->user_id = db_col_int(st, 1);
	g->first_name = col_str(st, 2, a);
	g->last_name = col_str(st, 3, a);
	g->listing_id = db_col_int(st, 4);
}

int store_listing_assignments(struct store *s, struct arena *a, int64_t listing_id, struct listing_assignment **out,
			      size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_assignments, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	return stmt_collect(st, a, sizeof(**out), read_assignment, (void **)out, n, err);
}

int store_listing_assignments_of(struct store *s, struct arena *a, const int64_t *listing_ids, size_t nlistings,
				 struct listing_assignment **out, size_t *n, struct error *err)
{
	struct db_stmt *st;
	*out = NULL;
	*n = 0;
	if (nlistings == 0)
		return 0;
	st = store_stmt(s, sql_assignments_of, err);
	if (!st)
		return -1;
	db_bind_int_array(st, 1, listing_ids, nlistings);
	return stmt_collect(st, a, sizeof(**out), read_assignment, (void **)out, n, err);
}

/* ---- what a listing refers to ---- */

static const char sql_requirement_company[] = "SELECT company_id FROM requirement_profiles WHERE id = ?1";

int store_listing_requirement_company(struct store *s, int64_t requirement_id, int64_t *company_id,
				      struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_requirement_company, err);
	int rc;
	*company_id = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, requirement_id);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	*company_id = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

static const char sql_requirement_flags[] =
	"SELECT id, pets, smoking, senior, student, youth FROM requirement_profiles WHERE id = ?1";

static void read_flags(struct db_stmt *st, struct arena *a, void *row)
{
	struct listing_requirement_flags *r = row;
	(void)a;
	r->id = db_col_int(st, 0);
	r->pets = db_col_int(st, 1) != 0;
	r->smoking = db_col_int(st, 2) != 0;
	r->senior = db_col_int(st, 3) != 0;
	r->student = db_col_int(st, 4) != 0;
	r->youth = db_col_int(st, 5) != 0;
}

int store_listing_requirement_flags(struct store *s, int64_t requirement_id, struct listing_requirement_flags *out,
				    struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_requirement_flags, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, requirement_id);
	return stmt_one(st, NULL, read_flags, out, "requirement profile", err);
}

static const char sql_up_time[] = "SELECT minimum_up_time FROM companies WHERE id = ?1";

int store_listing_company_up_time(struct store *s, int64_t company_id, int64_t *hours, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_up_time, err);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such company");
	*hours = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

/* one conditional write: two publishers racing cannot both see themselves first */
static const char sql_first_published[] =
	"UPDATE companies SET first_listing_published_at = ?2 WHERE id = ?1 AND first_listing_published_at IS NULL";

int store_listing_first_published(struct store *s, int64_t company_id, struct str at, bool *first,
				  struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_first_published, err);
	*first = false;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, at);
	if (stmt_exec(st, err) < 0)
		return -1;
	*first = store_changes(s) > 0;
	return 0;
}
