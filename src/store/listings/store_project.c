/*
 * Projects, their estates and what their listings add up to (store_projects.h). The
 * sub-resources are in store_project_items.c.
 */
#include "store/store_internal.h"
#include "store/listings/store_projects.h"

#include <string.h>

static struct str or_empty(struct str s)
{
	return s.ptr ? s : STR_LIT("");
}

/* One row: the project, its office path, and how many estates and apartments it holds. */
#define PROJECT_COLUMNS                                                                                     \
	"p.id, p.company_id, p.office_id, o.path, p.name, p.external_id, p.published, p.closed, p.publish_date," \
	" p.close_date, p.candidate_sorting_mode, p.contract_system, p.is_short_lease,"                        \
	" p.prioritize_existing_tenants, p.apartment_count, p.area_info_description, p.area_info_header,"       \
	" p.info_description, p.info_header, p.preliminary_move_in_date, p.show_area_info_module,"             \
	" p.show_area_media_module, p.show_email_collection_module, p.show_freetext_module,"                   \
	" p.show_timeline_module, p.viewing_notes, p.created_at,"                                               \
	" (SELECT COUNT(*) FROM estates e WHERE e.project_id = p.id),"                                          \
	" (SELECT COUNT(*) FROM apartments a JOIN estates e ON e.id = a.estate_id WHERE e.project_id = p.id)"

static void read_project(struct db_stmt *st, struct arena *a, void *row)
{
	struct project *p = row;
	p->id = db_col_int(st, 0);
	p->company_id = db_col_int(st, 1);
	p->office_id = db_col_int(st, 2);
	p->office_path = col_str(st, 3, a);
	p->f.name = col_str(st, 4, a);
	p->f.external_id = col_str(st, 5, a);
	p->f.published = db_col_int(st, 6) != 0;
	p->f.closed = db_col_int(st, 7) != 0;
	p->f.publish_date = col_str(st, 8, a);
	p->f.close_date = col_str(st, 9, a);
	p->f.candidate_sorting_mode = col_str(st, 10, a);
	p->f.contract_system = col_str(st, 11, a);
	p->f.is_short_lease = db_col_int(st, 12) != 0;
	p->f.prioritize_existing_tenants = db_col_int(st, 13) != 0;
	p->f.apartment_count = db_col_int(st, 14);
	p->f.area_info_description = col_str(st, 15, a);
	p->f.area_info_header = col_str(st, 16, a);
	p->f.info_description = col_str(st, 17, a);
	p->f.info_header = col_str(st, 18, a);
	p->f.preliminary_move_in_date = col_str(st, 19, a);
	for (int i = 0; i < PROJECT_MODULE_COUNT; i++)
		p->f.show[i] = db_col_int(st, 20 + i) != 0;
	p->f.viewing_notes = col_str(st, 25, a);
	p->created_at = col_str(st, 26, a);
	p->estates = db_col_int(st, 27);
	p->apartments = db_col_int(st, 28);
}

/* Binds every project_fields column at first .. first + 24. */
static void bind_fields(struct db_stmt *st, int first, const struct project_fields *f)
{
	db_bind_text(st, first + 0, f->name);
	db_bind_text(st, first + 1, f->external_id);
	db_bind_int(st, first + 2, f->published);
	db_bind_int(st, first + 3, f->closed);
	db_bind_text(st, first + 4, f->publish_date);
	db_bind_text(st, first + 5, f->close_date);
	db_bind_text(st, first + 6, f->candidate_sorting_mode);
	db_bind_text(st, first + 7, f->contract_system);
	db_bind_int(st, first + 8, f->is_short_lease);
	db_bind_int(st, first + 9, f->prioritize_existing_tenants);
	db_bind_int(st, first + 10, f->apartment_count);
	db_bind_text(st, first + 11, f->area_info_description);
	db_bind_text(st, first + 12, f->area_info_header);
	db_bind_text(st, first + 13, or_empty(f->info_description));
	db_bind_text(st, first + 14, or_empty(f->info_header));
	db_bind_text(st, first + 15, f->preliminary_move_in_date);
	for (int i = 0; i < PROJECT_MODULE_COUNT; i++)
		db_bind_int(st, first + 16 + i, f->show[i]);
	db_bind_text(st, first + 21, or_empty(f->viewing_notes));
}

static const char sql_insert[] =
	"INSERT INTO projects(company_id, office_id, name, external_id, published, closed, publish_date, close_date,"
	" candidate_sorting_mode, contract_system, is_short_lease, prioritize_existing_tenants, apartment_count,"
	" area_info_description, area_info_header, info_description, info_header, preliminary_move_in_date,"
	" show_area_info_module, show_area_media_module, show_email_collection_module, show_freetext_module,"
	" show_timeline_module, viewing_notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)"
	" RETURNING id";

int store_project_insert(struct store *s, int64_t company_id, int64_t office_id, const struct project_fields *f,
			 int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, office_id);
	bind_fields(st, 3, f);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

