/* Companies and the environment reset. */
#include "store/store_internal.h"
#include "store/identity/store_org.h"

#define COMPANY_COLUMNS                                                                            \
	"id, uuid, name, org_number, bankgiro, postgiro, external_reservation_link, minimum_up_time, " \
	"logo_image_id, cover_image_id, fast_api_key, enabled_features, beta_program, tier, created_at"

static void read_company(struct db_stmt *st, struct arena *a, void *row)
{
	struct company *c = row;
	c->id = db_col_int(st, 0);
	c->uuid = col_str(st, 1, a);
	c->name = col_str(st, 2, a);
	c->org_number = col_str(st, 3, a);
	c->bankgiro = col_str(st, 4, a);
	c->postgiro = col_str(st, 5, a);
	c->external_reservation_link = col_str(st, 6, a);
	c->minimum_up_time = db_col_int(st, 7);
	c->logo_image_id = col_str(st, 8, a);
	c->cover_image_id = col_str(st, 9, a);
	c->fast_api_key = col_str(st, 10, a);
	c->enabled_features = col_str(st, 11, a);
	c->beta_program = db_col_int(st, 12) != 0;
	c->tier = col_str(st, 13, a);
	c->created_at = col_str(st, 14, a);
}

static const char sql_insert[] = "INSERT INTO companies(uuid, name) VALUES (?1, ?2)"
	" RETURNING id";

int store_company_insert(struct store *s, struct arena *a, struct str name, struct company *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	char uuid[37];
	int64_t id;

	if (!st)
		return -1;
	uuid_v4(uuid);
	db_bind_text(st, 1, str_from_cstr(uuid));
	db_bind_text(st, 2, name);
	if (stmt_insert_id(st, &id, err) < 0)
		return -1;
	return store_company_get(s, a, id, out, err);
}

static const char sql_get[] = "SELECT " COMPANY_COLUMNS " FROM companies WHERE id = ?1";
static const char sql_get_uuid[] = "SELECT " COMPANY_COLUMNS " FROM companies WHERE uuid = ?1";

int store_company_get(struct store *s, struct arena *a, int64_t id, struct company *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return stmt_one(st, a, read_company, out, "company", err);
}

int store_company_get_by_uuid(struct store *s, struct arena *a, struct str uuid, struct company *out,
			      struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get_uuid, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, uuid);
	return stmt_one(st, a, read_company, out, "company", err);
}

static const char sql_update[] =
	"UPDATE companies SET name = ?2, org_number = ?3, bankgiro = ?4, postgiro = ?5,"
	" external_reservation_link = ?6, minimum_up_time = ?7, logo_image_id = ?8, cover_image_id = ?9,"
	" fast_api_key = ?10, enabled_features = ?11, beta_program = ?12, tier = ?13,"
	" updated_at = ?14 WHERE id = ?1";

int store_company_update(struct store *s, const struct company *c, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	if (!st)
		return -1;
	store_bind_now(st, 14);
	db_bind_int(st, 1, c->id);
	db_bind_text(st, 2, c->name);
	db_bind_text(st, 3, c->org_number);
	db_bind_text(st, 4, c->bankgiro);
	db_bind_text(st, 5, c->postgiro);
	db_bind_text(st, 6, c->external_reservation_link);
	db_bind_int(st, 7, c->minimum_up_time);
	db_bind_text(st, 8, c->logo_image_id);
	db_bind_text(st, 9, c->cover_image_id);
	db_bind_text(st, 10, c->fast_api_key);
	db_bind_text(st, 11, c->enabled_features);
	db_bind_int(st, 12, c->beta_program);
	db_bind_text(st, 13, c->tier);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such company");
	return 0;
}

static const char sql_list[] = "SELECT " COMPANY_COLUMNS " FROM companies ORDER BY name, id";

int store_company_list(struct store *s, struct arena *a, struct company **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_list, err);
	*n = 0;
	if (!st)
		return -1;
	return stmt_collect(st, a, sizeof(**out), read_company, (void **)out, n, err);
}

/*
 * What a reset removes grows with the inventory: each issue that adds a table owned
 * by a company's inventory adds its DELETE here, children first.
 */
static const char *const reset_sql[] = {
	/* listings first: their counts triggers need their estate's counts row (migration 0013) */
	"DELETE FROM object_ads WHERE company_id = ?1",
	"DELETE FROM media_links WHERE apartment_id IN (SELECT p.id FROM apartments p"
	" JOIN estates e ON e.id = p.estate_id WHERE e.company_id = ?1)",
	"DELETE FROM media_links WHERE estate_id IN (SELECT id FROM estates WHERE company_id = ?1)",
	"DELETE FROM apartment_notes WHERE apartment_id IN (SELECT p.id FROM apartments p"
	" JOIN estates e ON e.id = p.estate_id WHERE e.company_id = ?1)",
	"DELETE FROM apartment_3d_views WHERE apartment_id IN (SELECT p.id FROM apartments p"
	" JOIN estates e ON e.id = p.estate_id WHERE e.company_id = ?1)",
	"DELETE FROM apartments WHERE estate_id IN (SELECT id FROM estates WHERE company_id = ?1)",
	"DELETE FROM estates WHERE company_id = ?1",
	/* projects take their media, 3D views, freetext, timeline and location along (ON DELETE CASCADE) */
	"DELETE FROM projects WHERE company_id = ?1",
	/* the inventory's files go too; the company's logo, cover and contracts stay */
	"DELETE FROM file_references WHERE company_id = ?1 AND entity_type IN ('estate_image',"
	" 'estate_area_image', 'apartment_image', 'apartment_video', 'floor_plan', 'promotion_file',"
	" 'project_image', 'project_area_image', 'project_video', 'project_area_video')",
	NULL,
};

int store_company_reset(struct store *s, int64_t company_id, struct error *err)
{
	for (size_t i = 0; reset_sql[i]; i++) {
		struct db_stmt *st = store_stmt(s, reset_sql[i], err);
		if (!st)
			return -1;
		db_bind_int(st, 1, company_id);
		if (stmt_exec(st, err) < 0)
			return -1;
	}
	return 0;
}
