/* Estates: the root of a company's inventory. */
#include "store/store_internal.h"
#include "store/inventory/store_inventory.h"

/* One row: the estate, its office path, its apartment count and CommonAttributes (an
 * attribute is common when every apartment has it: MIN over the apartments, 0 when none;
 * a comparison is a boolean on PostgreSQL, which has no MIN(boolean): CASE gives 0/1). */
#define ESTATE_COLUMNS                                                                         \
	"e.id, e.company_id, e.office_id, o.path, e.name, e.city, e.landlord_object_id,"              \
	" e.estate_owner, e.org_number, e.bankgiro, e.postgiro, e.area_caption, e.area_description,"  \
	" e.area_image_caption, e.cover_caption, e.cover_description, e.created_at, COUNT(a.id),"     \
	" COALESCE(MIN(CASE WHEN a.balcony <> 'NONE' THEN 1 ELSE 0 END), 0),"                         \
	" COALESCE(MIN(CASE WHEN a.bathtub = 'PRESENT' THEN 1 ELSE 0 END), 0),"                       \
	" COALESCE(MIN(CASE WHEN a.dishwasher = 'PRESENT' THEN 1 ELSE 0 END), 0),"                    \
	" COALESCE(MIN(CASE WHEN a.dryer = 'PRESENT' THEN 1 ELSE 0 END), 0),"                         \
	" COALESCE(MIN(a.electricity_included), 0),"                                                  \
	" COALESCE(MIN(a.elevator), 0),"                                                              \
	" COALESCE(MIN(CASE WHEN a.garage <> 'NONE' THEN 1 ELSE 0 END), 0),"                          \
	" COALESCE(MIN(a.handicap_adapted), 0),"                                                      \
	" COALESCE(MIN(a.heating_included), 0),"                                                      \
	" COALESCE(MIN(a.internet_included), 0),"                                                     \
	" COALESCE(MIN(CASE WHEN a.kitchen_fan = 'PRESENT' THEN 1 ELSE 0 END), 0),"                   \
	" COALESCE(MIN(CASE WHEN a.parking <> 'NONE' THEN 1 ELSE 0 END), 0),"                         \
	" COALESCE(MIN(a.patio), 0),"                                                                 \
	" COALESCE(MIN(a.cable_package_included), 0),"                                                \
	" COALESCE(MIN(CASE WHEN a.washing_machine = 'PRESENT' THEN 1 ELSE 0 END), 0)"

static void read_estate(struct db_stmt *st, struct arena *a, void *row)
{
	struct estate *e = row;
	e->id = db_col_int(st, 0);
	e->company_id = db_col_int(st, 1);
	e->office_id = db_col_int(st, 2);
	e->office_path = col_str(st, 3, a);
	e->f.name = col_str(st, 4, a);
	e->f.city = col_str(st, 5, a);
	e->f.landlord_object_id = col_str(st, 6, a);
	e->f.estate_owner = col_str(st, 7, a);
	e->f.org_number = col_str(st, 8, a);
	e->f.bankgiro = col_str(st, 9, a);
	e->f.postgiro = col_str(st, 10, a);
	e->f.area_caption = col_str(st, 11, a);
	e->f.area_description = col_str(st, 12, a);
	e->f.area_image_caption = col_str(st, 13, a);
	e->f.cover_caption = col_str(st, 14, a);
	e->f.cover_description = col_str(st, 15, a);
	e->created_at = col_str(st, 16, a);
	e->apartment_count = db_col_int(st, 17);
	for (int i = 0; i < COMMON_COUNT; i++)
		e->common[i] = db_col_int(st, 18 + i) != 0;
}

static struct str or_empty(struct str s)
{
	return s.ptr ? s : STR_LIT("");
}

static void bind_fields(struct db_stmt *st, int first, const struct estate_fields *f)
{
	db_bind_text(st, first + 0, f->name);
	db_bind_text(st, first + 1, f->city);
	db_bind_text(st, first + 2, f->landlord_object_id);
	db_bind_text(st, first + 3, or_empty(f->estate_owner));
	db_bind_text(st, first + 4, or_empty(f->org_number));
	db_bind_text(st, first + 5, or_empty(f->bankgiro));
	db_bind_text(st, first + 6, or_empty(f->postgiro));
	db_bind_text(st, first + 7, or_empty(f->area_caption));
	db_bind_text(st, first + 8, or_empty(f->area_description));
	db_bind_text(st, first + 9, or_empty(f->area_image_caption));
	db_bind_text(st, first + 10, or_empty(f->cover_caption));
	db_bind_text(st, first + 11, or_empty(f->cover_description));
}

static const char sql_insert[] =
	"INSERT INTO estates(company_id, office_id, name, city, landlord_object_id, estate_owner, org_number,"
	" bankgiro, postgiro, area_caption, area_description, area_image_caption, cover_caption,"
	" cover_description) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
	" RETURNING id";

int store_estate_insert(struct store *s, int64_t company_id, int64_t office_id, const struct estate_fields *f,
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

static const char sql_get[] =
	"SELECT " ESTATE_COLUMNS " FROM estates e JOIN offices o ON o.id = e.office_id"
	" LEFT JOIN apartments a ON a.estate_id = e.id"
	" WHERE e.id = ?1 AND (?2 = 0 OR e.company_id = ?2) GROUP BY e.id, o.id";

int store_estate_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct estate *out,
		     struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	return stmt_one(st, a, read_estate, out, "estate", err);
}

static const char sql_update[] =
	"UPDATE estates SET name = ?2, city = ?3, landlord_object_id = ?4, estate_owner = ?5, org_number = ?6,"
	" bankgiro = ?7, postgiro = ?8, area_caption = ?9, area_description = ?10, area_image_caption = ?11,"
	" cover_caption = ?12, cover_description = ?13,"
	" updated_at = ?14 WHERE id = ?1";
static const char sql_city_key[] =
	"UPDATE apartments SET city_key = ?2 WHERE estate_id = ?1 AND city_key <> ?2";

int store_estate_update(struct store *s, int64_t id, const struct estate_fields *f, struct str city_key,
			struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	if (!st)
		return -1;
	store_bind_now(st, 14);
	db_bind_int(st, 1, id);
	bind_fields(st, 2, f);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such estate");
	st = store_stmt(s, sql_city_key, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, city_key);
	return stmt_exec(st, err);
}

static const char sql_delete[] = "DELETE FROM estates WHERE id = ?1";

int store_estate_delete(struct store *s, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_delete, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such estate");
	return 0;
}