static const char sql_get[] = "SELECT " PROJECT_COLUMNS " FROM projects p JOIN offices o ON o.id = p.office_id"
			      " WHERE p.id = ?1 AND (?2 = 0 OR p.company_id = ?2)";

int store_project_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct project *out,
		      struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	return stmt_one(st, a, read_project, out, "project", err);
}

/* substr() rather than LIKE: a path has no wildcards to escape, and the prefix test is exact */
static const char sql_list[] =
	"SELECT " PROJECT_COLUMNS " FROM projects p JOIN offices o ON o.id = p.office_id"
	" WHERE p.company_id = ?1 AND substr(o.path, 1, length(?2)) = ?2"
	" AND (CAST(?3 AS TEXT) IS NULL OR p.external_id = ?3)"
	" ORDER BY p.id";

int store_project_list(struct store *s, struct arena *a, int64_t company_id, struct str path_prefix,
		       struct str external_id, struct project **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_list, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, or_empty(path_prefix));
	db_bind_text(st, 3, external_id);
	return stmt_collect(st, a, sizeof(**out), read_project, (void **)out, n, err);
}

static const char sql_update[] =
	"UPDATE projects SET name = ?2, external_id = ?3, published = ?4, closed = ?5, publish_date = ?6,"
	" close_date = ?7, candidate_sorting_mode = ?8, contract_system = ?9, is_short_lease = ?10,"
	" prioritize_existing_tenants = ?11, apartment_count = ?12, area_info_description = ?13,"
	" area_info_header = ?14, info_description = ?15, info_header = ?16, preliminary_move_in_date = ?17,"
	" show_area_info_module = ?18, show_area_media_module = ?19, show_email_collection_module = ?20,"
	" show_freetext_module = ?21, show_timeline_module = ?22, viewing_notes = ?23,"
	" updated_at = ?24 WHERE id = ?1";

int store_project_update(struct store *s, int64_t id, const struct project_fields *f, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	if (!st)
		return -1;
	store_bind_now(st, 24);
	db_bind_int(st, 1, id);
	bind_fields(st, 2, f);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such project");
	return 0;
}

/* The sub-resources go with it (ON DELETE CASCADE); its estates leave it (ON DELETE SET NULL). */
static const char sql_delete[] = "DELETE FROM projects WHERE id = ?1";

int store_project_delete(struct store *s, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_delete, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such project");
	return 0;
}

/* ---- estates ---- */

static const char sql_estate_project[] = "SELECT project_id FROM estates WHERE id = ?1";

int store_estate_project(struct store *s, int64_t estate_id, int64_t *project_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_estate_project, err);
	int rc;
	*project_id = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, estate_id);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such estate");
	*project_id = db_col_int(st, 0); /* NULL reads as 0 */
	db_reset(st);
	return 0;
}

static const char sql_estate_set_project[] =
	"UPDATE estates SET project_id = ?2, updated_at = ?3 WHERE id = ?1";

int store_estate_set_project(struct store *s, int64_t estate_id, int64_t project_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_estate_set_project, err);
	if (!st)
		return -1;
	store_bind_now(st, 3);
	db_bind_int(st, 1, estate_id);
	if (project_id)
		db_bind_int(st, 2, project_id);
	else
		db_bind_null(st, 2);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such estate");
	return 0;
}

/* ---- listings of a project (object_ads, migration 0013) ---- */

/* Listings still standing: a deleted one only waits for its purge. */
static const char sql_ads[] = "SELECT COUNT(*) FROM object_ads WHERE project_id = ?1 AND status <> 'deleted'"
			      " AND (?2 = 0 OR estate_id = ?2)";

int store_project_ads(struct store *s, int64_t project_id, int64_t estate_id, int64_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_ads, err);
	int rc;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, estate_id);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	*n = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

static const char sql_detach[] = "UPDATE object_ads SET project_id = NULL WHERE project_id = ?1 AND status = 'deleted'";

int store_project_detach_deleted_ads(struct store *s, int64_t project_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_detach, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	return stmt_exec(st, err);
}

/* The public (active) listings of the project, through their apartments. */
static const char sql_ranges[] =
	"SELECT COUNT(*), MIN(a.area), MAX(a.area), MIN(a.floor), MAX(a.floor), MIN(a.rooms), MAX(a.rooms),"
	" MIN(a.rent), MAX(a.rent) FROM object_ads x JOIN apartments a ON a.id = x.apartment_id"
	" WHERE x.project_id = ?1 AND x.status = 'active'";

int store_project_ranges(struct store *s, int64_t project_id, struct project_ranges *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_ranges, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	out->n = db_col_int(st, 0);
	for (int i = 0; i < 2; i++) {
		out->area[i] = db_col_double(st, 1 + i);
		out->floor[i] = db_col_double(st, 3 + i);
		out->rooms[i] = db_col_double(st, 5 + i);
		out->rent[i] = db_col_int(st, 7 + i);
	}
	db_reset(st);
	return 0;
}

/* ---- the estates of a project ---- */

