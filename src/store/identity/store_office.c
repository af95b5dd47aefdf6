/* The office tree of a company. */
#include <stdio.h>

#include "store/store_internal.h"
#include "store/identity/store_org.h"

#define OFFICE_COLUMNS                                                                         \
	"o.id, o.company_id, o.parent_id, o.path, o.name, o.description, o.email,"                 \
	" o.candidate_sorting_mode, o.contract_system, o.batch_size, o.offer_min_response_time,"   \
	" o.offer_per_ad, o.offers_per_person, o.time_to_next_engagement,"                         \
	" o.default_email_for_contracts, o.default_email_for_offers, o.default_email_for_viewings," \
	" o.logo IS NOT NULL,"                                                                     \
	" (SELECT COUNT(*) FROM users u WHERE u.root_office_id = o.id AND u.deleted_at IS NULL)"

static void read_office(struct db_stmt *st, struct arena *a, void *row)
{
	struct office *o = row;
	o->id = db_col_int(st, 0);
	o->company_id = db_col_int(st, 1);
	o->parent_id = db_col_int(st, 2);
	o->path = col_str(st, 3, a);
	o->f.name = col_str(st, 4, a);
	o->f.description = col_str(st, 5, a);
	o->f.email = col_str(st, 6, a);
	o->f.candidate_sorting_mode = col_str(st, 7, a);
	o->f.contract_system = col_str(st, 8, a);
	o->f.batch_size = db_col_int(st, 9);
	o->f.offer_min_response_time = db_col_int(st, 10);
	o->f.offer_per_ad = db_col_int(st, 11);
	o->f.offers_per_person = db_col_int(st, 12);
	o->f.time_to_next_engagement = db_col_int(st, 13);
	o->f.default_email_for_contracts = db_col_int(st, 14) != 0;
	o->f.default_email_for_offers = db_col_int(st, 15) != 0;
	o->f.default_email_for_viewings = db_col_int(st, 16) != 0;
	o->has_logo = db_col_int(st, 17) != 0;
	o->employee_count = db_col_int(st, 18);
}

static void bind_fields(struct db_stmt *st, int first, const struct office_fields *f)
{
	db_bind_text(st, first + 0, f->name);
	db_bind_text(st, first + 1, f->description.ptr ? f->description : STR_LIT(""));
	db_bind_text(st, first + 2, f->email.ptr ? f->email : STR_LIT(""));
	db_bind_text(st, first + 3, f->candidate_sorting_mode);
	db_bind_text(st, first + 4, f->contract_system);
	db_bind_int(st, first + 5, f->batch_size);
	db_bind_int(st, first + 6, f->offer_min_response_time);
	db_bind_int(st, first + 7, f->offer_per_ad);
	db_bind_int(st, first + 8, f->offers_per_person);
	db_bind_int(st, first + 9, f->time_to_next_engagement);
	db_bind_int(st, first + 10, f->default_email_for_contracts);
	db_bind_int(st, first + 11, f->default_email_for_offers);
	db_bind_int(st, first + 12, f->default_email_for_viewings);
}

static const char sql_insert[] =
	"INSERT INTO offices(company_id, parent_id, path, name, description, email, candidate_sorting_mode,"
	" contract_system, batch_size, offer_min_response_time, offer_per_ad, offers_per_person,"
	" time_to_next_engagement, default_email_for_contracts, default_email_for_offers,"
	" default_email_for_viewings)"
	" VALUES (?1, ?2, '', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
	" RETURNING id";
static const char sql_parent_path[] = "SELECT path FROM offices WHERE id = ?1 AND company_id = ?2";
static const char sql_set_path[] = "UPDATE offices SET path = ?2 WHERE id = ?1";

