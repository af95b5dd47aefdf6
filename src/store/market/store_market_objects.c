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

static const char sql_facts[] =
	"SELECT o.id, o.company_id, o.status = 'reserved', COALESCE(o.start_processing_at, 0),"
	" COALESCE(o.requirement_id, 0), p.rent, o.candidate_sorting_mode"
	" FROM object_ads o JOIN apartments p ON p.id = o.apartment_id WHERE o.id = ?1 AND" PUBLIC("?2");

int store_market_object_facts(struct store *s, struct arena *a, int64_t listing_id, int64_t now,
			      struct market_object_facts *out, bool *found, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_facts, err);
	int rc;

	*found = false;
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, now);
	if ((rc = stmt_row(st, err)) <= 0)
		return rc;
	*found = true;
	out->id = db_col_int(st, 0);
	out->company_id = db_col_int(st, 1);
	out->reserved = db_col_int(st, 2) != 0;
	out->start_processing_at = db_col_int(st, 3);
	out->requirement_id = db_col_int(st, 4);
	out->rent = db_col_int(st, 5);
	out->sorting_mode = col_str(st, 6, a);
	db_reset(st);
	return 0;
}

static const char sql_summary[] =
	"SELECT o.id, p.street_name, p.street_number, o.description, e.name, p.municipality, p.county, p.rent,"
	" p.area, p.rooms, p.floor, o.access_date, COALESCE(o.date_publish, 0), COALESCE(o.start_processing_at, 0),"
	" (SELECT m.caption FROM media_links m WHERE m.kind = 'apartment_picture' AND m.apartment_id = o.apartment_id"
	" ORDER BY m.position, m.id LIMIT 1),"
	" COALESCE(r.student, 0), COALESCE(r.senior, 0), COALESCE(r.youth, 0), o.candidate_sorting_mode"
	" FROM object_ads o JOIN apartments p ON p.id = o.apartment_id JOIN estates e ON e.id = o.estate_id"
	" LEFT JOIN requirement_profiles r ON r.id = o.requirement_id WHERE o.id = ?1";

static void read_summary(struct db_stmt *st, struct arena *a, void *row)
{
	struct market_object_summary *o = row;
	o->id = db_col_int(st, 0);
	o->street_name = col_str(st, 1, a);
	o->street_number = col_str(st, 2, a);
	o->description = col_str(st, 3, a);
	o->estate_name = col_str(st, 4, a);
	o->municipality = col_str(st, 5, a);
	o->county = col_str(st, 6, a);
	o->rent = db_col_int(st, 7);
	o->area = db_col_double(st, 8);
	o->rooms = db_col_double(st, 9);
	o->floor = db_col_double(st, 10);
	o->access_date = db_col_is_null(st, 11) ? STR_NULL : col_str(st, 11, a);
	o->date_publish = db_col_int(st, 12);
	o->start_processing_at = db_col_int(st, 13);
	o->thumbnail_caption = db_col_is_null(st, 14) ? STR_NULL : col_str(st, 14, a);
	o->student = db_col_int(st, 15) != 0;
	o->senior = db_col_int(st, 16) != 0;
	o->youth = db_col_int(st, 17) != 0;
	o->sorting_mode = col_str(st, 18, a);
}

int store_market_object_summary(struct store *s, struct arena *a, int64_t listing_id,
				struct market_object_summary *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_summary, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	return stmt_one(st, a, read_summary, out, "market object", err);
}

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