#define PROJECT_ESTATE_SELECT                                                                           \
	"SELECT e.id, e.name, (SELECT COUNT(*) FROM apartments a WHERE a.estate_id = e.id),"             \
	" (SELECT COUNT(*) FROM object_ads x WHERE x.estate_id = e.id AND x.project_id = e.project_id" \
	" AND x.status <> 'deleted') FROM estates e"

static void read_project_estate(struct db_stmt *st, struct arena *a, void *row)
{
	struct project_estate *e = row;
	e->id = db_col_int(st, 0);
	e->name = col_str(st, 1, a);
	e->apartments = db_col_int(st, 2);
	e->ads = db_col_int(st, 3);
}

static const char sql_estates[] = PROJECT_ESTATE_SELECT " WHERE e.project_id = ?1 ORDER BY e.id";
static const char sql_estate_get[] = PROJECT_ESTATE_SELECT " WHERE e.project_id = ?1 AND e.id = ?2";

int store_project_estates(struct store *s, struct arena *a, int64_t project_id, struct project_estate **out,
			  size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_estates, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	return stmt_collect(st, a, sizeof(**out), read_project_estate, (void **)out, n, err);
}

int store_project_estate_get(struct store *s, struct arena *a, int64_t project_id, int64_t estate_id,
			     struct project_estate *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_estate_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, estate_id);
	return stmt_one(st, a, read_project_estate, out, "estate", err);
}

/* ---- the project inventory ---- */

/*
 * Every apartment of the project's estates with its current project listing (the one
 * neither deleted nor rented: at most one per apartment, migration 0013).
 */
static const char sql_inventory[] =
	"SELECT a.id, a.landlord_object_id, a.national_id,"
	" (SELECT COUNT(*) FROM apartment_notes n WHERE n.apartment_id = a.id), a.rent, a.rooms, a.street_name,"
	" a.street_number, e.id, e.name, x.id, x.access_date, x.prior_access, x.requirement_id, x.status"
	" FROM estates e JOIN apartments a ON a.estate_id = e.id"
	" LEFT JOIN object_ads x ON x.apartment_id = a.id AND x.project_id = e.project_id"
	" AND x.status NOT IN ('deleted', 'rented')"
	" WHERE e.project_id = ?1 ORDER BY e.id, a.id";

static void read_item(struct db_stmt *st, struct arena *a, void *row)
{
	struct project_inventory_item *it = row;
	it->apartment_id = db_col_int(st, 0);
	it->landlord_object_id = col_str(st, 1, a);
	it->national_id = col_str(st, 2, a);
	it->notes_count = db_col_int(st, 3);
	it->rent = db_col_int(st, 4);
	it->rooms = db_col_double(st, 5);
	it->street = col_str(st, 6, a);
	it->street_number = col_str(st, 7, a);
	it->estate_id = db_col_int(st, 8);
	it->estate_name = col_str(st, 9, a);
	it->ad_id = db_col_int(st, 10);
	it->ad_move_in_date = col_str(st, 11, a);
	it->ad_prior_access = db_col_int(st, 12) != 0;
	it->ad_requirement = db_col_int(st, 13);
	it->ad_status = col_str(st, 14, a);
	it->ad_applications = 0; /* no applications exist before the applicant process */
}

/*
 * The project's rented listings: when the rental closed and the employee responsible
 * for it (the first assigned; "" when none is left).
 */
static const char sql_snapshots[] =
	"SELECT x.apartment_id, x.updated_at, COALESCE((SELECT trim(u.first_name || ' ' || u.last_name)"
	" FROM object_ad_assignments g JOIN users u ON u.id = g.user_id WHERE g.object_ad_id = x.id"
	" ORDER BY g.id LIMIT 1), '') FROM object_ads x WHERE x.project_id = ?1 AND x.status = 'rented'"
	" ORDER BY x.apartment_id, x.updated_at, x.id";

struct snapshot_row {
	int64_t apartment_id;
	struct project_snapshot snap;
};

static void read_snapshot(struct db_stmt *st, struct arena *a, void *row)
{
	struct snapshot_row *r = row;
	r->apartment_id = db_col_int(st, 0);
	r->snap.closed = col_str(st, 1, a);
	r->snap.employee = col_str(st, 2, a);
}

int store_project_inventory(struct store *s, struct arena *a, int64_t project_id, struct project_inventory_item **out,
			    size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_inventory, err);
	struct snapshot_row *snaps;
	size_t nsnaps;

	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	if (stmt_collect(st, a, sizeof(**out), read_item, (void **)out, n, err) < 0)
		return -1;
	st = store_stmt(s, sql_snapshots, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	if (stmt_collect(st, a, sizeof(*snaps), read_snapshot, (void **)&snaps, &nsnaps, err) < 0)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		struct project_inventory_item *it = &(*out)[i];
		size_t k = 0;
		it->snapshots = arena_alloc(a, (nsnaps + 1) * sizeof(*it->snapshots));
		for (size_t j = 0; j < nsnaps; j++)
			if (snaps[j].apartment_id == it->apartment_id)
				it->snapshots[k++] = snaps[j].snap;
		it->nsnapshots = k;
	}
	return 0;
}