int store_office_insert(struct store *s, int64_t company_id, int64_t parent_id,
			const struct office_fields *f, int64_t *id, struct error *err)
{
	struct db_stmt *st;
	char path_tail[32];
	struct str parent_path = STR_LIT("/");
	char *path;
	struct arena *a = err->arena;
	int rc;

	if (parent_id) {
		st = store_stmt(s, sql_parent_path, err);
		if (!st)
			return -1;
		db_bind_int(st, 1, parent_id);
		db_bind_int(st, 2, company_id);
		rc = stmt_row(st, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return error_set(err, ERROR_NOT_FOUND, NULL, "no such parent office");
		parent_path = col_str(st, 0, a);
		db_reset(st);
	}
	st = store_stmt(s, sql_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	if (parent_id)
		db_bind_int(st, 2, parent_id);
	else
		db_bind_null(st, 2);
	bind_fields(st, 3, f);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	snprintf(path_tail, sizeof(path_tail), "%lld/", (long long)*id);
	path = arena_printf(a, "%.*s%s", STR_FMT(parent_path), path_tail);
	st = store_stmt(s, sql_set_path, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, *id);
	db_bind_text(st, 2, str_from_cstr(path));
	return stmt_exec(st, err);
}

static const char sql_get[] = "SELECT " OFFICE_COLUMNS " FROM offices o WHERE o.id = ?1 AND o.company_id = ?2";

int store_office_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct office *out,
		     struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	return stmt_one(st, a, read_office, out, "office", err);
}

/* substr() rather than LIKE: a path has no wildcards to escape, and the prefix test is exact */
static const char sql_list[] =
	"SELECT " OFFICE_COLUMNS " FROM offices o WHERE o.company_id = ?1"
	" AND substr(o.path, 1, length(?2)) = ?2 ORDER BY o.path";

int store_office_list(struct store *s, struct arena *a, int64_t company_id, struct str path_prefix,
		      struct office **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_list, err);

	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, path_prefix.ptr ? path_prefix : STR_LIT(""));
	return stmt_collect(st, a, sizeof(**out), read_office, (void **)out, n, err);
}

static const char sql_update[] =
	"UPDATE offices SET name = ?2, description = ?3, email = ?4, candidate_sorting_mode = ?5,"
	" contract_system = ?6, batch_size = ?7, offer_min_response_time = ?8, offer_per_ad = ?9,"
	" offers_per_person = ?10, time_to_next_engagement = ?11, default_email_for_contracts = ?12,"
	" default_email_for_offers = ?13, default_email_for_viewings = ?14 WHERE id = ?1";
static const char sql_move[] =
	"UPDATE offices SET path = ?2 || substr(path, length(?1) + 1)"
	" WHERE company_id = ?3 AND substr(path, 1, length(?1)) = ?1";
static const char sql_set_parent[] = "UPDATE offices SET parent_id = ?2 WHERE id = ?1";

int store_office_update(struct store *s, const struct office *o, int64_t new_parent_id,
			const struct office_fields *f, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);

	if (!st)
		return -1;
	db_bind_int(st, 1, o->id);
	bind_fields(st, 2, f);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (new_parent_id && new_parent_id != o->parent_id) {
		struct office parent;
		char *new_path;
		if (store_office_get(s, err->arena, o->company_id, new_parent_id, &parent, err) < 0)
			return -1;
		if (str_has_prefix(parent.path, o->path))
			return error_field(err, "parent", RULE_RANGE, "an office cannot be moved below itself");
		new_path = arena_printf(err->arena, "%.*s%lld/", STR_FMT(parent.path), (long long)o->id);
		st = store_stmt(s, sql_move, err);
		if (!st)
			return -1;
		/* numbered from 1 with none unused: PostgreSQL cannot type a parameter no text mentions */
		db_bind_text(st, 1, o->path);
		db_bind_text(st, 2, str_from_cstr(new_path));
		db_bind_int(st, 3, o->company_id);
		if (stmt_exec(st, err) < 0)
			return -1;
		st = store_stmt(s, sql_set_parent, err);
		if (!st)
			return -1;
		db_bind_int(st, 1, o->id);
		db_bind_int(st, 2, new_parent_id);
		if (stmt_exec(st, err) < 0)
			return -1;
	}
	return 0;
}

static const char sql_set_logo[] = "UPDATE offices SET logo = ?2, logo_type = ?3 WHERE id = ?1";
static const char sql_get_logo[] = "SELECT logo, logo_type FROM offices WHERE id = ?1 AND logo IS NOT NULL";

int store_office_set_logo(struct store *s, int64_t office_id, const void *bytes, size_t len,
			  struct str mime, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_set_logo, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, office_id);
	if (bytes) {
		db_bind_blob(st, 2, bytes, len);
		db_bind_text(st, 3, mime);
	} else {
		db_bind_null(st, 2);
		db_bind_null(st, 3);
	}
	return stmt_exec(st, err);
}

int store_office_get_logo(struct store *s, struct arena *a, int64_t office_id, struct str *bytes,
			  struct str *mime, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get_logo, err);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, office_id);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "this office has no logo");
	*bytes = col_str(st, 0, a);
	*mime = col_str(st, 1, a);
	db_reset(st);
	return 0;
}
