/*
 * store_market_objects.c — lookups of the market dialect's objects (store_market_objects.h).
 */
#include "store/market/store_market_objects.h"

#include <string.h>

#include "store/store_internal.h"

static const char sql_by_guid[] = "SELECT id FROM object_ads WHERE uuid = ?1";
static const char sql_by_access_key[] = "SELECT id FROM object_ads WHERE access_key = ?1"
					" UNION ALL SELECT id FROM object_ads WHERE uuid = ?1";

int store_market_object_find(struct store *s, enum market_id_kind kind, struct str key, int64_t *id,
			     struct error *err)
{
	struct db_stmt *st = store_stmt(s, kind == MARKET_ID_GUID ? sql_by_guid : sql_by_access_key, err);
	int rc;

	*id = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	if (rc) {
		*id = db_col_int(st, 0);
		db_reset(st);
	}
	return 0;
}

#define PUBLIC(now) " o.status IN ('active', 'reserved') AND COALESCE(o.date_publish, 0) <= " now
#define FILE_COLUMNS "f.key, f.sha256, f.mime_type, f.category, f.thumbnails_ready"

static const char sql_image[] =
	"SELECT m.id, " FILE_COLUMNS ", m.caption FROM object_ads o JOIN media_links m"
	" ON (m.kind = 'apartment_picture' AND m.apartment_id = o.apartment_id)"
	" OR (m.kind = 'estate_picture' AND m.estate_id = o.estate_id)"
	" JOIN file_references fr ON fr.id = m.reference JOIN stored_files f ON f.id = fr.stored_file_id"
	" WHERE o.id = ?1 AND m.id = ?2 AND" PUBLIC("?3");

static const char sql_thumbnail[] =
	"SELECT m.id, " FILE_COLUMNS ", m.caption FROM object_ads o JOIN media_links m"
	" ON m.kind = 'apartment_picture' AND m.apartment_id = o.apartment_id"
	" JOIN file_references fr ON fr.id = m.reference JOIN stored_files f ON f.id = fr.stored_file_id"
	" WHERE o.id = ?1 AND" PUBLIC("?2") " ORDER BY m.position, m.id LIMIT 1";

static const char sql_floorplan[] =
	"SELECT f.id, " FILE_COLUMNS ", fr.content_name FROM object_ads o JOIN apartments p ON p.id = o.apartment_id"
	" JOIN file_references fr ON fr.id = p.floor_plan_reference JOIN stored_files f ON f.id = fr.stored_file_id"
	" WHERE o.id = ?1 AND (?2 = 0 OR f.id = ?2) AND" PUBLIC("?3");

static void read_file(struct db_stmt *st, struct arena *a, void *row)
{
	struct market_object_file *f = row;
	f->id = db_col_int(st, 0);
	f->key = col_str(st, 1, a);
	f->sha256 = col_str(st, 2, a);
	f->mime_type = col_str(st, 3, a);
	f->category = col_str(st, 4, a);
	f->thumbnails = db_col_int(st, 5) != 0;
	f->name = col_str(st, 6, a);
	if (!f->name.ptr)
		f->name = STR_LIT("");
}

static int one_file(struct store *s, struct arena *a, const char *sql, int64_t listing_id, int64_t file_id,
		    int64_t now, struct market_object_file *out, const char *what, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	if (file_id) {
		db_bind_int(st, 2, file_id);
		db_bind_int(st, 3, now);
	} else {
		db_bind_int(st, 2, now);
	}
	return stmt_one(st, a, read_file, out, what, err);
}

int store_market_object_image(struct store *s, struct arena *a, int64_t listing_id, int64_t image_id, int64_t now,
			      struct market_object_file *out, struct error *err)
{
	return one_file(s, a, sql_image, listing_id, image_id, now, out, "image", err);
}

int store_market_object_thumbnail(struct store *s, struct arena *a, int64_t listing_id, int64_t now,
				  struct market_object_file *out, struct error *err)
{
	return one_file(s, a, sql_thumbnail, listing_id, 0, now, out, "thumbnail", err);
}

int store_market_object_floorplan(struct store *s, struct arena *a, int64_t listing_id, int64_t file_id,
				  int64_t now, struct market_object_file *out, bool *found, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_floorplan, err);
	int rc;

	*found = false;
	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, file_id);
	db_bind_int(st, 3, now);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	if (rc) {
		read_file(st, a, out);
		db_reset(st);
		*found = true;
	}
	return 0;
}

/* The public listings' cards (kinds 0 and 2, active) of some audience and company. */
static const char sql_type_stats[] =
	"SELECT COUNT(*), MIN(c.rooms), MAX(c.rooms_max), MIN(c.area), MAX(c.area_max), MIN(c.rent), MAX(c.rent_max)"
	" FROM cards c WHERE c.kind IN (0, 2) AND c.state = 1 AND (c.audience & ?1) <> 0"
	" AND (CAST(?2 AS INTEGER) IS NULL OR c.company_id = ?2)";

int store_market_type_stats(struct store *s, unsigned audience, int64_t company_id, struct market_type_stats *out,
			    struct error *err)
{
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!audience)
		return 0;
	if (!(st = store_stmt(s, sql_type_stats, err)))
		return -1;
	db_bind_int(st, 1, audience);
	if (company_id)
		db_bind_int(st, 2, company_id);
	else
		db_bind_null(st, 2);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	if (rc) {
		out->count = db_col_int(st, 0);
		out->min_rooms = db_col_double(st, 1);
		out->max_rooms = db_col_double(st, 2);
		out->min_area = db_col_double(st, 3);
		out->max_area = db_col_double(st, 4);
		out->min_rent = db_col_int(st, 5);
		out->max_rent = db_col_int(st, 6);
		db_reset(st);
	}
	return 0;
}
